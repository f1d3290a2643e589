"""Small dialogs: confirm an action, choose a folder, and the F1 help listing every key of the
screen."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.actions import parse
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.drives import places
from tui.literal import literal, quoted
from tui.widgets.vn_input import VnInput


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question: Y or Enter on «Có» answers yes, N or Escape answers no."""

    BINDINGS = [
        Binding("y", "answer(True)", "Có", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "Không", id="confirm.no"),
    ]

    def __init__(self, question: str, yes: str = "Có", no: str = "Không") -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(literal(self.question), id="question")
            with Horizontal(id="buttons"):
                yield Button(f"{self.yes} (Y)", variant="error", id="yes")
                yield Button(f"{self.no} (N)", variant="primary", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class HelpScreen(ModalScreen[None]):
    """Every key of the screen it was opened from, with what it does."""

    BINDINGS = [Binding("escape,f1,q", "dismiss", "Đóng", id="help.close")]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.target = screen

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"Phím tắt — {self.target.title or self.app.title}", id="help-title")
            with VerticalScroll():
                yield Static(self._keys(), id="help-keys")
            yield Label("Esc hoặc F1 để đóng. Ctrl+P mở danh sách lệnh.", classes="muted")

    def _keys(self) -> Text:
        text = Text()
        for binding in screen_bindings(self.target):
            text.append(f"{self.app.get_key_display(binding):>12}  ", style="bold")
            text.append(f"{binding.description}\n")
        text.append("\n")
        for keys, what in FORM_KEYS:
            text.append(f"{keys:>12}  ", style="bold")
            text.append(f"{what}\n")
        return text


# How typing works everywhere, whatever the screen.
FORM_KEYS = (
    ("tab, enter", "Sang ô tiếp theo"),
    ("shift+tab", "Về ô trước"),
    ("→", "Nhận gợi ý đang hiện mờ"),
    ("space", "Mở danh sách chọn, đánh dấu nhóm"),
    ("↑ ↓ pgup pgdn", "Đi trong bảng"),
)


class FolderScreen(ModalScreen[Path | None]):
    """A folder: removable drives first, then the user's own folders, or one typed in."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Thôi", id="folder.cancel")]

    def __init__(self, question: str = "Ghi các tài liệu vào thư mục nào?") -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.question, id="question")
            yield OptionList(
                *[Option(literal(f"{p.label}  ({p.path})"), id=str(p.path)) for p in places()],
                id="places",
            )
            yield VnInput(
                placeholder="hoặc gõ một thư mục khác, rồi Enter", compact=True, id="folder"
            )

    def on_mount(self) -> None:
        self.query_one("#places", OptionList).focus()

    @on(OptionList.OptionSelected, "#places")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(Path(event.option.id or ""))

    @on(VnInput.Submitted, "#folder")
    def _typed(self, event: VnInput.Submitted) -> None:
        if not event.value.strip():  # Path("") is the current folder: never write there unasked
            self.notify("Hãy gõ một thư mục, hoặc chọn một nơi trong danh sách.", severity="error")
            return
        folder = Path(event.value.strip()).expanduser()
        if not folder.is_dir():
            self.notify(f"Không có thư mục {quoted(folder, 300)}.", severity="error")
            return
        self.dismiss(folder)


def screen_bindings(screen: Screen) -> list[Binding]:
    """The actions of a screen and of the app, whatever has the focus: every one we define has
    an id and a Vietnamese description. Those the screen turns off (check_action) are left out."""
    found: list[Binding] = []
    seen: set[str] = set()
    for node in (screen, screen.app):
        for cls in type(node).__mro__:
            for binding in cls.__dict__.get("BINDINGS", ()):
                if (
                    isinstance(binding, Binding)
                    and binding.id
                    and binding.description
                    and binding.id not in seen
                    and _allowed(node, binding)
                ):
                    seen.add(binding.id)
                    found.append(binding)
    return found


def _allowed(node: Screen | App, binding: Binding) -> bool:
    destination, name, parameters = parse(binding.action)
    return destination != "" or node.check_action(name, parameters) is not False
