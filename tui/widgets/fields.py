"""Form fields: a label, an input and the Vietnamese message of what is wrong with it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.suggester import Suggester
from textual.widget import Widget
from textual.widgets import Input, Label, Select, SelectionList, Static

from campaign.dates import DateError, format_date, parse_date
from campaign.money import MoneyError, format_money, parse_money
from campaign.text import clean, completions, fold, nfc
from tui.literal import literal, visible
from tui.widgets.vn_input import COMPLETION_MARK, VnInput, VnTextArea


class FieldError(ValueError):
    """What the user typed cannot be read; the message is a Vietnamese sentence."""


def _fold_same_length(text: str) -> str:
    """Accent-free lower case, one character for one: «Nguyễn» → «nguyen» (NFC input)."""
    return "".join(fold(ch) or ch for ch in nfc(text))


class FoldedSuggester(Suggester):
    """Completes from a list of names, ignoring accents and đ/Đ, matching anywhere.

    A name that starts with what was typed is offered as its rest («nguyen v» → «Nguyễn Văn
    An»); otherwise a name whose words start with the words typed, or whose initials are the
    letters typed («lan» → «Trần Thị Lan», «bh» → «Thẻ bảo hiểm y tế»), is offered after an
    arrow, and → puts it in the box in place of what was typed (`VnInput`).
    """

    def __init__(self, names: Iterable[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.names = sorted(set(names))
        self._folded = [(_fold_same_length(n), n) for n in self.names]

    async def get_suggestion(self, value: str) -> str | None:
        return self.suggest(value)

    def suggest(self, value: str) -> str | None:
        """The suggestion for `value`, at once: → asks for it when it has not arrived yet
        (the suggestion of a key typed fast is still being worked out when → comes)."""
        name, starts = self._match(value)
        if name is None or starts:
            return name
        return f"{value}{COMPLETION_MARK}{name}"

    def best(self, value: str) -> str | None:
        """The name → would put in the box for `value`, or None when none matches."""
        return self._match(value)[0]

    def _match(self, value: str) -> tuple[str | None, bool]:
        """The name completing `value`, and whether it starts with it (accents aside)."""
        typed = _fold_same_length(value)
        if not typed.strip():
            return None, False
        for folded, name in self._folded:
            if folded.startswith(typed) and len(name) >= len(value):
                return name, True
        found = completions(value, self.names)
        return (found[0] if found else None), False


class Field(Vertical):
    """One labelled value of a form. Subclasses say how the value is read and shown."""

    DEFAULT_CSS = """
    Field { height: auto; }
    Field > Horizontal { height: auto; }
    Field .field--label { width: 27; padding: 0 1 0 0; color: $text-muted; }
    Field .field--error { color: $error; padding-left: 27; display: none; }
    Field.-invalid .field--error { display: block; }
    Field.-invalid .field--label { color: $error; }
    """

    def __init__(self, name: str, label: str, *, id: str | None = None) -> None:
        super().__init__(id=id or f"field-{name}")
        self.field_name = name
        self.label = label

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(self.label, classes="field--label")
            yield self.make_input()
        yield Static("", classes="field--error")

    def make_input(self) -> Widget:
        raise NotImplementedError

    @property
    def input(self) -> Widget:
        return self.query_one(".field--input")

    def value(self) -> object:
        """The value, ready for a record; raises FieldError when it cannot be read."""
        raise NotImplementedError

    def set_value(self, value: object) -> None:
        raise NotImplementedError

    def raw(self) -> object:
        """What the input holds as typed, to tell whether the form was changed."""
        return self.input.value  # type: ignore[attr-defined]

    def restore(self, raw: object) -> None:
        """Put back what `raw()` gave (from a draft kept when the terminal was closed)."""
        self.input.value = raw  # type: ignore[attr-defined]

    def show_error(self, message: str | None) -> None:
        self.set_class(bool(message), "-invalid")
        self.query_one(".field--error", Static).update(literal(message or ""))

    def focus(self, scroll_visible: bool = True) -> Field:
        self.input.focus(scroll_visible)
        return self


class TextField(Field):
    """A line of text, NFC and tidied when read; None when empty."""

    def __init__(
        self,
        name: str,
        label: str,
        *,
        suggestions: Iterable[str] = (),
        placeholder: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(name, label, id=id)
        self.suggestions = list(suggestions)
        self.placeholder = placeholder

    def make_input(self) -> Widget:
        suggester = FoldedSuggester(self.suggestions) if self.suggestions else None
        return FormInput(
            placeholder=self.placeholder, suggester=suggester, compact=True, classes="field--input"
        )

    def value(self) -> str | None:
        return clean(self.input.value) or None  # type: ignore[attr-defined]

    def set_value(self, value: object) -> None:
        # A stored text holding a control character (from before the rule) shows it as a
        # placeholder: the box never sends it to the terminal, and saving keeps what is seen.
        self.input.value = "" if value is None else visible(str(value))  # type: ignore[attr-defined]


class IntegerField(TextField):
    def make_input(self) -> Widget:
        return FormInput(
            placeholder=self.placeholder, type="integer", compact=True, classes="field--input"
        )

    def value(self) -> int | None:
        text = self.input.value.strip()  # type: ignore[attr-defined]
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            raise FieldError(f"«{self.label}» phải là một số nguyên.") from None


class DateField(TextField):
    """A date typed as dd/mm/yyyy (or 6/9/2018, 06092018); read as ISO."""

    def __init__(
        self, name: str, label: str, *, default_today: bool = False, id: str | None = None
    ) -> None:
        super().__init__(name, label, placeholder="ngày/tháng/năm", id=id)
        self.default_today = default_today

    def value(self) -> str | None:
        text = self.input.value.strip()  # type: ignore[attr-defined]
        if not text:
            return None
        try:
            return parse_date(text).isoformat()
        except DateError as error:
            raise FieldError(str(error)) from None

    def on_input_blurred(self, event: Input.Blurred) -> None:
        """Leaving the box shows the date as it will be kept: «15062016» → «15/06/2016» (not
        when the focus is back in it by the time this is handled, a date being typed)."""
        if not event.input.has_focus:
            tidy(event.input)

    def set_value(self, value: object) -> None:
        if value is None and self.default_today:
            value = date.today()
        self.input.value = format_date(value) if value else ""  # type: ignore[attr-defined,arg-type]


def tidy(box: Input) -> None:
    """A date box shows what was typed as dd/mm/yyyy once it can be read; else it is left."""
    text = box.value.strip()
    if not text:
        return
    try:
        shown = format_date(parse_date(text))
    except DateError:
        return
    if shown != box.value:
        box.value = shown


class MoneyField(TextField):
    """An amount typed as «1,5tr», «500k», «1.500.000»; read as đồng."""

    def __init__(self, name: str, label: str, *, id: str | None = None) -> None:
        super().__init__(name, label, placeholder="vd. 1,5tr · 500k · 1.500.000", id=id)

    def value(self) -> int | None:
        text = self.input.value.strip()  # type: ignore[attr-defined]
        if not text:
            return None
        try:
            return parse_money(text)
        except MoneyError as error:
            raise FieldError(str(error)) from None

    def set_value(self, value: object) -> None:
        self.input.value = format_money(value) if isinstance(value, int) else ""  # type: ignore[attr-defined]


def field_done(widget: Widget) -> None:
    """Enter was pressed in a form's field: the screen moves on (or saves after the last field).

    This runs in the key's own handler and moves the focus at once, not after the messages
    already waiting: keys typed ahead on a slow PC («name ↵ 3 ↵») go to the next field, as
    they would in Excel, instead of piling up in this one.
    """
    done = getattr(widget.screen, "field_done", None)
    if done is not None:
        done(widget)
    else:
        widget.screen.focus_next()


def _enter_moves_on(widget: Widget, event: events.Key) -> None:
    """Enter goes on to the next field (the widget's own Enter binding is bypassed: a key
    stopped here never reaches the bindings)."""
    if event.key == "enter":
        event.stop()
        event.prevent_default()
        field_done(widget)


class FormInput(VnInput):
    """A text input of a form: Enter moves on at once."""

    async def _on_key(self, event: events.Key) -> None:
        if self.passed_on(event):
            return
        if event.key == "enter":
            _enter_moves_on(self, event)
            return
        await super()._on_key(event)


class FormSelect(Select[str]):
    """A drop-down that opens with Space or the arrows; Enter goes on to the next field."""

    def on_key(self, event: events.Key) -> None:
        if not self.expanded:
            _enter_moves_on(self, event)


class ChoiceField(Field):
    """One of a vocabulary (code → Vietnamese label)."""

    def __init__(
        self,
        name: str,
        label: str,
        choices: Mapping[str, str],
        *,
        allow_blank: bool = False,
        blank: str = "—",
        id: str | None = None,
    ) -> None:
        super().__init__(name, label, id=id)
        self.choices = dict(choices)
        self.allow_blank = allow_blank
        self.blank = blank

    def make_input(self) -> Widget:
        options = [(literal(label), code) for code, label in self.choices.items()]
        first = Select.NULL if self.allow_blank else options[0][1]
        return FormSelect(
            options,
            allow_blank=self.allow_blank,
            prompt=self.blank,
            value=first,
            compact=True,
            classes="field--input",
        )

    def value(self) -> str | None:
        selected = self.input.value  # type: ignore[attr-defined]
        return None if selected is Select.NULL else selected

    def restore(self, raw: object) -> None:
        self.set_value(raw)

    def set_value(self, value: object) -> None:
        select: Select = self.input  # type: ignore[assignment]
        if value in self.choices:
            select.value = value
        elif self.allow_blank:
            select.clear()


class GroupsList(SelectionList[str]):
    """Space ticks a group; Enter goes on to the next field, as everywhere in a form."""

    def on_key(self, event: events.Key) -> None:
        _enter_moves_on(self, event)


class GroupsField(Field):
    """Several of a vocabulary, ticked with the space bar."""

    DEFAULT_CSS = """
    GroupsField SelectionList { height: 5; }
    """

    def __init__(
        self, name: str, label: str, choices: Mapping[str, str], *, id: str | None = None
    ) -> None:
        super().__init__(name, label, id=id)
        self.choices = dict(choices)

    def make_input(self) -> Widget:
        return GroupsList(
            *[(label, code) for code, label in self.choices.items()],
            compact=True,
            classes="field--input",
        )

    def raw(self) -> object:
        return tuple(self.value())

    def restore(self, raw: object) -> None:
        self.set_value(raw)

    def value(self) -> list[str]:
        chosen = set(self.input.selected)  # type: ignore[attr-defined]
        return [code for code in self.choices if code in chosen]

    def set_value(self, value: object) -> None:
        selection: SelectionList = self.input  # type: ignore[assignment]
        selection.deselect_all()
        for code in value or []:  # type: ignore[union-attr]
            selection.select(code)


class FlagField(Field):
    """Yes or no, chosen from «Có» / «Không» (clearer than a tick box in a terminal)."""

    def make_input(self) -> Widget:
        return FormSelect(
            [("Có", "yes"), ("Không", "no")],
            allow_blank=False,
            value="no",
            compact=True,
            classes="field--input",
        )

    def value(self) -> bool:
        return self.input.value == "yes"  # type: ignore[attr-defined]

    def set_value(self, value: object) -> None:
        self.input.value = "yes" if value else "no"  # type: ignore[attr-defined]


class ProseField(Field):
    """Several lines of text (the objective or results of a model)."""

    DEFAULT_CSS = """
    ProseField TextArea { height: 4; }
    """

    def make_input(self) -> Widget:
        return VnTextArea(
            classes="field--input", soft_wrap=True, show_line_numbers=False, compact=True
        )

    def value(self) -> str | None:
        text = nfc(self.input.text).strip()  # type: ignore[attr-defined]
        return text or None

    def raw(self) -> object:
        return self.input.text  # type: ignore[attr-defined]

    def restore(self, raw: object) -> None:
        self.input.text = str(raw)  # type: ignore[attr-defined]

    def set_value(self, value: object) -> None:
        self.input.text = "" if value is None else visible(str(value), lines=True)  # type: ignore[attr-defined]
