"""The yearly review: walk the addresses active in a year and mark each continue, stop or change."""

from __future__ import annotations

import uuid
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Header, Input, Label, Static

from campaign import queries
from campaign.dates import DateError, format_date, parse_date
from campaign.money import format_number
from campaign.text import clean, given_name_key
from store.store import Store, data_of
from tui.literal import literal, quoted
from tui.screens.office import OfficeScreen, attempted
from tui.widgets.fields import FoldedSuggester, tidy
from tui.widgets.record_table import Column, RecordTable
from tui.widgets.vn_input import VnInput


class StopScreen(ModalScreen[tuple[str, str] | None]):
    """When and why help stops (an address at its review, a helper's attachment): the date,
    shown first so that it is seen, then the reason, typed with earlier reasons offered.

    Dismissed with (ISO date, reason), or None when Escape is pressed."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Thôi", id="stop.cancel")]

    def __init__(
        self,
        question: str,
        day: date,
        reasons: list[str],
        *,
        earliest: date,
        latest: date,
        earliest_is: str = "",
    ) -> None:
        super().__init__()
        self.question = question
        self.day = day
        self.reasons = reasons
        self.earliest = earliest
        self.latest = latest
        self.earliest_is = earliest_is

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(literal(self.question), id="question")
            with Horizontal(classes="stop-line"):
                yield Label("Ngày dừng: ", classes="stop-label")
                yield VnInput(format_date(self.day), compact=True, id="stop-on")
            with Horizontal(classes="stop-line"):
                yield Label("Lý do dừng: ", classes="stop-label")
                yield VnInput(
                    placeholder="vd. Đã thoát nghèo (→ để nhận gợi ý)",
                    compact=True,
                    id="reason",
                    suggester=FoldedSuggester(self.reasons),
                )
            yield Static("", id="stop-problem")
            yield Static("Enter: sang ô sau, lưu ở ô lý do · Esc: thôi", classes="muted")

    DEFAULT_CSS = """
    StopScreen .stop-line { height: 1; }
    StopScreen .stop-label { width: 13; }
    StopScreen #stop-problem { color: $error; }
    """

    def on_mount(self) -> None:
        # The date first, as it is shown: its text is selected, so a date typed replaces it
        # and Enter keeps it.
        self.query_one("#stop-on", Input).focus()

    def unsaved(self) -> bool:
        return bool(self.query_one("#reason", Input).value.strip())

    @on(Input.Changed)
    def _typing(self) -> None:
        """What was said of the last Enter no longer applies once something is typed."""
        self.query_one("#stop-problem", Static).update("")

    def on_input_blurred(self, event: Input.Blurred) -> None:
        if event.input.id == "stop-on":
            tidy(event.input)

    @on(Input.Submitted)
    def _done(self, event: Input.Submitted) -> None:
        if event.input.id == "stop-on":
            self.query_one("#reason", Input).focus()
            return
        problem, day = self._day()
        reason = clean(self.query_one("#reason", Input).value)
        if problem is None and not reason:
            problem = "Hãy ghi lý do dừng trợ giúp."
        if problem is not None or day is None:
            self.query_one("#stop-problem", Static).update(literal(problem or ""))
            self.notify(problem or "", severity="error")
            return
        self.dismiss((day.isoformat(), reason))

    def _day(self) -> tuple[str | None, date | None]:
        text = self.query_one("#stop-on", Input).value
        try:
            day = parse_date(text)
        except DateError as error:
            return f"Ngày dừng: {error}", None
        if day < self.earliest:
            return (
                f"Ngày dừng {format_date(day)} trước {self.earliest_is} "
                f"({format_date(self.earliest)}).",
                None,
            )
        if day > self.latest:
            return f"Ngày dừng {format_date(day)} sau ngày {format_date(self.latest)}.", None
        return None, day


StopReasonScreen = StopScreen  # its name before it asked the date too


class ReviewScreen(OfficeScreen):
    """The addresses due a review in the chosen year, and how many are left."""

    TITLE = "Rà soát hằng năm"
    BINDINGS = [
        Binding("c", "mark('continue')", "Tiếp tục", id="review.continue"),
        Binding("s", "mark('stop')", "Dừng", id="review.stop"),
        Binding("x", "mark('change')", "Thay đổi", id="review.change"),
        Binding("ctrl+y", "year", "Chọn năm", id="review.year"),
        Binding("escape", "back", "Quay lại", id="review.back"),
    ]

    def __init__(self, store: Store, year: int | None = None) -> None:
        super().__init__(store)
        self.year = year or store.today().year

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="review-bar"):
            yield Label("Năm rà soát: ")
            yield VnInput(str(self.year), type="integer", compact=True, id="year", max_length=4)
            yield Static(id="left")
        yield RecordTable(
            [
                Column("Địa chỉ"),
                Column("Nơi ở", 16),
                Column("Lập hồ sơ", 10),
                Column("Lần cuối", 10),
                Column("Đơn vị", 18, hide_below=100),
            ],
            empty="Không còn địa chỉ nào phải rà soát trong năm này.",
            id="due",
        )
        yield Static(
            "c: tiếp tục trợ giúp · s: dừng (ghi ngày, lý do) · x: thay đổi hình thức",
            classes="muted",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_list()
        self.query_one("#due", RecordTable).focus()

    def store_changed(self) -> None:
        """The store changed under this screen (Ctrl+Z): an undone mark puts its address back."""
        self.refresh_list()

    def refresh_list(self) -> None:
        scope = set(self.store.units.subtree(self.store.office.unit))
        data = self.store.dataset()
        addresses = [a for a in data.addresses if a["unit"] in scope and not a.get("deleted")]
        active = [a for a in addresses if queries.is_active(a, self.year)]
        due = queries.due_for_review(active, data.reviews, self.year)
        due.sort(key=lambda a: given_name_key(a["name"]))
        last = queries.last_aid_on(data.aid)
        table = self.query_one("#due", RecordTable)
        table.set_rows(
            [
                (
                    a["id"],
                    (
                        a["name"],
                        a.get("place") or "",
                        format_date(a.get("dossier_on")),
                        format_date(last.get(a["id"])),
                        self.store.units.name(a["unit"]),
                    ),
                )
                for a in due
            ],
            keep=table.current_key,
        )
        done = len(active) - len(due)
        self.query_one("#left", Static).update(
            f"  Còn {format_number(len(due))} / {format_number(len(active))} địa chỉ chưa rà soát "
            f"(đã xong {format_number(done)})"
        )

    def _review_day(self) -> date:
        """Today, or the last day of the year when a past year is being reviewed late."""
        today = self.store.today()
        return min(today, date(self.year, 12, 31))

    def action_mark(self, outcome: str) -> None:
        table = self.query_one("#due", RecordTable)
        key = table.current_key
        if key is None:
            return
        address = self.store.get("address", key)
        assert address is not None
        if outcome == "stop":
            reasons = sorted(
                {a["stop_reason"] for a in self.store.records("address") if a.get("stop_reason")}
            )

            def with_reason(answer: tuple[str, str] | None) -> None:
                if answer:
                    self._save(address, "stop", answer[1], date.fromisoformat(answer[0]))

            start = date(self.year, 1, 1)
            dossier = address.get("dossier_on")
            earliest, earliest_is = start, f"năm rà soát {self.year}"
            if dossier and date.fromisoformat(dossier) > start:
                earliest, earliest_is = date.fromisoformat(dossier), "ngày lập hồ sơ"
            self.app.push_screen(
                StopScreen(
                    f"Dừng trợ giúp {quoted(address['name'])}: ngày dừng và lý do dừng",
                    self._review_day(),
                    reasons,
                    earliest=earliest,
                    latest=self._review_day(),
                    earliest_is=earliest_is,
                ),
                with_reason,
            )
        else:
            self._save(address, outcome)

    def _save(
        self, address: dict, outcome: str, reason: str | None = None, day: date | None = None
    ) -> None:
        day = day or self._review_day()
        review = {
            "id": str(uuid.uuid4()),
            "address": address["id"],
            "year": self.year,
            "on": day.isoformat(),
            "outcome": outcome,
        }
        batch: list[tuple[str, dict]] = [("review", review)]
        if outcome == "stop":
            batch.append(
                (
                    "address",
                    {
                        **data_of("address", address),
                        "stopped_on": day.isoformat(),
                        "stop_reason": reason,
                    },
                )
            )
        if not attempted(self, lambda: self.store.save_many(batch)):
            return
        labels = {"continue": "tiếp tục", "stop": "dừng", "change": "thay đổi"}
        self.notify(f"Đã lưu: {quoted(address['name'])} — {labels[outcome]}.")
        self.refresh_list()

    @on(Input.Submitted, "#year")
    def _year_chosen(self, event: Input.Submitted) -> None:
        try:
            year = int(event.value)
        except ValueError:
            year = 0
        this_year = self.store.today().year
        if not 2000 <= year <= this_year:
            self.notify(f"Năm rà soát phải từ 2000 đến {this_year}.", severity="error")
            return
        self.year = year
        self.refresh_list()
        self.query_one("#due", RecordTable).focus()

    def action_year(self) -> None:
        self.query_one("#year", Input).focus()
