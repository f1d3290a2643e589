"""The forms of the records staff type: address, helper, model, attachment of a helper."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from campaign import vocab
from campaign.dates import format_date
from campaign.duplicates import likely_duplicates
from campaign.text import fold
from store.store import Store
from tui.literal import literal, quoted, shorten
from tui.screens.form import RecordForm
from tui.widgets.fields import (
    ChoiceField,
    DateField,
    Field,
    FieldError,
    FlagField,
    GroupsField,
    IntegerField,
    ProseField,
    TextField,
)


def address_units(store: Store) -> dict[str, str]:
    """Units of the office that keep addresses: the grassroots chapters, else the office itself."""
    grassroots = store.units.grassroots(store.office.unit)
    codes = grassroots or [store.office.unit]
    return {code: store.units.name(code) for code in codes}


def office_units(store: Store) -> dict[str, str]:
    """Every unit of the office's subtree, the office first."""
    return {code: store.units.name(code) for code in store.units.subtree(store.office.unit)}


def with_unit(store: Store, record: dict | None, fields: list[Field]) -> list[Field]:
    """The fields, then the unit the record belongs to when the office has more than one."""
    units = office_units(store)
    if len(units) > 1 or (record and record["unit"] not in units):
        fields.append(ChoiceField("unit", "Đơn vị", units))
    return fields


class AddressForm(RecordForm):
    """A new address or an existing one; likely duplicates are shown before a new one is saved."""

    kind = "address"
    TITLE = "Địa chỉ nhân đạo"

    def __init__(self, store: Store, record: dict | None = None, unit: str | None = None) -> None:
        super().__init__(store, record)
        self.sub_title = "Sửa địa chỉ" if record else "Địa chỉ mới"
        self.unit = unit

    def draft_context(self) -> dict:
        return {"unit": self.unit}

    @classmethod
    def from_draft(cls, store: Store, draft: dict) -> RecordForm | None:
        record = store.get("address", draft["record"]) if draft.get("record") else None
        if draft.get("record") and record is None:
            return None
        unit = (draft.get("context") or {}).get("unit")
        return cls(store, record, unit if unit in store.units else None)

    def make_fields(self) -> list[Field]:
        addresses = list(self.store.records("address"))
        places = {a["place"] for a in addresses if a.get("place")}
        reasons = {a["stop_reason"] for a in addresses if a.get("stop_reason")}
        fields: list[Field] = [
            TextField("name", "Tên (họ tên, tên hộ)"),
            ChoiceField("kind", "Loại địa chỉ", vocab.ADDRESS_KINDS),
            IntegerField("people", "Số người"),
            TextField("place", "Nơi ở (ấp, khu phố)", suggestions=places),
            GroupsField("groups", "Nhóm đối tượng", vocab.GROUPS),
            DateField("surveyed_on", "Ngày khảo sát"),
            DateField("dossier_on", "Ngày lập hồ sơ"),
            DateField("stopped_on", "Ngày dừng trợ giúp"),
            TextField("stop_reason", "Lý do dừng", suggestions=reasons),
        ]
        units = address_units(self.store)
        if len(units) > 1 or (self.record and self.record["unit"] not in units):
            fields.append(ChoiceField("unit", "Đơn vị", units))
        return fields

    def defaults(self) -> dict:
        units = address_units(self.store)
        unit = self.unit if self.unit in units else next(iter(units))
        return {
            "unit": unit,
            "kind": "individual",
            "people": 1,
            "groups": [],
        }  # no survey date is assumed: today's would be wrong for old records typed in

    def form_problems(self, record: dict) -> dict[str, str]:
        if record.get("stopped_on") and not record.get("stop_reason"):
            return {"stop_reason": "Có «Ngày dừng trợ giúp» thì hãy ghi lý do dừng."}
        return {}

    def chosen(self, name: str, value: object) -> None:
        """An individual is one person: choosing «Cá nhân» puts 1 back in «Số người»."""
        if name == "kind" and value == "individual":
            people = self.query_one("#field-people", IntegerField)
            if people.input.value.strip() != "1":  # type: ignore[attr-defined]
                people.set_value(1)

    def gather(self) -> tuple[dict, dict[str, str]]:
        record, errors = super().gather()
        if self.is_new:
            record["id"] = record.get("id") or _new_id()
        return record, errors

    def before_save(self, record: dict, save: Callable[[], None]) -> None:
        if not self.is_new:
            save()
            return
        duplicates = likely_duplicates(record, self.store.records("address"))
        if not duplicates:
            save()
            return

        def chosen(answer: str | None) -> None:
            if answer == "save":
                save()
            elif answer:
                existing = self.store.get("address", answer)
                self.dismiss(existing)

        self.app.push_screen(DuplicatesScreen(self.store, record, duplicates), chosen)


class DuplicatesScreen(ModalScreen[str | None]):
    """Addresses of the same unit that look like the one being saved: open one, or save anyway."""

    BINDINGS = [
        Binding("ctrl+s", "save_anyway", "Vẫn lưu địa chỉ mới", id="duplicates.save"),
        Binding("escape", "dismiss(None)", "Quay lại sửa", id="duplicates.back"),
    ]

    def __init__(self, store: Store, record: dict, duplicates: list) -> None:
        super().__init__()
        self.store = store
        self.record = record
        self.duplicates = duplicates

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(
                literal(f"Có thể {quoted(self.record['name'])} đã có trong danh sách:"),
                id="question",
            )
            options = []
            for duplicate in self.duplicates[:8]:
                address = duplicate.address
                place = f", {address['place']}" if address.get("place") else ""
                surveyed = format_date(address.get("surveyed_on")) or "—"
                options.append(
                    Option(
                        literal(
                            f"{shorten(address['name'])}{shorten(place)} (khảo sát {surveyed}) "
                            f"— {duplicate.reason}"
                        ),
                        id=address["id"],
                    )
                )
            yield OptionList(*options, id="duplicates")
            yield Static(
                "Enter: mở địa chỉ đã có · Ctrl+S: vẫn lưu địa chỉ mới · Esc: quay lại sửa",
                classes="muted",
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_save_anyway(self) -> None:
        self.dismiss("save")


class HelperForm(RecordForm):
    """A helper: someone of the Red Cross side, or an outside organisation or person."""

    kind = "helper"
    TITLE = "Người trợ giúp"

    def __init__(
        self,
        store: Store,
        record: dict | None = None,
        *,
        name: str | None = None,
        unit: str | None = None,
    ) -> None:
        super().__init__(store, record)
        self.typed_name = name  # typed elsewhere (the aid entry line), for a new helper
        self.unit = unit

    def draft_context(self) -> dict:
        return {"unit": self.unit} if self.unit else {}

    def make_fields(self) -> list[Field]:
        return with_unit(
            self.store,
            self.record,
            [
                TextField("name", "Tên người, tổ chức"),
                ChoiceField("side", "Phía", vocab.HELPER_SIDES),
                ChoiceField("kind", "Loại", vocab.HELPER_KINDS),
                FlagField("awarded_before", "Đã được khen thưởng"),
            ],
        )

    def defaults(self) -> dict:
        units = office_units(self.store)
        unit = self.unit if self.unit in units else self.store.office.unit
        return {"unit": unit, "side": "red_cross", "kind": "member", "name": self.typed_name}

    def chosen(self, name: str, value: object) -> None:
        """The kind says the side («Tổ chức» is outside the Red Cross); a side keeps a kind of
        its own."""
        side = self.query_one("#field-side", ChoiceField)
        kind = self.query_one("#field-kind", ChoiceField)
        if name == "kind" and isinstance(value, str):
            owner = next((s for s, kinds in vocab.KINDS_OF_SIDE.items() if value in kinds), None)
            if owner is not None and side.value() != owner:
                side.set_value(owner)
        elif name == "side" and isinstance(value, str) and value in vocab.KINDS_OF_SIDE:
            kinds = vocab.KINDS_OF_SIDE[value]
            if kind.value() not in kinds:
                kind.set_value(next(k for k in vocab.HELPER_KINDS if k in kinds))

    def gather(self) -> tuple[dict, dict[str, str]]:
        record, errors = super().gather()
        if self.is_new:
            record["id"] = record.get("id") or _new_id()
        return record, errors


class ModelForm(RecordForm):
    """A humanitarian social work model (mô hình) of a unit."""

    kind = "model"
    TITLE = "Mô hình công tác xã hội nhân đạo"

    def make_fields(self) -> list[Field]:
        return with_unit(
            self.store,
            self.record,
            [
                TextField("name", "Tên mô hình"),
                ChoiceField("type", "Loại mô hình", vocab.MODEL_TYPES),
                ProseField("objective", "Mục tiêu"),
                ProseField("method", "Nội dung, cách thức"),
                ProseField("results", "Kết quả thực hiện"),
                ProseField("effect", "Hiệu ứng xã hội"),
                DateField("started_on", "Ngày bắt đầu"),
            ],
        )

    def defaults(self) -> dict:
        return {"unit": self.store.office.unit, "type": "other"}

    def gather(self) -> tuple[dict, dict[str, str]]:
        record, errors = super().gather()
        if self.is_new:
            record["id"] = record.get("id") or _new_id()
        return record, errors


class AttachmentForm(RecordForm):
    """A helper attached to an address: who, from when, until when and why it stopped."""

    kind = "attachment"
    TITLE = "Gắn người trợ giúp với địa chỉ"

    def __init__(self, store: Store, address: dict, record: dict | None = None) -> None:
        super().__init__(store, record)
        self.address = address
        self.sub_title = address["name"]
        self.helpers = helpers_for(store, address["unit"])

    def draft_context(self) -> dict:
        return {"address": self.address["id"]}

    @classmethod
    def from_draft(cls, store: Store, draft: dict) -> RecordForm | None:
        address = store.get("address", str((draft.get("context") or {}).get("address")))
        record = store.get("attachment", draft["record"]) if draft.get("record") else None
        if address is None or (draft.get("record") and record is None):
            return None
        return cls(store, address, record)

    def make_fields(self) -> list[Field]:
        return [
            TextField("helper", "Người trợ giúp", suggestions=self.helpers.names()),
            DateField("from", "Từ ngày"),
            DateField("until", "Đến ngày"),
            TextField("stop_reason", "Lý do dừng"),
        ]

    def shown(self, values: dict) -> dict:
        """The helper by name, as it is typed (the record holds its id)."""
        if values.get("helper"):
            helper = self.store.get("helper", values["helper"])
            values = {**values, "helper": helper["name"] if helper else None}
        return values

    def form_problems(self, record: dict) -> dict[str, str]:
        if record.get("until") and not record.get("stop_reason"):
            return {"stop_reason": "Có «Đến ngày» thì hãy ghi lý do dừng."}
        return {}

    def defaults(self) -> dict:
        return {"address": self.address["id"], "from": self.store.today().isoformat()}

    def gather(self) -> tuple[dict, dict[str, str]]:
        record, errors = super().gather()
        record["address"] = self.address["id"]
        if self.is_new:
            record["id"] = record.get("id") or _new_id()
        if "helper" not in errors:
            try:
                record["helper"] = self.helpers.resolve(record.get("helper"), required=True)
            except FieldError as error:
                errors["helper"] = str(error)
        return record, errors


class Helpers:
    """The helpers an address of a unit can receive aid from, found by name (accents optional)."""

    def __init__(self, helpers: list[dict]) -> None:
        self.helpers = helpers

    def names(self) -> list[str]:
        return [h["name"] for h in self.helpers]

    def resolve(self, name: str | None, *, required: bool = False) -> str | None:
        """The id of the helper called `name`; FieldError when none or several match."""
        if not name:
            if required:
                raise FieldError("Hãy gõ tên người trợ giúp (gõ vài chữ rồi nhấn → để chọn).")
            return None
        wanted = fold(name)
        exact = [h for h in self.helpers if fold(h["name"]) == wanted]
        if len(exact) == 1:
            return exact[0]["id"]
        if len(exact) > 1:
            raise FieldError(
                f"Có {len(exact)} người trợ giúp tên {quoted(name)}; hãy sửa tên cho khác nhau "
                "trong danh sách người trợ giúp."
            )
        raise FieldError(
            f"Không có người trợ giúp tên {quoted(name)}. Thêm người trợ giúp ở màn hình "
            "Người trợ giúp (phím h ở màn hình chính)."
        )


def helpers_for(store: Store, unit: str) -> Helpers:
    """Live helpers of the unit, of the units above it and of the units below it."""
    related = set(store.units.subtree(unit)) | {u["code"] for u in store.units.ancestors(unit)}
    return Helpers([dict(h) for h in store.records("helper") if h["unit"] in related])


def _new_id() -> str:
    import uuid

    return str(uuid.uuid4())
