"""«Thông tin trên văn bản»: what the office's documents print (the signer, the place of the
date line, «Nơi nhận», the documents cited, the period), typed in one form.

A box left empty means the default, shown dimmed in it. Ctrl+S reads every box as
`nhandao settings set` does (tui/settings_form.py): a value refused is named under its box and
nothing is saved; otherwise the settings that changed are saved in one durable write.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Footer, Header, Static

from store.errors import StoreError
from store.store import Store
from tui.literal import visible
from tui.screens.form import RecordForm
from tui.settings_form import (
    SETTINGS,
    Setting,
    defaults,
    read_changes,
    shown,
    shown_default,
    stored_value,
)
from tui.widgets.fields import Field, FormInput, ProseField, TextField
from tui.widgets.vn_input import VnTextArea


class SettingField(TextField):
    """One line of a setting, handed over as typed: the settings form reads and checks it."""

    def make_input(self) -> Widget:
        return FormInput(
            placeholder=visible(self.placeholder), compact=True, classes="field--input"
        )

    def value(self) -> str:
        return self.input.value  # type: ignore[attr-defined,no-any-return]


class SettingLinesField(ProseField):
    """A list of a setting, one line each, its default shown dimmed while it is empty."""

    DEFAULT_CSS = """
    SettingLinesField TextArea { height: 5; padding: 0; }
    """

    def __init__(self, name: str, label: str, *, placeholder: str = "") -> None:
        super().__init__(name, label)
        self.placeholder = placeholder

    def make_input(self) -> Widget:
        return VnTextArea(
            classes="field--input",
            soft_wrap=True,
            show_line_numbers=False,
            compact=True,
            placeholder=Content(visible(self.placeholder, lines=True)),
        )

    def value(self) -> str:
        return self.input.text  # type: ignore[attr-defined,no-any-return]


class SettingsScreen(RecordForm):
    """The office's settings that documents print, from the home screen (key v)."""

    TITLE = "Thông tin trên văn bản"

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.sub_title = store.units.name(store.office.unit)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="form"):
            yield Static(
                "Những gì báo cáo và các bảng tính in ra. Ô để trống: văn bản dùng giá trị "
                "mặc định, hiện mờ trong ô. Nơi nhận, căn cứ: mỗi dòng một mục.",
                id="settings-intro",
                markup=False,
            )
            yield from self.make_fields()
        yield Static("", id="form-problems")
        yield Footer()

    def make_fields(self) -> list[Field]:
        fallback = defaults(self.store)
        return [self._field(setting, fallback[setting.key]) for setting in SETTINGS]

    @staticmethod
    def _field(setting: Setting, default: object) -> Field:
        text = shown_default(setting.key, default)
        if setting.kind == "lines":
            shown_text = f"mặc định:\n{text}" if "\n" in text else f"mặc định: {text}"
            return SettingLinesField(setting.key, setting.label, placeholder=shown_text)
        return SettingField(setting.key, setting.label, placeholder=f"mặc định: {text}")

    def defaults(self) -> dict:
        """What the boxes hold when the screen opens: the settings as they are."""
        settings = self.store.office.settings
        return {setting.key: shown(setting.key, settings.get(setting.key)) for setting in SETTINGS}

    def draft(self) -> dict | None:
        return None  # settings are no record: a window closed drops what was typed here

    def gather(self) -> tuple[dict, dict[str, str]]:
        typed = {field.field_name: field.value() for field in self.fields}
        return read_changes(typed, self.store.office.settings, defaults(self.store))  # type: ignore[arg-type]

    def action_save(self) -> None:
        super().action_save()
        wrong = next((f for f in self.fields if f.has_class("-invalid")), None)
        if wrong is not None:  # its message, under it, in sight
            self.call_after_refresh(wrong.scroll_visible)

    def problems(self, record: dict) -> list:
        return []  # read_changes checked everything

    def _save(self, record: dict) -> None:
        current = self.store.office.settings
        changes = {
            key: value
            for key, read in record.items()
            if (value := stored_value(self.store, key, read)) != current.get(key)
        }
        if changes:
            try:
                self.store.update_settings(**changes)
            except StoreError as error:
                self.notify(str(error), title="Chưa lưu", severity="error", timeout=15)
                return
            self.notify("Đã lưu thông tin trên văn bản.")
        else:
            self.notify("Không có gì thay đổi.")
        self.dismiss(dict(self.store.office.settings))
