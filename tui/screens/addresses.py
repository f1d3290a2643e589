"""The addresses of the office: search as you type (accents optional), filters, sorted by name."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Input, Select, Static

from campaign import queries, vocab
from campaign.dataset import Dataset
from campaign.dates import format_date
from campaign.money import format_number
from campaign.text import fold, given_name_key
from store.store import Store
from tui.literal import literal, quoted, shorten
from tui.screens.dialogs import ConfirmScreen
from tui.screens.forms import AddressForm, address_units
from tui.screens.office import OfficeScreen, attempted
from tui.widgets.record_table import Column, RecordTable
from tui.widgets.vn_input import VnInput

STATUS_SHOWN = {"active": "Đang trợ giúp", "stopped": "Đã dừng", "surveyed": "Mới khảo sát"}
ALL = "all"


@dataclass(frozen=True)
class _Entry:
    """One address as the list shows and searches it."""

    id: str
    unit: str
    key: str  # " " + folded name, place and unit: what the search looks in
    status: str
    groups: frozenset[str]
    cells: tuple[str, ...]


class AddressIndex:
    """The office's live addresses, sorted by given name, ready to filter at each keystroke."""

    def __init__(self, store: Store, data: Dataset, year: int) -> None:
        self.data = data
        scope = set(store.units.subtree(store.office.unit))
        last = queries.last_aid_on(data.aid)
        prefix = f"{year:04d}-"
        self.helped_this_year = {
            a["address"]
            for a in data.aid
            if not a.get("deleted") and not a.get("excluded") and a["on"].startswith(prefix)
        }
        addresses = [a for a in data.addresses if not a.get("deleted") and a["unit"] in scope]
        addresses.sort(key=lambda a: given_name_key(a["name"]))
        names = {code: store.units.name(code) for code in scope}
        self.entries = [self._entry(a, names[a["unit"]], last.get(a["id"])) for a in addresses]

    @staticmethod
    def _entry(address: dict, unit_name: str, last_aid: str | None) -> _Entry:
        status = queries.status(address)
        groups = address.get("groups") or []
        cells = (
            address["name"],
            vocab.ADDRESS_KINDS[address["kind"]],
            format_number(address["people"]),
            address.get("place") or "",
            STATUS_SHOWN[status],
            format_date(last_aid) if last_aid else "",
            ", ".join(vocab.GROUPS[g] for g in groups),
            unit_name,
        )
        key = " " + fold(f"{address['name']} {address.get('place') or ''} {unit_name}")
        return _Entry(address["id"], address["unit"], key, status, frozenset(groups), cells)

    def search(
        self, query: str, unit: str = ALL, group: str = ALL, status: str = ALL, helped: str = ALL
    ) -> list[_Entry]:
        """Entries with a word starting with each word of the query (in the name, the place or
        the unit; accents optional), within the filters."""
        found = self.entries
        for word in fold(query).split():
            # One pass per word, each over what the words before it left: a plain `in` test in a
            # list comprehension keeps a keystroke over 20,000 addresses to a few milliseconds.
            start = " " + word
            found = [e for e in found if start in e.key]
        if unit != ALL:
            found = [e for e in found if e.unit == unit]
        if group != ALL:
            found = [e for e in found if group in e.groups]
        if status != ALL:
            found = [e for e in found if e.status == status]
        if helped != ALL:
            wanted = helped == "yes"
            found = [e for e in found if (e.id in self.helped_this_year) == wanted]
        return found


class AddressesScreen(OfficeScreen):
    """Every address of the office in a table; typing searches, Enter opens one."""

    TITLE = "Địa chỉ nhân đạo"
    BINDINGS = [
        Binding("ctrl+n", "new", "Thêm địa chỉ", id="addresses.new"),
        Binding("ctrl+f", "search", "Tìm", id="addresses.search"),
        Binding("ctrl+e", "edit", "Sửa", id="addresses.edit"),
        Binding("delete", "delete", "Xoá", id="addresses.delete"),
        Binding("escape", "back", "Quay lại", id="addresses.back"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.year = store.today().year
        self._data: Dataset | None = None
        self.index: AddressIndex | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield VnInput(
            placeholder="Tìm theo tên, nơi ở, đơn vị (không cần gõ dấu)…", compact=True, id="search"
        )
        with Horizontal(id="filters"):
            units = address_units(self.store)
            if len(units) > 1:
                yield Select(
                    [(literal(shorten(name, 60)), code) for code, name in units.items()],
                    prompt="Mọi đơn vị",
                    value=Select.NULL,
                    compact=True,
                    id="filter-unit",
                )
            yield Select(
                [(label, code) for code, label in vocab.GROUPS.items()],
                prompt="Mọi nhóm",
                compact=True,
                id="filter-group",
            )
            yield Select(
                [(label, code) for code, label in STATUS_SHOWN.items()],
                prompt="Mọi tình trạng",
                compact=True,
                id="filter-status",
            )
            yield Select(
                [(f"Được giúp năm {self.year}", "yes"), (f"Chưa được giúp năm {self.year}", "no")],
                prompt="Mọi năm",
                compact=True,
                id="filter-helped",
            )
        yield RecordTable(
            [
                Column("Tên địa chỉ"),
                Column("Loại", 7),
                Column("Người", 5, right=True),
                Column("Nơi ở", 15),
                Column("Tình trạng", 13),
                Column("Lần cuối", 10),
                Column("Nhóm đối tượng", 0, hide_below=110),
                Column("Đơn vị", 18, hide_below=140),
            ],
            empty="Không có địa chỉ nào khớp. Ctrl+N để thêm địa chỉ mới.",
            id="addresses",
        )
        yield Static("", id="count")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_index()
        self.query_one("#search", Input).focus()

    def on_screen_resume(self) -> None:
        if self._data is not self.store.dataset():
            self.refresh_index()

    def refresh_index(self) -> None:
        self._data = self.store.dataset()
        self.index = AddressIndex(self.store, self._data, self.year)
        self.apply_search()

    def _filter(self, selector: str) -> str:
        found = self.query(selector)
        if not found:
            return ALL
        value = found.first(Select).value
        return ALL if value is Select.NULL else str(value)

    def apply_search(self) -> None:
        if self.index is None:
            return
        table = self.query_one("#addresses", RecordTable)
        found = self.index.search(
            self.query_one("#search", Input).value,
            unit=self._filter("#filter-unit"),
            group=self._filter("#filter-group"),
            status=self._filter("#filter-status"),
            helped=self._filter("#filter-helped"),
        )
        table.set_rows([(e.id, e.cells) for e in found], keep=table.current_key)
        total = len(self.index.entries)
        shown = (
            f"{format_number(len(found))} / {format_number(total)} địa chỉ"
            if len(found) != total
            else f"{format_number(total)} địa chỉ"
        )
        self.query_one("#count", Static).update(
            f"{shown} · xếp theo tên gọi · Enter: mở · Ctrl+N: thêm"
        )

    @on(Input.Changed, "#search")
    def _typed(self) -> None:
        self.apply_search()

    @on(Input.Submitted, "#search")
    def _go_to_table(self) -> None:
        self.query_one("#addresses", RecordTable).focus()

    @on(Select.Changed)
    def _filtered(self) -> None:
        self.apply_search()

    @on(RecordTable.Selected, "#addresses")
    def _open(self, event: RecordTable.Selected) -> None:
        from tui.screens.address_detail import AddressDetail

        self.app.push_screen(AddressDetail(self.store, event.key))

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_new(self) -> None:
        def saved(record: dict | None) -> None:
            if record:
                self.refresh_index()
                self.query_one("#addresses", RecordTable).move_to(record["id"])

        self.app.push_screen(AddressForm(self.store, unit=self._filter("#filter-unit")), saved)

    def action_edit(self) -> None:
        key = self.query_one("#addresses", RecordTable).current_key
        if key:
            self.app.push_screen(AddressForm(self.store, self.store.get("address", key)))

    def action_delete(self) -> None:
        table = self.query_one("#addresses", RecordTable)
        key = table.current_key
        if not key:
            return
        address = self.store.get("address", key)
        assert address is not None

        def answered(yes: bool | None) -> None:
            if yes and attempted(self, lambda: self.store.delete("address", key)):
                self.notify(f"Đã xoá địa chỉ {quoted(address['name'])}.")
                self.refresh_index()

        self.app.push_screen(
            ConfirmScreen(
                f"Xoá địa chỉ {quoted(address['name'])}? Địa chỉ được đánh dấu đã xoá, không còn "
                "được tính; việc xoá cũng được gửi lên cấp trên.",
                yes="Xoá",
            ),
            answered,
        )

    def action_back(self) -> None:
        search = self.query_one("#search", Input)
        if search.value:
            search.value = ""
            search.focus()
        else:
            self.dismiss(None)
