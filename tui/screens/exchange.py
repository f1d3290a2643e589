"""Sending and receiving bundles: to a USB stick or as e-mail text, checked before merging."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import (
    DirectoryTree,
    Footer,
    Header,
    Label,
    OptionList,
    Select,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from campaign.dates import format_date
from campaign.money import format_number
from campaign.records import KIND_ORDER, KINDS, describe
from exporters import returns
from exporters.returns import ReadReturn
from store.errors import StoreError
from store.files import write_atomic
from store.store import Store
from sync import armor, keys, send
from sync.readback import Checked, verify_written
from sync.receive import COUNTED, ImportReport, Progress, import_bundles
from tui.drives import places
from tui.literal import literal, quoted, shorten
from tui.screens.dialogs import ConfirmScreen, FolderScreen
from tui.screens.office import OfficeScreen
from tui.screens.progress import ProgressScreen
from tui.widgets.record_table import Column, RecordTable
from tui.widgets.vn_input import VnInput, VnTextArea

HOW = {
    "zip": "Tệp gói .zip (chép vào USB)",
    "text": "Tệp .txt để gửi thư điện tử",
    "show": "Chữ để dán vào thư điện tử",
}
# What a pasted message that cannot be read back needs, by ArmorError.problem.
PASTE_PROBLEMS = {
    "cut": (
        f"Thư vừa dán bị cắt mất phần cuối (không thấy dòng «{armor.END}»). Hãy dán lại nguyên "
        "cả khối, hoặc xin gửi lại gói dạng tệp đính kèm. Chưa nhận gì."
    ),
    "checksum": (
        "Mã kiểm tra của gói không khớp: chữ trong thư đã bị thay đổi trên đường gửi hoặc khi "
        "chép. Hãy chép lại nguyên văn cả khối, hoặc xin gửi lại gói dạng tệp đính kèm. "
        "Chưa nhận gì."
    ),
    "damaged": (
        "Phần chữ giữa hai dòng BEGIN và END bị hỏng. Hãy chép lại nguyên văn cả khối, hoặc xin "
        "gửi lại gói dạng tệp đính kèm. Chưa nhận gì."
    ),
}
WHAT = {"changes": "Phần cấp trên chưa xác nhận", "full": "Toàn bộ dữ liệu"}
DIRECTORY_WHAT = {"changes": "Danh mục, nếu đã thay đổi", "full": "Gửi lại danh mục dù không đổi"}
NO_ACKS_DUE = (
    "Không có gói nào của văn phòng cấp dưới đang chờ xác nhận: mọi gói đã nhận đều đã được "
    "xác nhận. Không ghi gì."
)
STATUS_SHOWN = {
    "merged": "Đã nhập",
    "checked": "Dùng được",
    "already": "Đã nhập trước đây",
    "refused": "Từ chối",
}
COUNT_TITLES = {
    "new": "Mới",
    "updated": "Sửa",
    "unchanged": "Như cũ",
    "conflict": "Xung đột",
    "quarantined": "Cách ly",
}


def size_text(size: int) -> str:
    """«850 byte», «12 KB», «3,4 MB»: a file's size as a Vietnamese reader writes it."""
    if size < 1024:
        return f"{format_number(size)} byte"
    if size < 1024 * 1024:
        return f"{format_number(round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


def _sender(store: Store, report: ImportReport) -> str:
    """Who sent a bundle: its signer's unit, or for an unknown key the unit it claims."""
    if report.sender:
        return report.unit_name(store, report.sender)
    claimed = getattr(report.refusal, "claimed_sender", None)
    return f"{report.unit_name(store, claimed)} (tự ghi)" if claimed else "?"


def _result(report: ImportReport) -> str:
    """What became of a bundle, with its totals when it was read."""
    if report.awaits_directory:
        return "Nhập sau gói danh mục"
    if report.refused:
        return "Khoá lạ (Ctrl+E)" if getattr(report.refusal, "fingerprint", None) else "Từ chối"
    totals = _counted({s: report.total(s) for s in COUNTED})
    status = STATUS_SHOWN[report.status]
    return f"{status}: {totals}" if totals else status


def _counted(counts: Mapping[str, int]) -> str:
    """«4 mới, 1 sửa»: the records of each outcome, those with none left out."""
    return ", ".join(
        f"{format_number(counts[s])} {COUNT_TITLES[s].lower()}" for s in COUNTED if counts[s]
    )


def _red(message: str) -> Text:
    """An error for a Static, never read as markup: paths such as E:\\ or [8GB] stay as typed."""
    return literal(message, style="red")


class SendScreen(OfficeScreen):
    """Write a bundle of this office's changes for the office above (the directory for the
    offices below, at the province) and the acknowledgements due to the offices below, then
    read them back."""

    TITLE = "Gửi dữ liệu lên cấp trên"
    BINDINGS = [
        Binding("ctrl+s", "write", "Ghi gói", id="send.write"),
        Binding("ctrl+t", "acks", "Chỉ gửi xác nhận", id="send.acks"),
        Binding("escape", "back", "Quay lại", id="send.back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="form"):
            yield Static(id="send-to")
            yield Label("Ghi vào (ổ USB được đưa lên đầu):", classes="section")
            yield OptionList(id="places")
            with Horizontal(classes="folder-line"):
                yield Label("hoặc thư mục khác: ")
                yield VnInput(
                    placeholder="gõ đường dẫn, vd. E:\\gui-huyen", compact=True, id="folder"
                )
            with Horizontal(classes="choices"):
                yield Select(
                    [(label, code) for code, label in WHAT.items()],
                    value="changes",
                    allow_blank=False,
                    compact=True,
                    id="what",
                )
                yield Select(
                    [(label, code) for code, label in HOW.items()],
                    value="zip",
                    allow_blank=False,
                    compact=True,
                    id="how",
                )
            yield Static(id="sent")
            yield TextArea(id="armored", read_only=True, classes="hidden")
        yield Footer()

    def on_mount(self) -> None:
        # The province sends its directory (units, enrolled keys) down; the others send records up.
        self.directory = keys.is_province_office(self.store)
        if self.directory:
            self.title = "Gửi danh mục xuống cấp dưới"
            who = (
                "Văn phòng Tỉnh Hội gửi gói danh mục (các đơn vị và khoá đã đăng ký) xuống các "
                "văn phòng cấp dưới."
            )
            self.query_one("#what", Select).set_options(
                [(label, code) for code, label in DIRECTORY_WHAT.items()]
            )
            self.query_one("#what", Select).value = "changes"
        else:
            receiver = send.receiver_of(self.store)
            who = f"Gói gửi lên {self.store.units.name(receiver)}."
        self.who = who
        self._show_due()
        options = self.query_one("#places", OptionList)
        self.places = places()
        options.add_options(
            [Option(literal(f"{p.label}  ({p.path})"), id=str(p.path)) for p in self.places]
        )
        options.highlighted = 0
        options.focus()

    def _show_due(self) -> None:
        """Who the bundle goes to, and the offices below waiting for an acknowledgement."""
        due = sorted(send.pending_acks(self.store))
        if due:
            names = ", ".join(self._unit_name(unit) for unit in due[:3])
            names += "…" if len(due) > 3 else ""
            note = f"\nXác nhận cho {len(due)} văn phòng cấp dưới ({names}) được ghi cùng gói."
        else:
            note = ""
        self.query_one("#send-to", Static).update(literal(self.who + note))

    def _unit_name(self, unit: str) -> str:
        return self.store.units.name(unit) if unit in self.store.units else unit

    def _destination(self) -> Path | None:
        typed = self.query_one("#folder", VnInput).value.strip()
        if typed:
            return Path(typed).expanduser()
        options = self.query_one("#places", OptionList)
        if options.highlighted is None:
            return None
        return Path(options.get_option_at_index(options.highlighted).id or "")

    @on(OptionList.OptionSelected, "#places")
    def _chosen(self) -> None:
        self.action_write()

    def action_write(self) -> None:
        self._start(acks_only=False)

    def action_acks(self) -> None:
        """Only the acknowledgements due to the offices below, without a bundle of data."""
        if not send.pending_acks(self.store):
            self.query_one("#armored", TextArea).add_class("hidden")
            message = NO_ACKS_DUE
            self.query_one("#sent", Static).update(literal(message))
            self.notify(message, severity="warning", markup=False)
            return
        self._start(acks_only=True)

    def _start(self, *, acks_only: bool) -> None:
        full = self.query_one("#what", Select).value == "full"
        how = str(self.query_one("#how", Select).value)
        destination = self._destination()
        if how == "show":  # the text is shown to copy; its file stays in the store
            destination = self.store.path / "outbox-text"
        elif destination is None or not destination.is_dir():
            if destination is None:
                problem = "Chưa chọn nơi ghi gói."
            elif destination.exists():
                problem = f"{quoted(destination, 300)} là một tệp, không phải thư mục."
            else:
                problem = f"Không có thư mục {quoted(destination, 300)}."
            self._failed(None, f"{problem} Hãy chọn ổ USB hay gõ một thư mục có thật.")
            return
        progress = ProgressScreen("Đang ghi gói và đọc lại để kiểm tra…")
        self.app.push_screen(progress)
        self._write(destination, full, how, progress, acks_only)

    @work(thread=True, exclusive=True, group="send", exit_on_error=False)
    def _write(
        self, destination: Path, full: bool, how: str, progress: ProgressScreen, acks_only: bool
    ) -> None:
        armored = how != "zip"
        try:
            if how == "show":
                destination.mkdir(exist_ok=True)
            if acks_only:
                sent = None
            elif self.directory:
                sent = send.export_directory(self.store, destination, armored=armored, again=full)
            else:
                sent = send.export_records(self.store, destination, full=full, armored=armored)
            checked = verify_written(self.store, sent.path) if sent is not None else None
            text = sent.path.read_text(encoding="utf-8") if sent and how == "show" else None
            empty = sent is None and not any(
                self.store.count(kind, live=False) for kind in KIND_ORDER
            )
            acked = send.export_acks(self.store, destination, armored=armored)
            for ack in acked:
                verify_written(self.store, ack.path)
        except (StoreError, OSError) as error:
            message = str(error) if isinstance(error, StoreError) else _not_written(error)
            self.app.call_from_thread(self._failed, progress, message)
            return
        written = Written(sent, checked, text, how, empty, acked, acks_only)
        self.app.call_from_thread(self._written, progress, written)

    def _failed(self, progress: ProgressScreen | None, message: str) -> None:
        if progress is not None:
            progress.done()
        self.query_one("#armored", TextArea).add_class("hidden")
        self.query_one("#sent", Static).update(_red(message))
        self.notify(message, severity="error", timeout=10, markup=False)
        self._show_due()

    def _written(self, progress: ProgressScreen, written: Written) -> None:
        progress.done()
        self._show_due()
        sent, how = written.sent, written.how
        sent_line = self.query_one("#sent", Static)
        armored = self.query_one("#armored", TextArea)
        armored.set_class(written.text is None, "hidden")
        acks_line = self._acks_line(written.acked)
        if sent is None:
            if written.acks_only:
                told = acks_line
            elif self.directory:
                told = send.directory_unchanged(self.store) + (
                    " Muốn vẫn ghi, chọn «Gửi lại danh mục dù không đổi»."
                )
            elif written.empty:
                told = (
                    "Kho chưa có bản ghi nào: không có gì để gửi. Hãy nhập các địa chỉ nhân đạo "
                    "trước."
                )
            else:
                told = (
                    "Cấp trên đã xác nhận nhận đủ: không có gì mới để gửi. Muốn gửi lại tất cả, "
                    "chọn «Toàn bộ dữ liệu»."
                )
            if acks_line and not written.acks_only:
                told += " " + acks_line
            sent_line.update(literal(told))
            if not written.acked:
                self.notify(told, severity="warning", markup=False)
            return
        if self.directory:
            remember = "Nhớ gửi gói này xuống các văn phòng cấp dưới."
        else:
            remember = f"Nhớ gửi gói này lên {self._unit_name(sent.to)}."
        form = {"zip": "", "text": " dạng thư điện tử", "show": " dạng thư điện tử"}[how]
        checked = written.checked
        sent_line.update(
            literal(
                f"Đã ghi gói số {sent.sequence}{form} ({format_number(checked.records)} bản ghi, "
                f"{size_text(checked.size)}) vào {sent.path}, đã đọc lại và kiểm tra: đúng. "
                + remember
                + (" " + acks_line if acks_line else "")
            )
        )
        if written.text is not None:
            armored.load_text(written.text)
            armored.select_all()
            armored.focus()
            self.notify(
                "Cả thư đã được chọn: Ctrl+C để chép (F7 chọn lại tất cả), rồi dán vào thư gửi đi.",
                markup=False,
            )

    def _acks_line(self, acked: list[send.Sent]) -> str:
        if not acked:
            return ""
        each = "; ".join(f"{self._unit_name(a.to or '')}: {a.path.name}" for a in acked)
        folder = acked[0].path.parent
        return (
            f"Đã ghi {len(acked)} gói xác nhận vào {folder} (đã đọc lại: đúng), mỗi văn phòng "
            f"cấp dưới một tệp: {each}. Nhớ gửi mỗi tệp cho đúng văn phòng đó."
        )


@dataclass(frozen=True)
class Written:
    """What a send wrote: the bundle (None when nothing new), and the acknowledgements."""

    sent: send.Sent | None
    checked: Checked | None
    text: str | None
    how: str
    empty: bool
    acked: list[send.Sent]
    acks_only: bool


class BundlePicker(DirectoryTree):
    """Folders and bundle files; Space (or Enter on a file) ticks a file, in any folder."""

    BINDINGS = [Binding("space", "toggle", "Chọn / bỏ chọn tệp", id="picker.toggle")]

    def __init__(self, path: Path, id: str | None = None) -> None:
        super().__init__(path, id=id)
        self.chosen: list[Path] = []

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [
            p
            for p in paths
            if not p.name.startswith(".")
            and (p.is_dir() or p.suffix.lower() in (".zip", ".txt", ".xlsx"))
        ]

    def render_label(self, node, base_style, style):  # type: ignore[no-untyped-def]
        label = super().render_label(node, base_style, style)
        if node.data is not None and Path(node.data.path) in self.chosen:
            # In front: a long name is cut at the right edge of the tree.
            label = Text.assemble(("✓ ", "bold"), label)
            label.stylize("bold")
        return label

    def action_toggle(self) -> None:
        node = self.cursor_node
        if node is None or node.data is None:
            return
        path = Path(node.data.path)
        if path.is_dir():
            node.toggle()
            return
        if path in self.chosen:
            self.chosen.remove(path)
        else:
            self.chosen.append(path)
        self._refresh_node(node)
        self.post_message(self.ChosenChanged(self))

    @on(DirectoryTree.FileSelected)
    def _file(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.action_toggle()

    class ChosenChanged(Message):
        """The files ticked changed."""

        def __init__(self, picker: BundlePicker) -> None:
            super().__init__()
            self.picker = picker


class PasteScreen(ModalScreen[Path | None]):
    """A bundle received as e-mail text: paste the whole message, Ctrl+S keeps it."""

    BINDINGS = [
        Binding("ctrl+s", "keep", "Giữ", id="paste.keep"),
        Binding("escape", "dismiss(None)", "Thôi", id="paste.cancel"),
    ]

    def __init__(self, inbox: Path) -> None:
        super().__init__()
        self.inbox = inbox

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(
                "Dán nguyên thư chứa gói (từ dòng BEGIN đến dòng END), rồi Ctrl+S:", id="question"
            )
            yield VnTextArea(id="pasted")
            yield Static("Ctrl+S: giữ lại để kiểm tra · Esc: thôi", classes="muted")

    def unsaved(self) -> bool:
        return bool(self.query_one("#pasted", TextArea).text.strip())

    def action_keep(self) -> None:
        text = self.query_one("#pasted", TextArea).text
        data = text.encode("utf-8")
        if not armor.looks_armored(data):
            self._refuse(
                f"Chưa thấy gói trong chữ vừa dán: hãy dán cả khối, từ dòng «{armor.BEGIN}» "
                f"đến dòng «{armor.END}»."
            )
            return
        try:
            armor.dearmor(data)
        except armor.ArmorError as error:
            self._refuse(PASTE_PROBLEMS.get(error.problem, PASTE_PROBLEMS["damaged"]))
            return
        try:
            self.inbox.mkdir(exist_ok=True)
            stamp = f"thu-{datetime.now():%Y%m%d-%H%M%S}"
            path, number = self.inbox / f"{stamp}.txt", 1
            while path.exists():  # two pastes within a second
                number += 1
                path = self.inbox / f"{stamp}-{number}.txt"
            write_atomic(path, data)
        except (StoreError, OSError) as error:
            self._refuse(str(error) if isinstance(error, StoreError) else _not_written(error))
            return
        self.dismiss(path)

    def _refuse(self, message: str) -> None:
        self.notify(message, severity="error", timeout=10, markup=False)


class EnrolKeyScreen(ModalScreen[bool]):
    """A bundle signed by a key not enrolled here: check its fingerprint by phone, then enrol."""

    BINDINGS = [Binding("escape", "dismiss(False)", "Thôi", id="enrol.cancel")]

    def __init__(self, store: Store, report: ImportReport) -> None:
        super().__init__()
        self.store = store
        self.refusal = report.refusal

    def compose(self) -> ComposeResult:
        refusal = self.refusal
        unit = refusal.claimed_sender  # type: ignore[union-attr]
        name = (
            shorten(self.store.units.name(unit))
            if unit in self.store.units
            else f"đơn vị «{shorten(unit, 40)}»"
        )
        question = Text.assemble(
            "Gói ghi là của ",
            literal(name, "bold"),
            literal(
                f" ({shorten(unit, 40)}), ký bằng khoá {refusal.key_id} "  # type: ignore[union-attr]
                "chưa đăng ký ở văn phòng này.\n\nDấu vân tay của khoá:\n"
            ),
            literal(refusal.fingerprint, "bold"),  # type: ignore[union-attr]
            literal(
                f"\n\nHãy gọi điện cho {name}, đề nghị họ đọc dấu vân tay (lệnh «nhandao keys "
                "show» ở máy của họ) và gõ vào dưới đây. Chỉ khi khớp, khoá mới được đăng ký."
            ),
        )
        with Vertical(id="dialog"):
            yield Static(question, id="question")
            yield VnInput(placeholder="25 chữ số họ đọc qua điện thoại", id="digits")
            yield Static("Enter: đăng ký khoá · Esc: thôi", classes="muted")

    @on(VnInput.Submitted, "#digits")
    def _check(self, event: VnInput.Submitted) -> None:
        refusal = self.refusal
        typed = "".join(ch for ch in event.value if ch.isdigit())
        if typed != refusal.fingerprint.replace(" ", ""):  # type: ignore[union-attr]
            self.notify(
                "Dấu vân tay không khớp: không đăng ký. Có thể gói không phải do văn phòng "
                "đó gửi; hãy hỏi lại họ.",
                severity="error",
                timeout=10,
            )
            return
        try:
            keys.enrol(self.store, refusal.public_key, refusal.claimed_sender)  # type: ignore[union-attr]
        except StoreError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        self.notify("Đã đăng ký khoá. Kiểm tra lại các gói.")
        self.dismiss(True)


@dataclass
class ReturnFile:
    """A hand-filled Bảng tổng hợp chosen beside the bundles (exporters/returns.py): read, or
    why not; taken in or not yet."""

    path: Path
    read: ReadReturn | None
    error: str | None = None
    taken: int | None = None  # records changed, once taken in

    @property
    def clean(self) -> bool:
        return self.read is not None and returns.can_take(self.read, accept=False)


class ReceiveScreen(OfficeScreen):
    """Pick bundle files (or paste one), and the Bảng tổng hợp of units without the program
    (.xlsx), check each, then merge them in one go."""

    TITLE = "Nhận dữ liệu từ cấp dưới"
    BINDINGS = [
        Binding("ctrl+k", "check", "Kiểm tra", id="receive.check"),
        Binding("ctrl+s", "merge", "Nhập", id="receive.merge"),
        Binding("ctrl+o", "place", "Thư mục khác", id="receive.place"),
        Binding("ctrl+v", "paste", "Dán thư", id="receive.paste"),
        Binding("ctrl+e", "enrol", "Đăng ký khoá", id="receive.enrol"),
        Binding("ctrl+a", "accept", "Nhận bảng có chỗ chưa khớp", id="receive.accept", show=False),
        Binding("escape", "back", "Quay lại", id="receive.back"),
    ]

    def __init__(self, store: Store, start: Path | None = None) -> None:
        super().__init__(store)
        self.start = start or places()[0].path
        self.reports: list[ImportReport] = []
        self.returns: list[ReturnFile] = []
        self.repeats: dict[int, int] = {}  # a bundle chosen twice: its row, the first one's
        self.pasted: list[Path] = []
        self.summary = ""  # what the last check or merge found

    def compose(self) -> ComposeResult:
        yield Header()
        yield BundlePicker(self.start, id="picker")
        yield RecordTable(
            [
                Column("Gói"),
                Column("Từ", 16),
                Column("Số", 4, right=True),
                Column("Ngày", 10, hide_below=72),
                Column("Kết quả", 22),
            ],
            empty="Phím cách: chọn tệp gói · Ctrl+O: thư mục khác · Ctrl+V: dán thư",
            id="reports",
        )
        with VerticalScroll(id="detail-box"):
            yield Static(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#picker", BundlePicker).focus()

    @property
    def chosen(self) -> list[Path]:
        return [*self.query_one("#picker", BundlePicker).chosen, *self.pasted]

    @on(BundlePicker.ChosenChanged)
    def _chosen(self) -> None:
        self.query_one("#detail", Static).update(
            literal(
                f"Đã chọn {len(self.chosen)} tệp: "
                + ", ".join(p.name for p in self.chosen[:6])
                + ("…" if len(self.chosen) > 6 else "")
            )
        )

    def action_place(self) -> None:
        """Show another drive or folder in the picker; files ticked elsewhere stay ticked."""

        def chosen(folder: Path | None) -> None:
            if folder is not None:
                picker = self.query_one("#picker", BundlePicker)
                picker.path = folder
                picker.focus()

        self.app.push_screen(FolderScreen("Tìm các tệp gói ở thư mục nào?"), chosen)

    def action_paste(self) -> None:
        def pasted(path: Path | None) -> None:
            if path is not None:
                self.pasted.append(path)
                self._chosen()
                self.action_check()

        self.app.push_screen(PasteScreen(self.store.path / "inbox"), pasted)

    def action_check(self) -> None:
        if not self.chosen:
            self.notify("Chưa chọn tệp gói nào (phím cách để chọn).", severity="warning")
            return
        self._run(dry_run=True)

    def action_merge(self) -> None:
        if not self.reports and not self.returns:
            self.notify(
                "Hãy kiểm tra các gói trước (Ctrl+K); chỉ nhập những gói hợp lệ.",
                severity="warning",
            )
            return
        good, tables = self._to_merge(), self._returns_to_take()
        if not good and not tables:
            refused = all(r.refused for r in self.reports)
            self.notify(
                "Mọi gói đã chọn đều bị từ chối: không có gì để nhập. Chọn từng gói để xem lý do."
                if refused and all(not table.clean for table in self.returns)
                else "Không có gói mới nào để nhập.",
                severity="warning",
            )
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._run(dry_run=False)

        what = [f"{len(good)} gói hợp lệ"] if good else []
        if tables:
            what.append(f"{len(tables)} Bảng tổng hợp tự điền")
        self.app.push_screen(
            ConfirmScreen(
                f"Nhập {' và '.join(what)} vào kho? {'Tệp' if tables else 'Gói'} bị từ chối "
                "không được nhập.",
                yes="Nhập",
            ),
            answered,
        )

    def _returns_to_take(self) -> list[ReturnFile]:
        return [table for table in self.returns if table.clean and table.taken is None]

    def action_accept(self) -> None:
        """Take in the highlighted Bảng tổng hợp with what does not add up, said with it."""
        key = self.query_one("#reports", RecordTable).current_key
        if key is None or not key.startswith("r"):
            self.notify("Chọn một Bảng tổng hợp tự điền trong danh sách (tệp .xlsx).")
            return
        table = self.returns[int(key[1:])]
        read = table.read
        if read is None or table.taken is not None or not returns.can_take(read, accept=True):
            self.notify("Bảng này không nhận được (hoặc đã nhận).", severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                table.taken = returns.take(self.store, read, accept=True)
            except StoreError as error:
                self.notify(str(error), title="Chưa nhận", severity="error", timeout=20)
                return
            self.notify(f"Đã nhận {read.source} kèm {len(read.problems)} chỗ chưa khớp.")
            self._show_rows()

        self.app.push_screen(
            ConfirmScreen(
                f"Nhận {read.source} dù có {len(read.problems)} chỗ chưa khớp? Các chỗ đó được "
                "ghi lại cùng báo cáo.",
                yes="Nhận",
            ),
            answered,
        )

    def _to_merge(self) -> list[ImportReport]:
        """The bundles checked and not merged yet, each once (a copy chosen twice is left out)."""
        return [
            r
            for i, r in enumerate(self.reports)
            if (r.status == "checked" or r.awaits_directory) and i not in self.repeats
        ]

    def _run(self, *, dry_run: bool) -> None:
        if dry_run:
            paths = [p for p in self.chosen if p.suffix.lower() != ".xlsx"]
            tables = [p for p in self.chosen if p.suffix.lower() == ".xlsx"]
        else:
            paths, tables = [Path(r.source) for r in self._to_merge()], []
        title = "Đang kiểm tra các gói…" if dry_run else "Đang nhập các gói…"
        progress = ProgressScreen(title, total=len(paths) + len(tables))
        self.app.push_screen(progress)
        self._work(paths, tables, dry_run, progress)

    @work(thread=True, exclusive=True, group="receive", exit_on_error=False)
    def _work(
        self, paths: list[Path], tables: list[Path], dry_run: bool, progress: ProgressScreen
    ) -> None:
        def step(update: Progress) -> None:
            self.app.call_from_thread(
                progress.advance, update.done, update.total, Path(update.report.source).name
            )

        reports = import_bundles(self.store, paths, dry_run=dry_run, progress=step) if paths else []
        if dry_run:
            read = []
            for path in tables:
                try:
                    read.append(ReturnFile(path, returns.read_file(self.store, path)))
                except returns.ReturnError as error:
                    read.append(ReturnFile(path, None, str(error)))
            self.returns = read
        else:
            for table in self._returns_to_take():
                assert table.read is not None
                table.taken = returns.take(self.store, table.read)
        self.app.call_from_thread(self._show, reports, dry_run, progress)

    def _show(self, reports: list[ImportReport], dry_run: bool, progress: ProgressScreen) -> None:
        progress.done()
        if dry_run:
            self.reports = reports
            # The same bundle chosen twice (a copy on the stick and one from the e-mail):
            # merged once, the other shown as a repeat of the row it repeats.
            first: dict[str, int] = {}
            self.repeats = {}
            for index, report in enumerate(reports):
                if report.status == "checked" and report.bundle is not None:
                    if report.bundle in first:
                        self.repeats[index] = first[report.bundle]
                    else:
                        first[report.bundle] = index
        else:
            merged = {r.source: r for r in reports}
            self.reports = [merged.get(r.source, r) for r in self.reports]
        self.add_class("-checked")
        refused = [r for r in self.reports if r.refused and not r.awaits_directory]
        done = "Kết quả kiểm tra (chưa nhập gì)" if dry_run else "Kết quả nhập"
        # Above the explanation of the highlighted bundle, for as long as the list is shown.
        parts = []
        if self.reports or not self.returns:
            parts.append(f"{len(self.reports) - len(refused)} gói dùng được, {len(refused)} gói "
                         "bị từ chối.")  # fmt: skip
        if self.returns:
            clean = sum(t.clean for t in self.returns)
            parts.append(f"Bảng tổng hợp tự điền: {clean} dùng được, "
                         f"{len(self.returns) - clean} có chỗ chưa đúng.")  # fmt: skip
        self.summary = f"{done}: {' '.join(parts)}"
        if self._to_merge() or self._returns_to_take():
            what = "các gói" if self.reports else "các bảng"
            self.summary += f" Ctrl+S để nhập {what} dùng được."
        self._show_rows()
        self.query_one("#reports", RecordTable).focus()
        if not dry_run:
            taken = sum(t.taken is not None for t in self.returns)
            tables = f" và {taken} Bảng tổng hợp tự điền" if taken else ""
            self.notify(f"Đã nhập {sum(r.status == 'merged' for r in self.reports)} gói{tables}.")

    def _show_rows(self) -> None:
        rows = [
            (
                str(index),
                (
                    Path(report.source).name,
                    _sender(self.store, report),
                    str(report.sequence or ""),
                    format_date(getattr(report, "created", None)),
                    "Trùng gói ở trên" if index in self.repeats else _result(report),
                ),
            )
            for index, report in enumerate(self.reports)
        ]
        for index, table in enumerate(self.returns):
            read = table.read
            whose = ""
            if read is not None and read.unit in self.store.units:
                whose = self.store.units.name(read.unit)
            rows.append((f"r{index}", (table.path.name, whose, "", "", _table_result(table))))
        self.query_one("#detail", Static).update(self.summary)
        self.query_one("#reports", RecordTable).set_rows(rows)

    @on(RecordTable.Highlighted, "#reports")
    def _explain(self, event: RecordTable.Highlighted) -> None:
        if event.key is None or ":" in event.key:
            return
        if event.key.startswith("r"):
            explained = _table_detail(self.returns[int(event.key[1:])])
            self.query_one("#detail", Static).update(Text("\n").join([Text(self.summary),
                                                                       explained]))  # fmt: skip
            return
        index = int(event.key)
        report = self.reports[index]
        if report.awaits_directory:
            explained = literal(
                f"Gói ký bằng khoá {report.refusal.key_id}, chưa đăng ký ở đây nhưng có trong "  # type: ignore[union-attr]
                "gói danh mục đã chọn cùng: khi nhập (Ctrl+S), gói danh mục được nhập trước, rồi "
                "gói này được kiểm tra lại và nhập."
            )
        elif report.refused:
            explained = _red(str(report.refusal))
        elif index in self.repeats:
            again = Path(self.reports[self.repeats[index]].source).name
            explained = literal(
                f"Cùng một gói với {quoted(again)} ở trên (chọn hai lần): chỉ nhập một lần."
            )
        else:
            notes = [
                "Gói hợp lệ. Theo từng đơn vị:" if report.counts else "Gói hợp lệ.",
                *self._about(report),
                *(
                    f"  {report.unit_name(self.store, unit)}: {_counted(counts)}"
                    for unit, counts in sorted(report.counts.items())
                ),
                *report.warnings,
                *(
                    f"Cách ly {_record(h.kind, h.id)}: {'; '.join(h.reasons)}"
                    for h in report.held[:3]
                ),
            ]
            explained = literal("\n".join(notes))
        self.query_one("#detail", Static).update(Text("\n").join([Text(self.summary), explained]))

    def _about(self, report: ImportReport) -> list[str]:
        """What a directory or an acknowledgement says, as the command line prints it."""
        if report.kind == "directory":
            return [f"Danh mục số hiệu {report.directory_revision} của Tỉnh Hội."]
        result = report.ack
        if result is None:
            return []
        receiver = report.unit_name(self.store, result.receiver)
        numbers = ", ".join(str(n) for n in result.acknowledged) or "không gói nào"
        lines = [f"{receiver} xác nhận đã nhận gói số {numbers} của văn phòng này."]
        lines += [
            f"Bị giữ lại ở {receiver}: {reason}"
            for held in result.quarantined
            for reason in held["reasons"]
        ]
        if result.quarantined:
            lines.append(
                f"{len(result.quarantined)} bản ghi bị {receiver} giữ lại: hãy sửa chúng rồi gửi "
                "gói mới; các bản ghi này sẽ được gửi lại."
            )
        return lines

    def action_enrol(self) -> None:
        key = self.query_one("#reports", RecordTable).current_key
        if key is None or ":" in key:
            return
        report = self.reports[int(key)]
        if not getattr(report.refusal, "fingerprint", None):
            self.notify("Chỉ đăng ký được khoá của gói bị từ chối vì «khoá lạ».")
            return

        def enrolled(yes: bool | None) -> None:
            if yes:
                self.action_check()

        self.app.push_screen(EnrolKeyScreen(self.store, report), enrolled)


class KeysScreen(OfficeScreen):
    """The keys this office trusts, for which unit; revoking one stops its bundles."""

    TITLE = "Khoá đã đăng ký"
    BINDINGS = [
        Binding("delete", "revoke", "Thu hồi khoá", id="keys.revoke"),
        Binding("escape", "back", "Quay lại", id="keys.back"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.enrolled: dict[str, keys.Enrolment] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="own-key")
        yield RecordTable(
            [Column("Đơn vị"), Column("Khoá", 16), Column("Đăng ký", 10), Column("Tình trạng", 18)],
            empty="Chưa đăng ký khoá nào. Khoá lạ được đăng ký ở màn hình Nhận dữ liệu.",
            id="keys",
        )
        yield Static(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        own = keys.office_key(self.store).public
        self.query_one("#own-key", Static).update(
            f"Khoá của văn phòng này: {own.id_text}, dấu vân tay {keys.fingerprint(own)}"
        )
        self.refresh_list()
        self.query_one("#keys", RecordTable).focus()

    def _unit(self, code: str) -> str:
        return self.store.units.name(code) if code in self.store.units else code

    def refresh_list(self, keep: str | None = None) -> None:
        self.enrolled = {e.key: e for e in keys.enrolments(self.store)}
        rows = []
        for enrolment in self.enrolled.values():
            state = (
                f"thu hồi {format_date(enrolment.revoked)}" if enrolment.revoked else "đang dùng"
            )
            rows.append(
                (
                    enrolment.key,
                    (
                        self._unit(enrolment.unit),
                        enrolment.key,
                        format_date(enrolment.enrolled),
                        state,
                    ),
                )
            )
        self.query_one("#keys", RecordTable).set_rows(rows, keep=keep)

    @on(RecordTable.Highlighted, "#keys")
    def _explain(self, event: RecordTable.Highlighted) -> None:
        enrolment = self.enrolled.get(event.key or "")
        if enrolment is None:
            self.query_one("#detail", Static).update("")
            return
        self.query_one("#detail", Static).update(
            literal(
                f"Khoá {enrolment.key} của {self._unit(enrolment.unit)} ({enrolment.unit}), "
                f"dấu vân tay {keys.fingerprint(enrolment.public_key)}."
            )
        )

    def action_revoke(self) -> None:
        key = self.query_one("#keys", RecordTable).current_key
        if key is None:
            return
        if self.enrolled[key].revoked:
            self.notify(
                f"Khoá {key} đã bị thu hồi ngày {format_date(self.enrolled[key].revoked)}.",
                severity="warning",
            )
            return

        def answered(yes: bool | None) -> None:
            if yes:
                try:
                    keys.revoke(self.store, key)
                except StoreError as error:
                    self.notify(str(error), severity="error", timeout=10)
                    return
                self.notify(f"Đã thu hồi khoá {key}: gói ký bằng khoá này sẽ bị từ chối.")
                self.refresh_list(keep=key)

        self.app.push_screen(
            ConfirmScreen(
                f"Thu hồi khoá {key}? Mọi gói ký bằng khoá này sẽ bị từ chối từ nay.", yes="Thu hồi"
            ),
            answered,
        )


def _table_result(table: ReturnFile) -> str:
    """What became of a Bảng tổng hợp: taken, its problems, or why it could not be read."""
    read = table.read
    if read is None:
        return "Không đọc được"
    if table.taken is not None:
        return f"Đã nhận: {format_number(len(read.rows))} đơn vị"
    if read.problems:
        return f"{format_number(len(read.problems))} chỗ sai (Ctrl+A)"
    if not table.clean:
        return "Không có dòng đọc được"
    return f"Bảng tự điền: {format_number(len(read.rows))} đơn vị"


def _table_detail(table: ReturnFile) -> Text:
    read = table.read
    if read is None:
        return _red(table.error or "")
    lines = [f"Bảng tổng hợp tự điền ({read.kind}), {read.extent}."]
    if read.problems:
        lines.append(
            "Chưa nhận vì có chỗ chưa đúng; sửa tệp rồi kiểm tra lại, hoặc Ctrl+A để nhận kèm "
            "các chỗ đó:"
        )
    lines += [f"• {problem}" for problem in read.problems[:20]]
    if len(read.problems) > 20:
        lines.append(f"… và {len(read.problems) - 20} chỗ khác.")
    lines += [f"Lưu ý: {warning}" for warning in read.warnings[:10]]
    return literal("\n".join(lines))


def _record(kind: str, key: str) -> str:
    """«Địa chỉ (mã a9)»: a record named for a person."""
    return describe(kind, {KINDS[kind].key: key}) if kind in KINDS else f"{kind} (mã {key})"


def _not_written(error: OSError) -> str:
    return (
        f"Không ghi được gói: {error.strerror or error}. Hãy kiểm tra ổ đĩa (USB) còn cắm và "
        "còn chỗ trống, rồi ghi lại."
    )
