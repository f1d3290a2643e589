"""«Chuyển đổi danh mục đơn vị»: the store moved to the units of the 2025 list, or back
(store/reform.py; the command line's `nhandao units migrate`).

The screen shows what the migration would do, unit by unit (records before and after, the aid
that follows them); while some records cannot be placed by the conversion table, it writes the
questions to a CSV file (w) that the office fills in Excel and reads back (d). With every
question answered, c asks once more and migrates, in one commit, behind a progress dialog.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from campaign.money import format_number
from store import gazetteer, reform
from store.errors import StoreError, StoreWriteError
from store.store import Store
from tui.literal import literal
from tui.screens.dialogs import ConfirmScreen, FolderScreen, SaveFileScreen
from tui.screens.office import OfficeScreen
from tui.screens.progress import ProgressScreen
from tui.widgets.record_table import Column, RecordTable


class MigrationScreen(OfficeScreen):
    """The plan of the migration, its questions, and the migration itself."""

    TITLE = "Chuyển đổi danh mục đơn vị"
    BINDINGS = [
        Binding("c", "migrate", "Chuyển đổi", id="migrate.run"),
        Binding("w", "write_questions", "Ghi tệp câu hỏi", id="migrate.questions"),
        Binding("d", "read_answers", "Đọc tệp đã điền", id="migrate.answers"),
        Binding("escape", "back", "Quay lại", id="migrate.back"),
    ]
    DEFAULT_CSS = """
    MigrationScreen #migrate-plan, MigrationScreen #migrate-next { padding: 0 1; height: auto; }
    """

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.answers = reform.Answers()
        self.questions_path: Path | None = None
        self.plan: reform.Plan | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="migrate-plan")
        yield RecordTable(
            [Column("Mã", 11), Column("Đơn vị"), Column("Trước", 9, right=True),
             Column("Sau", 9, right=True), Column("Trợ giúp theo", 9, right=True)],
            empty="Không có bản ghi nào phải chuyển.",
            id="migrate-units",
        )  # fmt: skip
        yield Static(id="migrate-next")
        yield Footer()

    def on_mount(self) -> None:
        self.fill()
        self.query_one("#migrate-units", RecordTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "write_questions":
            return self.plan is not None and bool(self.plan.questions)
        if action == "migrate":
            return self.plan is not None and self.plan.ready
        return True

    def fill(self) -> None:
        """The plan as the answers at hand make it; for a store with nothing left to move, the
        way back; or why there is none."""
        try:
            self.plan = reform.plan(self.store, self.answers.units)
        except reform.MigrationError as error:
            self.plan = reform.plan_back(self.store) if reform.uses_2025(self.store) else None
            if self.plan is None:
                self._show(str(error), [], "")
        if self.plan is not None:
            self._show(*self._described(self.plan))
        self.refresh_bindings()

    def _described(self, plan: reform.Plan) -> tuple[str, list, str]:
        names = reform.unit_names(self.store, plan)
        office = self.store.office
        if plan.back:
            heading = (
                "Kho đã dùng danh mục đơn vị năm 2025. Có thể quay lại danh mục năm 2019: mỗi "
                f"bản ghi trở về đơn vị cũ của nó; văn phòng trở lại là "
                f"{names.get(plan.office_unit or '', plan.office_unit)}."
            )
        elif plan.catch_up:
            heading = (
                "Kho đã dùng danh mục năm 2025 nhưng còn bản ghi của đơn vị cũ (nhận từ gói làm "
                "trước khi chuyển đổi): các bản ghi này được chuyển về đơn vị mới."
            )
        else:
            new = plan.office_unit
            becomes = f"{names[new]} ({gazetteer.official_code(new)})" if new else "chưa chọn"
            heading = (
                f"Chuyển sang danh mục đơn vị năm 2025: tỉnh mới {names[plan.province]}; văn "
                f"phòng {names.get(office.unit, office.unit)} ({office.unit}) thành {becomes}. "
                "Bảng tổng hợp các giai đoạn trước 01/07/2025 vẫn như cũ."
            )
        rows = []
        for code in dict.fromkeys([*plan.before, *plan.after]):
            rows.append((code, (gazetteer.official_code(code), names.get(code, code),
                                _count(plan.before[code]), _count(plan.after[code]),
                                _count(plan.aid[code]))))  # fmt: skip
        if plan.questions:
            waiting = sum(question.count for question in plan.questions)
            where = f" (đã ghi vào {self.questions_path})" if self.questions_path else ""
            after = (
                f"Còn {format_number(len(plan.questions))} câu hỏi chưa có trả lời, về "
                f"{format_number(waiting)} bản ghi của xã, phường bị chia hay không có trong "
                f"bảng chuyển đổi{where}. w: ghi tệp câu hỏi, mở bằng Excel, điền cột «Mã đơn "
                "vị mới», lưu lại; d: đọc tệp đã điền. Chưa có gì thay đổi trong kho."
            )
        else:
            after = "Mọi bản ghi đã có nơi chuyển về. c: chuyển đổi (một lần ghi, quay lại được)."
        return heading, rows, after

    def _show(self, heading: str, rows: list, after: str) -> None:
        self.query_one("#migrate-plan", Static).update(literal(heading))
        self.query_one("#migrate-units", RecordTable).set_rows(rows)
        self.query_one("#migrate-next", Static).update(literal(after))

    def action_write_questions(self) -> None:
        plan = self.plan
        if plan is None or not plan.questions:
            return

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            try:
                path.write_bytes(reform.questions_csv(self.store, plan))
            except OSError as error:
                self.notify(str(StoreWriteError(path, error)), severity="error", timeout=15)
                return
            self.questions_path = path
            self.notify(f"Đã ghi {path}: điền cột «Mã đơn vị mới» rồi bấm d để đọc lại.")
            self.fill()

        self.app.push_screen(SaveFileScreen("Ghi tệp câu hỏi vào đâu?", reform.QUESTIONS), chosen)

    def action_read_answers(self) -> None:
        if self.questions_path is not None:
            self._read(self.questions_path)
            return

        def chosen(folder: Path | None) -> None:
            if folder is not None:
                self._read(folder if folder.suffix.lower() == ".csv" else folder / reform.QUESTIONS)

        self.app.push_screen(FolderScreen(f"Tệp {reform.QUESTIONS} đã điền ở thư mục nào?"), chosen)

    def _read(self, path: Path) -> None:
        try:
            answers = reform.read_answers(path.read_bytes())
        except OSError as error:
            self.notify(f"Không đọc được tệp {path}: {error.strerror or error}.", severity="error")
            return
        except reform.MigrationError as error:
            self.notify(str(error), title="Tệp trả lời có lỗi", severity="error", timeout=20)
            return
        if self.plan is not None:
            try:
                reform.check_answers(reform.plan(self.store, answers.units), answers)
            except reform.MigrationError as error:
                self.notify(str(error), title="Tệp trả lời có lỗi", severity="error", timeout=20)
                return
        self.answers, self.questions_path = answers, path
        self.fill()
        self.notify(f"Đã đọc {format_number(len(answers.units))} câu trả lời từ {path}.")

    def action_migrate(self) -> None:
        plan = self.plan
        if plan is None or not plan.ready:
            return
        question = (
            "Quay lại danh mục đơn vị năm 2019?"
            if plan.back
            else "Chuyển kho sang danh mục đơn vị năm 2025 ngay bây giờ?"
        )

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            progress = ProgressScreen("Đang chuyển đổi…")
            self.app.push_screen(progress)
            self.run_worker(lambda: self._apply(plan, progress), thread=True, exit_on_error=False)

        self.app.push_screen(ConfirmScreen(question, yes="Chuyển đổi", no="Thôi"), confirmed)

    def _apply(self, plan: reform.Plan, progress: ProgressScreen) -> None:
        try:
            changed = reform.apply(self.store, plan)
        except (StoreError, reform.MigrationError) as error:
            self.app.call_from_thread(self._done, progress, f"Chưa chuyển đổi: {error}", False)
            return
        message = reform.done(self.store, plan, changed)
        self.app.call_from_thread(self._done, progress, message, True)

    def _done(self, progress: ProgressScreen, message: str, done: bool) -> None:
        progress.done()
        self.notify(message, severity="information" if done else "error", timeout=20)
        if done:
            self.app.sub_title = self.store.units.name(self.store.office.unit)
            self.answers = reform.Answers()
            self.fill()


def _count(value: int) -> str:
    return format_number(value) if value else ""
