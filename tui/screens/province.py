"""What a district or the province does with what arrived: conflicts, quarantine, who has
reported, and the results (summary, year by year, awards) with the documents to send on."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, Label, OptionList, Static, TabbedContent
from textual.widgets.option_list import Option

from campaign import vocab
from campaign.awards import awards
from campaign.dates import DateError, format_date, parse_date
from campaign.money import format_money, format_number
from campaign.records import KINDS, describe
from campaign.tally import tally
from exporters.terminal import summary_title
from store.errors import StoreError, ValidationError
from store.store import Store, data_of
from sync import completeness, quarantine
from tui.drives import places
from tui.screens.dialogs import ConfirmScreen
from tui.screens.form import RecordForm
from tui.screens.progress import ProgressScreen
from tui.widgets.fields import (
    ChoiceField,
    DateField,
    Field,
    FlagField,
    GroupsField,
    IntegerField,
    MoneyField,
    ProseField,
    TextField,
)
from tui.widgets.record_table import Column, RecordTable
from tui.widgets.vn_input import VnInput


def _right(*cells: str) -> list[Text]:
    """Cells (or headings) of figures, right-aligned."""
    return [Text(cell, justify="right") for cell in cells]


def _shown(value: object) -> str:
    if value is None or value == []:
        return "—"
    if value is True or value is False:
        return "có" if value else "không"
    if isinstance(value, list):
        return ", ".join(vocab.GROUPS.get(v, v) for v in value)
    if isinstance(value, int):
        return format_number(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return format_date(value)
    return str(value)


# ----------------------------------------------------------------------------- conflicts


class ConflictsScreen(Screen[None]):
    """Records edited in two places at once: the later edit won; the other is kept here."""

    TITLE = "Xung đột"
    BINDINGS = [Binding("escape", "back", "Quay lại", id="conflicts.back")]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Mỗi dòng là một bản ghi được sửa ở hai nơi cùng lúc: bản sửa sau đang được dùng, "
            "bản kia được giữ lại ở đây. Enter để so sánh và chọn bản giữ lại.",
            classes="muted",
        )
        yield RecordTable(
            [Column("Bản ghi"), Column("Đơn vị", 18), Column("Bản kia do", 14)],
            empty="Không có xung đột nào.",
            id="conflicts",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_list()
        self.query_one("#conflicts", RecordTable).focus()

    def on_screen_resume(self) -> None:
        self.refresh_list()

    def refresh_list(self) -> None:
        rows = []
        for kind, document in self.store.conflicts():
            owner = document.get("owner", "")
            unit = self.store.units.name(owner) if owner in self.store.units else owner
            rows.append(
                (
                    f"{kind}|{document['id']}|{document['v']}",
                    (describe(kind, data_of(kind, document)), unit, str(document.get("by", ""))),
                )
            )
        self.query_one("#conflicts", RecordTable).set_rows(rows)

    @on(RecordTable.Selected, "#conflicts")
    def _compare(self, event: RecordTable.Selected) -> None:
        kind, key, version = event.key.split("|")
        self.app.push_screen(ConflictDetail(self.store, kind, key, version))

    def action_back(self) -> None:
        self.dismiss(None)


class ConflictDetail(Screen[None]):
    """The version in use and the other one, side by side, the fields that differ marked."""

    TITLE = "So sánh hai bản"
    BINDINGS = [
        Binding("1", "keep('current')", "Giữ bản đang dùng", id="conflict.current"),
        Binding("2", "keep('other')", "Giữ bản kia", id="conflict.other"),
        Binding("escape", "back", "Quay lại", id="conflict.back"),
    ]

    def __init__(self, store: Store, kind: str, key: str, version: str) -> None:
        super().__init__()
        self.store = store
        self.kind = kind
        self.key = key
        self.version = version

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="conflict-about")
        yield DataTable(id="versions", cursor_type="row", zebra_stripes=True)
        yield Static(
            "1: giữ bản đang dùng · 2: giữ bản kia. Bản được chọn thành một bản sửa mới và được "
            "gửi lên cấp trên như mọi bản sửa khác.",
            classes="muted",
        )
        yield Footer()

    def on_mount(self) -> None:
        current = self.store.get(self.kind, self.key) or {}
        other = next(
            (
                d
                for k, d in self.store.conflicts()
                if k == self.kind and d["id"] == self.key and d["v"] == self.version
            ),
            {},
        )
        self.other = other
        spec = KINDS[self.kind]
        table = self.query_one("#versions", DataTable)
        table.add_columns("", "Trường", "Bản đang dùng", "Bản kia")
        differing = 0
        for field in spec.fields:
            left, right = current.get(field.name), spec.complete(other).get(field.name)
            mark = "≠" if left != right else ""
            differing += bool(mark)
            style = "bold red" if mark else ""
            table.add_row(
                Text(mark, style="bold red"),
                field.label,
                Text(_shown(left), style=style),
                Text(_shown(right), style=style),
            )
        self.query_one("#conflict-about", Static).update(
            f"{describe(self.kind, current)}: {differing} trường khác nhau. Bản đang dùng do "
            f"{current.get('by', '?')} sửa; bản kia do {other.get('by', '?')} sửa."
        )
        table.focus()

    def action_keep(self, which: str) -> None:
        keep = (
            (self.store.get(self.kind, self.key) or {}).get("v")
            if which == "current"
            else (self.version)
        )
        try:
            self.store.resolve_conflict(self.kind, self.key, keep)
        except StoreError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        self.notify("Đã chọn bản giữ lại; xung đột đã được giải quyết.")
        self.dismiss(None)

    def action_back(self) -> None:
        self.dismiss(None)


# ----------------------------------------------------------------------------- quarantine


def form_fields(kind: str) -> list[Field]:
    """A field for each field of a kind of record, from its description in campaign.records."""
    fields: list[Field] = []
    for spec in KINDS[kind].fields:
        name, label, type_ = spec.name, spec.label, spec.type
        if name == "value":
            fields.append(MoneyField(name, label))
        elif type_ == "int":
            fields.append(IntegerField(name, label))
        elif type_ in ("date", "date?"):
            fields.append(DateField(name, label))
        elif type_ in ("enum", "enum?"):
            fields.append(
                ChoiceField(name, label, spec.vocabulary or {}, allow_blank=type_ == "enum?")
            )
        elif type_ == "bool":
            fields.append(FlagField(name, label))
        elif type_ == "groups":
            fields.append(GroupsField(name, label, spec.vocabulary or {}))
        elif type_ == "prose":
            fields.append(ProseField(name, label))
        else:
            fields.append(TextField(name, label))
    return fields


class QuarantineFix(RecordForm):
    """A held record, to correct; saving accepts it as a new version of the one held."""

    TITLE = "Sửa bản ghi bị cách ly"

    def __init__(self, store: Store, item: quarantine.HeldRecord) -> None:
        self.kind = item.kind
        super().__init__(store, item.document)
        self.item = item
        self.sub_title = "; ".join(item.reasons)[:80]

    def make_fields(self) -> list[Field]:
        return form_fields(self.kind)

    def _save(self, record: dict) -> None:
        try:
            saved = quarantine.accept(self.store, self.item, record)
        except ValidationError as error:
            self.notify("\n".join(p.detail or p.message for p in error.problems), severity="error")
            return
        except StoreError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        self.notify("Đã nhận bản ghi đã sửa.")
        self.dismiss(saved)


class QuarantineScreen(Screen[None]):
    """Records that arrived well signed but not valid: why, and fix or drop each."""

    TITLE = "Bản ghi bị cách ly"
    BINDINGS = [
        Binding("delete", "drop", "Bỏ (xoá)", id="quarantine.drop"),
        Binding("escape", "back", "Quay lại", id="quarantine.back"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.items: dict[str, quarantine.HeldRecord] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield RecordTable(
            [Column("Bản ghi"), Column("Gửi từ", 16), Column("Ngày nhận", 10)],
            empty="Không có bản ghi nào bị cách ly.",
            id="held",
        )
        yield Static(id="reasons")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_list()
        self.query_one("#held", RecordTable).focus()

    def on_screen_resume(self) -> None:
        self.refresh_list()

    def refresh_list(self) -> None:
        self.items = {f"{i.kind}|{i.key}|{i.version}": i for i in quarantine.held(self.store)}
        rows = []
        for token, item in self.items.items():
            sender = (
                self.store.units.name(item.sender)
                if item.sender in self.store.units
                else item.sender
            )
            rows.append(
                (token, (describe(item.kind, item.document), sender, format_date(item.received)))
            )
        self.query_one("#held", RecordTable).set_rows(rows)

    @on(RecordTable.Highlighted, "#held")
    def _why(self, event: RecordTable.Highlighted) -> None:
        item = self.items.get(event.key or "")
        text = "\n".join(f"• {reason}" for reason in item.reasons) if item else ""
        self.query_one("#reasons", Static).update(
            text + ("\nEnter: sửa và nhận · Delete: bỏ" if item else "")
        )

    @on(RecordTable.Selected, "#held")
    def _fix(self, event: RecordTable.Selected) -> None:
        self.app.push_screen(QuarantineFix(self.store, self.items[event.key]))

    def action_drop(self) -> None:
        key = self.query_one("#held", RecordTable).current_key
        item = self.items.get(key or "")
        if item is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                quarantine.drop(self.store, item)
                self.notify("Đã bỏ bản ghi bị cách ly.")
                self.refresh_list()

        self.app.push_screen(
            ConfirmScreen(
                f"Bỏ {describe(item.kind, item.document)}? Bản ghi không được nhận vào kho.",
                yes="Bỏ",
            ),
            answered,
        )

    def action_back(self) -> None:
        self.dismiss(None)


# ----------------------------------------------------------------------------- completeness


class CompletenessScreen(Screen[None]):
    """Each unit below the office: its last bundle, whether it has reported, whether late."""

    TITLE = "Tiến độ báo cáo"
    BINDINGS = [
        Binding("ctrl+d", "deadline", "Đặt hạn báo cáo", id="completeness.deadline"),
        Binding("escape", "back", "Quay lại", id="completeness.back"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="deadline")
        yield RecordTable(
            [
                Column("Đơn vị"),
                Column("Gói cuối", 8, right=True),
                Column("Ngày lập", 10),
                Column("Ngày nhận", 10),
                Column("Báo cáo", 9),
                Column("Hạn", 9),
            ],
            id="completeness",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.show()
        self.query_one("#completeness", RecordTable).focus()

    def action_deadline(self) -> None:
        def chosen(day: date | None) -> None:
            if day is not None:
                self.store.update_settings(report_deadline=day.isoformat())
                self.show()

        current = completeness.deadline(self.store, self.store.office.period)
        self.app.push_screen(DeadlineScreen(current), chosen)

    def show(self) -> None:
        period = self.store.office.period
        today = self.store.today()
        deadline = completeness.deadline(self.store, period)
        reports = completeness.completeness(self.store, period, today)
        done = sum(r.reported for r in reports)
        late = sum(r.late for r in reports)
        self.query_one("#deadline", Static).update(
            f"Giai đoạn {period.label()}, hạn báo cáo {format_date(deadline)}: "
            f"{done}/{len(reports)} đơn vị đã báo cáo, {late} đơn vị trễ hạn."
        )
        rows = [
            (
                r.unit,
                (
                    r.name,
                    str(r.last_sequence or "—"),
                    format_date(r.last_created),
                    format_date(r.last_received),
                    "đã gửi" if r.reported else "chưa",
                    "TRỄ" if r.late else "",
                ),
            )
            for r in reports
        ]
        self.query_one("#completeness", RecordTable).set_rows(rows)

    def action_back(self) -> None:
        self.dismiss(None)


# ----------------------------------------------------------------------------- results


class DeadlineScreen(ModalScreen[date | None]):
    """The day the units below must have reported by, typed as dd/mm/yyyy."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Thôi", id="deadline.cancel")]

    def __init__(self, current: date) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Hạn báo cáo của các đơn vị cấp dưới (ngày/tháng/năm):", id="question")
            yield VnInput(format_date(self.current), compact=True, id="deadline-day")
            yield Label("", id="deadline-problem")

    @on(VnInput.Submitted, "#deadline-day")
    def _typed(self, event: VnInput.Submitted) -> None:
        try:
            self.dismiss(parse_date(event.value))
        except DateError as error:
            self.query_one("#deadline-problem", Label).update(Text(str(error), style="red"))


class FolderScreen(ModalScreen[Path | None]):
    """Where to write documents: removable drives first, or a folder typed in."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Thôi", id="folder.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Ghi các tài liệu vào thư mục nào?", id="question")
            yield OptionList(
                *[Option(f"{p.label}  ({p.path})", id=str(p.path)) for p in places()], id="places"
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
        folder = Path(event.value.strip()).expanduser()
        if not folder.is_dir():
            self.notify(f"Không có thư mục «{folder}».", severity="error")
            return
        self.dismiss(folder)


class ResultsScreen(Screen[None]):
    """The summary table, the years, the award scores; and the documents written in one go."""

    TITLE = "Kết quả"
    BINDINGS = [
        Binding("ctrl+s", "write", "Ghi tài liệu", id="results.write"),
        Binding("escape", "back", "Quay lại", id="results.back"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="results-title")
        with TabbedContent("Bảng tổng hợp", "Theo năm", "Khen thưởng", id="tabs"):
            with Vertical():
                yield DataTable(id="summary-table", zebra_stripes=True, cursor_type="row")
                yield Static(id="summary-excluded")
            yield DataTable(id="years-table", zebra_stripes=True, cursor_type="row")
            yield DataTable(id="awards-table", zebra_stripes=True, cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        store = self.store
        data = store.dataset()
        office, period = store.office.unit, store.office.period
        self.result = tally(data, office, period)
        self.query_one("#results-title", Static).update(summary_title(self.result))
        summary = self.query_one("#summary-table", DataTable)
        # No STT and short headings: the table must fit 80 columns at the province.
        summary.add_columns("Đơn vị", *_right("Hồ sơ", "CTĐ", "Khác", "Cộng", "Người",
                                              "Giá trị (đồng)"))  # fmt: skip
        for row in [*self.result.rows, self.result.total]:
            columns = row.columns()
            summary.add_row(row.name, *_right(*(format_number(columns[c]) for c in "345678")))
        excluded = self.result.total.excluded_total
        self.query_one("#summary-excluded", Static).update(
            "Các cột của bảng tổng hợp: hồ sơ (3), Hội Chữ thập đỏ trợ giúp (4), tổ chức, cá "
            "nhân khác trợ giúp (5), cộng (6), số người (7), giá trị (8).\n"
            f"Không tính vào giá trị cuộc vận động: {format_number(excluded.count)} lần, "
            f"{format_money(excluded.value)}."
        )
        years = self.query_one("#years-table", DataTable)
        years.add_columns("Năm", *_right("Được giúp", "Mới", "Tiếp tục", "Trở lại", "Dừng"),
                          "Lý do dừng")  # fmt: skip
        for flow in self.result.years:
            counts = (flow.helped, flow.new, flow.continued, flow.resumed, len(flow.stopped))
            reasons = "; ".join(
                f"{reason}: {count}" for reason, count in flow.stop_reasons.most_common(3)
            )
            years.add_row(str(flow.year), *_right(*map(format_number, counts)), reasons)
        table = self.query_one("#awards-table", DataTable)
        table.add_columns("Hạng", "Đơn vị", *_right("Chỉ đạo", "Mô hình", "Trợ giúp", "Rà soát",
                                                     "Hướng dẫn", "Tổng"), "Đề nghị")  # fmt: skip
        criteria = ("steering", "model", "helped", "reviewed", "guidance")
        for score in awards(data, office, period).units:
            points = [score.criteria[c].points for c in criteria]
            table.add_row(str(score.rank), score.name, *_right(*map(str, [*points, score.total])),
                          score.proposal.removeprefix("Đề nghị "))  # fmt: skip
        summary.focus()

    def action_write(self) -> None:
        def chosen(folder: Path | None) -> None:
            if folder is not None:
                progress = ProgressScreen("Đang ghi các tài liệu…", total=3)
                self.app.push_screen(progress)
                self._write(folder, progress)

        self.app.push_screen(FolderScreen(), chosen)

    @work(thread=True, exclusive=True, group="results")
    def _write(self, folder: Path, progress: ProgressScreen) -> None:
        from exporters.awards import write_awards_workbook
        from exporters.report import write_report
        from exporters.workbook import write_summary_workbook

        store = self.store
        data, unit, period = store.dataset(), store.office.unit, store.office.period
        today, settings = store.today(), store.office.settings
        stem = f"{unit}-{period.label()}"
        written: list[Path] = []
        try:
            self.app.call_from_thread(progress.advance, 0, 3, "Bảng tổng hợp")
            written.append(
                write_summary_workbook(
                    folder / f"bang-tong-hop-{stem}.xlsx",
                    self.result,
                    units=store.units,
                    models=data.models,
                    settings=settings,
                    on=today,
                )
            )
            self.app.call_from_thread(progress.advance, 1, 3, "Bảng khen thưởng")
            written.append(
                write_awards_workbook(
                    folder / f"khen-thuong-{stem}.xlsx",
                    awards(data, unit, period),
                    data.units,
                    settings,
                    today,
                )
            )
            self.app.call_from_thread(progress.advance, 2, 3, "Dự thảo báo cáo")
            report = folder / f"bao-cao-{stem}.docx"
            write_report(report, data, unit, period, settings, today)
            written.append(report)
        except (OSError, StoreError) as error:
            self.app.call_from_thread(self._failed, progress, str(error))
            return
        self.app.call_from_thread(self._written, progress, written)

    def _failed(self, progress: ProgressScreen, message: str) -> None:
        progress.done()
        self.notify(f"Chưa ghi xong: {message}", severity="error", timeout=10)

    def _written(self, progress: ProgressScreen, written: list[Path]) -> None:
        progress.done()
        self.notify("Đã ghi:\n" + "\n".join(str(p) for p in written), timeout=10)

    def action_back(self) -> None:
        self.dismiss(None)
