"""What an office chooses for the awards, from the command line or the screen: the chapters and
candidates it proposes, and which helpers are one person or organisation.

Each change is one record saved in the store (`proposal`, `link`: docs/RECORDS.md), so that it
travels in bundles like any other. Each function returns the Vietnamese sentence saying what
was done, or raises `ChoiceError` with the sentence saying why not (nothing saved).
"""

from __future__ import annotations

from campaign.awards import (
    INDIVIDUAL_KINDS,
    PROPOSALS,
    candidate_groups,
    proposal_record,
    proposals_of,
)
from campaign.dates import Period
from campaign.text import quoted
from store.store import Store

# The award as typed on the command line.
AWARD_NAMES = {"bang-khen": "central", "giay-khen": "provincial"}
SIDES = {"red_cross": "người của Hội", "outside": "nhà tài trợ ngoài Hội"}


class ChoiceError(Exception):
    """The choice cannot be made; `str()` says why, in Vietnamese."""


def _groups(store: Store, unit: str) -> tuple[dict[str, list[dict]], dict[str, str]]:
    groups = candidate_groups(store.dataset(), set(store.units.subtree(unit)))
    return groups, {h["id"]: key for key, members in groups.items() for h in members}


def _helper(store: Store, helper_id: str, unit: str) -> dict:
    helper = store.get("helper", helper_id)
    if helper is None or helper["deleted"]:
        raise ChoiceError(f"Không có người trợ giúp nào mang mã {quoted(helper_id, 40)}.")
    if not store.units.is_within(helper["unit"], unit):
        raise ChoiceError(
            f"{quoted(helper['name'], 60)} ({helper_id}) thuộc {store.units.name(helper['unit'])}, "
            f"ngoài phạm vi của {store.units.name(unit)}."
        )
    if helper["side"] == "red_cross" and helper["kind"] not in INDIVIDUAL_KINDS:
        raise ChoiceError(
            f"{quoted(helper['name'], 60)} là tổ chức Hội: tổ chức Hội được đề nghị khen thưởng "
            "như một tập thể (theo mã đơn vị), không như một cá nhân."
        )
    return helper


def propose(store: Store, unit: str, period: Period, target: str, award: str) -> str:
    """Propose a chapter (by its code) or a candidate (by the id of any of its helpers) for
    `award` ("central" or "provincial")."""
    chapters = [c["code"] for c in store.units.children(unit)] or [unit]
    if target in chapters:
        store.save("proposal", proposal_record(unit, period, target, award, chapter=True))
        return f"Đã chọn {store.units.name(target)}: {PROPOSALS[award]}."
    if target in store.units:
        raise ChoiceError(
            f"{store.units.name(target)} không phải đơn vị trực thuộc {store.units.name(unit)}: "
            "chỉ đề nghị khen thưởng các đơn vị trực thuộc."
        )
    helper = _helper(store, target, unit)
    groups, group_of = _groups(store, unit)
    key = group_of[helper["id"]]
    members = [h["id"] for h in groups[key]]
    for stale in proposals_of(store.dataset(), unit, period, members):
        if stale != proposal_record(unit, period, key, award, chapter=False)["id"]:
            store.delete("proposal", stale)
    store.save("proposal", proposal_record(unit, period, key, award, chapter=False))
    return f"Đã chọn {quoted(groups[key][0]['name'], 60)}: {PROPOSALS[award]}."


def withdraw(store: Store, unit: str, period: Period, target: str) -> str:
    """Take back the proposal of a chapter or a candidate (by any of its helpers)."""
    members = [target]
    name = store.units.name(target) if target in store.units else None
    if name is None:
        helper = _helper(store, target, unit)
        groups, group_of = _groups(store, unit)
        members = [h["id"] for h in groups[group_of[helper["id"]]]]
        name = quoted(helper["name"], 60)
    stale = proposals_of(store.dataset(), unit, period, members)
    if not stale:
        raise ChoiceError(f"{name} chưa được chọn để đề nghị khen thưởng.")
    for proposal in stale:
        store.delete("proposal", proposal)
    return f"Đã bỏ chọn {name}: không đề nghị khen thưởng."


def link(store: Store, unit: str, helper_id: str, other_id: str) -> str:
    """Record that two helpers are one person or organisation (one candidate)."""
    helper, other = _helper(store, helper_id, unit), _helper(store, other_id, unit)
    if helper_id == other_id:
        raise ChoiceError("Hãy ghi hai mã người trợ giúp khác nhau để gộp.")
    if helper["side"] != other["side"]:
        raise ChoiceError(
            f"{quoted(helper['name'], 60)} ({SIDES[helper['side']]}) và "
            f"{quoted(other['name'], 60)} ({SIDES[other['side']]}) không thể là một."
        )
    _, group_of = _groups(store, unit)
    if group_of[helper_id] == group_of[other_id]:
        raise ChoiceError(
            f"{quoted(helper['name'], 60)} và {quoted(other['name'], 60)} đã là một ứng viên."
        )
    store.save("link", {"helper": helper_id, "unit": unit, "same_as": group_of[other_id]})
    return (
        f"Đã gộp {quoted(helper['name'], 60)} ({store.units.name(helper['unit'])}) với "
        f"{quoted(other['name'], 60)} ({store.units.name(other['unit'])}): một ứng viên."
    )


def separate(store: Store, unit: str, helper_id: str) -> str:
    """Record that a helper is a candidate on its own, not one with its namesakes."""
    helper = _helper(store, helper_id, unit)
    store.save("link", {"helper": helper_id, "unit": unit, "same_as": helper_id})
    return (
        f"Đã tách {quoted(helper['name'], 60)} ({store.units.name(helper['unit'])}): "
        "một ứng viên riêng."
    )


def unlink(store: Store, unit: str, helper_id: str) -> str:
    """Forget what was recorded of a helper: it is grouped by its name again."""
    helper = _helper(store, helper_id, unit)
    current = store.get("link", helper_id)
    if current is None or current["deleted"]:
        raise ChoiceError(f"{quoted(helper['name'], 60)} chưa được gộp hay tách.")
    store.delete("link", helper_id)
    return f"Đã bỏ gộp, tách {quoted(helper['name'], 60)}: xếp lại theo tên."
