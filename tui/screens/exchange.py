"""Sending and receiving bundles: to a USB stick or as e-mail text, checked before merging."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
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
from store.errors import StoreError
from store.files import write_atomic
from store.store import Store
from sync import armor, keys, send
from sync.readback import verify_written
from sync.receive import COUNTED, ImportReport, Progress, import_bundles
from tui.drives import places
from tui.screens.dialogs import ConfirmScreen
from tui.screens.progress import ProgressScreen
from tui.widgets.record_table import Column, RecordTable
from tui.widgets.vn_input import VnInput

HOW = {
    "zip": "Tệp gói .zip (chép vào USB)",
    "text": "Thư điện tử: ghi thành tệp văn bản .txt",
    "show": "Thư điện tử: hiện chữ để chép vào thư",
}
WHAT = {"changes": "Những gì cấp trên chưa xác nhận đã nhận", "full": "Toàn bộ dữ liệu"}
STATUS_SHOWN = {
    "merged": "Đã nhập",
    "checked": "Kiểm tra được",
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
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


class SendScreen(Screen[None]):
    """Write a bundle of this office's changes for the office above, then read it back."""

    TITLE = "Gửi dữ liệu lên cấp trên"
    BINDINGS = [
        Binding("ctrl+s", "write", "Ghi gói", id="send.write"),
        Binding("escape", "back", "Quay lại", id="send.back"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="form"):
            yield Static(id="send-to")
            yield Label("Ghi vào (ổ USB được đưa lên đầu):", classes="section")
            yield OptionList(id="places")
            yield VnInput(placeholder="hoặc gõ một thư mục khác", compact=True, id="folder")
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
            who = (
                "Văn phòng Tỉnh Hội gửi gói danh mục (các đơn vị và khoá đã đăng ký) xuống các "
                "văn phòng cấp dưới."
            )
            self.query_one("#what", Select).display = False
        else:
            receiver = send.receiver_of(self.store)
            who = f"Gói gửi lên {self.store.units.name(receiver)}."
        self.query_one("#send-to", Static).update(who)
        options = self.query_one("#places", OptionList)
        self.places = places()
        options.add_options([Option(f"{p.label}  ({p.path})", id=str(p.path)) for p in self.places])
        options.highlighted = 0
        options.focus()

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
        destination = self._destination()
        if destination is None or not destination.is_dir():
            self.notify(
                f"Không có thư mục «{destination}». Hãy chọn ổ USB hay gõ một thư mục có thật.",
                severity="error",
            )
            return
        full = self.query_one("#what", Select).value == "full"
        how = str(self.query_one("#how", Select).value)
        progress = ProgressScreen("Đang ghi gói và đọc lại để kiểm tra…")
        self.app.push_screen(progress)
        self._write(destination, full, how, progress)

    @work(thread=True, exclusive=True, group="send")
    def _write(self, destination: Path, full: bool, how: str, progress: ProgressScreen) -> None:
        target = destination
        if how == "show":
            target = self.store.path / "outbox-text"
            target.mkdir(exist_ok=True)
        try:
            if self.directory:
                sent = send.export_directory(self.store, target, armored=how != "zip")
            else:
                sent = send.export_records(self.store, target, full=full, armored=how != "zip")
            checked = verify_written(self.store, sent.path) if sent is not None else None
            text = sent.path.read_text(encoding="utf-8") if sent and how == "show" else None
        except StoreError as error:
            self.app.call_from_thread(self._failed, progress, str(error))
            return
        self.app.call_from_thread(self._written, progress, sent, checked, text)

    def _failed(self, progress: ProgressScreen, message: str) -> None:
        progress.done()
        self.query_one("#sent", Static).update(f"[red]{message}[/red]")
        self.notify(message, severity="error", timeout=10)

    def _written(self, progress: ProgressScreen, sent, checked, text: str | None) -> None:  # type: ignore[no-untyped-def]
        progress.done()
        sent_line = self.query_one("#sent", Static)
        if sent is None:
            sent_line.update(
                "Cấp trên đã xác nhận nhận đủ: không có gì mới để gửi. Muốn gửi lại "
                "tất cả, chọn «Toàn bộ dữ liệu»."
            )
            return
        sent_line.update(
            f"Đã ghi gói số {sent.sequence} ({format_number(checked.records)} bản ghi, "
            f"{size_text(checked.size)}) vào {sent.path}, đã đọc lại và kiểm tra: đúng. "
            "Nhớ gửi gói này lên cấp trên."
        )
        armored = self.query_one("#armored", TextArea)
        armored.set_class(text is None, "hidden")
        if text is not None:
            armored.load_text(text)
            armored.focus()
            self.notify("Chọn tất cả (Ctrl+A), chép (Ctrl+C) rồi dán vào thư gửi cấp trên.")

    def action_back(self) -> None:
        self.dismiss(None)


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
            if not p.name.startswith(".") and (p.is_dir() or p.suffix.lower() in (".zip", ".txt"))
        ]

    def render_label(self, node, base_style, style):  # type: ignore[no-untyped-def]
        label = super().render_label(node, base_style, style)
        if node.data is not None and Path(node.data.path) in self.chosen:
            label = label.copy()
            label.stylize("bold")
            label.append(" ✓")
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
            yield TextArea(id="pasted")
            yield Static("Ctrl+S: giữ lại để kiểm tra · Esc: thôi", classes="muted")

    def action_keep(self) -> None:
        text = self.query_one("#pasted", TextArea).text
        data = text.encode("utf-8")
        if not armor.looks_armored(data):
            self.notify(
                "Chưa thấy gói trong chữ vừa dán: hãy dán cả dòng BEGIN và dòng END.",
                severity="error",
            )
            return
        try:
            armor.dearmor(data)
        except armor.ArmorError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        self.inbox.mkdir(exist_ok=True)
        path = self.inbox / f"thu-{datetime.now():%Y%m%d-%H%M%S}.txt"
        write_atomic(path, data)
        self.dismiss(path)


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
        name = self.store.units.name(unit) if unit in self.store.units else f"đơn vị «{unit}»"
        with Vertical(id="dialog"):
            yield Static(
                f"Gói ghi là của [b]{name}[/b] ({unit}), ký bằng khoá "
                f"{refusal.key_id} chưa đăng ký ở văn phòng này.\n\n"  # type: ignore[union-attr]
                f"Dấu vân tay của khoá:\n[b]{refusal.fingerprint}[/b]\n\n"  # type: ignore[union-attr]
                f"Hãy gọi điện cho {name}, đề nghị họ đọc dấu vân tay (lệnh «nhandao keys show» "
                "ở máy của họ) và gõ vào dưới đây. Chỉ khi khớp, khoá mới được đăng ký.",
                id="question",
            )
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


class ReceiveScreen(Screen[None]):
    """Pick bundle files (or paste one), check each, then merge them in one go."""

    TITLE = "Nhận dữ liệu từ cấp dưới"
    BINDINGS = [
        Binding("ctrl+k", "check", "Kiểm tra", id="receive.check"),
        Binding("ctrl+s", "merge", "Nhập", id="receive.merge"),
        Binding("ctrl+v", "paste", "Dán thư", id="receive.paste"),
        Binding("ctrl+e", "enrol", "Đăng ký khoá", id="receive.enrol"),
        Binding("escape", "back", "Quay lại", id="receive.back"),
    ]

    def __init__(self, store: Store, start: Path | None = None) -> None:
        super().__init__()
        self.store = store
        self.start = start or places()[0].path
        self.reports: list[ImportReport] = []
        self.pasted: list[Path] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="receive"):
            yield BundlePicker(self.start, id="picker")
            yield RecordTable(
                [
                    Column("Gói"),
                    Column("Từ", 16),
                    Column("Số", 5, right=True),
                    Column("Ngày", 10),
                    Column("Kết quả", 22),
                ],
                empty="Chọn tệp gói bằng phím cách, hoặc Ctrl+V để dán thư; rồi Ctrl+K.",
                id="reports",
            )
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
            f"Đã chọn {len(self.chosen)} tệp: "
            + ", ".join(p.name for p in self.chosen[:6])
            + ("…" if len(self.chosen) > 6 else "")
        )

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
        if not self.reports or all(r.refused for r in self.reports):
            self.notify(
                "Hãy kiểm tra các gói trước (Ctrl+K); chỉ nhập những gói hợp lệ.",
                severity="warning",
            )
            return
        good = [r for r in self.reports if not r.refused and r.status != "already"]
        if not good:
            self.notify("Không có gói mới nào để nhập.", severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._run(dry_run=False)

        self.app.push_screen(
            ConfirmScreen(
                f"Nhập {len(good)} gói hợp lệ vào kho? Gói bị từ chối không được nhập.", yes="Nhập"
            ),
            answered,
        )

    def _run(self, *, dry_run: bool) -> None:
        paths = (
            self.chosen
            if dry_run
            else [Path(r.source) for r in self.reports if not r.refused and r.status != "already"]
        )
        title = "Đang kiểm tra các gói…" if dry_run else "Đang nhập các gói…"
        progress = ProgressScreen(title, total=len(paths))
        self.app.push_screen(progress)
        self._work(paths, dry_run, progress)

    @work(thread=True, exclusive=True, group="receive")
    def _work(self, paths: list[Path], dry_run: bool, progress: ProgressScreen) -> None:
        def step(update: Progress) -> None:
            self.app.call_from_thread(
                progress.advance, update.done, update.total, Path(update.report.source).name
            )

        reports = import_bundles(self.store, paths, dry_run=dry_run, progress=step)
        self.app.call_from_thread(self._show, reports, dry_run, progress)

    def _show(self, reports: list[ImportReport], dry_run: bool, progress: ProgressScreen) -> None:
        progress.done()
        if dry_run:
            self.reports = reports
        else:
            merged = {r.source: r for r in reports}
            self.reports = [merged.get(r.source, r) for r in self.reports]
        rows = []
        for index, report in enumerate(self.reports):
            sender = report.unit_name(self.store, report.sender) if report.sender else "?"
            created = getattr(report, "created", None)
            result = STATUS_SHOWN[report.status]
            if report.refused and getattr(report.refusal, "fingerprint", None):
                result = "Khoá lạ (Ctrl+E)"
            elif not report.refused:
                result += ": " + ", ".join(
                    f"{report.total(s)} {COUNT_TITLES[s].lower()}"
                    for s in COUNTED
                    if report.total(s)
                )
            rows.append(
                (
                    str(index),
                    (
                        Path(report.source).name,
                        sender,
                        str(report.sequence or ""),
                        format_date(created),
                        result,
                    ),
                )
            )
            for unit, counts in sorted(report.counts.items()):
                figures = " · ".join(f"{COUNT_TITLES[s]} {counts[s]}" for s in COUNTED if counts[s])
                rows.append(
                    (
                        f"{index}:{unit}",
                        (f"  {report.unit_name(self.store, unit)}", "", "", "", figures),
                    )
                )
        table = self.query_one("#reports", RecordTable)
        table.set_rows(rows)
        table.focus()
        refused = [r for r in self.reports if r.refused]
        done = "Kết quả kiểm tra (chưa nhập gì)" if dry_run else "Kết quả nhập"
        self.query_one("#detail", Static).update(
            f"{done}: {len(self.reports) - len(refused)} gói dùng được, {len(refused)} gói bị từ "
            "chối." + ("" if not dry_run else " Ctrl+S để nhập các gói dùng được.")
        )
        if not dry_run:
            self.notify(f"Đã nhập {sum(r.status == 'merged' for r in self.reports)} gói.")

    @on(RecordTable.Highlighted, "#reports")
    def _explain(self, event: RecordTable.Highlighted) -> None:
        if event.key is None or ":" in event.key:
            return
        report = self.reports[int(event.key)]
        if report.refused:
            self.query_one("#detail", Static).update(f"[red]{_escape(str(report.refusal))}[/red]")
        else:
            notes = [
                *report.warnings,
                *(f"Cách ly {h.kind} {h.id}: {'; '.join(h.reasons)}" for h in report.held[:3]),
            ]
            self.query_one("#detail", Static).update(_escape("\n".join(notes)) or "Gói hợp lệ.")

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

    def action_back(self) -> None:
        self.dismiss(None)


class KeysScreen(Screen[None]):
    """The keys this office trusts, for which unit; revoking one stops its bundles."""

    TITLE = "Khoá đã đăng ký"
    BINDINGS = [
        Binding("delete", "revoke", "Thu hồi khoá", id="keys.revoke"),
        Binding("escape", "back", "Quay lại", id="keys.back"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="own-key")
        yield RecordTable(
            [Column("Đơn vị"), Column("Khoá", 16), Column("Đăng ký", 10), Column("Tình trạng", 18)],
            empty="Chưa đăng ký khoá nào. Khoá lạ được đăng ký ở màn hình Nhận dữ liệu.",
            id="keys",
        )
        yield Footer()

    def on_mount(self) -> None:
        own = keys.office_key(self.store).public
        self.query_one("#own-key", Static).update(
            f"Khoá của văn phòng này: {own.id_text}, dấu vân tay {keys.fingerprint(own)}"
        )
        self.refresh_list()
        self.query_one("#keys", RecordTable).focus()

    def refresh_list(self) -> None:
        rows = []
        for enrolment in keys.enrolments(self.store):
            unit = (
                self.store.units.name(enrolment.unit)
                if enrolment.unit in self.store.units
                else enrolment.unit
            )
            state = (
                f"thu hồi {format_date(enrolment.revoked)}" if enrolment.revoked else "đang dùng"
            )
            rows.append(
                (enrolment.key, (unit, enrolment.key, format_date(enrolment.enrolled), state))
            )
        self.query_one("#keys", RecordTable).set_rows(rows)

    def action_revoke(self) -> None:
        key = self.query_one("#keys", RecordTable).current_key
        if key is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                try:
                    keys.revoke(self.store, key)
                except StoreError as error:
                    self.notify(str(error), severity="error", timeout=10)
                    return
                self.notify(f"Đã thu hồi khoá {key}: gói ký bằng khoá này sẽ bị từ chối.")
                self.refresh_list()

        self.app.push_screen(
            ConfirmScreen(
                f"Thu hồi khoá {key}? Mọi gói ký bằng khoá này sẽ bị từ chối từ nay.", yes="Thu hồi"
            ),
            answered,
        )

    def action_back(self) -> None:
        self.dismiss(None)


def _escape(text: str) -> str:
    return text.replace("[", r"\[")
