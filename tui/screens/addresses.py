"""The addresses of the office: search as you type (accents optional), filters, sorted by name."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Header, Input, Select, Static

from campaign import queries, search, vocab
from campaign.dataset import Dataset
from campaign.dates import format_date
from campaign.money import format_number
from campaign.text import collation_key, fold, given_name_key
from store.store import Store
from tui.literal import literal, quoted, shorten
from tui.screens.dialogs import ConfirmScreen
from tui.screens.export import export_addresses, export_binding
from tui.screens.forms import AddressForm, address_units
from tui.screens.office import OfficeScreen, attempted, goes_up
from tui.widgets.record_table import Column, RecordTable
from tui.widgets.vn_input import SearchInput

STATUS_SHOWN = {"active": "Đang trợ giúp", "stopped": "Đã dừng", "surveyed": "Mới khảo sát"}
ALL = "all"


@dataclass(frozen=True)
class _Entry:
    """One address as the list shows and searches it."""

    id: str
    unit: str
    name_key: str  # `search.key` of the name, of the place, of both: what the search looks in
    place_key: str
    words_key: str
    place: str  # the folded place, for the filter by place
    status: str
    groups: frozenset[str]
    cells: tuple[str, ...]


# The filters that are not a field: addresses with aid whose helper is not recorded.
NO_HELPER = "no_helper"
# A status filter as the count line and the exported list say it.
FILTER_WORDS = {NO_HELPER: "Có lần trợ giúp chưa ghi người trợ giúp"}


class AddressIndex:
    """The office's live addresses, sorted by given name, ready to filter at each keystroke."""

    def __init__(self, store: Store, data: Dataset, year: int) -> None:
        self.data = data
        self.year = year
        scope = set(store.units.subtree(store.office.unit))
        last = queries.last_aid_on(data.aid)
        helpers = {h["id"]: h for h in data.helpers}
        self.helped_in: dict[int, set[str]] = defaultdict(set)
        for aid in data.aid:
            if not aid.get("deleted") and not aid.get("excluded"):
                self.helped_in[int(aid["on"][:4])].add(aid["address"])
        self.without_helper = set(queries.aid_without_helper(data.addresses, data.aid, helpers))
        addresses = [a for a in data.addresses if not a.get("deleted") and a["unit"] in scope]
        addresses.sort(key=lambda a: given_name_key(a["name"]))
        names = {code: store.units.name(code) for code in scope}
        self.entries = [self._entry(a, names[a["unit"]], last.get(a["id"])) for a in addresses]
        self._names = search.Haystack([e.name_key for e in self.entries])
        self._places = search.Haystack([e.place_key for e in self.entries])
        self._words = search.Haystack([e.words_key for e in self.entries])
        self._position = {e.id: n for n, e in enumerate(self.entries)}
        # The table's rows of every entry, made once: what a search that finds all shows.
        self.ids = [e.id for e in self.entries]
        self.cells = [e.cells for e in self.entries]
        # The places to filter by: each spelling folded once, shown as first written.
        places: dict[str, str] = {}
        for address in addresses:
            if address.get("place"):
                places.setdefault(fold(address["place"]), address["place"])
        self.places = sorted(places.items(), key=lambda item: collation_key(item[1]))

    @property
    def years(self) -> list[int]:
        """The years to filter by: this year, and every year some address was helped."""
        return sorted({self.year, *self.helped_in}, reverse=True)

    @staticmethod
    def _entry(address: dict, unit_name: str, last_aid: str | None) -> _Entry:
        status = queries.status(address)
        groups = address.get("groups") or []
        place = address.get("place") or ""
        cells = (
            address["name"],
            vocab.ADDRESS_KINDS[address["kind"]],
            format_number(address["people"]),
            place,
            STATUS_SHOWN[status],
            format_date(last_aid) if last_aid else "",
            ", ".join(vocab.GROUPS[g] for g in groups),
            unit_name,
        )
        return _Entry(
            address["id"],
            address["unit"],
            search.key(address["name"]),
            search.key(place),
            search.key(f"{address['name']} {place}"),
            fold(place),
            status,
            frozenset(groups),
            cells,
        )

    def search(
        self,
        query: str,
        unit: str = ALL,
        group: str = ALL,
        status: str = ALL,
        helped: str = ALL,
        place: str = ALL,
    ) -> tuple[list[_Entry], bool]:
        """The entries within the filters whose name or place contains the words typed as a
        phrase (`campaign.search`), and True; when none does, those holding every word, and
        False. `helped` is «yes:2016» or «no:2016»; `status` may be NO_HELPER."""
        entries = self.entries
        found = entries
        if unit != ALL:
            found = [e for e in found if e.unit == unit]
        if place != ALL:
            found = [e for e in found if e.place == place]
        if group != ALL:
            found = [e for e in found if group in e.groups]
        if status == NO_HELPER:
            found = [e for e in found if e.id in self.without_helper]
        elif status != ALL:
            found = [e for e in found if e.status == status]
        if helped != ALL:
            wanted, year = helped.split(":")
            ids = self.helped_in.get(int(year), set())
            found = [e for e in found if (e.id in ids) == (wanted == "yes")]
        typed = search.Query.of(query)
        if not typed:
            return found, True
        phrase = typed.phrase_in(self._names, self._places)
        position = self._position
        exact = bool(phrase) if found is entries else any(position[e.id] in phrase for e in found)
        if not exact:
            phrase = typed.words_in(self._words)
        if found is entries:
            return [entries[n] for n in sorted(phrase)], exact
        return [e for e in found if position[e.id] in phrase], exact


class AddressesScreen(OfficeScreen):
    """Every address of the office in a table; typing searches, Enter opens one."""

    TITLE = "Địa chỉ nhân đạo"
    BINDINGS = [
        Binding("ctrl+n", "new", "Thêm địa chỉ", id="addresses.new"),
        Binding("ctrl+f", "search", "Tìm", id="addresses.search"),
        Binding("ctrl+e", "edit", "Sửa", id="addresses.edit"),
        Binding("delete", "delete", "Xoá", id="addresses.delete"),
        Binding("escape", "back", "Quay lại", id="addresses.back"),
        export_binding("addresses"),
    ]
    action_export = export_addresses

    def __init__(self, store: Store, status: str | None = None) -> None:
        """`status`: a filter to open with (NO_HELPER from the home screen's attention list)."""
        super().__init__(store)
        self.year = store.today().year
        self._data: Dataset | None = None
        self.index: AddressIndex | None = None
        self.initial_status = status

    def compose(self) -> ComposeResult:
        yield Header()
        yield SearchInput(
            placeholder="Tìm theo tên, nơi ở (không cần gõ dấu; kp3 là khu phố 3)…",
            compact=True,
            id="search",
            list_id="addresses",
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
            yield Select([], prompt="Mọi nơi ở", compact=True, id="filter-place")
            yield Select(
                [(label, code) for code, label in vocab.GROUPS.items()],
                prompt="Mọi nhóm",
                compact=True,
                id="filter-group",
            )
            yield Select(
                [
                    *((label, code) for code, label in STATUS_SHOWN.items()),
                    ("Thiếu người giúp", NO_HELPER),
                ],
                prompt="Mọi tình trạng",
                value=self.initial_status or Select.NULL,
                compact=True,
                id="filter-status",
            )
            yield Select([], prompt="Mọi năm", compact=True, id="filter-helped")
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

    def store_changed(self) -> None:
        """The store changed under this screen (an undo): show it again."""
        self.refresh_index()

    def refresh_index(self) -> None:
        self._data = self.store.dataset()
        self.index = AddressIndex(self.store, self._data, self.year)
        with self.prevent(Select.Changed):  # the options change; the choices made stay
            place = self._filter("#filter-place")
            places = self.query_one("#filter-place", Select)
            places.set_options((literal(shorten(shown, 40)), folded)
                               for folded, shown in self.index.places)  # fmt: skip
            if place != ALL and any(folded == place for folded, _ in self.index.places):
                places.value = place
            helped = self.query_one("#filter-helped", Select)
            year = self._filter("#filter-helped")
            helped.set_options(
                (f"{'Được giúp' if value.startswith('yes') else 'Chưa giúp'} {value[-4:]}", value)
                for y in self.index.years
                for value in (f"yes:{y}", f"no:{y}")
            )
            if year != ALL and int(year.split(":")[1]) in self.index.years:
                helped.value = year
        self.apply_search()

    def filters_shown(self) -> list[str]:
        """The filters chosen, in words: the boxes show them shortened at 80 columns («Chưa
        giúp 2016»), the count line and the exported list say them whole."""
        shown = []
        for select in self.query("#filters Select").results(Select):
            value = select.value
            if value is Select.NULL:
                continue
            if select.id == "filter-helped":
                helped, year = str(value).split(":")
                shown.append(f"{'Được' if helped == 'yes' else 'Chưa được'} giúp năm {year}")
            elif select.id == "filter-status":
                shown.append(FILTER_WORDS.get(str(value), STATUS_SHOWN.get(str(value), "")))
            elif select.id == "filter-group":
                shown.append(vocab.GROUPS[str(value)])
            elif select.id == "filter-place":
                place = dict(self.index.places).get(str(value), "") if self.index else ""
                shown.append(place)
            elif select.id == "filter-unit":
                shown.append(self.store.units.name(str(value)))
        return [text for text in shown if text]

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
        typed = self.query_one("#search", Input).value
        found, exact = self.index.search(
            typed,
            unit=self._filter("#filter-unit"),
            group=self._filter("#filter-group"),
            status=self._filter("#filter-status"),
            helped=self._filter("#filter-helped"),
            place=self._filter("#filter-place"),
        )
        if found is self.index.entries:
            ids, cells = self.index.ids, self.index.cells
        else:
            ids, cells = [e.id for e in found], [e.cells for e in found]
        table.set_columns(ids, cells, keep=table.current_key)
        total = len(self.index.entries)
        shown = (
            f"{format_number(len(found))} / {format_number(total)} địa chỉ"
            if len(found) != total
            else f"{format_number(total)} địa chỉ"
        )
        if not exact:
            shown = (
                f"Không tên, nơi ở nào có đúng cụm {quoted(typed.strip(), 40)}; {shown} có đủ "
                "các từ"
            )
        filters = self.filters_shown()
        hint = (
            f"lọc: {'; '.join(filters)} · Enter: mở" if filters
            else "xếp theo tên gọi · Enter: mở · Ctrl+N: thêm"
        )  # fmt: skip
        self.query_one("#count", Static).update(literal(f"{shown} · {hint}"))

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
                "được tính"
                + ("; việc xoá cũng được gửi lên cấp trên." if goes_up(self.store) else ".")
                + " Ctrl+Z hoàn tác, hoặc khôi phục ở «Đã xoá».",
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
