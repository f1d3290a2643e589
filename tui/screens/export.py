"""«Xuất Excel»: the list a screen shows, written as a workbook (exporters/lists.py).

Every list screen binds the same key (`EXPORT_KEY`, Ctrl+B: free on all of them, and typed in
a search box it is not taken by the box) to its `action_export`, one of the functions here:

    BINDINGS = [..., export_binding("addresses")]
    action_export = export_addresses

Each asks where to write (FolderScreen's SaveFileScreen: a folder typed or chosen, created when
asked, a file replaced only when asked), then builds and saves the workbook in a thread behind a
progress dialog, and says where it went, or why it could not be written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from textual.binding import Binding
from textual.widgets import Input

from campaign.money import format_number
from campaign.records import KINDS, describe
from store.errors import StoreError
from tui.literal import quoted
from tui.screens.dialogs import SaveFileScreen
from tui.screens.progress import ProgressScreen
from tui.widgets.record_table import RecordTable

if TYPE_CHECKING:
    from tui.screens.office import OfficeScreen

EXPORT_KEY = "ctrl+b"
EXPORT_LABEL = "Xuất Excel"
GROUP = "export"


def export_binding(screen: str) -> Binding:
    """The «Xuất Excel» key of a screen (its id prefixed by the screen's). It is listed in the
    F1 help, not in the footer: at 80 columns the footer has no room left, and it would push
    out F1 itself."""
    return Binding(EXPORT_KEY, "export", EXPORT_LABEL, id=f"{screen}.export", show=False)


def _settings(screen: OfficeScreen) -> dict[str, Any]:
    store = screen.store
    return {
        "units": store.units,
        "unit": store.office.unit,
        "settings": store.office.document_settings,
        "on": store.today(),
    }


def _write(screen: OfficeScreen, question: str, name: str, build: Callable[[], Workbook]) -> None:
    """Ask where, then build and save the workbook in a thread."""

    def chosen(path: Path | None) -> None:
        if path is None:
            return
        progress = ProgressScreen("Đang ghi bảng tính…")
        screen.app.push_screen(progress)
        screen.run_worker(
            lambda: _save(screen, progress, path, build),
            thread=True,
            group=GROUP,
            exit_on_error=False,
        )

    screen.app.push_screen(SaveFileScreen(question, name), chosen)


def _save(
    screen: OfficeScreen, progress: ProgressScreen, path: Path, build: Callable[[], Workbook]
) -> None:
    from exporters.sheets import WorkbookWriteError, save_workbook

    try:
        save_workbook(build(), path)
    except (WorkbookWriteError, StoreError) as error:
        screen.app.call_from_thread(_said, screen, progress, f"Chưa ghi được: {error}", "error")
    else:
        screen.app.call_from_thread(_said, screen, progress, f"Đã ghi {path}", "information")


def _said(screen: OfficeScreen, progress: ProgressScreen, message: str, severity: str) -> None:
    progress.done()
    screen.notify(message, severity=severity, timeout=12, markup=False)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- the screens


def export_addresses(screen: Any) -> None:
    """The address list as the screen shows it: its search, filters and order."""
    from exporters.lists import address_list_workbook, file_name

    store = screen.store
    keys = screen.query_one("#addresses", RecordTable).keys
    typed = screen.query_one("#search", Input).value.strip()
    parts = ([f"tìm {quoted(typed, 60)}"] if typed else []) + screen.filters_shown()
    shown = ("Lọc: " + "; ".join(parts) if parts else "Tất cả địa chỉ") + (", xếp theo tên gọi")
    data = store.dataset()
    by_id = {a["id"]: a for a in data.addresses}
    chosen = [by_id[key] for key in keys if key in by_id]
    unit_name = store.units.name(store.office.unit)
    _write(
        screen,
        f"Ghi danh sách {format_number(len(chosen))} địa chỉ đang hiện vào đâu?",
        file_name("dia chi", unit_name, on=store.today()),
        lambda: address_list_workbook(chosen, data.aid, shown=shown, **_settings(screen)),
    )


def export_address(screen: Any) -> None:
    """One address: its details, its helpers and its aid."""
    from exporters.lists import address_workbook, file_name

    store = screen.store
    data = store.dataset()
    address = next((a for a in data.addresses if a["id"] == screen.address_id), None)
    if address is None:
        return
    _write(
        screen,
        f"Ghi hồ sơ và các lần trợ giúp của {quoted(address['name'], 60)} vào đâu?",
        file_name("ho so", address["name"], on=store.today()),
        lambda: address_workbook(
            address, data.helpers, data.attachments, data.aid, **_settings(screen)
        ),
    )


def export_helpers(screen: Any) -> None:
    """The helpers the screen shows, with their addresses and their aid."""
    from exporters.lists import file_name, helpers_workbook

    store = screen.store
    keys = screen.query_one("#helpers", RecordTable).keys
    typed = screen.query_one("#search", Input).value.strip()
    data = store.dataset()
    by_id = {h["id"]: h for h in data.helpers}
    chosen = [by_id[key] for key in keys if key in by_id]
    shown = f"Lọc: tìm {quoted(typed, 60)}" if typed else "Tất cả người trợ giúp"
    _write(
        screen,
        f"Ghi danh sách {format_number(len(chosen))} người trợ giúp vào đâu?",
        file_name("nguoi tro giup", store.units.name(store.office.unit), on=store.today()),
        lambda: helpers_workbook(
            chosen,
            data.addresses,
            data.attachments,
            data.aid,
            shown=f"{shown}, Hội Chữ thập đỏ trước, xếp theo tên gọi",
            **_settings(screen),
        ),
    )


def export_quarantine(screen: Any) -> None:
    """The records held in quarantine, with why."""
    from exporters.lists import HeldRow, file_name, quarantine_workbook

    store = screen.store
    rows = []
    for key in screen.query_one("#held", RecordTable).keys:
        item = screen.items.get(key)
        if item is None:
            continue
        sender = store.units.name(item.sender) if item.sender in store.units else item.sender
        rows.append(
            HeldRow(describe(item.kind, item.document), sender, item.received, item.reasons)
        )
    _write(
        screen,
        f"Ghi danh sách {format_number(len(rows))} bản ghi bị cách ly vào đâu?",
        file_name("cach ly", store.units.name(store.office.unit), on=store.today()),
        lambda: quarantine_workbook(rows, **_settings(screen)),
    )


def export_conflicts(screen: Any) -> None:
    """The records edited in two places, who wrote each version and the fields that differ."""
    from exporters.lists import ConflictRow, conflicts_workbook, file_name
    from store.store import data_of
    from tui.labels import writer

    store = screen.store
    rows = []
    for kind, document in store.conflicts():
        owner = document.get("owner", "")
        unit = store.units.name(owner) if owner in store.units else owner
        current = store.get(kind, document["id"]) or data_of(kind, document)
        spec = KINDS[kind]
        theirs = spec.complete(document)
        differ = [f.label for f in spec.fields if current.get(f.name) != theirs.get(f.name)]
        if bool(current.get("deleted")) != bool(document.get("deleted")):
            differ.append("Đã xoá")
        rows.append(
            ConflictRow(
                describe(kind, current),
                unit,
                writer(store, current.get("by")),
                writer(store, document.get("by")),
                differ,
            )
        )
    _write(
        screen,
        f"Ghi danh sách {format_number(len(rows))} xung đột vào đâu?",
        file_name("xung dot", store.units.name(store.office.unit), on=store.today()),
        lambda: conflicts_workbook(rows, **_settings(screen)),
    )
