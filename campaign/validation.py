"""Validation of records: every problem at once, each as a Vietnamese sentence naming the field."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from campaign import returns, vocab
from campaign.dates import EARLIEST, format_date
from campaign.money import MAX_AID_VALUE, format_money, format_number
from campaign.records import KINDS, Field, describe
from campaign.text import clean, forbidden, nfc, quoted
from campaign.units import UNIT_CODE, unsafe_code

# A collective (a school, a hamlet's households) above this many people is a typing error.
MAX_PEOPLE = 10_000
MAX_ID_LENGTH = 64
MAX_LINE_LENGTH = 500
MAX_PROSE_LENGTH = 20_000
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_EARLIEST_ISO = EARLIEST.isoformat()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one record. `str()` is the sentence shown to the user."""

    kind: str
    key: str | None
    field: str | None
    message: str
    detail: str = ""  # the message without the record it names, for a form's field

    def __str__(self) -> str:
        return self.message


@dataclass
class Known:
    """What a record may refer to: units by code, addresses and helpers by id, and today."""

    units: Mapping[str, Mapping] = field(default_factory=dict)
    addresses: Mapping[str, Mapping] = field(default_factory=dict)
    helpers: Mapping[str, Mapping] = field(default_factory=dict)
    today: date = field(default_factory=date.today)

    @cached_property
    def last_day(self) -> str:
        """Today in ISO form, the latest day a record may hold (made once per batch)."""
        return self.today.isoformat()


class _Checker:
    """Collects the problems of one record while it is normalised."""

    __slots__ = ("_subject", "key", "kind", "position", "problems", "raw")

    def __init__(self, kind: str, raw: Mapping, position: int | None) -> None:
        self.kind = kind
        self.raw = raw
        self.position = position
        self.key: str | None = None
        self.problems: list[Problem] = []
        self._subject: str | None = None

    @property
    def subject(self) -> str:
        """«Địa chỉ thứ 3 «Nguyễn Văn A» (mã a1)», made only when there is a problem to report."""
        if self._subject is None:
            subject = describe(self.kind, self.raw)
            if self.position is not None:
                label = KINDS[self.kind].label
                subject = subject.replace(label, f"{label} thứ {self.position}", 1)
            self._subject = subject
        return self._subject

    def add(self, field_name: str | None, text: str) -> None:
        self.problems.append(
            Problem(self.kind, self.key, field_name, f"{self.subject}: {text}", text)
        )


def check(
    kind: str, raw: object, known: Known, position: int | None = None
) -> tuple[dict | None, list[Problem]]:
    """Normalise `raw` into a record of `kind` and list everything wrong with it.

    Strings come back in NFC with spaces tidied, missing optional fields as None (False for
    yes/no fields, [] for groups). `position` (1 for the first record of a file) is named in
    the messages. The record is None when `raw` is not even an object.
    """
    spec = KINDS[kind]
    if raw.__class__ is not dict and not isinstance(raw, Mapping):
        label = f"{spec.label} thứ {position}" if position is not None else spec.label
        message = (
            f"{label}: bản ghi phải là một đối tượng JSON {{...}}, không phải {_json_type(raw)}."
        )
        return None, [Problem(kind, None, None, message)]
    checker = _Checker(kind, raw, position)
    key = raw.get(spec.key)
    if isinstance(key, (str, int)) and not isinstance(key, bool):
        checker.key = str(key)
    record = _FIELDS[kind](raw.get, checker)
    if not spec.allowed.issuperset(raw):
        for name in raw.keys() - spec.allowed:
            checker.add(
                None,
                f"có trường {quoted(name, 40)} không thuộc định dạng; hãy kiểm tra tên trường.",
            )
    if spec.can_be_deleted:
        deleted = raw.get("deleted")
        if deleted is True:
            record["deleted"] = True
        elif deleted is not None and deleted is not False:
            checker.add("deleted", "«deleted» phải là true hoặc false.")
    if _DATES[kind]:
        _check_dates(checker, _DATES[kind], record, known)
    _RULES[kind](checker, record, known)
    return record, checker.problems


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "giá trị đúng/sai"
    if isinstance(value, (int, float)):
        return "một số"
    if isinstance(value, str):
        return "một chuỗi chữ"
    if isinstance(value, list):
        return "một danh sách"
    return "giá trị rỗng" if value is None else "giá trị khác"


def _absent(checker: _Checker, spec: Field, value: object) -> object:
    """The value of a field left out or empty; a problem when the field is required."""
    if spec.type == "bool":
        return False
    if spec.type == "groups":
        return []
    if spec.type in _REQUIRED:
        if isinstance(value, str):
            checker.add(spec.name, f"«{spec.label}» không được để trống.")
        else:
            checker.add(spec.name, f"thiếu «{spec.label}».")
    return None


_REQUIRED = frozenset({"id", "code", "ref", "text", "int", "date", "enum"})


def _identifier(checker: _Checker, spec: Field, value: object) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        checker.add(
            spec.name, f"«{spec.label}» phải là một mã dạng chữ, không phải {_json_type(value)}."
        )
        return None
    if value.isascii() and value.isprintable() and len(value) <= MAX_ID_LENGTH:
        value = value.strip()  # the common case (a UUID, a GSO code): nothing more to check
        if spec.type != "code" or UNIT_CODE.fullmatch(value):
            return value
    value = nfc(value.strip())
    if len(value) > MAX_ID_LENGTH or forbidden(value):
        checker.add(
            spec.name,
            f"«{spec.label}» {quoted(value, 20)} dài quá {MAX_ID_LENGTH} ký tự "
            "hoặc có ký tự điều khiển.",
        )
        return None
    if spec.type == "code" and not UNIT_CODE.fullmatch(value):
        checker.add(
            spec.name,
            f"«{spec.label}» {quoted(value)} chỉ được gồm chữ không dấu, số, dấu chấm, "
            "gạch nối (tối đa 32 ký tự).",
        )
        return None
    return value


def _text(checker: _Checker, spec: Field, value: object) -> str | None:
    if not isinstance(value, str):
        checker.add(spec.name, f"«{spec.label}» phải là chữ, không phải {_json_type(value)}.")
        return None
    prose = spec.type == "prose"
    text = clean(value, prose=prose)
    if not text:  # nothing but invisible characters
        return _absent(checker, spec, value)  # type: ignore[return-value]
    limit = MAX_PROSE_LENGTH if prose else MAX_LINE_LENGTH
    if len(text) > limit:
        checker.add(spec.name, f"«{spec.label}» dài quá {format_number(limit)} ký tự.")
    if found := forbidden(text, prose=prose):
        position, code = found
        checker.add(spec.name, _forbidden_message(spec.label, position, code, prose))
    return text


def _forbidden_message(label: str, position: int, code: str, prose: bool) -> str:
    allowed = "chỉ được xuống dòng" if prose else "không được có"
    return (
        f"«{label}» có ký tự điều khiển hoặc ký tự ẩn {code} ở vị trí {format_number(position)} "
        f"({allowed} ký tự điều khiển, đổi hướng chữ hay ký tự ẩn); hãy xoá ký tự đó rồi gõ lại."
    )


def _integer(checker: _Checker, spec: Field, value: object) -> int | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        checker.add(spec.name, f"«{spec.label}» phải là một số nguyên, không phải {_shown(value)}.")
        return None
    return value


def _boolean(checker: _Checker, spec: Field, value: object) -> bool:
    if not isinstance(value, bool):
        checker.add(
            spec.name, f"«{spec.label}» phải là true hoặc false, không phải {_shown(value)}."
        )
        return False
    return value


def _day(checker: _Checker, spec: Field, value: object) -> str | None:
    if isinstance(value, str):
        value = value.strip()
        if _ISO_DAY.fullmatch(value):
            if _in_calendar(value):  # the text is then its ISO form
                return value
            checker.add(spec.name, f"«{spec.label}» «{value}» không có trong lịch.")
            return None
    checker.add(
        spec.name,
        f"«{spec.label}» {_shown(value)} không phải ngày theo dạng "
        "năm-tháng-ngày (ví dụ 2018-09-06).",
    )
    return None


def _choice(checker: _Checker, spec: Field, value: object) -> str | None:
    assert spec.vocabulary is not None
    if isinstance(value, str) and value.strip() in spec.vocabulary:
        return value.strip()
    checker.add(
        spec.name,
        f"«{spec.label}» không nhận giá trị {_shown(value)}. "
        f"Các giá trị được dùng: {_choices(spec.vocabulary)}.",
    )
    return None


def _groups(checker: _Checker, spec: Field, value: object) -> list[str]:
    assert spec.vocabulary is not None
    if not isinstance(value, list):
        checker.add(spec.name, f'«{spec.label}» phải là một danh sách, ví dụ ["elderly", "poor"].')
        return []
    groups: list[str] = []
    for item in value:
        code = item.strip() if isinstance(item, str) else item
        if code not in spec.vocabulary:
            checker.add(
                spec.name,
                f"nhóm đối tượng {_shown(item)} không có trong danh mục. "
                f"Các nhóm: {_choices(spec.vocabulary)}.",
            )
        elif code not in groups:
            groups.append(code)
    return groups


_NORMALISE = {
    "id": _identifier, "code": _identifier, "ref": _identifier, "ref?": _identifier,
    "text": _text, "line": _text, "prose": _text, "int": _integer, "bool": _boolean,
    "date": _day, "date?": _day, "enum": _choice, "enum?": _choice, "groups": _groups,
}  # fmt: skip
# For each kind, its fields with the function that normalises each, and its date fields.
# An optional field left out is None, a yes/no field False, groups a new empty list (as
# `_absent` says, without the call).
_GROUPS = object()
_PLAN = {
    kind: tuple(
        (
            f.name,
            f,
            _NORMALISE[f.type],
            f.type in _REQUIRED,
            _GROUPS if f.type == "groups" else False if f.type == "bool" else None,
        )
        for f in spec.fields
    )
    for kind, spec in KINDS.items()
}
_DATES = {
    kind: tuple(f for f in spec.fields if f.type in ("date", "date?"))
    for kind, spec in KINDS.items()
}


def _field(checker: _Checker, step: tuple, value: object) -> object:
    """One field of a record, normalised by its step of `_PLAN` (problems to the checker)."""
    _name, spec, normalise, required, default = step
    if value is None and not required:  # an optional field left out
        return [] if default is _GROUPS else default
    if value is None or (value.__class__ is str and not value.strip()):
        return _absent(checker, spec, value)
    return normalise(checker, spec, value)


# What a field's value needs to be kept as it is, by the field's type: the form every record
# written by this program has (a trimmed UUID or code, clean NFC text, an ISO day). Any other
# value goes through `_field`, which normalises it or says what is wrong.
_ID = (
    f"v.__class__ is str and v.isascii() and v.isprintable() and len(v) <= {MAX_ID_LENGTH} "
    "and (v := v.strip())"
)


def _text_as_is(prose: str, limit: int) -> str:
    return (
        f"v.__class__ is str and (v := clean(v{prose})) and len(v) <= {limit} and v.isprintable()"
    )


_AS_IS = {
    "id": _ID,
    "code": _ID + " and unit_code(v)",
    "text": _text_as_is("", MAX_LINE_LENGTH),
    "prose": _text_as_is(", prose=True", MAX_PROSE_LENGTH),
    "int": "v.__class__ is int",
    "bool": "v is True or v is False",
    "date": "v.__class__ is str and iso_day(v) and in_calendar(v)",
    "enum": "v.__class__ is str and v in vocabulary_{i}",
    "groups": "v.__class__ is list and all_in(v, vocabulary_{i})",
}
_AS_IS.update({"ref": _AS_IS["id"], "ref?": _AS_IS["id"], "line": _AS_IS["text"],
               "date?": _AS_IS["date"], "enum?": _AS_IS["enum"]})  # fmt: skip


def _in_calendar(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _all_in(items: list, vocabulary: Mapping[str, str]) -> bool:
    """Groups as stored: codes of the vocabulary, each once."""
    return all(item.__class__ is str and item in vocabulary for item in items) and len(
        set(items)
    ) == len(items)


def _compiled(kind: str) -> Callable[[Callable[[str], object], _Checker], dict]:
    """The fields of a record of `kind` normalised, as `_field` does one by one, in a function
    made for the kind: each value already in stored form is kept without a call (an import
    validates hundreds of thousands of records), any other goes through `_field`."""
    lines = ["def fields(get, checker):", "    record = {}"]
    namespace: dict[str, object] = {
        "field": _field, "clean": clean, "unit_code": UNIT_CODE.fullmatch,
        "iso_day": _ISO_DAY.fullmatch, "in_calendar": _in_calendar, "all_in": _all_in,
    }  # fmt: skip
    for i, step in enumerate(_PLAN[kind]):
        name, spec, _normalise, required, default = step
        namespace[f"step_{i}"] = step
        namespace[f"vocabulary_{i}"] = spec.vocabulary
        test = _AS_IS[spec.type].format(i=i)
        lines.append(f"    v = get({name!r})")
        if not required:
            empty = "[]" if default is _GROUPS else repr(default)
            lines.append(f"    if v is None:\n        record[{name!r}] = {empty}")
            lines.append(f"    elif {test}:")
        else:
            lines.append(f"    if {test}:")
        value = "[*v]" if spec.type == "groups" else "v"
        lines.append(f"        record[{name!r}] = {value}")
        lines.append("    else:")
        lines.append(f"        record[{name!r}] = field(checker, step_{i}, get({name!r}))")
    lines.append("    return record")
    exec("\n".join(lines), namespace)  # the source is made above from the kind's fields
    return namespace["fields"]  # type: ignore[return-value]


_FIELDS = {kind: _compiled(kind) for kind in KINDS}


def _shown(value: object) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return "một " + ("danh sách" if isinstance(value, list) else "đối tượng")
    return quoted(value, 40)


def _choices(vocabulary: Mapping[str, str]) -> str:
    return ", ".join(f"{code} ({label})" for code, label in vocabulary.items())


def _label(kind: str, name: str) -> str:
    for spec in KINDS[kind].fields:
        if spec.name == name:
            return f"«{spec.label}»"
    raise KeyError(name)


def _check_dates(checker: _Checker, fields: tuple[Field, ...], record: dict, known: Known) -> None:
    earliest, last, today = _EARLIEST_ISO, known.last_day, known.today
    for spec in fields:
        text = record[spec.name]
        if text is None or earliest <= text <= last:  # ISO days compare as their text
            continue
        day = date.fromisoformat(text)
        if day < EARLIEST:
            checker.add(
                spec.name,
                f"«{spec.label}» {format_date(day)} trước năm {EARLIEST.year}, "
                "ngoài thời gian của cuộc vận động.",
            )
        elif day > today:
            checker.add(
                spec.name,
                f"«{spec.label}» {format_date(day)} là ngày trong tương lai "
                f"(hôm nay là {format_date(today)}).",
            )


def _not_before(
    checker: _Checker,
    kind: str,
    record: Mapping,
    later: str,
    earlier: str,
    earlier_value: str | None = None,
    whose: str = "",
) -> None:
    """Report when the date in field `later` comes before the date `earlier` (ISO strings)."""
    first = earlier_value if earlier_value is not None else record.get(earlier)
    second = record.get(later)
    if first and second and second < first:
        checker.add(
            later,
            f"{_label(kind, later)} {format_date(second)} trước "
            f"«{_date_label(earlier)}»{whose} ({format_date(first)}).",
        )


def _date_label(name: str) -> str:
    for spec in KINDS["address"].fields + KINDS["attachment"].fields:
        if spec.name == name:
            return spec.label
    raise KeyError(name)


def _check_unit_ref(checker: _Checker, record: Mapping, known: Known, name: str = "unit") -> None:
    code = record.get(name)
    if code is not None and code not in known.units:
        checker.add(name, f"«Đơn vị» «{code}» không có trong danh mục đơn vị.")


def _check_former_unit(checker: _Checker, record: Mapping, known: Known) -> None:
    """The unit a record was of before the 2025 reform of units (docs/RECORDS.md): a unit of
    the tree, not the record's own."""
    former = record.get("former_unit")
    if former is None:
        return
    if former not in known.units:
        checker.add(
            "former_unit",
            f"«Đơn vị trước sắp xếp năm 2025» «{former}» không có trong danh mục đơn vị.",
        )
    elif former == record.get("unit"):
        checker.add("former_unit", "«Đơn vị trước sắp xếp năm 2025» trùng với «Đơn vị».")


def _address_of(checker: _Checker, record: Mapping, known: Known) -> Mapping | None:
    ref = record.get("address")
    if ref is None:
        return None
    address = known.addresses.get(ref)
    if address is None:
        checker.add("address", f"không tìm thấy địa chỉ mang mã «{ref}».")
    return address


def _helper_of(checker: _Checker, record: Mapping, known: Known) -> Mapping | None:
    ref = record.get("helper")
    if ref is None:
        return None
    helper = known.helpers.get(ref)
    if helper is None:
        checker.add("helper", f"không tìm thấy người trợ giúp mang mã «{ref}».")
    return helper


_PARENT_KINDS = {
    "province": frozenset(),
    "district": frozenset({"province"}),
    "commune": frozenset({"district", "province"}),  # a province of 2025 has no districts
    "school": frozenset({"province", "district", "commune"}),
    "affiliated": frozenset({"province", "district", "commune"}),
}


def _unit_rules(checker: _Checker, unit: dict, known: Known) -> None:
    code = unit.get("code")
    if code is not None and (unsafe := unsafe_code(code)) is not None:
        checker.add("code", f"«Mã đơn vị» {unsafe}")
    kind, parent = unit.get("kind"), unit.get("parent")
    if kind is None:
        return
    allowed = _PARENT_KINDS[kind]
    label = vocab.UNIT_KINDS[kind]
    if parent is None:
        if allowed:
            checker.add("parent", f"đơn vị cấp «{label}» phải có «Đơn vị cấp trên».")
        return
    if not allowed:
        checker.add("parent", f"đơn vị cấp «{label}» không có đơn vị cấp trên.")
        return
    if parent == unit.get("code"):
        checker.add("parent", "«Đơn vị cấp trên» không thể là chính nó.")
        return
    above = known.units.get(parent)
    if above is None:
        checker.add("parent", f"«Đơn vị cấp trên» «{parent}» không có trong danh mục đơn vị.")
    elif above.get("kind") not in allowed:
        names = ", ".join(f"«{vocab.UNIT_KINDS[k]}»" for k in sorted(allowed))
        checker.add(
            "parent",
            f"đơn vị cấp «{label}» phải thuộc {names}, không thuộc "
            f"«{vocab.UNIT_KINDS.get(above.get('kind'), '?')}» {quoted(above.get('name'))}.",
        )


def _address_rules(checker: _Checker, address: dict, known: Known) -> None:
    _check_unit_ref(checker, address, known)
    _check_former_unit(checker, address, known)
    people, kind = address.get("people"), address.get("kind")
    if isinstance(people, int):
        if people < 1:
            checker.add("people", f"«Số người» phải từ 1 trở lên (đang là {people}).")
        elif kind == "individual" and people != 1:
            checker.add(
                "people",
                f"địa chỉ cá nhân có «Số người» là 1 (đang là {format_number(people)}); "
                "nếu là hộ gia đình hay tập thể, hãy chọn loại «Tập thể».",
            )
        elif people > MAX_PEOPLE:
            checker.add(
                "people",
                f"«Số người» {format_number(people)} quá lớn; một địa chỉ tập thể "
                f"có tối đa {format_number(MAX_PEOPLE)} người.",
            )
    _not_before(checker, "address", address, "dossier_on", "surveyed_on")
    if address.get("dossier_on"):
        _not_before(checker, "address", address, "stopped_on", "dossier_on")
    else:
        _not_before(checker, "address", address, "stopped_on", "surveyed_on")


def _helper_rules(checker: _Checker, helper: dict, known: Known) -> None:
    _check_unit_ref(checker, helper, known)
    _check_former_unit(checker, helper, known)
    side, kind = helper.get("side"), helper.get("kind")
    if side and kind and kind not in vocab.KINDS_OF_SIDE[side]:
        other = next(s for s, kinds in vocab.KINDS_OF_SIDE.items() if kind in kinds)
        checker.add(
            "kind",
            f"loại «{vocab.HELPER_KINDS[kind]}» thuộc phía «{vocab.HELPER_SIDES[other]}», "
            f"không thuộc phía «{vocab.HELPER_SIDES[side]}».",
        )


def _attachment_rules(checker: _Checker, attachment: dict, known: Known) -> None:
    _address_of(checker, attachment, known)
    _helper_of(checker, attachment, known)
    _not_before(checker, "attachment", attachment, "until", "from")


def _aid_rules(checker: _Checker, aid: dict, known: Known) -> None:
    address = _address_of(checker, aid, known)
    _helper_of(checker, aid, known)
    value = aid.get("value")
    if isinstance(value, int):
        if value < 0:
            checker.add(
                "value", f"«Giá trị (đồng)» không được âm (đang là {format_number(value)})."
            )
        elif value > MAX_AID_VALUE:
            checker.add(
                "value",
                f"«Giá trị (đồng)» {format_money(value)} quá lớn cho một lần trợ giúp "
                f"(tối đa {format_money(MAX_AID_VALUE)}); hãy kiểm tra số chữ số.",
            )
    if address is not None:
        surveyed = address.get("surveyed_on")
        if isinstance(surveyed, str):
            _not_before(checker, "aid", aid, "on", "surveyed_on", surveyed, " của địa chỉ")


def _review_rules(checker: _Checker, review: dict, known: Known) -> None:
    _address_of(checker, review, known)
    year = review.get("year")
    if isinstance(year, int):
        if not EARLIEST.year <= year <= known.today.year:
            checker.add(
                "year", f"«Năm rà soát» {year} phải từ {EARLIEST.year} đến {known.today.year}."
            )
        elif review.get("on") and review["on"] < f"{year:04d}-01-01":
            checker.add(
                "on", f"«Ngày rà soát» {format_date(review['on'])} trước năm được rà soát ({year})."
            )


def _model_rules(checker: _Checker, model: dict, known: Known) -> None:
    _check_unit_ref(checker, model, known)
    _check_former_unit(checker, model, known)


def _assessment_rules(checker: _Checker, assessment: dict, known: Known) -> None:
    _check_unit_ref(checker, assessment, known)


def _link_rules(checker: _Checker, link: dict, known: Known) -> None:
    _check_unit_ref(checker, link, known)
    helper = _helper_of(checker, link, known)
    other_id = link.get("same_as")
    if other_id is None:
        return
    other = known.helpers.get(other_id)
    if other is None:
        checker.add("same_as", f"không tìm thấy người trợ giúp mang mã «{other_id}».")
    elif helper is not None and other_id != link["helper"] and other["side"] != helper["side"]:
        checker.add(
            "same_as",
            f"«{other['name']}» thuộc phía «{vocab.HELPER_SIDES[other['side']]}», "
            f"«{helper['name']}» thuộc phía «{vocab.HELPER_SIDES[helper['side']]}»: một người "
            "của Hội và một nhà tài trợ ngoài Hội không thể là cùng một người.",
        )


def _proposal_rules(checker: _Checker, proposal: dict, known: Known) -> None:
    _check_unit_ref(checker, proposal, known)
    _check_unit_ref(checker, proposal, known, "chapter")
    _helper_of(checker, proposal, known)
    if (proposal.get("chapter") is None) == (proposal.get("helper") is None):
        checker.add(
            "chapter",
            "một đề nghị khen thưởng ghi đúng một tập thể («Tập thể được đề nghị») hoặc một cá "
            "nhân, nhà tài trợ («Cá nhân, nhà tài trợ được đề nghị»).",
        )
    first, last = proposal.get("year_from"), proposal.get("year_to")
    if (
        isinstance(first, int)
        and isinstance(last, int)
        and not EARLIEST.year <= first <= last <= known.today.year
    ):
        checker.add(
            "year_to",
            f"giai đoạn {first}-{last} không hợp lệ: năm đầu không sau năm cuối, từ "
            f"{EARLIEST.year} đến {known.today.year}.",
        )


def _return_rules(checker: _Checker, record: dict, known: Known) -> None:
    _check_unit_ref(checker, record, known)
    first, last = record.get("year_from"), record.get("year_to")
    if isinstance(first, int) and isinstance(last, int) and not EARLIEST.year <= first <= last:
        checker.add(
            "year_to",
            f"giai đoạn {first}-{last} không hợp lệ: năm đầu không sau năm cuối, từ "
            f"{EARLIEST.year}.",
        )
    figures = {column: record.get(name) for column, name in returns.FIELDS.items()}
    if not all(isinstance(value, int) for value in figures.values()):
        return  # named by the field checks
    for column, value in figures.items():
        if value < 0:  # type: ignore[operator]
            checker.add(returns.FIELDS[column], f"cột {column} không được là số âm ({value}).")
    if not record.get("problems"):  # what does not add up was accepted by a person, and said
        for column, text in returns.row_problems(figures)[0]:  # type: ignore[arg-type]
            checker.add(returns.FIELDS[column], f"{text}.")


_RULES = {
    "unit": _unit_rules,
    "address": _address_rules,
    "helper": _helper_rules,
    "attachment": _attachment_rules,
    "aid": _aid_rules,
    "review": _review_rules,
    "model": _model_rules,
    "assessment": _assessment_rules,
    "link": _link_rules,
    "proposal": _proposal_rules,
    "return": _return_rules,
}


def overlapping_attachments(
    new: Iterable[Mapping], stored: Iterable[Mapping], known: Known
) -> list[Problem]:
    """The attachments of `new` whose period overlaps another attachment of the same helper to
    the same address (among `new` and the `stored` ones they do not replace). Periods are whole
    days, both ends included; one without `until` runs until today. Tombstones overlap nothing.
    """
    new = [a for a in new if _dated(a)]
    replaced = {a.get("id") for a in new}
    others: dict[tuple[str, str], list[Mapping]] = {}
    for attachment in new:
        others.setdefault((attachment["helper"], attachment["address"]), []).append(attachment)
    # Only the pairs of `new` matter: a store's other attachments are passed over at a glance
    # (an import checks each bundle's against every attachment of the province).
    for attachment in stored:
        pair = (attachment.get("helper"), attachment.get("address"))
        if pair in others and attachment.get("id") not in replaced and _dated(attachment):
            others[pair].append(attachment)  # type: ignore[index]
    problems: list[Problem] = []
    for attachment in new:
        for other in others[(attachment["helper"], attachment["address"])]:
            if other is attachment or not _overlap(attachment, other):
                continue
            helper = known.helpers.get(attachment["helper"]) or {}
            address = known.addresses.get(attachment["address"]) or {}
            subject = describe("attachment", dict(attachment))
            detail = (
                f"«Từ ngày» {_period(attachment)} trùng thời gian với lần gắn khác của "
                f"{quoted(helper.get('name', attachment['helper']))} với địa chỉ "
                f"{quoted(address.get('name', attachment['address']))} ({_period(other)}, "
                f"mã {other.get('id')}); hãy ghi «Đến ngày» cho lần gắn trước, hoặc sửa lần "
                "gắn đó thay vì gắn lại."
            )
            problems.append(
                Problem("attachment", attachment.get("id"), "from", f"{subject}: {detail}", detail)
            )
            break
    return problems


def _dated(attachment: Mapping) -> bool:
    return (
        not attachment.get("deleted")
        and isinstance(attachment.get("helper"), str)
        and isinstance(attachment.get("address"), str)
        and isinstance(attachment.get("from"), str)
    )


def _overlap(one: Mapping, other: Mapping) -> bool:
    end, other_end = one.get("until") or "9999-12-31", other.get("until") or "9999-12-31"
    return one["from"] <= other_end and other["from"] <= end


def _period(attachment: Mapping) -> str:
    until = attachment.get("until")
    return f"{format_date(attachment['from'])}–{format_date(until) if until else 'nay'}"
