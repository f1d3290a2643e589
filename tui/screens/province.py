"""What a district or the province does with what arrived: conflicts, quarantine, who has
reported, and the results (summary, year by year, awards) with the documents to send on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Header, Label, Static, TabbedContent, TabPane

from campaign.awards import CRITERIA, Awards, awards
from campaign.dates import DateError, format_date, parse_date
from campaign.money import format_money, format_number
from campaign.records import KINDS, describe
from campaign.records import Field as RecordField
from campaign.tally import Tally, tally
from campaign.vocab import AWARDS
from exporters.terminal import summary_title
from store.errors import StoreError, ValidationError
from store.store import Store, data_of
from sync import completeness, ledger, quarantine
from tui import award_choices
from tui.labels import writer
from tui.literal import literal
from tui.screens.awards import CHOSEN, CandidatesScreen, choose
from tui.screens.dialogs import ConfirmScreen, FolderScreen
from tui.screens.export import export_binding, export_conflicts, export_quarantine
from tui.screens.form import RecordForm
from tui.screens.office import OfficeScreen, goes_up
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


def _shown(value: object, field: RecordField | None = None, store: Store | None = None) -> str:
    """A value of a record as a person reads it: labels of codes, names of units, dd/mm/yyyy."""
    vocabulary = (field.vocabulary if field else None) or {}
    if value is None or value == []:
        return "—"
    if value is True or value is False:
        return "có" if value else "không"
    if isinstance(value, list):
        return ", ".join(vocabulary.get(v, str(v)) for v in value)
    if isinstance(value, int):
        return str(value) if field is not None and field.name == "year" else format_number(value)
    if isinstance(value, str) and value in vocabulary:
        return vocabulary[value]
    if (
        isinstance(value, str)
        and field is not None
        and field.refers_to == "unit"
        and store is not None
        and value in store.units
    ):
        return f"{store.units.name(value)} ({value})"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return format_date(value)
        except ValueError:
            return value
    return str(value)


def _day(iso: str | None) -> str:
    """An ISO date as dd/mm/yyyy; «—» when there is none (or it is not a date)."""
    try:
        return format_date(iso) if iso else "—"
    except ValueError:
        return "—"


# ----------------------------------------------------------------------------- conflicts


class ConflictsScreen(OfficeScreen):
    """Records edited in two places at once: the later edit won; the other is kept here."""

    TITLE = "Xung đột"
    BINDINGS = [Binding("escape", "back", "Quay lại", id="conflicts.back"),
                export_binding("conflicts")]  # fmt: skip
    action_export = export_conflicts

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Mỗi dòng là một bản ghi được sửa ở hai nơi cùng lúc: bản sửa sau đang được dùng, "
            "bản kia được giữ lại ở đây. Enter để so sánh và chọn bản giữ lại.",
            classes="muted",
        )
        yield RecordTable(
            [Column("Bản ghi"), Column("Đơn vị", 18), Column("Bản kia do", 18)],
            empty="Không có xung đột nào.",
            id="conflicts",
        )
        yield Footer()

    def read_first(self) -> None:
        self.store.conflicts()

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
            current = self.store.get(kind, document["id"]) or data_of(kind, document)
            rows.append(
                (
                    f"{kind}|{document['id']}|{document['v']}",
                    (describe(kind, current), unit, writer(self.store, document.get("by"))),
                )
            )
        self.query_one("#conflicts", RecordTable).set_rows(rows)

    @on(RecordTable.Selected, "#conflicts")
    def _compare(self, event: RecordTable.Selected) -> None:
        kind, key, version = event.key.split("|")
        self.app.push_screen(ConflictDetail(self.store, kind, key, version))


class ConflictDetail(OfficeScreen):
    """The version in use and the other one, side by side, the fields that differ marked."""

    TITLE = "So sánh hai bản"
    BINDINGS = [
        Binding("1", "keep('current')", "Giữ bản đang dùng", id="conflict.current"),
        Binding("2", "keep('other')", "Giữ bản kia", id="conflict.other"),
        Binding("escape", "back", "Quay lại", id="conflict.back"),
    ]

    def __init__(self, store: Store, kind: str, key: str, version: str) -> None:
        super().__init__(store)
        self.kind = kind
        self.key = key
        self.version = version

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="conflict-about")
        yield DataTable(id="versions", cursor_type="row", zebra_stripes=True)
        yield Static(
            "1: giữ bản đang dùng · 2: giữ bản kia. Bản được chọn thành một bản sửa mới"
            + (" và được gửi lên cấp trên như mọi bản sửa khác." if goes_up(self.store) else "."),
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
        theirs = spec.complete(other)
        rows: list[tuple[str, object, object, RecordField | None]] = [
            (field.label, current.get(field.name), theirs.get(field.name), field)
            for field in spec.fields
            # The unit before the 2025 reform, shown only where a version has one.
            if field.name != "former_unit" or current.get(field.name) or theirs.get(field.name)
        ]
        deleted = (bool(current.get("deleted")), bool(other.get("deleted")))
        if any(deleted):  # a deletion made at one office while the other edited the record
            rows.append(("Đã xoá", *deleted, None))
        table = self.query_one("#versions", DataTable)
        table.add_columns("", "Trường", "Bản đang dùng", "Bản kia")
        differing = 0
        for label, left, right, field in rows:
            mark = "≠" if left != right else ""
            differing += bool(mark)
            style = "bold red" if mark else ""
            table.add_row(
                Text(mark, style="bold red"),
                label,
                literal(_shown(left, field, self.store), style),
                literal(_shown(right, field, self.store), style),
            )
        self.query_one("#conflict-about", Static).update(
            literal(
                f"{describe(self.kind, current)}: {differing} trường khác nhau. Bản đang dùng do "
                f"{writer(self.store, current.get('by'))} sửa; bản kia do "
                f"{writer(self.store, other.get('by'))} sửa."
            )
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
    DEFAULT_CSS = """
    QuarantineFix #held-why { color: $warning; margin-bottom: 1; }
    """

    def draft(self) -> dict | None:
        return None  # the record stays held in the quarantine: nothing is lost with the window

    def __init__(self, store: Store, item: quarantine.HeldRecord) -> None:
        self.kind = item.kind
        super().__init__(store, item.document)
        self.item = item
        self.sub_title = describe(item.kind, item.document)

    def compose(self) -> ComposeResult:
        # The form of RecordForm, with why the record was held above its fields: a value
        # outside a list of choices cannot be shown in its field, so it is named here.
        yield Header()
        with VerticalScroll(id="form"):
            yield Static(
                literal("Bị giữ lại vì:\n" + "\n".join(f"• {r}" for r in self.item.reasons)),
                id="held-why",
            )
            yield from self.make_fields()
        yield Static("", id="form-problems")
        yield Footer()

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


class QuarantineScreen(OfficeScreen):
    """Records that arrived well signed but not valid: why, and fix or drop each."""

    TITLE = "Bản ghi bị cách ly"
    BINDINGS = [
        Binding("delete", "drop", "Bỏ (xoá)", id="quarantine.drop"),
        Binding("escape", "back", "Quay lại", id="quarantine.back"),
        export_binding("quarantine"),
    ]
    action_export = export_quarantine

    def __init__(self, store: Store) -> None:
        super().__init__(store)
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

    def read_first(self) -> None:
        quarantine.held(self.store)

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
            rows.append((token, (describe(item.kind, item.document), sender, _day(item.received))))
        self.query_one("#held", RecordTable).set_rows(rows)

    @on(RecordTable.Highlighted, "#held")
    def _why(self, event: RecordTable.Highlighted) -> None:
        item = self.items.get(event.key or "")
        text = "\n".join(f"• {reason}" for reason in item.reasons) if item else ""
        self.query_one("#reasons", Static).update(
            literal(text + ("\nEnter: sửa và nhận · Delete: bỏ" if item else ""))
        )

    @on(RecordTable.Selected, "#held")
    def _fix(self, event: RecordTable.Selected) -> None:
        self.app.push_screen(QuarantineFix(self.store, self.items[event.key]))

    def action_drop(self) -> None:
        key = self.query_one("#held", RecordTable).current_key
        item = self.items.get(key or "")
        if item is None:
            return
        name = describe(item.kind, item.document)
        stored = self.store.stored(item.kind, item.key)
        if stored is None:
            question = (
                f"Bỏ {name}? Bản bị giữ lại không được nhận vào kho (nếu nơi gửi gửi lại đúng "
                "bản này, nó lại bị giữ lại)."
            )
            done = "Đã bỏ bản ghi bị cách ly."
        elif KINDS[item.kind].can_be_deleted and not stored.get("deleted"):
            question = (
                f"Bỏ {name}? Kho đang có bản ghi này: nó sẽ bị XOÁ ở đây, và ở cấp trên khi "
                "gửi lên."
            )
            done = f"Đã bỏ bản bị cách ly và xoá {name} khỏi kho."
        else:
            question = f"Bỏ {name}? Kho giữ nguyên bản đang có; bản bị giữ lại bị bỏ."
            done = "Đã bỏ bản ghi bị cách ly; kho giữ nguyên bản đang có."

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                quarantine.drop(self.store, item)
            except StoreError as error:
                self.notify(str(error), severity="error", timeout=10)
            else:
                self.notify(done)
            self.refresh_list()

        self.app.push_screen(ConfirmScreen(question, yes="Bỏ"), answered)


# ----------------------------------------------------------------------------- completeness


class CompletenessScreen(OfficeScreen):
    """Each unit below the office: its last bundle, whether it has reported, whether late."""

    TITLE = "Tiến độ báo cáo"
    DEFAULT_CSS = "CompletenessScreen #deadline-why { padding: 0 1; }"
    BINDINGS = [
        Binding("ctrl+d", "deadline", "Đặt hạn báo cáo", id="completeness.deadline"),
        Binding("escape", "back", "Quay lại", id="completeness.back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="deadline")
        yield Static(id="deadline-why", classes="muted")
        yield RecordTable(
            [
                Column("Đơn vị"),
                Column("Gói cuối", 8, right=True),
                Column("Ngày lập", 10),
                Column("Ngày nhận", 10),
                Column("Báo cáo", 9),
                Column("Hạn", 9),
            ],
            empty="Văn phòng này không có đơn vị cấp dưới.",
            id="completeness",
        )
        yield Footer()

    def read_first(self) -> None:
        ledger.Ledger(self.store)

    def on_mount(self) -> None:
        self.show()
        self.query_one("#completeness", RecordTable).focus()

    def action_deadline(self) -> None:
        def chosen(day: date | None) -> None:
            if day is None:
                return
            try:
                self.store.update_settings(report_deadline=day.isoformat())
            except StoreError as error:
                self.notify(str(error), severity="error", timeout=10)
                return
            self.show()
            self.notify(f"Đã đặt hạn báo cáo {format_date(day)}.")

        period = self.store.office.period
        current = completeness.report_deadline(self.store, period)
        about = f"Đang dùng {format_date(current.day)} ({current.explained(period)})."
        self.app.push_screen(DeadlineScreen(current.day, about), chosen)

    def show(self) -> None:
        period = self.store.office.period
        today = self.store.today()
        deadline = completeness.report_deadline(self.store, period)
        reports = completeness.completeness(self.store, period, today)
        done = sum(r.reported for r in reports)
        late = sum(r.late for r in reports)
        self.query_one("#deadline", Static).update(
            f"Giai đoạn {period.label()}, hạn báo cáo {format_date(deadline.day)}: "
            f"{done}/{len(reports)} đơn vị đã báo cáo, {late} đơn vị trễ hạn."
            if reports
            else f"Giai đoạn {period.label()}: không có đơn vị nào phải báo cáo lên văn phòng này."
        )
        explained = deadline.explained(period)
        why = f"{explained[0].upper()}{explained[1:]} (Ctrl+D: đặt hạn khác)."
        self.query_one("#deadline-why", Static).update(why if reports else "")
        rows = [
            (
                r.unit,
                (
                    r.name,
                    str(r.last_sequence or "—"),
                    format_date(r.last_created),
                    format_date(r.last_received),
                    ("tự điền" if r.by_return else "đã gửi") if r.reported else "chưa",
                    "TRỄ" if r.late else "",
                ),
            )
            for r in reports
        ]
        self.query_one("#completeness", RecordTable).set_rows(rows)


# ----------------------------------------------------------------------------- results


class DeadlineScreen(ModalScreen[date | None]):
    """The day the units below must have reported by, typed as dd/mm/yyyy."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Thôi", id="deadline.cancel")]

    def __init__(self, current: date, about: str = "") -> None:
        super().__init__()
        self.current = current
        self.about = about  # which deadline is in use, and why

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Hạn báo cáo của các đơn vị cấp dưới (ngày/tháng/năm):", id="question")
            if self.about:
                yield Static(self.about, id="deadline-about", classes="muted")
            yield VnInput(format_date(self.current), compact=True, id="deadline-day")
            # A Static wraps the message; a Label would cut it at the dialog's edge.
            yield Static("", id="deadline-problem")

    @on(VnInput.Submitted, "#deadline-day")
    def _typed(self, event: VnInput.Submitted) -> None:
        try:
            self.dismiss(parse_date(event.value))
        except DateError as error:
            self.query_one("#deadline-problem", Static).update(literal(error, "red"))


class ResultsScreen(OfficeScreen):
    """The summary table, the years, the award scores; and the documents written in one go."""

    TITLE = "Kết quả"
    BINDINGS = [
        # The tabs' labels show their keys 1, 2, 3: the footer keeps its room for the rest.
        Binding("1", "tab('summary')", "Tổng hợp", id="results.summary", show=False),
        Binding("2", "tab('years')", "Theo năm", id="results.years", show=False),
        Binding("3", "tab('awards')", "Khen thưởng", id="results.awards", show=False),
        Binding("4", "candidates", "Ứng viên khen thưởng", id="results.candidates"),
        Binding("b", "propose('central')", "Đề nghị Bằng khen", id="results.central", show=False),
        Binding(
            "g", "propose('provincial')", "Đề nghị Giấy khen", id="results.provincial", show=False
        ),
        Binding("x", "withdraw", "Bỏ chọn đề nghị", id="results.withdraw", show=False),
        Binding("ctrl+s", "write", "Ghi tài liệu", id="results.write"),
        Binding("escape", "back", "Quay lại", id="results.back"),
    ]
    DEFAULT_CSS = """
    ResultsScreen #years-detail, ResultsScreen #awards-detail { padding: 0 1; height: auto; }
    """

    # Counted in a worker once the screen shows (see on_mount).
    result: Tally | None = None
    awards: Awards | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="results-title")
        with TabbedContent(id="tabs"):
            with TabPane("Bảng tổng hợp (1)", id="summary"):
                yield DataTable(id="summary-table", zebra_stripes=True, cursor_type="row")
                yield Static(id="summary-excluded")
            # The reasons and the criteria of the highlighted row are shown under the table:
            # as columns they would take the table past 80 columns.
            with TabPane("Theo năm (2)", id="years"):
                yield DataTable(id="years-table", zebra_stripes=True, cursor_type="row")
                yield Static(id="years-detail")
            with TabPane("Khen thưởng (3)", id="awards"):
                yield DataTable(id="awards-table", zebra_stripes=True, cursor_type="row")
                yield Static(id="awards-detail")
        yield Footer()

    def on_mount(self) -> None:
        # At a province the tally and the scores take a second on an old PC: counted in a
        # thread, so that the screen answers (Escape) meanwhile.
        self.query_one("#results-title", Static).update("Đang tính các số liệu…")
        self._count()

    @work(thread=True, exclusive=True, group="results-figures", exit_on_error=False)
    def _count(self) -> None:
        store = self.store
        data = store.dataset()
        office, period = store.office.unit, store.office.period
        result = tally(data, office, period)
        scores = awards(data, office, period)
        self.app.call_from_thread(self._fill, result, scores)

    def _fill(self, result: Tally, scores: Awards) -> None:
        self.result, self.awards = result, scores
        self.query_one("#results-title", Static).update(literal(summary_title(self.result)))
        summary = self.query_one("#summary-table", DataTable)
        # No STT and short headings: the table must fit 80 columns at the province.
        summary.add_columns("Đơn vị", *_right("Hồ sơ", "CTĐ", "Khác", "Cộng", "Người",
                                              "Giá trị (đồng)"))  # fmt: skip
        returned = self.result.returned_rows()
        for row in [*self.result.rows, self.result.total]:
            columns = row.columns()
            name = f"{row.name} (*)" if row.unit in returned else row.name
            summary.add_row(literal(name), *_right(*(format_number(columns[c]) for c in "345678")))
        excluded = self.result.total.excluded_total
        units = self.store.units
        notes = self.result.return_notes(lambda code: units.name(code) if code in units else code)
        self.query_one("#summary-excluded", Static).update(
            literal(
                "Các cột của bảng tổng hợp: hồ sơ (3), Hội Chữ thập đỏ trợ giúp (4), tổ chức, cá "
                "nhân khác trợ giúp (5), cộng (6), số người (7), giá trị (8).\n"
                f"Không tính vào giá trị cuộc vận động: {format_number(excluded.count)} lần, "
                f"{format_money(excluded.value)}." + "".join(f"\n{note}" for note in notes)
            )
        )
        years = self.query_one("#years-table", DataTable)
        years.add_columns(
            "Năm", *_right("Được giúp", "Mới", "Tiếp tục", "Trở lại", "Dừng", "Chưa ghi dừng")
        )
        self.flows = {str(flow.year): flow for flow in self.result.years}
        for flow in self.result.years:
            counts = (flow.helped, flow.new, flow.continued, flow.resumed, len(flow.stopped),
                      len(flow.lapsed))  # fmt: skip
            years.add_row(str(flow.year), *_right(*map(format_number, counts)), key=str(flow.year))
        table = self.query_one("#awards-table", DataTable)
        # «BK» (Bằng khen TW) or «GK» (Giấy khen tỉnh): what the total reaches, what was chosen.
        table.add_columns("Hạng", "Đơn vị", *_right(*AWARD_COLUMNS.values(), "Tổng"), "Đạt",
                          "Chọn")  # fmt: skip
        self._fill_awards(scores)
        self._show_year(next(iter(self.flows), None))
        summary.focus()

    def _fill_awards(self, scores: Awards) -> None:
        self.awards = scores
        self.scores = {score.unit: score for score in scores.units}
        table = self.query_one("#awards-table", DataTable)
        row = table.cursor_row
        table.clear()
        for score in scores.units:
            points = [score.criteria[c].points for c in AWARD_COLUMNS]
            figures = _right(*map(str, [*points, score.total]))
            table.add_row(str(score.rank), literal(score.name), *figures,
                          CHOSEN[score.eligible], CHOSEN.get(score.proposed or "", ""),
                          key=score.unit)  # fmt: skip
        if scores.units:
            table.move_cursor(row=min(row, len(scores.units) - 1))
            self._show_score(scores.units[table.cursor_row].unit)
        else:
            self._show_score(None)

    # --------------------------------------------------------------- award choices

    def _chapter(self) -> str | None:
        """The chapter highlighted on the awards tab; None (and a word why) elsewhere."""
        if self.awards is None or self.query_one("#tabs", TabbedContent).active != "awards":
            self.notify("Chọn đơn vị để đề nghị ở thẻ Khen thưởng (phím 3).", severity="warning")
            return None
        table = self.query_one("#awards-table", DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_propose(self, award: str) -> None:
        chapter = self._chapter()
        store, unit, period = self.store, self.store.office.unit, self.store.office.period
        if chapter is not None and choose(
            self, lambda: award_choices.propose(store, unit, period, chapter, award)
        ):
            self._recount_awards()

    def action_withdraw(self) -> None:
        chapter = self._chapter()
        store, unit, period = self.store, self.store.office.unit, self.store.office.period
        if chapter is not None and choose(
            self, lambda: award_choices.withdraw(store, unit, period, chapter)
        ):
            self._recount_awards()

    def action_candidates(self) -> None:
        if self.awards is None:
            self.notify("Đang tính các số liệu; xin chờ một chút.", severity="warning")
            return
        screen = CandidatesScreen(
            self.store, self.store.office.unit, self.store.office.period, self.awards
        )

        def closed(_: None) -> None:
            if screen.changed:  # the workbook written next must hold the new choices
                self._recount_awards()

        self.app.push_screen(screen, closed)

    @work(thread=True, exclusive=True, group="results-awards", exit_on_error=False)
    def _recount_awards(self) -> None:
        store = self.store
        scores = awards(store.dataset(), store.office.unit, store.office.period)
        self.app.call_from_thread(self._fill_awards, scores)

    def action_tab(self, pane: str) -> None:
        self.query_one("#tabs", TabbedContent).active = pane
        self.query_one(f"#{pane}-table", DataTable).focus()

    @on(DataTable.RowHighlighted, "#years-table")
    def _year_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_year(event.row_key.value)

    @on(DataTable.RowHighlighted, "#awards-table")
    def _score_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_score(event.row_key.value)

    def _show_year(self, key: str | None) -> None:
        flow = self.flows.get(key or "")
        if flow is None:
            text = "Không có năm nào trong giai đoạn."
        elif not flow.stopped:
            text = f"Năm {flow.year}: không địa chỉ nào dừng trợ giúp."
        else:
            reasons = "; ".join(f"{reason}: {format_number(count)}"
                                for reason, count in flow.stop_reasons.most_common())  # fmt: skip
            text = f"Lý do dừng trợ giúp năm {flow.year}: {reasons}."
        if flow is not None and flow.lapsed:
            text += (
                f" Ngoài ra, {format_number(len(flow.lapsed))} địa chỉ năm trước được trợ giúp, "
                "năm nay không, chưa ghi dừng."
            )
        self.query_one("#years-detail", Static).update(literal(text))

    def _show_score(self, key: str | None) -> None:
        score = self.scores.get(key or "")
        if score is None:
            text = "Không có đơn vị nào để chấm điểm."
        else:
            points = " · ".join(
                f"{short} {CRITERIA[c][1].lower()} {score.criteria[c].points}/{CRITERIA[c][2]}"
                for c, short in AWARD_COLUMNS.items()
            )
            text = (
                f"{score.name}: {points}; tổng {score.total} điểm (Bằng khen từ "
                f"{self.awards.threshold} điểm): đủ điều kiện xét {AWARDS[score.eligible]}; "
                + (f"đơn vị đã chọn: {score.proposal}." if score.proposed else "chưa chọn đề nghị.")
                + " BK: Bằng khen TW, GK: Giấy khen tỉnh. Phím b: đề nghị Bằng khen, g: Giấy "
                "khen, x: bỏ chọn; 4: cá nhân, nhà tài trợ."
            )
        self.query_one("#awards-detail", Static).update(literal(text))

    def action_write(self) -> None:
        if self.result is None:
            self.notify("Đang tính các số liệu; xin chờ một chút rồi ghi.", severity="warning")
            return

        def chosen(folder: Path | None) -> None:
            if folder is not None:
                progress = ProgressScreen("Đang ghi các tài liệu…", total=3)
                self.app.push_screen(progress)
                self._write(folder, progress)

        stem = f"{self.store.office.unit}-{self.store.office.period.label()}"
        names = [f"bang-tong-hop-{stem}.xlsx", f"khen-thuong-{stem}.xlsx", f"bao-cao-{stem}.docx"]
        self.app.push_screen(FolderScreen(files=names), chosen)

    @work(thread=True, exclusive=True, group="results", exit_on_error=False)
    def _write(self, folder: Path, progress: ProgressScreen) -> None:
        from exporters.awards import write_awards_workbook
        from exporters.report import write_report
        from exporters.sheets import WorkbookWriteError
        from exporters.workbook import write_summary_workbook

        store = self.store
        data, unit, period = store.dataset(), store.office.unit, store.office.period
        today, settings = store.today(), store.office.document_settings
        stem = f"{unit}-{period.label()}"
        documents: list[tuple[str, Path, Callable[[Path], object]]] = [
            ("Bảng tổng hợp", folder / f"bang-tong-hop-{stem}.xlsx",
             lambda path: write_summary_workbook(path, self.result, units=store.units,
                                                 models=data.models, settings=settings, on=today)),
            ("Bảng khen thưởng", folder / f"khen-thuong-{stem}.xlsx",
             lambda path: write_awards_workbook(path, self.awards, data.units,
                                                settings, today)),
            ("Dự thảo báo cáo", folder / f"bao-cao-{stem}.docx",
             lambda path: write_report(path, data, unit, period, settings, today)),
        ]  # fmt: skip
        # A folder in the way of a file would fail late, with a message about writing files
        # in general: say so before anything is written.
        for _label, path, _writer in documents:
            if path.is_dir():
                self.app.call_from_thread(
                    self._failed,
                    progress,
                    f"trong «{folder}» đã có một thư mục tên «{path.name}», trùng tên tệp cần "
                    "ghi. Hãy đổi tên thư mục đó hoặc chọn nơi khác rồi ghi lại.",
                    [],
                )
                return
        written: list[Path] = []
        for done, (label, path, write) in enumerate(documents):
            self.app.call_from_thread(progress.advance, done, len(documents), label)
            try:
                write(path)
            except (WorkbookWriteError, StoreError) as error:
                problem = str(error)
            except PermissionError:
                problem = (
                    f"không ghi được tệp «{path}»: không có quyền ghi vào thư mục này, hoặc tệp "
                    "đang mở trong chương trình khác (như Excel, Word). Hãy đóng tệp hoặc chọn "
                    "nơi khác rồi ghi lại."
                )
            except OSError as error:
                problem = (
                    f"không ghi được tệp «{path}» ({error.strerror or error}). Tệp cũ, nếu có, "
                    "vẫn nguyên vẹn. Hãy kiểm tra ổ đĩa còn chỗ trống hoặc chọn nơi khác rồi "
                    "ghi lại."
                )
            else:
                written.append(path)
                continue
            self.app.call_from_thread(self._failed, progress, problem, written)
            return
        self.app.call_from_thread(self._written, progress, written)

    def _failed(self, progress: ProgressScreen, message: str, written: list[Path]) -> None:
        progress.done()
        already = "\nĐã ghi: " + ", ".join(p.name for p in written) + "." if written else ""
        self.notify(f"Chưa ghi xong: {message}{already}", severity="error", timeout=15)

    def _written(self, progress: ProgressScreen, written: list[Path]) -> None:
        progress.done()
        self.notify("Đã ghi:\n" + "\n".join(str(p) for p in written), timeout=10)


# The criteria of the awards table, headed by two letters so that it fits 80 columns; the line
# under the table names them in full for the highlighted unit.
AWARD_COLUMNS = {"steering": "CĐ", "model": "MH", "helped": "TG", "reviewed": "RS",
                 "guidance": "HD"}  # fmt: skip
