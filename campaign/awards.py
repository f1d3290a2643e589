"""Award scores of the chapters of a level, and the people and donors proposed, over a period.

The plan (Kế hoạch 61/KH-CTĐ, II.5) scores chapters out of 100 for the central Red Cross's
certificate of merit (Bằng khen). The rules, so that anyone can reproduce the figures
(docs/RECORDS.md repeats them):

- The chapters scored are the direct children of the level, in directory order; a level without
  children (a commune) scores itself. Each chapter's figures cover its whole subtree. The level's
  own addresses are not scored: a level proposes its chapters, not itself.
- Tombstones (`"deleted": true`) of any kind are dropped first.
- **Steering** (20): the chapter's assessment says `steering_board` and `directive`; else 0.
- **Model** (20): the assessment says `typical_model`; else 0.
- **Helped** (40 / 20 / 10 / 0): the *surveyed* addresses are the subtree's addresses with a
  `surveyed_on` on or before the last day of the period (however early); the share of them that
  were *helped* in the period, with the summary table's meaning of helped (`helped_addresses`).
  An address helped but never surveyed is in neither figure. ≥ 70% → 40, ≥ 50% → 20, below →
  10; no surveyed address → 0 with a note. Shares are compared exactly (7 of 10 is 70%).
- **Reviewed** (10 / 0): an address is *active* in year Y when its `dossier_on` is on or before
  31/12/Y and it has no `stopped_on` before 01/01/Y: an address that stops in Y is still active
  in Y (the review of Y is what stops it) and not in the years after. The share of the active
  (address, year) pairs of the period that have a review (not a tombstone) with that `year`,
  whatever its outcome: above 95% → 10, exactly 95% or below → 0; none active → 0 with a note.
- **Guidance** (10): the assessment says `followed_guidance`; else 0.
- A chapter with no assessment gets 0 for steering, model and guidance, and a note.
- Proposals: chapters ranked by total, highest first (ties share a rank and keep directory
  order); a total at or above the threshold (a setting, default 90: the plan gives none) →
  «Đề nghị Trung ương Hội tặng Bằng khen»; the others → «Đề nghị Tỉnh Hội tặng Giấy khen».
- Candidates: one per person or organisation, however many units registered it as a helper.
  Helpers of the level's subtree (not tombstones) are grouped: a `link` record puts a helper
  with another (`same_as`, followed to the end) or alone (`same_as` itself); without a link, an
  outside helper goes with the outside helpers of the same kind and the same name (case, runs of
  spaces and the place of the tone mark ignored, `text.name_key`: «Công ty Điện lực Tây Ninh»
  registered by 33 communes is one donor; «Hùng» and «Hưng» stay two),
  and a Red Cross person stands alone (two members of the same name in two communes are
  usually two people: the office links them when they are one). A candidate's addresses are
  the distinct addresses (not tombstones) its helpers are attached to by attachments that are
  not tombstones and overlap the period (`from` on or before its last day, `until` absent or on
  or after its first day); it was awarded before when any of its helpers was.
- Individuals are Red Cross people (staff, member, volunteer, youth): attached to five addresses
  or more they meet the central certificate's measurable criterion and are listed as eligible.
- Donors are outside organisations and individuals: every one attached in the period is
  listed; attached and awarded before meets the central certificate's criteria, the others the
  provincial one's («dưới tiêu chí Bằng khen»).
- Proposals are what the office chose (`proposal` records of the level and period), not what
  the figures say: a chapter or a candidate is proposed only when such a record names it (a
  helper of the candidate, any one). The figures only say who is eligible.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from campaign.dataset import Dataset
from campaign.dates import Period, format_date
from campaign.tally import helped_addresses
from campaign.text import given_name_key, name_key

DEFAULT_THRESHOLD = 90
# The bars of the plan, in percent.
HELPED_HIGH, HELPED_LOW, REVIEWED_ABOVE = 70, 50, 95
# Attached to this many addresses or more: a candidate (the plan: «trực tiếp gắn 05 địa chỉ
# trở lên»).
ADDRESSES_FOR_INDIVIDUALS = 5

CENTRAL = "Đề nghị Trung ương Hội tặng Bằng khen"
PROVINCIAL = "Đề nghị Tỉnh Hội tặng Giấy khen"
# What the measurable criteria reach, in a table's narrow column.
ELIGIBLE = {"central": "Bằng khen TW", "provincial": "Giấy khen tỉnh"}

# Each criterion: the plan's wording, a short label for narrow tables, and its maximum.
CRITERIA: dict[str, tuple[str, str, int]] = {
    "steering": (
        "Có thành lập Ban Chỉ đạo, tham mưu UBND có văn bản chỉ đạo triển khai Cuộc vận động",
        "Chỉ đạo",
        20,
    ),
    "model": ("Có mô hình tiêu biểu, cách làm sáng tạo", "Mô hình", 20),
    "helped": ("Tỉ lệ địa chỉ được trợ giúp trên tổng số địa chỉ khảo sát", "Trợ giúp", 40),
    "reviewed": ("Trên 95% số địa chỉ hằng năm được rà soát, đánh giá", "Rà soát", 10),
    "guidance": (
        "Thực hiện đúng quy trình, hướng dẫn của Trung ương Hội; thực hiện tốt công tác báo cáo, "
        "tổng hợp, thi đua khen thưởng",
        "Hướng dẫn",
        10,
    ),
}
ASSESSMENT_FLAGS = ("steering_board", "directive", "typical_model", "followed_guidance")
INDIVIDUAL_KINDS = frozenset({"staff", "member", "volunteer", "youth"})
PROPOSALS = {"central": CENTRAL, "provincial": PROVINCIAL}


@dataclass(frozen=True)
class Share:
    """`part` of `whole`, compared with percentages exactly (integers, no floating point)."""

    part: int
    whole: int

    def at_least(self, percent: int) -> bool:
        return self.part * 100 >= percent * self.whole

    def above(self, percent: int) -> bool:
        return self.part * 100 > percent * self.whole

    def percent(self, rounding: str = "down") -> str:
        """«70,0%», to one decimal. Award shares are cut downward for the "at least" bars and
        upward for the "above" bar, so that what is shown always sits on the same side of the
        bar as the exact share (69,96% shows 69,9%; 95,04% shows 95,1%); other shares are
        rounded to the nearest (`rounding="nearest"`, halves up)."""
        if not self.whole:
            return ""
        tenths, rest = divmod(self.part * 1000, self.whole)
        if rest and (rounding == "up" or (rounding == "nearest" and 2 * rest >= self.whole)):
            tenths += 1
        return f"{tenths // 10},{tenths % 10}%"

    def ratio(self) -> float | None:
        """The share as a number from 0 to 1, for scripts and spreadsheets."""
        return self.part / self.whole if self.whole else None


@dataclass(frozen=True)
class Criterion:
    """One criterion of one chapter: its points out of its maximum and what they rest on."""

    key: str
    points: int
    detail: str  # Vietnamese: the figures or answers behind the points

    @property
    def maximum(self) -> int:
        return CRITERIA[self.key][2]

    @property
    def label(self) -> str:
        return CRITERIA[self.key][0]


@dataclass
class UnitScore:
    """The score of one chapter, with the figures behind it."""

    unit: str
    name: str
    assessment: dict[str, bool] | None  # the four flags, None when there is no assessment
    surveyed: Share  # surveyed addresses helped in the period, of the surveyed addresses
    reviewed: Share  # active (address, year) pairs reviewed, of the active pairs
    criteria: dict[str, Criterion]
    notes: list[str] = field(default_factory=list)
    rank: int = 0
    eligible: str = "provincial"  # the award its total reaches: "central" from the threshold
    proposed: str | None = None  # the award the office chose to propose, if any

    @property
    def total(self) -> int:
        return sum(c.points for c in self.criteria.values())

    def points(self, key: str) -> int:
        return self.criteria[key].points

    @property
    def proposal(self) -> str:
        """«Đề nghị Trung ương Hội tặng Bằng khen» when the office chose so; "" when not."""
        return PROPOSALS[self.proposed] if self.proposed else ""


@dataclass(frozen=True)
class Person:
    """One candidate: a person or an organisation, with the helpers that are it in each unit."""

    id: str  # the first of its helpers (by unit, then id): how the office names it
    name: str
    side: str
    kind: str
    unit: str  # the unit of that first helper
    unit_name: str
    addresses: int  # distinct addresses attached in the period, over all its helpers
    awarded_before: bool
    eligible: str  # "central" when it meets the central certificate's criteria, else "provincial"
    proposed: str | None  # the award the office chose to propose, if any
    helpers: tuple[str, ...] = ()
    units: tuple[str, ...] = ()

    @property
    def units_label(self) -> str:
        """«Phường 3», or «Phường 3 và 29 đơn vị khác» for a donor registered by 30 units."""
        others = len(self.units) - 1
        return f"{self.unit_name} và {others} đơn vị khác" if others > 0 else self.unit_name

    @property
    def candidate(self) -> bool:
        """Meets the measurable criteria of the central certificate."""
        return self.eligible == "central"

    @property
    def proposal(self) -> str:
        return PROPOSALS[self.proposed] if self.proposed else ""


@dataclass
class Awards:
    """Everything the award proposals of one level over one period need."""

    unit: str
    name: str
    period: Period
    threshold: int
    units: list[UnitScore]  # ranked, highest total first
    individuals: list[Person]  # Red Cross people attached to five addresses or more
    donors: list[Person]  # every outside candidate attached in the period, eligible first
    proposed: list[Person] = field(default_factory=list)  # the people the office proposes

    def chosen(self, award: str) -> tuple[list[UnitScore], list[Person], list[Person]]:
        """What the office proposes for `award`: chapters, Red Cross people, donors."""
        people = [p for p in self.proposed if p.proposed == award]
        return (
            [s for s in self.units if s.proposed == award],
            [p for p in people if p.side == "red_cross"],
            [p for p in people if p.side == "outside"],
        )

    def units_json(self) -> list[dict]:
        """Plain data for scripts: one object per chapter, ranked, as `summary --json` has one
        per row: `unit`, `name`, the points of each criterion, `total`, then the figures."""
        return [_unit_json(score, self.threshold) for score in self.units]

    def people_json(self) -> dict:
        """Plain data for scripts: the individual candidates and the donors."""
        return {
            "unit": self.unit,
            "from": self.period.year_from,
            "to": self.period.year_to,
            "individuals": [_person_json(p) for p in self.individuals],
            "donors": [_person_json(p) for p in self.donors],
            "proposed": [_person_json(p) for p in self.proposed],
        }


def _unit_json(score: UnitScore, threshold: int) -> dict:
    return {
        "unit": score.unit,
        "name": score.name,
        **{key: criterion.points for key, criterion in score.criteria.items()},
        "total": score.total,
        "rank": score.rank,
        "threshold": threshold,
        "eligible": score.eligible,
        "proposed": score.proposed,
        "assessment": score.assessment,
        "surveyed_addresses": score.surveyed.whole,
        "surveyed_addresses_helped": score.surveyed.part,
        "active_address_years": score.reviewed.whole,
        "reviewed_address_years": score.reviewed.part,
        "breakdown": {key: criterion.detail for key, criterion in score.criteria.items()},
        "notes": score.notes,
    }


def _person_json(person: Person) -> dict:
    return {
        "id": person.id,
        "name": person.name,
        "side": person.side,
        "kind": person.kind,
        "unit": person.unit,
        "unit_name": person.unit_name,
        "addresses": person.addresses,
        "awarded_before": person.awarded_before,
        "eligible": person.eligible,
        "proposed": person.proposed,
        "helpers": list(person.helpers),
        "units": list(person.units),
    }


def awards(
    data: Dataset,
    unit: str,
    period: Period | None = None,
    threshold: int = DEFAULT_THRESHOLD,
) -> Awards:
    """Score the chapters under `unit` and list the people and donors to propose."""
    period = period or Period()
    tree = data.units
    chapters = [c["code"] for c in tree.children(unit)] or [unit]
    chapter_of: dict[str, str] = {}
    for chapter in chapters:
        for code in tree.subtree(chapter):
            chapter_of[code] = chapter

    assessments = {
        a["unit"]: {flag: bool(a.get(flag)) for flag in ASSESSMENT_FLAGS}
        for a in data.assessments
        if not a.get("deleted")
    }
    helped = helped_addresses(data, period)
    reviews = {(r["address"], r["year"]) for r in data.reviews if not r.get("deleted")}

    surveyed = dict.fromkeys(chapters, 0)
    surveyed_helped = dict.fromkeys(chapters, 0)
    active = dict.fromkeys(chapters, 0)
    reviewed = dict.fromkeys(chapters, 0)
    end = period.end
    for address in data.addresses:
        if address.get("deleted"):
            continue
        chapter = chapter_of.get(address["unit"])
        if chapter is None:
            continue
        address_id = address["id"]
        surveyed_on = address.get("surveyed_on")
        if surveyed_on is not None and surveyed_on <= end:
            surveyed[chapter] += 1
            if address_id in helped:
                surveyed_helped[chapter] += 1
        dossier_on = address.get("dossier_on")
        if dossier_on is None:
            continue
        stopped_on = address.get("stopped_on")
        for year in period.years:
            if dossier_on <= f"{year:04d}-12-31" and (
                stopped_on is None or stopped_on >= f"{year:04d}-01-01"
            ):
                active[chapter] += 1
                if (address_id, year) in reviews:
                    reviewed[chapter] += 1

    scores = [
        _score(
            chapter,
            tree.name(chapter),
            assessments.get(chapter),
            Share(surveyed_helped[chapter], surveyed[chapter]),
            Share(reviewed[chapter], active[chapter]),
            period,
        )
        for chapter in chapters
    ]
    chosen = _chosen(data, unit, period)
    ranked = sorted(scores, key=lambda s: -s.total)  # stable: ties keep directory order
    for score in ranked:
        score.rank = 1 + sum(1 for other in ranked if other.total > score.total)
        score.eligible = "central" if score.total >= threshold else "provincial"
        score.proposed = chosen.get(("chapter", score.unit))

    individuals, donors, proposed = _people(data, unit, period, chosen)
    return Awards(unit, tree.name(unit), period, threshold, ranked, individuals, donors, proposed)


def _chosen(data: Dataset, unit: str, period: Period) -> dict[tuple[str, str], str]:
    """The office's choices: ("chapter", code) or ("helper", id) → the award proposed."""
    chosen: dict[tuple[str, str], str] = {}
    for proposal in data.proposals:
        if (
            proposal.get("deleted")
            or proposal["unit"] != unit
            or (proposal["year_from"], proposal["year_to"]) != (period.year_from, period.year_to)
        ):
            continue
        if proposal.get("chapter"):
            chosen[("chapter", proposal["chapter"])] = proposal["award"]
        elif proposal.get("helper"):
            chosen[("helper", proposal["helper"])] = proposal["award"]
    return chosen


def proposal_record(unit: str, period: Period, target: str, award: str, *, chapter: bool) -> dict:
    """The office of `unit` proposes `target` (a chapter's code, or a candidate's helper id) for
    `award` over `period`. Its id is made of those, so that proposing again changes the same
    record rather than adding one, wherever the proposal is made."""
    digest = hashlib.sha256(
        f"{unit}\n{period.year_from}\n{period.year_to}\n{target}".encode()
    ).hexdigest()
    return {
        "id": f"de-nghi-{digest[:32]}",
        "unit": unit,
        "year_from": period.year_from,
        "year_to": period.year_to,
        "award": award,
        "chapter": target if chapter else None,
        "helper": None if chapter else target,
    }


def proposals_of(data: Dataset, unit: str, period: Period, helpers: Iterable[str]) -> list[str]:
    """The ids of the live proposals of `unit` over `period` naming one of `helpers` (or a
    chapter among them): what withdrawing a candidate deletes."""
    wanted = set(helpers)
    return [
        p["id"]
        for p in data.proposals
        if not p.get("deleted")
        and p["unit"] == unit
        and (p["year_from"], p["year_to"]) == (period.year_from, period.year_to)
        and (p.get("helper") in wanted or p.get("chapter") in wanted)
    ]


def candidate_groups(data: Dataset, scope: set[str]) -> dict[str, list[dict]]:
    """The helpers of units in `scope` (Red Cross people and outside helpers), grouped into
    candidates as the module's rules say, each group keyed by its first helper's id and
    ordered by unit code then id."""
    helpers = {
        h["id"]: h
        for h in data.helpers
        if not h.get("deleted")
        and h["unit"] in scope
        and (h["kind"] in INDIVIDUAL_KINDS or h["side"] == "outside")
    }
    links = {link["helper"]: link["same_as"] for link in data.links if not link.get("deleted")}

    def identity(helper_id: str) -> tuple[str, ...]:
        seen = {helper_id}
        current = helper_id
        while True:
            target = links.get(current)
            if target == current:
                return ("alone", current)
            if target is None or target not in helpers or target in seen:
                break
            seen.add(target)
            current = target
        helper = helpers[current]
        if helper["side"] == "outside":
            return ("name", helper["kind"], name_key(helper["name"]))
        return ("alone", current)

    groups: dict[tuple[str, ...], list[dict]] = {}
    for helper in sorted(helpers.values(), key=lambda h: (h["unit"], h["id"])):
        groups.setdefault(identity(helper["id"]), []).append(helper)
    return {members[0]["id"]: members for members in groups.values()}


def _score(
    unit: str,
    name: str,
    assessment: dict[str, bool] | None,
    surveyed: Share,
    reviewed: Share,
    period: Period,
) -> UnitScore:
    notes: list[str] = []
    criteria: dict[str, Criterion] = {}
    if assessment is None:
        notes.append(
            "Chưa có bản đánh giá của đơn vị: các tiêu chí Ban Chỉ đạo, mô hình tiêu biểu và "
            "thực hiện hướng dẫn được 0 điểm."
        )
        for key in ("steering", "model", "guidance"):
            criteria[key] = Criterion(key, 0, "chưa có bản đánh giá")
    else:
        board, directive = assessment["steering_board"], assessment["directive"]
        criteria["steering"] = Criterion(
            "steering",
            20 if board and directive else 0,
            f"Ban Chỉ đạo: {_yes(board)}; văn bản chỉ đạo của UBND: {_yes(directive)}",
        )
        model = assessment["typical_model"]
        criteria["model"] = Criterion(
            "model", 20 if model else 0, f"mô hình tiêu biểu: {_yes(model)}"
        )
        guidance = assessment["followed_guidance"]
        criteria["guidance"] = Criterion(
            "guidance", 10 if guidance else 0, f"thực hiện đúng hướng dẫn: {_yes(guidance)}"
        )

    if not surveyed.whole:
        notes.append(
            f"Không có địa chỉ nào được khảo sát đến ngày {format_date(period.end)}: tiêu chí "
            "tỉ lệ trợ giúp được 0 điểm."
        )
        criteria["helped"] = Criterion("helped", 0, "không có địa chỉ được khảo sát")
    else:
        points = 10
        if surveyed.at_least(HELPED_HIGH):
            points = 40
        elif surveyed.at_least(HELPED_LOW):
            points = 20
        criteria["helped"] = Criterion(
            "helped",
            points,
            f"{surveyed.part}/{surveyed.whole} địa chỉ khảo sát được trợ giúp "
            f"({surveyed.percent()})",
        )

    if not reviewed.whole:
        notes.append(
            f"Không có địa chỉ nào đang được theo dõi (đã lập hồ sơ, chưa dừng) trong giai đoạn "
            f"{period.label()}: tiêu chí rà soát hằng năm được 0 điểm."
        )
        criteria["reviewed"] = Criterion("reviewed", 0, "không có địa chỉ đang theo dõi")
    else:
        criteria["reviewed"] = Criterion(
            "reviewed",
            10 if reviewed.above(REVIEWED_ABOVE) else 0,
            f"{reviewed.part}/{reviewed.whole} lượt địa chỉ - năm được rà soát "
            f"({reviewed.percent('up')})",
        )
    ordered = {key: criteria[key] for key in CRITERIA}
    return UnitScore(unit, name, assessment, surveyed, reviewed, ordered, notes)


def _yes(flag: bool) -> str:
    return "có" if flag else "chưa"


def _people(
    data: Dataset, unit: str, period: Period, chosen: dict[tuple[str, str], str]
) -> tuple[list[Person], list[Person], list[Person]]:
    tree = data.units
    groups = candidate_groups(data, set(tree.subtree(unit)))
    group_of = {helper["id"]: key for key, members in groups.items() for helper in members}
    live_addresses = {a["id"] for a in data.addresses if not a.get("deleted")}
    start, end = period.start, period.end
    attached: dict[str, set[str]] = {}
    for attachment in data.attachments:
        if attachment.get("deleted"):
            continue
        key = group_of.get(attachment["helper"])
        if key is None or attachment["address"] not in live_addresses:
            continue
        until = attachment.get("until")
        if attachment["from"] <= end and (until is None or until >= start):
            attached.setdefault(key, set()).add(attachment["address"])
    proposed_of: dict[str, str] = {}
    for (what, target), award in chosen.items():
        if what == "helper" and target in group_of:
            proposed_of[group_of[target]] = award

    def person(key: str) -> Person:
        members = groups[key]
        first = members[0]
        count = len(attached.get(key, ()))
        awarded = any(h.get("awarded_before") for h in members)
        if first["side"] == "outside":
            eligible = "central" if awarded else "provincial"
        else:
            eligible = "central" if count >= ADDRESSES_FOR_INDIVIDUALS else "provincial"
        return Person(
            id=key,
            name=first["name"],
            side=first["side"],
            kind=first["kind"],
            unit=first["unit"],
            unit_name=tree.name(first["unit"]),
            addresses=count,
            awarded_before=awarded,
            eligible=eligible,
            proposed=proposed_of.get(key),
            helpers=tuple(h["id"] for h in members),
            units=tuple(dict.fromkeys(h["unit"] for h in members)),
        )

    people = {key: person(key) for key in groups if key in attached or key in proposed_of}
    individuals = [p for p in people.values() if p.side == "red_cross" and p.eligible == "central"]
    donors = [p for p in people.values() if p.side == "outside" and p.addresses]
    proposed = [p for p in people.values() if p.proposed]
    individuals.sort(key=lambda p: (-p.addresses, *_name_order(p)))
    donors.sort(key=lambda p: (not p.candidate, -p.addresses, *_name_order(p)))
    proposed.sort(key=lambda p: (p.proposed != "central", p.side, *_name_order(p)))
    return individuals, donors, proposed


def _name_order(person: Person) -> tuple:
    # People by given name, as offices list them; organisations have no given name but the same
    # key still sorts them sensibly. The id last makes the order total.
    return (given_name_key(person.name), person.id)
