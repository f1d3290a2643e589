"""Small dialogs: confirm an action, choose a folder, and the F1 help listing every key of the
screen."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.text import Text
from textual import events, on
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


class _Places(OptionList):
    """The places of a folder dialog: ↑ on the first goes back up to the text box."""

    def action_cursor_up(self) -> None:
        if not self.highlighted:
            self.screen.focus_previous()
            return
        super().action_cursor_up()


class FolderScreen(ModalScreen[Path | None]):
    """A folder: typed in the box, which has the focus, or chosen among the removable drives
    and the user's own folders under it (Tab or ↓ to go there; typing goes back to the box).

    Enter on an empty box writes nowhere. To read from (the default), a folder that does not
    exist is refused. To write (`files`: the names of the files to be written there), a folder
    that does not exist is offered to be created, and files already there are replaced only
    after asking. Escape cancels: the result is None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Thôi", id="folder.cancel")]

    def __init__(
        self, question: str = "Ghi các tài liệu vào thư mục nào?", files: Sequence[str] = ()
    ) -> None:
        super().__init__()
        self.question = question
        self.files = tuple(files)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.question, id="question")
            if self.files:
                yield Static(literal(self._files_line()), id="files", classes="muted")
            yield VnInput(placeholder=self._placeholder(), select_on_focus=False, id="folder")
            yield Label("hoặc chọn một nơi (Tab hoặc ↓ để vào danh sách):", classes="muted")
            yield _Places(
                *[Option(literal(f"{p.label}  ({p.path})"), id=str(p.path)) for p in places()],
                id="places",
            )
            yield Label("Enter: chọn · Esc: thôi", classes="muted")

    def _files_line(self) -> str:
        return "Sẽ ghi: " + ", ".join(self.files)

    def _placeholder(self) -> str:
        return "Gõ một thư mục, ví dụ D:\\TaiLieu, rồi Enter"

    def on_mount(self) -> None:
        self.query_one("#folder", VnInput).focus()

    def on_key(self, event: events.Key) -> None:
        box = self.query_one("#folder", VnInput)
        if self.focused is box:
            if event.key == "down":
                event.stop()
                self.query_one("#places", OptionList).focus()
        elif event.is_printable and event.character:  # typing goes to the box, wherever it is
            event.stop()
            box.focus()
            box.insert_text_at_cursor(event.character)

    @on(OptionList.OptionSelected, "#places")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._go(Path(event.option.id or ""))

    @on(VnInput.Submitted, "#folder")
    def _typed(self, event: VnInput.Submitted) -> None:
        typed = event.value.strip()
        if not typed:  # Path("") is the current folder, and "~" home: never write there unasked
            self.notify(
                "Hãy gõ một thư mục, hoặc chọn một nơi trong danh sách (Tab hoặc ↓).",
                severity="error",
            )
            return
        path = Path(typed).expanduser()
        if not path.is_absolute():
            self.notify(
                f"Hãy gõ đủ đường dẫn của thư mục, tính từ ổ đĩa: {quoted(typed, 100)} chưa "
                "cho biết thư mục đó ở đâu. Ví dụ: D:\\TaiLieu, hoặc chọn một nơi trong danh sách.",
                severity="error",
                timeout=10,
            )
            return
        self._go(path)

    def _go(self, path: Path) -> None:
        """Check the folder (`path`, or the file the box names) and answer, asking first when
        the folder must be created or a file replaced."""
        folder, targets = self._targets(path)
        if folder.exists() and not folder.is_dir():
            self.notify(f"{quoted(folder, 300)} là một tệp, không phải thư mục.", severity="error")
            return
        if folder.is_dir():
            self._replace(folder, targets)
            return
        if not self.files:
            self.notify(f"Không có thư mục {quoted(folder, 300)}.", severity="error")
            return

        def create(yes: bool | None) -> None:
            if not yes:
                self.query_one("#folder", VnInput).focus()
                return
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                self.notify(
                    f"Không tạo được thư mục {quoted(folder, 300)} "
                    f"({error.strerror or error}). Hãy chọn nơi khác.",
                    severity="error",
                    timeout=10,
                )
                return
            self._replace(folder, targets)

        self.app.push_screen(
            ConfirmScreen(
                f"Chưa có thư mục {quoted(folder, 300)}. Tạo thư mục này rồi ghi vào đó?",
                yes="Tạo",
            ),
            create,
        )

    def _targets(self, path: Path) -> tuple[Path, list[Path]]:
        return path, [path / name for name in self.files]

    def _replace(self, folder: Path, targets: list[Path]) -> None:
        there = [t for t in targets if t.is_file()]
        if not there:
            self._answer(folder, targets)
            return

        def replace(yes: bool | None) -> None:
            if yes:
                self._answer(folder, targets)
            else:
                self.query_one("#folder", VnInput).focus()

        names = ", ".join(quoted(t.name, 80) for t in there)
        question = (
            f"Trong {quoted(folder, 200)} đã có tệp {names}. Ghi đè lên tệp này?"
            if len(there) == 1
            else f"Trong {quoted(folder, 200)} đã có các tệp {names}. Ghi đè lên các tệp này?"
        )
        self.app.push_screen(ConfirmScreen(question, yes="Ghi đè"), replace)

    def _answer(self, folder: Path, targets: list[Path]) -> None:
        self.dismiss(folder)


class SaveFileScreen(FolderScreen):
    """Where to write one file (`name`): a folder as in FolderScreen, or the whole path of the
    file typed in the box (ending like `name`, «.xlsx») to give it another name. The result is
    the file's path, or None."""

    def __init__(self, question: str, name: str) -> None:
        super().__init__(question, files=(name,))
        self.file_name = name

    def _files_line(self) -> str:
        suffix = Path(self.file_name).suffix
        return (
            f"Tên tệp: {self.file_name}. Muốn đặt tên khác, gõ cả tên tệp ở cuối, ví dụ "
            f"D:\\TaiLieu\\danh-sach{suffix}"
        )

    def _targets(self, path: Path) -> tuple[Path, list[Path]]:
        if path.suffix.lower() == Path(self.file_name).suffix.lower():
            return path.parent, [path]
        return path, [path / self.file_name]

    def _answer(self, folder: Path, targets: list[Path]) -> None:
        self.dismiss(targets[0])


def screen_bindings(screen: Screen) -> list[Binding]:
    """The actions of a screen and of the app, whatever has the focus: every one we define has
    an id and a Vietnamese description. Those the screen turns off (check_action) are left out."""
    found: list[Binding] = []
    seen: set[str] = set()
    keys: set[str] = set()  # a key the screen binds hides the app's binding of it (F1)
    for node in (screen, screen.app):
        for cls in type(node).__mro__:
            for binding in cls.__dict__.get("BINDINGS", ()):
                if (
                    isinstance(binding, Binding)
                    and binding.id
                    and binding.description
                    and binding.id not in seen
                    and binding.key not in keys
                    and _allowed(node, binding)
                ):
                    seen.add(binding.id)
                    keys.add(binding.key)
                    found.append(binding)
    return found


def _allowed(node: Screen | App, binding: Binding) -> bool:
    destination, name, parameters = parse(binding.action)
    return destination != "" or node.check_action(name, parameters) is not False
