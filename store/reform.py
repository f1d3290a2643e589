"""Moving a store to the units of the 2025 list, and back (docs/RECORDS.md, «The 2025 units»).

Since 01/07/2025 Viet Nam has 34 provinces and no district level. A store made on the 2019 list
keeps its history and goes on with the new units:

- every address, helper and model of a unit of the 2019 list is given its unit of the 2025
  list (`unit`), and keeps the one it had (`former_unit`); its attachments, aid and reviews
  follow the address into the new unit's file, as in any move;
- a school or an affiliated unit (not in the lists) gets a successor unit of the same name and
  kind, coded «<code>-2025», under the new unit of its parent;
- the units of the new province join the directory, and the office's unit becomes its new
  unit, the old one kept as `former_unit` in office.json.

Where a unit goes comes from the conversion table (`gazetteer.successors`): a commune that went
whole to one new commune, an island district to its đặc khu, a province to the new province.
Records held by a district-level unit go to the new province (the level is gone; Red Cross
district chapters handed their work to the province). A commune divided among several new ones,
or one the table does not know (merged away before 2024), is asked about: each place (ấp, khu
phố) of its addresses, and its helpers and models together, each with the new units they may
go to. Nothing moves while a question is open: `plan` lists them, the office answers them in a
file (`questions_csv` → filled → `read_answers`, `check_answers`), and the migration is one
commit.

Tables are not changed by the move: the old and the new tree share no code, and a table of a
unit of the old tree counts a record by its `former_unit` (campaign/tally.py).

The way back (`plan_back`) gives every record its `former_unit` again, in one commit; the
successor units stay in the tree (units are never deleted), without records.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field

import orjson

from campaign.money import format_number
from campaign.records import Unit
from campaign.text import fold, nfc
from campaign.units import UNIT_CODE
from store import gazetteer, hlc
from store.errors import StoreError
from store.store import Stamp, Store, data_of

MOVED_KINDS = ("address", "helper", "model")
FOLLOWERS = ("attachment", "aid", "review")  # move with their address
SUFFIX = "-2025"
QUESTIONS = "chuyen-doi-2025-can-chon.csv"  # the questions file's name, by default
_NODE = "dm"  # the start of the node of a migration's versions: «dm2025.<hash>»

# The parts of a unit a question is about (the «Phần» column of the questions file).
PLACE = "ấp, khu phố"
OTHERS = "người trợ giúp, mô hình"
OFFICE = "văn phòng"
PARENT = "đơn vị cấp trên"
_PARTS = (PLACE, OTHERS, OFFICE, PARENT)
NO_PLACE = "(không ghi ấp, khu phố)"

COLUMNS = (
    "Mã đơn vị cũ",
    "Tên đơn vị cũ",
    "Phần",
    "Ấp, khu phố",
    "Số bản ghi",
    "Có thể chuyển về",
    "Mã đơn vị mới",
)


class MigrationError(StoreError):
    """A store that cannot be moved as asked (the sentence says why, in Vietnamese)."""


@dataclass(frozen=True)
class Question:
    """Where some records of an old unit go: the office chooses among `candidates`."""

    unit: str
    part: str  # one of _PARTS
    place: str  # the place as first written ("" unless part is PLACE)
    count: int
    candidates: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.unit, self.part, fold(self.place))


@dataclass
class Plan:
    """What a migration does, before it is done."""

    province: str  # the new province
    office_unit: str | None  # the office's new unit (None: a question)
    new_units: list[Unit] = field(default_factory=list)  # successors of schools, affiliated
    moves: list[tuple[str, dict]] = field(default_factory=list)  # records with their new unit
    questions: list[Question] = field(default_factory=list)  # not answered yet
    asked: dict[tuple[str, str, str], Question] = field(default_factory=dict)  # all of them
    rules: list[tuple[str, str, str]] = field(default_factory=list)  # (old, new, why) by rule
    before: Counter[str] = field(default_factory=Counter)  # records moved, per old unit
    after: Counter[str] = field(default_factory=Counter)  # the same, per new unit
    aid: Counter[str] = field(default_factory=Counter)  # aid records following, per new unit
    back: bool = False
    catch_up: bool = False  # the store uses the 2025 units already: only old records move
    given: Mapping[tuple[str, str, str], str] = field(default_factory=dict)  # answers at hand
    answers: dict[tuple[str, str, str], str] = field(default_factory=dict)  # those used

    @property
    def ready(self) -> bool:
        return not self.questions and self.office_unit is not None

    def choose(self, question: Question) -> str | None:
        """The answer to `question`, or None (then it is listed in `questions`)."""
        self.asked[question.key] = question
        answer = self.given.get(question.key)
        if answer not in question.candidates:  # a wrong one is named by check_answers
            answer = None
        if answer is None:
            self.questions.append(question)
        else:
            self.answers[question.key] = answer
        return answer


def is_new(code: str) -> bool:
    """True for a unit of the 2025 list (or a school's successor unit)."""
    return code.endswith(SUFFIX)


def uses_2025(store: Store) -> bool:
    """True when the office works for a unit of the 2025 list (migrated, or made on it)."""
    return store.office.former_unit is not None or is_new(store.office.unit)


def plan(
    store: Store,
    answers: Mapping[tuple[str, str, str], str] | None = None,
    *,
    among: Collection[tuple[str, str]] | None = None,
) -> Plan:
    """What moving `store` to the 2025 units would do, with the office's `answers` (by
    `Question.key`), and those the province's directory carries for the questions the office
    leaves unanswered. Raises MigrationError when the store cannot be moved at all.

    A store that already uses the 2025 units is caught up: only its records still of old
    units move (from a bundle made before a migration, or an old commune's office merged into
    the new one's); with `among`, (kind, key) pairs, only those records (those a bundle just
    brought: an import does not read the whole store again)."""
    carried = store.directory.get("reform")
    answers = {**_carried_answers(carried), **(answers or {})}
    tree = store.units
    office = store.office
    if uses_2025(store):
        result = _catch_up(store, answers, among)
        if not result.moves and not result.questions:
            raise MigrationError(
                "Kho dữ liệu này đã dùng danh mục đơn vị năm 2025 và không còn bản ghi nào của "
                "đơn vị cũ. Muốn quay lại danh mục năm 2019, dùng «nhandao units migrate --to "
                "2019»."
            )
        return result
    unit = tree[office.unit]
    if unit["kind"] == "national":
        raise MigrationError(
            "Văn phòng Trung ương Hội không chuyển đổi kho: hãy tạo kho mới bằng «nhandao init "
            "--unit VN --units 2025» và nhận gói của các tỉnh đã chuyển đổi."
        )
    if unit["kind"] == "district":
        raise MigrationError(
            f"Từ ngày 01/07/2025 không còn cấp huyện, nên kho của {unit['name']} không có đơn "
            "vị mới để chuyển về. Hãy gửi dữ liệu lên Tỉnh Hội (nhandao bundle export): Tỉnh "
            "Hội chuyển đổi cả tỉnh, rồi gửi danh mục mới xuống các xã, phường."
        )
    root = [unit, *tree.ancestors(office.unit)][-1]["code"]
    found = gazetteer.successors(root)
    if len(found) != 1:
        raise MigrationError(f"Không tìm thấy tỉnh mới của đơn vị «{root}» trong bảng chuyển đổi.")
    result = Plan(found[0], None, given=answers)
    targets = _plan_records(store, root, result)
    # The office itself (a school's is asked about as its parent's).
    result.office_unit = targets(office.unit, 0)
    if unit["kind"] not in ("school", "affiliated") and result.office_unit is None:
        new_tree = {u["code"]: u for u in gazetteer.province_units(result.province)}
        options = tuple(gazetteer.successors(office.unit)) or _communes(new_tree)
        result.office_unit = result.choose(Question(office.unit, OFFICE, "", 0, options))
    _count_aid(store, result)
    return result


def _catch_up(
    store: Store,
    answers: Mapping[tuple[str, str, str], str],
    among: Collection[tuple[str, str]] | None,
) -> Plan:
    """The plan of a store on the 2025 units for its records still of old ones: those of the
    old province that went to the office's new one."""
    tree = store.units
    office = store.office
    province = [tree[office.unit], *tree.ancestors(office.unit)][-1]["code"]
    result = Plan(province, office.unit, catch_up=True, given=answers)
    for root in [unit["code"] for unit in tree if unit["parent"] is None]:
        if not is_new(root) and gazetteer.successors(root) == [province]:
            _plan_records(store, root, result, among)
    # Aid, attachments and reviews made on an old unit's address that has moved since (sent
    # before the sender migrated): they join their address.
    for kind, record in _live(store, FOLLOWERS, among):
        address = store.stored("address", record["address"])
        if address is not None and address["owner"] != record["owner"]:
            result.moves.append((kind, data_of(kind, record)))
    if among is None:
        _count_aid(store, result)
    return result


def _live(
    store: Store, kinds: Collection[str], among: Collection[tuple[str, str]] | None
) -> Iterator[tuple[str, Mapping]]:
    """The live records of `kinds`: all of them, or those of `among`."""
    if among is None:
        for kind in kinds:
            for record in store.records(kind):
                yield kind, record
        return
    for kind, key in among:
        record = store.stored(kind, key) if kind in kinds else None
        if record is not None and not record.get("deleted"):
            yield kind, record


def _plan_records(
    store: Store,
    root: str,
    result: Plan,
    among: Collection[tuple[str, str]] | None = None,
) -> Callable[[str, int], str | None]:
    """The moves of the records of the old tree under `root` to the units of `result`'s
    province, with the questions they raise; returns where each old unit goes."""
    tree = store.units
    province = result.province
    new_tree = {u["code"]: u for u in gazetteer.province_units(province)}

    # Where each old unit's records go: a new unit, or questions.
    target: dict[str, str | None] = {}
    made: dict[str, Unit] = {}

    def destination(code: str, count: int) -> str | None:
        if code in target:
            return target[code]
        old = tree[code]
        if old["kind"] in ("school", "affiliated"):
            parent = destination(old["parent"], 0) if old["parent"] in tree else province
            if parent is None:
                options = (province, *_communes(new_tree))
                parent = result.choose(Question(code, PARENT, "", count, options))
            successor = code + SUFFIX
            if not UNIT_CODE.fullmatch(successor):
                raise MigrationError(f"Mã đơn vị «{code}» quá dài để thêm đuôi «{SUFFIX}».")
            if parent is not None:
                if successor not in tree:
                    made[successor] = {"code": successor, "name": old["name"],
                                       "kind": old["kind"], "parent": parent}  # fmt: skip
                target[code] = successor
            else:
                target[code] = None
            return target[code]
        options = gazetteer.successors(code)
        if old["kind"] == "district" and not options:
            result.rules.append((code, province, "cấp huyện không còn: về Tỉnh Hội"))
            target[code] = province
        elif len(options) == 1 and options[0] in new_tree:
            target[code] = options[0]
        else:
            target[code] = None  # divided or unknown: asked per place and part below
        return target[code]

    # The records to move, by old unit, then by place for the units that are asked about.
    old_units = tree.subtree(root)
    by_unit: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    known = set(old_units)
    for kind, record in _live(store, MOVED_KINDS, among):
        if record["unit"] in known and not is_new(record["unit"]):
            by_unit[record["unit"]].append((kind, record))
    for code in old_units:
        if tree[code]["kind"] in ("school", "affiliated") and not is_new(code):
            destination(code, len(by_unit.get(code, ())))
    for code, records in by_unit.items():
        new = destination(code, len(records))
        if new is None and tree[code]["kind"] not in ("school", "affiliated"):
            _ask_by_part(code, records, new_tree, result.choose, result)
            continue
        for kind, record in records:
            _move(result, kind, record, new, record["unit"])
    result.new_units.extend(made.values())
    return destination


def _communes(new_tree: Mapping[str, Unit]) -> tuple[str, ...]:
    return tuple(code for code, u in new_tree.items() if u["kind"] == "commune")


def _ask_by_part(
    code: str,
    records: list[tuple[str, dict]],
    new_tree: Mapping[str, Unit],
    choose: Callable[[Question], str | None],
    result: Plan,
) -> None:
    """The records of a divided or unknown commune: by place for addresses, the helpers and
    models together; each part moves once it is answered."""
    options = tuple(o for o in gazetteer.successors(code) if o in new_tree) or _communes(new_tree)
    parts: dict[tuple[str, str], list[tuple[str, dict]]] = defaultdict(list)
    spelled: dict[tuple[str, str], str] = {}
    for kind, record in records:
        if kind == "address":
            place = (record.get("place") or "").strip() or NO_PLACE
            key = (PLACE, fold(place))
            spelled.setdefault(key, place)
        else:
            key = (OTHERS, "")
        parts[key].append((kind, record))
    for key, group in parts.items():
        new = choose(Question(code, key[0], spelled.get(key, ""), len(group), options))
        for kind, record in group:
            _move(result, kind, record, new, record["unit"])


def _move(result: Plan, kind: str, record: Mapping, new: str | None, former: str | None) -> None:
    """`record` given the unit `new` (nothing while it is not known), `former` kept (None on
    the way back)."""
    if new is None:
        return
    data = data_of(kind, record)
    data["unit"], data["former_unit"] = new, former
    result.moves.append((kind, data))
    result.before[record["unit"]] += 1
    result.after[new] += 1


def _count_aid(store: Store, result: Plan) -> None:
    moved = {record["id"]: record["unit"] for kind, record in result.moves if kind == "address"}
    for aid in store.records("aid"):
        new = moved.get(aid["address"])
        if new is not None:
            result.aid[new] += 1


def plan_back(store: Store) -> Plan:
    """The way back to the 2019 units: every record moved gets its `former_unit` again."""
    office = store.office
    if office.former_unit is None:
        raise MigrationError("Kho dữ liệu này chưa chuyển sang danh mục đơn vị năm 2025.")
    result = Plan(office.unit, office.former_unit, back=True)
    for kind in MOVED_KINDS:
        for record in store.records(kind):
            _move(result, kind, record, record.get("former_unit"), None)
    _count_aid(store, result)
    return result


def apply(store: Store, plan: Plan, *, partial: bool = False) -> int:
    """Do the plan in one commit: the directory, the new units, the records, the office.
    Returns how many records changed (their attachments, aid and reviews follow them).
    `partial`: the records whose unit is known move, the others stay for a person."""
    if not plan.ready and not (partial and plan.catch_up):
        raise MigrationError("Còn đơn vị chưa chọn nơi chuyển về: chưa chuyển đổi được.")
    office = store.office
    was = office.unit, office.former_unit
    directory = store.directory
    try:
        with store.transaction():
            updated = {**directory}
            if plan.back:
                updated.pop("reform", None)
            else:
                listed = {u["code"] for u in directory["units"]}
                added = [u for u in gazetteer.province_units(plan.province)
                         if u["code"] not in listed]  # fmt: skip
                updated["units"] = [*directory["units"], *added]
                answers = {**_carried_answers(directory.get("reform")), **plan.answers}
                updated["reform"] = {
                    "list": gazetteer.LIST_2025,
                    "province": plan.province,
                    "answers": sorted([*key, unit] for key, unit in answers.items()),
                }
            if updated != directory:
                if store.is_province_office():  # its offices take only a newer revision
                    revision = max(int(directory.get("revision", 0)), store.counter("revision"))
                    updated["revision"] = revision + 1
                    store.raise_counter("revision", revision + 1)
                store.replace_directory(updated)
            if not plan.catch_up:
                assert plan.office_unit is not None
                office.unit = plan.office_unit
                office.former_unit = None if plan.back else was[0]
            changed = store.save_many(
                [*(("unit", unit) for unit in plan.new_units), *plan.moves],
                stamp=_stamp(store, "2019" if plan.back else gazetteer.LIST_2025),
            )
            if not plan.catch_up:
                store.write_office()
    except BaseException:
        # The files are as they were; the transaction has read them again if it had staged
        # any, else memory holds only the office's fields changed.
        if store.office is office:
            office.unit, office.former_unit = was
        raise
    return changed


def _carried_answers(carried: object) -> dict[tuple[str, str, str], str]:
    """The answers a directory's «reform» carries (the province's, for its offices)."""
    answers = carried.get("answers") if isinstance(carried, dict) else None
    if not isinstance(answers, list):
        return {}
    return {
        (row[0], row[1], row[2]): row[3]
        for row in answers
        if isinstance(row, list) and len(row) == 4 and all(isinstance(c, str) for c in row)
    }


def _stamp(store: Store, units: str) -> Stamp:
    """The versions of a migration, made alike by every office that migrates the same
    version of a record with the same answers (a commune and its province): a millisecond
    after the version it replaces, by the node «dm<list>.<hash of what it holds>». Merging
    the other office's migration then finds nothing new, where versions of each office's
    clock would be concurrent edits, a conflict for every record. A record edited in one
    office and not yet in the other is migrated from different versions: a conflict, for a
    person to look at, as for any two concurrent edits."""

    def stamp(kind: str, key: str, current: Mapping | None, document: dict) -> str:
        if current is None:  # a school's successor: after its old unit's version
            current = store.stored("unit", key.removesuffix(SUFFIX))
        base = current["v"] if current is not None else hlc.format_version(0, 0, "-")
        digest = hashlib.sha256(
            orjson.dumps([kind, base, document], option=orjson.OPT_SORT_KEYS)
        ).hexdigest()
        node = f"{_NODE}{units}.{digest[:12]}"
        return hlc.format_version(int(base.split("-", 1)[0]) + 1, 0, node)

    return stamp


def migrated_to(by: str) -> str | None:
    """The list («2025», «2019») a version was migrated to, from its `by`; None for a version
    an office wrote."""
    if by.startswith(_NODE) and by[len(_NODE) : len(_NODE) + 4] in gazetteer.LISTS:
        return by[len(_NODE) : len(_NODE) + 4]
    return None


def done(store: Store, plan: Plan, changed: int) -> str:
    """What a migration that was applied says, in Vietnamese."""
    listed = "năm 2019" if plan.back else "năm 2025"
    return (
        f"Đã chuyển kho sang danh mục đơn vị {listed}: {format_number(changed)} bản ghi được "
        f"ghi lại. Văn phòng nay là {store.units.path(store.office.unit)}."
    )


# ------------------------------------------------------------------ the questions file


def unit_names(store: Store, plan: Plan) -> dict[str, str]:
    """The name of every unit a plan speaks of: the store's, the new province's, its own."""
    units = [*gazetteer.province_units(plan.province), *store.units, *plan.new_units]
    return {unit["code"]: unit["name"] for unit in units}


def questions_csv(store: Store, plan: Plan) -> bytes:
    """The plan's questions as a CSV file Excel opens (UTF-8 with its BOM, «;» between fields
    as Vietnamese Windows has it): the last column is left for the office to fill."""
    names = unit_names(store, plan)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for question in plan.questions:
        options = "; ".join(
            f"{gazetteer.official_code(code)} {names.get(code, code)}"
            for code in question.candidates
        )
        writer.writerow([question.unit, names.get(question.unit, question.unit), question.part,
                         question.place, question.count, options, ""])  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _decode(payload: bytes) -> str:
    """The text of a questions file as Excel may have saved it: UTF-8 (with or without its
    BOM), UTF-16 («Unicode Text»), or, for «CSV» on a Vietnamese Windows, code page 1258
    (its tone marks are combining characters: NFC, after, composes them)."""
    if payload.startswith((b"\xff\xfe", b"\xfe\xff")):
        return payload.decode("utf-16", errors="replace")
    try:
        return payload.decode("utf-8-sig")
    except UnicodeDecodeError:
        return payload.decode("cp1258", errors="replace")


@dataclass
class Answers:
    """The filled questions file: a unit by `Question.key`, and the line each came from."""

    units: dict[tuple[str, str, str], str] = field(default_factory=dict)
    lines: dict[tuple[str, str, str], int] = field(default_factory=dict)


def read_answers(payload: bytes) -> Answers:
    """The answers of a filled questions file. MigrationError naming the line of a row that
    is not understood or names no unit of the 2025 list."""
    text = nfc(_decode(payload))
    sample = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=sample.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows or [c.strip() for c in rows[0][: len(COLUMNS)]] != list(COLUMNS):
        raise MigrationError(
            "Tệp trả lời không có dòng tiêu đề của tệp câu hỏi («Mã đơn vị cũ; Tên đơn vị cũ; "
            "Phần; …; Mã đơn vị mới»): hãy điền vào chính tệp mà lệnh đã ghi."
        )
    answers = Answers()
    for number, row in enumerate(rows[1:], start=2):
        cells = [cell.strip() for cell in row] + [""] * len(COLUMNS)
        unit, part, place, new = cells[0], cells[2], cells[3], cells[len(COLUMNS) - 1]
        if not new:
            continue
        if part not in _PARTS:
            raise MigrationError(f"Dòng {number}: «Phần» phải là một trong: {', '.join(_PARTS)}.")
        code = new if is_new(new) else gazetteer.store_code(new, gazetteer.LIST_2025)
        if gazetteer.province_of(code) is None:
            raise MigrationError(
                f"Dòng {number}: không có đơn vị mang mã «{new}» trong danh mục năm 2025."
            )
        key = (unit, part, fold(place) if part == PLACE else "")
        answers.units[key] = code
        answers.lines[key] = number
    return answers


def check_answers(plan: Plan, answers: Answers) -> None:
    """MigrationError naming the line of an answer that is not one of its question's units."""
    for key, code in answers.units.items():
        question = plan.asked.get(key)
        if question is None or code in question.candidates:
            continue
        if len(question.candidates) <= 10:
            allowed = ", ".join(gazetteer.official_code(c) for c in question.candidates)
            allowed = f"chọn một trong: {allowed}"
        else:
            allowed = "chọn một mã trong cột «Có thể chuyển về»"
        raise MigrationError(
            f"Dòng {answers.lines[key]}: «{gazetteer.official_code(code)}» không phải một đơn "
            f"vị mà {question.unit} có thể chuyển về ({allowed})."
        )
