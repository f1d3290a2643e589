"""A form for one record: Enter to the next field, problems shown in place, Ctrl+S to save."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, Select, Static

from campaign.records import KINDS
from store.errors import StoreError
from store.store import Store
from tui.literal import literal, quoted
from tui.screens.dialogs import ConfirmScreen
from tui.widgets.fields import Field, FieldError


class RecordForm(Screen[dict | None]):
    """Base of the forms. A subclass gives the kind, the fields and the record being edited.

    Saving validates with the campaign's rules: every problem is shown under its field, in
    Vietnamese, and nothing is saved until all are fixed. A save is one durable write. Escape
    asks before dropping what was typed. The form is dismissed with the saved record.
    """

    BINDINGS = [
        Binding("f1", "app.help", "Phím tắt", id="form.help"),  # first, as on every screen
        Binding("ctrl+s", "save", "Lưu", id="form.save"),
        Binding("escape", "back", "Quay lại", id="form.back"),
    ]

    kind: str = ""

    def __init__(self, store: Store, record: dict | None = None) -> None:
        super().__init__()
        self.store = store
        self.record = dict(record) if record else None
        self._initial: list[object] = []
        self.pending_draft: dict | None = None  # typing to put back once the form is shown

    @property
    def is_new(self) -> bool:
        return self.record is None

    def make_fields(self) -> list[Field]:
        raise NotImplementedError

    def defaults(self) -> dict:
        """Values of a new record before anything is typed."""
        return {}

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="form"):
            yield from self.make_fields()
        yield Static("", id="form-problems")
        yield Footer()

    @property
    def fields(self) -> list[Field]:
        return list(self.query(Field))

    def shown(self, values: dict) -> dict:
        """The values as the fields show them (the attachment form shows a helper's name)."""
        return values

    def on_mount(self) -> None:
        values = self.shown(dict(self.record) if self.record is not None else self.defaults())
        for field in self.fields:
            if field.field_name in values:
                field.set_value(values[field.field_name])
        self.call_after_refresh(self._remember_initial)
        if self.fields:
            self.fields[0].focus()

    def _remember_initial(self) -> None:
        self._initial = [field.raw() for field in self.fields]
        if self.pending_draft is not None:
            values = self.pending_draft.get("values") or {}
            for field in self.fields:
                if field.field_name in values:
                    field.restore(values[field.field_name])
            self.pending_draft = None

    # ----------------------------------------------------------------- drafts

    def draft(self) -> dict | None:
        """What was typed and not saved, to keep when the terminal is closed (tui/drafts.py)."""
        if not self.is_dirty:
            return None
        key = self.record.get(KINDS[self.kind].key) if self.record else None
        return {
            "form": type(self).__name__,
            "record": key,
            "context": self.draft_context(),
            "values": {f.field_name: _plain(f.raw()) for f in self.fields},
        }

    def draft_context(self) -> dict:
        """What, besides the record, the form was opened with."""
        return {}

    @classmethod
    def from_draft(cls, store: Store, draft: dict) -> RecordForm | None:
        """The form a draft was typed in, opened again; None when its record is gone."""
        record = store.get(cls.kind, draft["record"]) if draft.get("record") else None
        if draft.get("record") and record is None:
            return None
        return cls(store, record)

    @property
    def is_dirty(self) -> bool:
        return [field.raw() for field in self.fields] != self._initial

    def unsaved(self) -> bool:
        """Typing that quitting would drop (the app asks first: NhandaoApp.action_quit)."""
        return self.is_dirty

    # ----------------------------------------------------------------- moving between fields

    def field_done(self, widget: Widget) -> None:
        """Enter in a field: the next field gets the focus now; after the last one, save."""
        fields = self.fields
        owner = next((f for f in fields if widget in f.walk_children()), None)
        if owner is None or owner is fields[-1]:
            self.action_save()
        else:
            self.set_focus(fields[fields.index(owner) + 1].input)

    @on(Select.Changed)
    def _chosen(self, event: Select.Changed) -> None:
        self._changed(event.select)
        owner = self.field_of(event.select)
        if owner is not None:
            self.chosen(owner.field_name, event.value)
        if event.select.has_focus:
            self.focus_next()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self._changed(event.input)

    def _changed(self, widget: Widget) -> None:
        """A field changed: its red message goes, as it may no longer hold (it is checked again
        on saving)."""
        owner = self.field_of(widget)
        if owner is not None and owner.has_class("-invalid"):
            owner.show_error(None)

    def field_of(self, widget: Widget) -> Field | None:
        return next((f for f in self.fields if widget in f.walk_children()), None)

    def chosen(self, name: str, value: object) -> None:
        """A choice was made in field `name` (a form may set other fields from it)."""

    # ----------------------------------------------------------------- saving

    def gather(self) -> tuple[dict, dict[str, str]]:
        """The record the fields describe, and what could not be read, by field."""
        record = dict(self.record) if self.record else {}
        record = {name: record.get(name) for name in KINDS[self.kind].field_names}
        record.update({k: v for k, v in self.defaults().items() if record.get(k) is None})
        errors: dict[str, str] = {}
        for field in self.fields:
            try:
                record[field.field_name] = field.value()
            except FieldError as error:
                errors[field.field_name] = str(error)
        return record, errors

    def problems(self, record: dict) -> list:
        _prepared, problems = self.store.check([(self.kind, record, None)])
        return problems

    def form_problems(self, record: dict) -> dict[str, str]:
        """What this form asks for beyond the rules a records file is held to, by field."""
        return {}

    def action_save(self) -> None:
        record, errors = self.gather()
        by_field = dict(errors)
        others: list[str] = []
        if not errors:
            for name, message in self.form_problems(record).items():
                by_field.setdefault(name, message)
            for problem in self.problems(record):
                if problem.field and problem.field not in by_field:
                    by_field[problem.field] = problem.detail[:1].upper() + problem.detail[1:]
                elif not problem.field:
                    others.append(problem.detail or problem.message)
        for field in self.fields:
            field.show_error(by_field.get(field.field_name))
        self.query_one("#form-problems", Static).update(literal("\n".join(others)))
        if by_field or others:
            wrong = next((f for f in self.fields if f.field_name in by_field), None)
            if wrong is not None:
                wrong.focus()
            self.notify("Chưa lưu: hãy sửa các ô báo đỏ.", severity="error")
            return
        self.before_save(record, lambda: self._save(record))

    def before_save(self, record: dict, save) -> None:  # type: ignore[no-untyped-def]
        """A chance to ask the user something first (the address form shows duplicates)."""
        save()

    def _save(self, record: dict) -> None:
        try:
            saved = self.store.save(self.kind, record)
        except StoreError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        self.notify(
            f"Đã lưu {KINDS[self.kind].label.lower()} {quoted(saved.get('name') or '')}.".replace(
                " «»", ""
            )
        )
        self.dismiss(saved)

    def action_back(self) -> None:
        if not self.is_dirty:
            self.dismiss(None)
            return

        def answered(drop: bool | None) -> None:
            if drop:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen("Bỏ những gì vừa nhập, không lưu?", yes="Bỏ", no="Ở lại"), answered
        )


def _plain(raw: object) -> object:
    """A field's raw value as JSON: a tuple as a list, no choice made as null."""
    if isinstance(raw, tuple):
        return list(raw)
    return raw if raw is None or isinstance(raw, (str, int, float, bool, list)) else None
