"""The candidates for the awards, and the office's choices among them: who it proposes, and
which helpers registered by several units are one person or organisation.

Opened from Kết quả › Khen thưởng (key 4). Every choice is a record (`tui.award_choices`), saved
at once; the list is counted again after each one.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from campaign.awards import Awards, Person, awards
from campaign.dates import Period
from campaign.money import format_number
from campaign.text import matches
from campaign.vocab import HELPER_KINDS
from store.errors import StoreError
from store.store import Store
from tui import award_choices
from tui.literal import literal
from tui.screens.office import OfficeScreen
from tui.widgets.vn_input import VnInput

# How an award shows in a narrow column.
CHOSEN = {"central": "BK", "provincial": "GK"}
KEYS_HINT = (
    "BK: Bằng khen TW, GK: Giấy khen tỉnh. b: đề nghị Bằng khen · g: Giấy khen · x: bỏ chọn · "
    "n: gộp với ứng viên khác · t: tách, bỏ gộp một người trợ giúp"
)


def choose(screen: OfficeScreen, action: Callable[[], str]) -> bool:
    """Make one choice; its sentence, or why it could not be made, on screen. True if made."""
    try:
        said = action()
    except award_choices.ChoiceError as error:
        screen.notify(str(error), title="Chưa chọn", severity="warning", timeout=10)
        return False
    except StoreError as error:
        screen.notify(str(error), title="Chưa lưu", severity="error", timeout=15)
        return False
    screen.notify(said, timeout=6)
    return True


class CandidatesScreen(OfficeScreen):
    """Red Cross people eligible, every donor attached in the period, and whoever the office
    proposed: one row per person or organisation."""

    TITLE = "Ứng viên khen thưởng"
    BINDINGS = [
        Binding("b", "propose('central')", "Bằng khen", id="candidates.central"),
        Binding("g", "propose('provincial')", "Giấy khen", id="candidates.provincial"),
        Binding("x", "withdraw", "Bỏ chọn", id="candidates.withdraw"),
        Binding("n", "join", "Gộp", id="candidates.join"),
        Binding("t", "split", "Tách", id="candidates.split"),
        Binding("escape", "back", "Quay lại", id="candidates.back"),
    ]
    DEFAULT_CSS = """
    CandidatesScreen #candidates { height: 1fr; }
    CandidatesScreen #candidates-title, CandidatesScreen #candidate-detail,
    CandidatesScreen .muted { padding: 0 1; height: auto; }
    """

    def __init__(self, store: Store, unit: str, period: Period, result: Awards) -> None:
        super().__init__(store)
        self.unit, self.period = unit, period
        self.result = result
        self.people: dict[str, Person] = {}
        self.changed = False  # a choice was made: the results screen counts again

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="candidates-title")
        yield DataTable(id="candidates", zebra_stripes=True, cursor_type="row")
        yield Static(id="candidate-detail")
        yield Static(KEYS_HINT, classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#candidates", DataTable)
        table.add_columns("Chọn", "Đạt", "Họ tên, tên tổ chức", "Địa chỉ", "Đơn vị")
        self._fill(self.result)
        table.focus()

    def _fill(self, result: Awards) -> None:
        self.result = result
        table = self.query_one("#candidates", DataTable)
        current = self._current()
        table.clear()
        people = [*result.individuals, *result.donors]
        listed = {p.id for p in people}
        people += [p for p in result.proposed if p.id not in listed]
        self.people = {p.id: p for p in people}
        for person in people:
            table.add_row(
                CHOSEN.get(person.proposed or "", ""),
                CHOSEN[person.eligible],
                literal(person.name),
                Text(format_number(person.addresses), justify="right"),
                literal(person.units_label),
                key=person.id,
            )
        if current is not None and current.id in self.people:
            table.move_cursor(row=table.get_row_index(current.id))
        self.query_one("#candidates-title", Static).update(
            literal(
                f"{result.name}, giai đoạn {result.period.label()}: "
                f"{format_number(len(result.individuals))} cá nhân đủ điều kiện, "
                f"{format_number(len(result.donors))} nhà tài trợ; đã chọn "
                f"{format_number(len(result.proposed))}."
            )
        )
        self._show(self._current())

    def _current(self) -> Person | None:
        table = self.query_one("#candidates", DataTable)
        if not self.people or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.people.get(key or "")

    @on(DataTable.RowHighlighted, "#candidates")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show(self.people.get(event.row_key.value or ""))

    def _show(self, person: Person | None) -> None:
        if person is None:
            text = "Không có ứng viên nào trong giai đoạn."
        else:
            chosen = f"đã chọn: {person.proposal}" if person.proposed else "chưa chọn đề nghị"
            helpers = (
                f"; {len(person.helpers)} người trợ giúp ở {len(person.units)} đơn vị là một"
                if len(person.helpers) > 1
                else ""
            )
            text = (
                f"{person.name} ({HELPER_KINDS[person.kind]}, {person.units_label}): trực tiếp "
                f"gắn {format_number(person.addresses)} địa chỉ"
                f"{', đã được khen thưởng' if person.awarded_before else ''}{helpers}; "
                f"{chosen}."
            )
        self.query_one("#candidate-detail", Static).update(literal(text))

    # ------------------------------------------------------------------ choices

    def _made(self) -> None:
        self.changed = True
        self._count()

    @work(thread=True, exclusive=True, group="candidates", exit_on_error=False)
    def _count(self) -> None:
        result = awards(self.store.dataset(), self.unit, self.period, self.result.threshold)
        self.app.call_from_thread(self._fill, result)

    def action_propose(self, award: str) -> None:
        person = self._current()
        if person is not None and choose(
            self,
            lambda: award_choices.propose(self.store, self.unit, self.period, person.id, award),
        ):
            self._made()

    def action_withdraw(self) -> None:
        person = self._current()
        if person is not None and choose(
            self, lambda: award_choices.withdraw(self.store, self.unit, self.period, person.id)
        ):
            self._made()

    def action_join(self) -> None:
        person = self._current()
        if person is None:
            return
        others = [p for p in self.people.values() if p.side == person.side and p.id != person.id]

        def joined(other: Person | None) -> None:
            if other is not None and choose(self, lambda: self._join(person, other)):
                self._made()

        self.app.push_screen(JoinScreen(person, others), joined)

    def _join(self, person: Person, other: Person) -> str:
        said = ""
        for helper in person.helpers:
            said = award_choices.link(self.store, self.unit, helper, other.id)
        return (
            said
            if len(person.helpers) == 1
            else (
                f"Đã gộp {len(person.helpers)} người trợ giúp của «{person.name}» vào "
                f"«{other.name}»: một ứng viên."
            )
        )

    def action_split(self) -> None:
        person = self._current()
        if person is None:
            return
        helpers = [self.store.get("helper", h) for h in person.helpers]
        linked = {h for h in person.helpers if (link := self.store.get("link", h)) and
                  not link["deleted"]}  # fmt: skip

        def picked(answer: tuple[str, str] | None) -> None:
            if answer is None:
                return
            what, helper = answer
            act = award_choices.unlink if what == "unlink" else award_choices.separate
            if choose(self, lambda: act(self.store, self.unit, helper)):
                self._made()

        self.app.push_screen(
            SplitScreen(person, [h for h in helpers if h is not None], linked, self.store),
            picked,
        )

    def action_back(self) -> None:
        self.dismiss(None)


class JoinScreen(ModalScreen["Person | None"]):
    """Choose the candidate that `person` is one with: type to narrow the list."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Thôi", id="join.cancel")]

    def __init__(self, person: Person, others: list[Person]) -> None:
        super().__init__()
        self.person = person
        self.others = others

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(literal(f"«{self.person.name}» là cùng một người, tổ chức với:"))
            yield VnInput(placeholder="gõ vài chữ của tên để tìm", compact=True, id="join-query")
            yield Label(id="join-found", classes="muted")
            yield OptionList(id="join-list")

    def on_mount(self) -> None:
        self._list("")
        self.query_one("#join-query", VnInput).focus()

    @on(VnInput.Changed, "#join-query")
    def _typed(self, event: VnInput.Changed) -> None:
        self._list(event.value)

    @on(VnInput.Submitted, "#join-query")
    def _to_list(self) -> None:
        options = self.query_one("#join-list", OptionList)
        if options.option_count:
            options.highlighted = 0
            options.focus()

    def _list(self, query: str) -> None:
        options = self.query_one("#join-list", OptionList)
        options.clear_options()
        found = [p for p in self.others if matches(query, p.name)]
        options.add_options(
            Option(literal(f"{p.name} — {p.units_label}, {p.addresses} địa chỉ"), id=p.id)
            for p in found[:200]
        )
        self.query_one("#join-found", Label).update(
            f"{format_number(len(found))} ứng viên"
            + (" (gõ thêm để thu hẹp; hiện 200 đầu tiên)" if len(found) > 200 else "")
            if found
            else "Không có ứng viên nào cùng phía có tên như vậy."
        )

    @on(OptionList.OptionSelected, "#join-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(next(p for p in self.others if p.id == event.option.id))


class SplitScreen(ModalScreen["tuple[str, str] | None"]):
    """One of the candidate's helpers: Enter makes it a candidate of its own, u forgets what
    was recorded of it (grouped by its name again)."""

    BINDINGS = [
        Binding("u", "unlink", "Bỏ gộp, tách", id="split.unlink"),
        Binding("escape", "dismiss(None)", "Thôi", id="split.cancel"),
    ]

    def __init__(self, person: Person, helpers: list[dict], linked: set[str], store: Store) -> None:
        super().__init__()
        self.person = person
        self.helpers = helpers
        self.linked = linked
        self.store = store

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(
                literal(
                    f"Các người trợ giúp của «{self.person.name}». Enter: tách người được chọn "
                    "thành ứng viên riêng; u: bỏ gộp, tách (xếp lại theo tên)."
                )
            )
            yield OptionList(
                *[
                    Option(
                        literal(
                            f"{h['name']} — {self.store.units.name(h['unit'])}"
                            + (" (đã gộp hoặc tách)" if h["id"] in self.linked else "")
                        ),
                        id=h["id"],
                    )
                    for h in self.helpers
                ],
                id="split-list",
            )

    def on_mount(self) -> None:
        self.query_one("#split-list", OptionList).focus()

    @on(OptionList.OptionSelected, "#split-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(("separate", event.option.id or ""))

    def action_unlink(self) -> None:
        options = self.query_one("#split-list", OptionList)
        if options.highlighted is not None:
            self.dismiss(("unlink", options.get_option_at_index(options.highlighted).id or ""))
