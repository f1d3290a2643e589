"""The deleted records of the office («Đã xoá»), each restorable, with its history.

A deletion is a tombstone: the record's last fields, kept and sent like any edit. Restoring one
saves those fields again as a new version, which travels up and replaces the tombstone
wherever it went. The history of a record (tui/screens/history.py) is what its versions say:
when each was written and by which office.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from campaign.records import KIND_ORDER, KINDS
from store import hlc
from store.store import data_of
from tui.labels import writer
from tui.literal import literal, quoted
from tui.screens.history import HistoryScreen, history, name_of, when
from tui.screens.office import OfficeScreen, attempted, goes_up
from tui.widgets.record_table import Column, RecordTable


class BinScreen(OfficeScreen):
    """Every deleted record of the office, newest deletion first; r restores the one chosen."""

    TITLE = "Đã xoá"
    BINDINGS = [
        Binding("r", "restore", "Khôi phục", id="bin.restore"),
        Binding("l", "history", "Lịch sử", id="bin.history"),
        Binding("escape", "back", "Quay lại", id="bin.back"),
    ]
    DEFAULT_CSS = """
    BinScreen #bin-detail { padding: 0 1; height: auto; max-height: 8; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        yield RecordTable(
            [Column("Loại", 14), Column("Bản ghi"), Column("Xoá lúc", 16), Column("Do", 18)],
            empty="Chưa xoá bản ghi nào.",
            id="bin",
        )
        yield Static(id="bin-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.fill()
        self.query_one("#bin", RecordTable).focus()

    def store_changed(self) -> None:
        """The store changed under this screen (an undo): show it again."""
        self.fill()

    def fill(self) -> None:
        scope = set(self.store.units.subtree(self.store.office.unit))
        rows = []
        self.deleted: dict[str, tuple[str, str]] = {}
        for kind in KIND_ORDER:
            if not KINDS[kind].can_be_deleted:
                continue
            key_field = KINDS[kind].key
            for record in self.store.records(kind, live=False):
                if not record.get("deleted") or record["owner"] not in scope:
                    continue
                token = f"{kind}:{record[key_field]}"
                self.deleted[token] = (kind, record[key_field])
                rows.append(
                    (
                        record["v"],
                        token,
                        (KINDS[kind].label, name_of(self.store, kind, record), when(record["v"]),
                         writer(self.store, record.get("by"))),
                    )
                )  # fmt: skip
        rows.sort(key=lambda row: hlc.order(row[0]), reverse=True)
        table = self.query_one("#bin", RecordTable)
        table.set_rows([(token, cells) for _v, token, cells in rows], keep=table.current_key)
        self._show(table.current_key)

    @on(RecordTable.Highlighted, "#bin")
    def _highlighted(self, event: RecordTable.Highlighted) -> None:
        self._show(event.key)

    def _show(self, token: str | None) -> None:
        if token is None or token not in self.deleted:
            text = "Bản ghi đã xoá được giữ lại và có thể khôi phục (r)."
        else:
            kind, key = self.deleted[token]
            text = "Các phiên bản: " + "; ".join(history(self.store, kind, key)[:5])
        self.query_one("#bin-detail", Static).update(literal(text))

    def action_history(self) -> None:
        """«Lịch sử»: every version of the deleted record chosen (the line under the list shows
        the latest five)."""
        token = self.query_one("#bin", RecordTable).current_key
        if token is not None and token in self.deleted:
            self.app.push_screen(HistoryScreen(self.store, *self.deleted[token]))

    def action_restore(self) -> None:
        token = self.query_one("#bin", RecordTable).current_key
        if token is None or token not in self.deleted:
            return
        kind, key = self.deleted[token]
        current = self.store.get(kind, key)
        assert current is not None
        data = data_of(kind, current)
        data.pop("deleted", None)
        for field, what in (("address", "địa chỉ"), ("helper", "người trợ giúp")):
            parent = self.store.get(field, data.get(field) or "") if field in data else None
            if parent is not None and parent["deleted"]:
                self.notify(
                    f"{KINDS[kind].label} này thuộc {what} {quoted(parent['name'], 60)}, đã bị "
                    f"xoá: hãy khôi phục {what} đó trước.",
                    title="Chưa khôi phục",
                    severity="warning",
                )
                return
        if attempted(self, lambda: self.store.save(kind, data)):
            up = "; việc khôi phục cũng được gửi lên cấp trên" if goes_up(self.store) else ""
            self.notify(
                f"Đã khôi phục {KINDS[kind].label.lower()} "
                f"{quoted(name_of(self.store, kind, data), 60)}{up}."
            )
            self.fill()
