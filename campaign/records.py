"""The records of the campaign, their fields and the Vietnamese names users know them by.

Records are plain dictionaries holding exactly the fields of the interchange format
(docs/RECORDS.md): dates are ISO strings, money is an integer of đồng, absent values are None.
The store adds an envelope (`id`, `owner`, `v`, `prev`, `deleted`, `by`) around the same fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypedDict

from campaign import vocab
from campaign.text import quoted, shorten, visible


class Unit(TypedDict):
    code: str
    name: str
    kind: str
    parent: str | None


class Address(TypedDict):
    id: str
    unit: str
    name: str
    kind: str
    people: int
    place: str | None
    groups: list[str]
    surveyed_on: str | None
    dossier_on: str | None
    stopped_on: str | None
    stop_reason: str | None
    former_unit: str | None


class Helper(TypedDict):
    id: str
    unit: str
    name: str
    side: str
    kind: str
    awarded_before: bool
    former_unit: str | None


# `from` is a Python keyword, so this record type is spelled the functional way.
Attachment = TypedDict(
    "Attachment",
    {
        "id": str,
        "address": str,
        "helper": str,
        "from": str,
        "until": "str | None",
        "stop_reason": "str | None",
    },
)


class Aid(TypedDict):
    id: str
    address: str
    helper: str | None
    on: str
    form: str | None
    value: int
    excluded: str | None
    note: str | None


class Review(TypedDict):
    id: str
    address: str
    year: int
    on: str
    outcome: str


class Model(TypedDict):
    id: str
    unit: str
    type: str
    name: str
    objective: str | None
    method: str | None
    results: str | None
    effect: str | None
    started_on: str | None
    former_unit: str | None


class Link(TypedDict):
    helper: str
    unit: str
    same_as: str


class Proposal(TypedDict):
    id: str
    unit: str
    year_from: int
    year_to: int
    award: str
    chapter: str | None
    helper: str | None


class Assessment(TypedDict):
    unit: str
    steering_board: bool
    directive: bool
    typical_model: bool
    followed_guidance: bool


@dataclass(frozen=True)
class Field:
    """One field of a record: its name, what users call it, and what it holds.

    `type` is one of: id, code, text (required, one line), line (optional, one line),
    prose (optional, several lines), int, bool, date, date? (optional), enum, enum?,
    groups, ref (required reference), ref? (optional reference).
    """

    name: str
    label: str
    type: str
    vocabulary: dict[str, str] | None = None
    refers_to: str | None = None


@dataclass(frozen=True)
class Kind:
    """A kind of record: its name, its key in the records file, its label and its fields."""

    name: str
    collection: str
    label: str
    key: str
    fields: tuple[Field, ...]
    can_be_deleted: bool = True
    field_names: tuple[str, ...] = ()
    allowed: frozenset[str] = frozenset()  # the keys a record of this kind may carry

    def __post_init__(self) -> None:
        names = tuple(f.name for f in self.fields)
        object.__setattr__(self, "field_names", names)
        object.__setattr__(
            self, "allowed", frozenset(names) | ({"deleted"} if self.can_be_deleted else set())
        )

    def complete(self, record: Mapping) -> dict:
        """Every field of the kind, in order, from a record that may leave out empty values
        (the store does): an absent yes/no field is False, absent groups [], anything else None."""
        full = {}
        for spec in self.fields:
            value = record.get(spec.name)
            if value is None:
                value = False if spec.type == "bool" else [] if spec.type == "groups" else None
            full[spec.name] = value
        return full


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("unit", "units", "Đơn vị", "code", (
            Field("code", "Mã đơn vị", "code"),
            Field("name", "Tên đơn vị", "text"),
            Field("kind", "Cấp đơn vị", "enum", vocab.UNIT_KINDS),
            Field("parent", "Đơn vị cấp trên", "ref?", refers_to="unit"),
        ), can_be_deleted=False),
        Kind("address", "addresses", "Địa chỉ", "id", (
            Field("id", "Mã", "id"),
            Field("unit", "Đơn vị", "ref", refers_to="unit"),
            Field("name", "Tên địa chỉ", "text"),
            Field("kind", "Loại địa chỉ", "enum", vocab.ADDRESS_KINDS),
            Field("people", "Số người", "int"),
            Field("place", "Nơi ở (ấp, khu phố)", "line"),
            Field("groups", "Nhóm đối tượng", "groups", vocab.GROUPS),
            Field("surveyed_on", "Ngày khảo sát", "date?"),
            Field("dossier_on", "Ngày lập hồ sơ", "date?"),
            Field("stopped_on", "Ngày dừng trợ giúp", "date?"),
            Field("stop_reason", "Lý do dừng", "line"),
            Field("former_unit", "Đơn vị trước sắp xếp năm 2025", "ref?", refers_to="unit"),
        )),
        Kind("helper", "helpers", "Người trợ giúp", "id", (
            Field("id", "Mã", "id"),
            Field("unit", "Đơn vị", "ref", refers_to="unit"),
            Field("name", "Tên người, tổ chức trợ giúp", "text"),
            Field("side", "Phía trợ giúp", "enum", vocab.HELPER_SIDES),
            Field("kind", "Loại người trợ giúp", "enum", vocab.HELPER_KINDS),
            Field("awarded_before", "Đã được khen thưởng", "bool"),
            Field("former_unit", "Đơn vị trước sắp xếp năm 2025", "ref?", refers_to="unit"),
        )),
        Kind("attachment", "attachments", "Gắn địa chỉ", "id", (
            Field("id", "Mã", "id"),
            Field("address", "Địa chỉ", "ref", refers_to="address"),
            Field("helper", "Người trợ giúp", "ref", refers_to="helper"),
            Field("from", "Từ ngày", "date"),
            Field("until", "Đến ngày", "date?"),
            Field("stop_reason", "Lý do dừng", "line"),
        )),
        Kind("aid", "aid", "Lần trợ giúp", "id", (
            Field("id", "Mã", "id"),
            Field("address", "Địa chỉ", "ref", refers_to="address"),
            Field("helper", "Người trợ giúp", "ref?", refers_to="helper"),
            Field("on", "Ngày trợ giúp", "date"),
            Field("form", "Hình thức", "line"),
            Field("value", "Giá trị (đồng)", "int"),
            Field("excluded", "Lý do không tính", "enum?", vocab.EXCLUSION_REASONS),
            Field("note", "Ghi chú", "line"),
        )),
        Kind("review", "reviews", "Rà soát", "id", (
            Field("id", "Mã", "id"),
            Field("address", "Địa chỉ", "ref", refers_to="address"),
            Field("year", "Năm rà soát", "int"),
            Field("on", "Ngày rà soát", "date"),
            Field("outcome", "Kết quả rà soát", "enum", vocab.REVIEW_OUTCOMES),
        )),
        Kind("model", "models", "Mô hình", "id", (
            Field("id", "Mã", "id"),
            Field("unit", "Đơn vị", "ref", refers_to="unit"),
            Field("type", "Loại mô hình", "enum", vocab.MODEL_TYPES),
            Field("name", "Tên mô hình", "text"),
            Field("objective", "Mục tiêu", "prose"),
            Field("method", "Nội dung và cách thức thực hiện", "prose"),
            Field("results", "Kết quả thực hiện", "prose"),
            Field("effect", "Hiệu ứng xã hội lan tỏa", "prose"),
            Field("started_on", "Ngày bắt đầu", "date?"),
            Field("former_unit", "Đơn vị trước sắp xếp năm 2025", "ref?", refers_to="unit"),
        )),
        Kind("assessment", "assessments", "Đánh giá đơn vị", "unit", (
            Field("unit", "Đơn vị", "ref", refers_to="unit"),
            Field("steering_board", "Có thành lập Ban Chỉ đạo", "bool"),
            Field("directive", "UBND có văn bản chỉ đạo", "bool"),
            Field("typical_model", "Có mô hình tiêu biểu, cách làm sáng tạo", "bool"),
            Field("followed_guidance", "Thực hiện đúng hướng dẫn, báo cáo tốt", "bool"),
        ), can_be_deleted=False),
        # The awards' candidates: which helpers are one person or organisation (docs/RECORDS.md).
        Kind("link", "links", "Liên kết người trợ giúp", "helper", (
            Field("helper", "Người trợ giúp", "ref", refers_to="helper"),
            Field("unit", "Đơn vị ghi liên kết", "ref", refers_to="unit"),
            Field("same_as", "Là cùng người, tổ chức với", "ref", refers_to="helper"),
        )),
        Kind("proposal", "proposals", "Đề nghị khen thưởng", "id", (
            Field("id", "Mã", "id"),
            Field("unit", "Đơn vị đề nghị", "ref", refers_to="unit"),
            Field("year_from", "Từ năm", "int"),
            Field("year_to", "Đến năm", "int"),
            Field("award", "Hình thức khen thưởng", "enum", vocab.AWARDS),
            Field("chapter", "Tập thể được đề nghị", "ref?", refers_to="unit"),
            Field("helper", "Cá nhân, nhà tài trợ được đề nghị", "ref?", refers_to="helper"),
        )),
        # A unit's hand-filled Bảng tổng hợp, read back (docs/RETURNS.md): columns 3–8 of its
        # row for one period, counted where the unit has no detailed records.
        Kind("return", "returns", "Báo cáo tự điền", "id", (
            Field("id", "Mã", "id"),
            Field("unit", "Đơn vị", "ref", refers_to="unit"),
            Field("year_from", "Từ năm", "int"),
            Field("year_to", "Đến năm", "int"),
            Field("dossiers", "Số địa chỉ được lập hồ sơ (cột 3)", "int"),
            Field("red_cross", "Hội Chữ thập đỏ trợ giúp (cột 4)", "int"),
            Field("outside", "Các tổ chức, cá nhân khác trợ giúp (cột 5)", "int"),
            Field("helped", "Số địa chỉ được trợ giúp (cột 6)", "int"),
            Field("people", "Tổng số người được trợ giúp (cột 7)", "int"),
            Field("value", "Tổng giá trị trợ giúp, đồng (cột 8)", "int"),
            Field("source", "Tệp báo cáo", "line"),
            Field("sha256", "Mã SHA-256 của tệp", "line"),
            Field("accepted_by", "Văn phòng nhận", "line"),
            Field("accepted_on", "Ngày nhận", "date"),
            Field("problems", "Những điểm chưa khớp đã chấp nhận", "prose"),
        )),
    )
}  # fmt: skip

# The order of the records file and of loading: a record only refers to kinds listed before it.
KIND_ORDER: tuple[str, ...] = tuple(KINDS)

# Envelope fields the store keeps around every record (see DESIGN.md, "The store").
ENVELOPE: tuple[str, ...] = ("id", "owner", "v", "prev", "deleted", "by")


def record_key(kind: str, record: dict) -> str:
    """The identity of a record within its kind: `code` for units, `unit` for assessments."""
    return record[KINDS[kind].key]


def describe(kind: str, record: dict) -> str:
    """How a record is named in a Vietnamese sentence: «Địa chỉ «Nguyễn Văn A» (mã a1)»."""
    spec = KINDS[kind]
    key = record.get(spec.key) if isinstance(record, dict) else None
    name = record.get("name") if isinstance(record, dict) else None
    parts = [spec.label]
    if isinstance(name, str) and name.strip():
        parts.append(quoted(name.strip(), 60))
    if isinstance(key, str) and key:
        parts.append(f"(mã {visible(shorten(key, 40))})")
    return " ".join(parts)
