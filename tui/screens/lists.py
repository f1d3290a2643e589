"""Helpers with their attachments, models, and the assessment of each unit."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Input, Label, Static

from campaign import vocab
from campaign.dates import format_date
from campaign.money import format_number
from campaign.text import fold, given_name_key
from store.errors import StoreError
from store.store import Store
from tui.labels import SIDE_SHORT
from tui.literal import literal, quoted
from tui.screens.dialogs import ConfirmScreen
from tui.screens.export import export_binding, export_helpers
from tui.screens.form import RecordForm
from tui.screens.forms import HelperForm, ModelForm
from tui.screens.history import HistoryScreen
from tui.screens.office import OfficeScreen, attempted
from tui.widgets.fields import Field, FlagField
from tui.widgets.record_table import Column, RecordTable
from tui.widgets.vn_input import SearchInput


class HelpersScreen(OfficeScreen):
    """The helpers of the office, Red Cross side and outside donors, with their attachments."""

    TITLE = "Người trợ giúp"
    BINDINGS = [
        Binding("ctrl+n", "new", "Thêm người trợ giúp", id="helpers.new"),
        Binding("ctrl+f", "search", "Tìm", id="helpers.search"),
        Binding("delete", "delete", "Xoá", id="helpers.delete"),
        Binding("escape", "back", "Quay lại", id="helpers.back"),
        export_binding("helpers"),
        Binding("l", "history", "Lịch sử", id="helpers.history"),
    ]
    action_export = export_helpers

    def compose(self) -> ComposeResult:
        yield Header()
        yield SearchInput(
            placeholder="Tìm người trợ giúp (không cần gõ dấu)…",
            compact=True,
            id="search",
            list_id="helpers",
        )
        yield RecordTable(
            [
                Column("Tên người, tổ chức"),
                Column("Phía", 9),
                Column("Loại", 16),
                Column("Địa chỉ", 7, right=True),
                Column("Đơn vị", 18, hide_below=100),
            ],
            empty="Chưa có người trợ giúp nào. Ctrl+N để thêm.",
            id="helpers",
        )
        yield Label("Các địa chỉ được gắn", classes="section")
        yield RecordTable(
            [
                Column("Địa chỉ"),
                Column("Từ ngày", 10),
                Column("Đến ngày", 10),
                Column("Lý do dừng", 18, hide_below=90),
            ],
            empty="Chưa gắn với địa chỉ nào.",
            id="attached",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_list()
        self.query_one("#helpers", RecordTable).focus()

    def on_screen_resume(self) -> None:
        self.refresh_list()

    def refresh_list(self) -> None:
        scope = set(self.store.units.subtree(self.store.office.unit))
        attachments = [a for a in self.store.records("attachment")]
        self._attachments = attachments
        count: dict[str, int] = {}
        for attachment in attachments:
            count[attachment["helper"]] = count.get(attachment["helper"], 0) + 1
        words = fold(self.query_one("#search", Input).value).split()
        helpers = [
            h
            for h in self.store.records("helper")
            if h["unit"] in scope and all(w in fold(h["name"]) for w in words)
        ]
        helpers.sort(key=lambda h: (h["side"] != "red_cross", given_name_key(h["name"])))
        table = self.query_one("#helpers", RecordTable)
        table.set_rows(
            [
                (
                    h["id"],
                    (
                        h["name"],
                        SIDE_SHORT[h["side"]],
                        vocab.HELPER_KINDS[h["kind"]],
                        format_number(count.get(h["id"], 0)),
                        self.store.units.name(h["unit"]),
                    ),
                )
                for h in helpers
            ],
            keep=table.current_key,
        )
        self.show_attached(table.current_key)

    def show_attached(self, helper_id: str | None) -> None:
        names = {a["id"]: a["name"] for a in self.store.records("address", live=False)}
        rows = [
            (
                a["id"],
                (
                    names.get(a["address"], "?"),
                    format_date(a["from"]),
                    format_date(a.get("until")),
                    a.get("stop_reason") or "",
                ),
            )
            for a in self._attachments
            if a["helper"] == helper_id
        ]
        self.query_one("#attached", RecordTable).set_rows(rows)

    @on(RecordTable.Highlighted, "#helpers")
    def _highlighted(self, event: RecordTable.Highlighted) -> None:
        if hasattr(self, "_attachments"):
            self.show_attached(event.key)

    @on(Input.Changed, "#search")
    def _typed(self) -> None:
        self.refresh_list()

    @on(Input.Submitted, "#search")
    def _to_table(self) -> None:
        self.query_one("#helpers", RecordTable).focus()

    @on(RecordTable.Selected, "#helpers")
    def _edit(self, event: RecordTable.Selected) -> None:
        self.app.push_screen(HelperForm(self.store, self.store.get("helper", event.key)))

    @on(RecordTable.Selected, "#attached")
    def _open_address(self, event: RecordTable.Selected) -> None:
        from tui.screens.address_detail import AddressDetail

        attachment = self.store.get("attachment", event.key)
        if attachment:
            self.app.push_screen(AddressDetail(self.store, attachment["address"]))

    def action_new(self) -> None:
        self.app.push_screen(HelperForm(self.store))

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_delete(self) -> None:
        if self.focused is self.query_one("#attached", RecordTable):
            self._delete_attachment()
            return
        key = self.query_one("#helpers", RecordTable).current_key
        if not key:
            return
        helper = self.store.get("helper", key)
        assert helper is not None
        given = sum(1 for a in self.store.records("aid") if a.get("helper") == key)
        warning = (
            f" {format_number(given)} lần trợ giúp của người này sẽ được tính như không có "
            "người trợ giúp."
            if given
            else ""
        )

        def answered(yes: bool | None) -> None:
            if yes and attempted(self, lambda: self.store.delete("helper", key)):
                self.notify(f"Đã xoá người trợ giúp {quoted(helper['name'])}.")
                self.refresh_list()

        self.app.push_screen(
            ConfirmScreen(f"Xoá người trợ giúp {quoted(helper['name'])}?{warning}", yes="Xoá"),
            answered,
        )

    def action_history(self) -> None:
        """«Lịch sử»: the versions of the helper chosen, or of the attachment chosen below."""
        attached = self.query_one("#attached", RecordTable)
        if self.focused is attached and attached.current_key is not None:
            self.app.push_screen(HistoryScreen(self.store, "attachment", attached.current_key))
            return
        key = self.query_one("#helpers", RecordTable).current_key
        if key is None:
            self.notify("Chọn một người trợ giúp trong danh sách rồi nhấn l để xem lịch sử.")
            return
        self.app.push_screen(HistoryScreen(self.store, "helper", key))

    def _delete_attachment(self) -> None:
        """Del in the lower table takes off that attachment, not the helper."""
        key = self.query_one("#attached", RecordTable).current_key
        attachment = self.store.get("attachment", key) if key else None
        if attachment is None:
            return
        helper = self.store.get("helper", attachment["helper"]) or {}
        address = self.store.get("address", attachment["address"]) or {}
        what = f"việc gắn {quoted(helper.get('name', ''))} với {quoted(address.get('name', ''))}"

        def answered(yes: bool | None) -> None:
            if yes and attempted(self, lambda: self.store.delete("attachment", attachment["id"])):
                self.notify(f"Đã xoá {what}.")
                self.refresh_list()

        self.app.push_screen(ConfirmScreen(f"Xoá {what}?", yes="Xoá"), answered)


class ModelsScreen(OfficeScreen):
    """The humanitarian social work models of the office's units."""

    TITLE = "Mô hình công tác xã hội nhân đạo"
    BINDINGS = [
        Binding("ctrl+n", "new", "Thêm mô hình", id="models.new"),
        Binding("delete", "delete", "Xoá", id="models.delete"),
        Binding("escape", "back", "Quay lại", id="models.back"),
        Binding("l", "history", "Lịch sử", id="models.history"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield RecordTable(
            [
                Column("Tên mô hình"),
                Column("Loại", 22, hide_below=90),
                Column("Đơn vị", 20),
                Column("Bắt đầu", 10),
            ],
            empty="Chưa có mô hình nào. Ctrl+N để thêm.",
            id="models",
        )
        yield Static(id="model-text")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_list()
        self.query_one("#models", RecordTable).focus()

    def on_screen_resume(self) -> None:
        self.refresh_list()

    def refresh_list(self) -> None:
        scope = self.store.units.subtree(self.store.office.unit)
        order = {code: index for index, code in enumerate(scope)}
        models = [m for m in self.store.records("model") if m["unit"] in order]
        models.sort(key=lambda m: (order[m["unit"]], fold(m["name"])))
        table = self.query_one("#models", RecordTable)
        table.set_rows(
            [
                (
                    m["id"],
                    (
                        m["name"],
                        vocab.MODEL_TYPES[m["type"]],
                        self.store.units.name(m["unit"]),
                        format_date(m.get("started_on")),
                    ),
                )
                for m in models
            ],
            keep=table.current_key,
        )

    @on(RecordTable.Highlighted, "#models")
    def _show(self, event: RecordTable.Highlighted) -> None:
        model = self.store.get("model", event.key) if event.key else None
        text = ""
        if model:
            parts = [
                ("Mục tiêu", model["objective"]),
                ("Cách làm", model["method"]),
                ("Kết quả", model["results"]),
                ("Hiệu ứng", model["effect"]),
            ]
            text = "\n".join(f"{label}: {value}" for label, value in parts if value)
        self.query_one("#model-text", Static).update(literal(text))

    @on(RecordTable.Selected, "#models")
    def _edit(self, event: RecordTable.Selected) -> None:
        self.app.push_screen(ModelForm(self.store, self.store.get("model", event.key)))

    def action_new(self) -> None:
        self.app.push_screen(ModelForm(self.store))

    def action_history(self) -> None:
        """«Lịch sử»: the versions of the model chosen."""
        key = self.query_one("#models", RecordTable).current_key
        if key is None:
            self.notify("Chọn một mô hình trong danh sách rồi nhấn l để xem lịch sử.")
            return
        self.app.push_screen(HistoryScreen(self.store, "model", key))

    def action_delete(self) -> None:
        key = self.query_one("#models", RecordTable).current_key
        if not key:
            return
        model = self.store.get("model", key)
        assert model is not None

        def answered(yes: bool | None) -> None:
            if yes and attempted(self, lambda: self.store.delete("model", key)):
                self.notify(f"Đã xoá mô hình {quoted(model['name'])}.")
                self.refresh_list()

        self.app.push_screen(
            ConfirmScreen(f"Xoá mô hình {quoted(model['name'])}?", yes="Xoá"), answered
        )


ASSESSMENT_FLAGS = {
    "steering_board": "Ban Chỉ đạo",
    "directive": "UBND chỉ đạo",
    "typical_model": "Mô hình tiêu biểu",
    "followed_guidance": "Đúng hướng dẫn",
}


class AssessmentForm(RecordForm):
    """What the award criteria need and records cannot show, for one unit."""

    kind = "assessment"
    TITLE = "Đánh giá đơn vị"

    def __init__(self, store: Store, unit: str) -> None:
        super().__init__(store, store.get("assessment", unit))
        self.unit = unit
        self.sub_title = store.units.name(unit)

    @classmethod
    def from_draft(cls, store: Store, draft: dict) -> RecordForm | None:
        unit = (draft.get("context") or {}).get("unit")
        return cls(store, unit) if unit in store.units else None

    def draft_context(self) -> dict:
        return {"unit": self.unit}

    def make_fields(self) -> list[Field]:
        return [
            FlagField("steering_board", "Có thành lập Ban Chỉ đạo"),
            FlagField("directive", "UBND có văn bản chỉ đạo"),
            FlagField("typical_model", "Có mô hình tiêu biểu"),
            FlagField("followed_guidance", "Đúng hướng dẫn, báo cáo tốt"),
        ]

    def defaults(self) -> dict:
        return {"unit": self.unit}

    def gather(self) -> tuple[dict, dict[str, str]]:
        record, errors = super().gather()
        record["unit"] = self.unit
        return record, errors

    def _save(self, record: dict) -> None:
        try:
            saved = self.store.save(self.kind, record)
        except StoreError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        self.notify(f"Đã lưu đánh giá của {self.store.units.name(self.unit)}.")
        self.dismiss(saved)


class AssessmentScreen(OfficeScreen):
    """Each unit under the office (or the office itself) with its assessment."""

    TITLE = "Đánh giá đơn vị"
    BINDINGS = [Binding("escape", "back", "Quay lại", id="assessment.back")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Tiêu chí khen thưởng mà hồ sơ không thể hiện được. Enter để đánh giá một đơn vị.",
            classes="muted",
        )
        yield RecordTable(
            [Column("Đơn vị"), *(Column(label, 13) for label in ASSESSMENT_FLAGS.values())],
            id="units",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_list()
        self.query_one("#units", RecordTable).focus()

    def on_screen_resume(self) -> None:
        self.refresh_list()

    def refresh_list(self) -> None:
        office = self.store.office.unit
        units = [u["code"] for u in self.store.units.children(office)] or [office]
        rows = []
        for code in units:
            assessment = self.store.get("assessment", code)
            marks = tuple(
                ("✓ có" if assessment[f] else "— không") if assessment else "chưa đánh giá"
                for f in ASSESSMENT_FLAGS
            )
            rows.append((code, (self.store.units.name(code), *marks)))
        table = self.query_one("#units", RecordTable)
        table.set_rows(rows, keep=table.current_key)

    @on(RecordTable.Selected, "#units")
    def _assess(self, event: RecordTable.Selected) -> None:
        self.app.push_screen(AssessmentForm(self.store, event.key))
