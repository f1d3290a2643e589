"""What the office's documents print, as a user sets it: the settings, their Vietnamese labels,
how a typed value is read and checked, and the default a document uses when one is not set.

`nhandao settings` and the screen «Thông tin trên văn bản» both read what the user typed with
`read_changes`, so the command line and the screen accept and refuse the same values, with the
same Vietnamese messages naming the field. Nothing here writes: the caller saves the values
(`Store.update_settings`) only when there is no error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from campaign.dates import EARLIEST, DateError, format_date, parse_date
from campaign.money import format_number
from campaign.text import clean, forbidden, shorten
from exporters.letterhead import DOTS, letterhead
from store.store import Store, default_settings
from sync.completeness import DEFAULT_DEADLINE

MAX_TEXT = 200  # characters of a name, a title, a place
MAX_LINE = 500  # characters of one line of «Nơi nhận» or «Căn cứ» (a document's full title)
MAX_LINES = 30
YEARS = range(EARLIEST.year, 2101)  # the campaign started in 2008; nothing is dated before 2000
LATEST = date(2100, 12, 31)
# A line of «Nơi nhận» pasted from a document: its dash or bullet goes, the document adds it.
_BULLETS = ("-", "–", "—", "•", "+", "*")


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    kind: str  # "text", "lines", "year", "date"


SETTINGS: tuple[Setting, ...] = (
    Setting("organisation", "Tên Hội cấp tỉnh", "text"),
    Setting("province_name", "Tên tỉnh", "text"),
    Setting("plan_reference", "Kế hoạch của tỉnh", "text"),
    Setting("place", "Địa danh ghi ngày", "text"),
    Setting("signing_for", "Thẩm quyền ký", "text"),
    Setting("signer_title", "Chức vụ người ký", "text"),
    Setting("signer_name", "Họ tên người ký", "text"),
    Setting("preparer_name", "Họ tên người lập bảng", "text"),
    Setting("recipients", "Nơi nhận", "lines"),
    Setting("basis", "Căn cứ", "lines"),
    Setting("period_from", "Giai đoạn từ năm", "year"),
    Setting("period_to", "Giai đoạn đến năm", "year"),
    Setting("report_deadline", "Hạn báo cáo", "date"),
)
BY_KEY = {setting.key: setting for setting in SETTINGS}
KEYS = tuple(BY_KEY)
# What a document's own signer, place and recipients are (exporters.letterhead), as opposed to
# the names of the province chapter and the period, which a new office is given at once.
_LETTERHEAD_OWN = ("place", "signing_for", "signer_title", "signer_name", "preparer_name",
                   "recipients", "basis")  # fmt: skip


class SettingError(ValueError):
    """A setting named or typed wrong; `str()` is a Vietnamese sentence naming the field."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def setting_key(name: str) -> str:
    """The key of a setting as given on the command line (`signer_name`, `signer-name`)."""
    key = name.strip().lower().replace("-", "_")
    if key not in BY_KEY:
        raise SettingError(
            "", f"Không có mục cài đặt «{shorten(name, 40)}». Các mục: {', '.join(KEYS)}."
        )
    return key


def read_value(key: str, raw: str | Sequence[str]) -> object:
    """The value to store for `key` from what was typed: a text, the lines of a list (one per
    line, or a sequence of lines), a year. None when nothing was typed: back to the default.
    Raises SettingError."""
    setting = BY_KEY[key]
    if setting.kind == "lines":
        lines = (
            raw.splitlines() if isinstance(raw, str) else [p for r in raw for p in r.splitlines()]
        )
        return _lines(setting, lines)
    text = raw if isinstance(raw, str) else " ".join(raw)
    if setting.kind == "year":
        return _year(setting, text)
    if setting.kind == "date":
        return _date(setting, text)
    return _text(setting, text, MAX_TEXT) or None


def read_changes(
    typed: Mapping[str, str | Sequence[str] | None],
    current: Mapping[str, Any],
    fallback: Mapping[str, Any] | None = None,
) -> tuple[dict[str, object], dict[str, str]]:
    """The values read from the settings `typed` (None: not set, back to the default), and the
    Vietnamese message of each one that cannot be, by key. The period is checked whole: with
    the `current` value of a year not typed, the `fallback` of one left empty."""
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    for key, raw in typed.items():
        try:
            values[key] = None if raw is None else read_value(key, raw)
        except SettingError as error:
            errors[key] = str(error)
    if not {"period_from", "period_to"} & errors.keys():
        first, last = (
            _or(values.get(key, current.get(key)), (fallback or {}).get(key))
            for key in ("period_from", "period_to")
        )
        if isinstance(first, int) and isinstance(last, int) and first > last:
            key = "period_to" if "period_to" in typed else "period_from"
            errors[key] = (
                f"«{BY_KEY[key].label}»: giai đoạn phải bắt đầu trước khi kết thúc, "
                f"năm đầu {first} đang sau năm cuối {last}."
            )
    return values, errors


def _or(value: object, fallback: object) -> object:
    return fallback if value is None else value


def _text(setting: Setting, raw: str, limit: int, line: int | None = None) -> str:
    where = f"«{setting.label}»" + (f", dòng {line}," if line is not None else "")
    text = clean(raw)  # white space folded first, as every record text (campaign.validation)
    if (found := forbidden(text)) is not None:
        position, code = found
        raise SettingError(
            setting.key,
            f"{where} có ký tự điều khiển hoặc ký tự ẩn {code} ở vị trí "
            f"{format_number(position)} (không được có ký tự điều khiển, đổi hướng chữ hay ký "
            "tự ẩn); hãy xoá ký tự đó rồi gõ lại.",
        )
    if len(text) > limit:
        raise SettingError(
            setting.key,
            f"{where} dài {format_number(len(text))} ký tự, quá {format_number(limit)} ký tự.",
        )
    return text


def _lines(setting: Setting, raw: Sequence[str]) -> list[str] | None:
    lines: list[str] = []
    for number, typed in enumerate(raw, start=1):
        text = _text(setting, typed, MAX_LINE, number)
        if setting.key == "recipients":
            text = text.lstrip("".join(_BULLETS) + " ").rstrip(";,. ")
        if text:
            lines.append(text)
    if len(lines) > MAX_LINES:
        raise SettingError(
            setting.key,
            f"«{setting.label}» có {format_number(len(lines))} dòng, quá {MAX_LINES} dòng.",
        )
    return lines or None


def _year(setting: Setting, raw: str) -> int | None:
    text = raw.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or int(text) not in YEARS:
        raise SettingError(
            setting.key,
            f"«{setting.label}» phải là một năm từ {YEARS[0]} đến {YEARS[-1]}, "
            f"không phải «{shorten(text, 20)}».",
        )
    return int(text)


def _date(setting: Setting, raw: str) -> str | None:
    text = raw.strip()
    if not text:
        return None
    try:
        day = parse_date(text)
    except DateError as error:
        raise SettingError(setting.key, f"«{setting.label}»: {error}") from None
    if not EARLIEST <= day <= LATEST:
        raise SettingError(
            setting.key,
            f"«{setting.label}» phải là một ngày từ {format_date(EARLIEST)} đến "
            f"{format_date(LATEST)}, không phải {format_date(day)}.",
        )
    return day.isoformat()


# ----------------------------------------------------------------- what is stored, what is shown


def province_defaults(store: Store) -> dict[str, Any]:
    """The settings a new office of this province is given (store.store.default_settings)."""
    code = store.office.unit
    root = [store.units[code], *store.units.ancestors(code)][-1]
    return default_settings(root, store.today().year)


def stored_value(store: Store, key: str, value: object) -> object:
    """What to store for `key` read as `value`: None (not set) goes back to the value a new
    office has for the names of the province chapter and the period, else stays None."""
    if value is None and key != "report_deadline":
        return province_defaults(store).get(key)
    return value


def defaults(store: Store) -> dict[str, object]:
    """The value each setting has in the documents when it is not set (a list for the lists,
    "" where the document leaves a dotted line)."""
    settings = store.office.document_settings
    plain = {k: v for k, v in settings.items() if k not in _LETTERHEAD_OWN}
    period = store.office.period
    head = letterhead(store.units, store.office.unit, plain, period)
    found: dict[str, object] = dict(province_defaults(store))
    found.update(
        place=head.place,
        signing_for=head.signing_for,
        signer_title=head.signer_title,
        signer_name=head.signer_name,
        preparer_name=head.preparer_name,
        recipients=list(head.recipients),
        basis=list(head.basis),
        report_deadline=date(period.year_to, *DEFAULT_DEADLINE).isoformat(),
    )
    return found


def is_set(value: object) -> bool:
    return value is not None and value != "" and value != []


def shown(key: str, value: object) -> str:
    """A value as the user types it: dd/mm/yyyy for the deadline, one line each for a list."""
    if not is_set(value):
        return ""
    kind = BY_KEY[key].kind
    if kind == "lines":
        return "\n".join(str(line) for line in value) if isinstance(value, list) else str(value)
    if kind == "date" and isinstance(value, str):
        try:
            return format_date(value)
        except ValueError:
            return value  # typed by hand into office.json: shown as it is
    return str(value)


def shown_default(key: str, value: object) -> str:
    """The default of `key` in words: the value, or what the document prints without one."""
    if is_set(value):
        return shown(key, value)
    if key in ("signer_name", "preparer_name"):
        return f"để trống, văn bản in dòng chấm {DOTS}"
    return "không có"
