"""A table of records that draws only the rows on screen, for lists of tens of thousands."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.literal import visible

# The cells a name column keeps before fixed columns are left out (see `RecordTable._widths`).
NAME_ROOM = 18


@dataclass(frozen=True)
class Column:
    """A column: its title, its width in cells (0: shares what is left), its alignment, and the
    table width below which it is left out (so that 80 columns show what matters most)."""

    title: str
    width: int = 0
    right: bool = False
    hide_below: int = 0


def header_lines(title: str, size: int) -> list[str]:
    """A column's title in lines of at most `size` cells: one line when it fits, else its words
    over two lines («Mô hình» / «tiêu biểu»), cut with «…» only when two lines cannot hold it."""
    if cell_len(title) <= size:
        return [title]
    words = title.split() or [""]
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    fitting = [pair for pair in splits if max(map(cell_len, pair)) <= size]
    if fitting:  # the most even of the splits that fit: «Mô hình» / «tiêu biểu»
        return list(min(fitting, key=lambda pair: max(map(cell_len, pair))))
    first, taken = words[0], 1
    while taken < len(words) and cell_len(f"{first} {words[taken]}") <= size:
        first, taken = f"{first} {words[taken]}", taken + 1
    rest = " ".join(words[taken:])
    return [cut(line, size) for line in (first, rest) if line]


def cut(text: str, size: int) -> str:
    """`text` in at most `size` cells, its end replaced by «…» when it is longer."""
    return text if cell_len(text) <= size else set_cell_size(text, size - 1) + "…"


class RecordTable(ScrollView, can_focus=True):
    """Rows of text cells with a keyboard cursor. The header stays at the top.

    A title wider than its column is written on two lines rather than cut, so the header is
    one or two lines high depending on the width of the table.

    Rows are given whole (`set_rows`), already formatted; drawing a screen formats only the
    rows that are visible, so a list of 20,000 addresses costs what a list of 20 does.
    """

    COMPONENT_CLASSES = {"record-table--header", "record-table--cursor", "record-table--empty"}
    DEFAULT_CSS = """
    RecordTable {
        height: 1fr;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
        & > .record-table--header { text-style: bold; background: $primary 30%; }
        & > .record-table--cursor { background: $accent 40%; }
        &:focus > .record-table--cursor { background: $accent; color: $text; text-style: bold; }
        & > .record-table--empty { color: $text-muted; text-style: italic; }
    }
    """
    BINDINGS = [
        Binding("up", "move(-1)", "Lên", show=False),
        Binding("down", "move(1)", "Xuống", show=False),
        Binding("pageup", "page(-1)", "Trang trước", show=False),
        Binding("pagedown", "page(1)", "Trang sau", show=False),
        Binding("home", "jump(0)", "Dòng đầu", show=False),
        Binding("end", "jump(-1)", "Dòng cuối", show=False),
        Binding("enter", "select", "Mở", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)

    class Highlighted(Message):
        """The cursor moved to the row of `key` (None when the table is empty)."""

        def __init__(self, table: RecordTable, key: str | None) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> RecordTable:
            return self.table

    class Selected(Message):
        """Enter was pressed on the row of `key`."""

        def __init__(self, table: RecordTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> RecordTable:
            return self.table

    def __init__(
        self,
        columns: list[Column],
        *,
        empty: str = "Không có dòng nào.",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.columns = columns
        self.empty = empty
        self._keys: list[str] = []
        self._cells: list[tuple[str, ...]] = []

    # ----------------------------------------------------------------- data

    def set_rows(self, rows: list[tuple[str, tuple[str, ...]]], keep: str | None = None) -> None:
        """Show these rows (key, cells); the cursor goes to the row of `keep` if it is there."""
        self.set_columns([key for key, _cells in rows], [cells for _key, cells in rows], keep)

    def set_columns(
        self, keys: list[str], cells: list[tuple[str, ...]], keep: str | None = None
    ) -> None:
        """`set_rows` given the rows' keys and cells apart (the table keeps both lists)."""
        self._keys = keys
        self._cells = cells
        self.virtual_size = Size(self.size.width, len(keys) + self.header_height)
        target = 0
        if keep is not None:
            with contextlib.suppress(ValueError):  # not among the rows: the first row
                target = keys.index(keep)
        self.cursor = target
        self.refresh()

    @property
    def keys(self) -> list[str]:
        """The keys of the rows, in the order they are shown."""
        return list(self._keys)

    @property
    def row_count(self) -> int:
        return len(self._keys)

    @property
    def current_key(self) -> str | None:
        return self._keys[self.cursor] if self._keys else None

    def row(self, index: int) -> tuple[str, ...]:
        return self._cells[index]

    def move_to(self, key: str) -> None:
        if key in self._keys:
            self.cursor = self._keys.index(key)

    # ----------------------------------------------------------------- cursor

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._keys) - 1)) if self._keys else 0

    def watch_cursor(self, value: int) -> None:
        visible = max(1, self.size.height - self.header_height)
        top = round(self.scroll_y)
        if value < top:
            self.scroll_to(y=value, animate=False)
        elif value >= top + visible:
            self.scroll_to(y=value - visible + 1, animate=False)
        self.refresh()
        self.post_message(self.Highlighted(self, self.current_key))

    def action_move(self, step: int) -> None:
        self.cursor += step

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(1, self.size.height - self.header_height - 1)

    def action_jump(self, index: int) -> None:
        self.cursor = index if index >= 0 else len(self._keys) - 1

    def action_select(self) -> None:
        if self._keys:
            self.post_message(self.Selected(self, self._keys[self.cursor]))

    def on_click(self, event) -> None:  # type: ignore[no-untyped-def]
        header = self.header_height
        index = round(self.scroll_y) + event.y - header
        if event.y >= header and 0 <= index < len(self._keys):
            self.cursor = index
            if event.chain == 2:
                self.action_select()

    # ----------------------------------------------------------------- drawing

    def _widths(self, width: int) -> list[int]:
        """The width of each column, 0 for a column left out at this width.

        The columns that share what is left (the names) keep priority: in a narrow terminal
        the fixed columns on the right are left out, one by one, until each name column has
        NAME_ROOM cells (or a third of the width), rather than names cut to three letters."""
        shown = [c for c in self.columns if width >= c.hide_below]
        flexible = [c for c in shown if not c.width]

        def share() -> int:
            fixed = sum(c.width for c in shown) + len(shown) - 1
            return max(0, width - fixed) // len(flexible) if flexible else 0

        room = min(NAME_ROOM, width // 3)
        while flexible and share() < room:
            dropped = next((c for c in reversed(shown) if c.width and c is not shown[0]), None)
            if dropped is None:
                break
            shown.remove(dropped)
        cells = max(4, share())
        return [(c.width or cells) if c in shown else 0 for c in self.columns]

    def widths(self) -> list[int]:
        """The width of each column as drawn now, 0 for a column left out."""
        return self._widths(self.scrollable_content_region.width)

    def headers(self) -> list[list[str]]:
        """Each column's title as drawn now, in lines (an empty list for a column left out)."""
        return [
            header_lines(column.title, size) if size else []
            for column, size in zip(self.columns, self.widths(), strict=True)
        ]

    @property
    def header_height(self) -> int:
        """The lines the header takes at the present width: 1, or 2 when a title is wrapped."""
        return max((len(lines) for lines in self.headers()), default=1) or 1

    def _line(self, cells: tuple[str, ...], widths: list[int], width: int) -> str:
        parts = []
        for column, cell, size in zip(self.columns, cells, widths, strict=False):
            if not size:
                continue
            text = visible(cell)  # a name holding ESC must not reach the terminal
            text = cut(text, size)
            parts.append(text.rjust(size) if column.right else set_cell_size(text, size))
        return set_cell_size(" ".join(parts), width)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        widths = self._widths(width)
        headers = [
            header_lines(column.title, size) if size else []
            for column, size in zip(self.columns, widths, strict=True)
        ]
        header = max((len(lines) for lines in headers), default=1) or 1
        if y < header:
            style = self.get_component_rich_style("record-table--header")
            titles = tuple(lines[y] if y < len(lines) else "" for lines in headers)
            return Strip([Segment(self._line(titles, widths, width), style)], width)
        if not self._keys:
            if y == header:
                style = self.get_component_rich_style("record-table--empty")
                return Strip([Segment(set_cell_size(self.empty, width), style)], width)
            return Strip.blank(width, self.rich_style)
        index = round(self.scroll_y) + y - header
        if index >= len(self._keys):
            return Strip.blank(width, self.rich_style)
        style = self.rich_style
        if index == self.cursor:
            style = self.get_component_rich_style("record-table--cursor")
        return Strip([Segment(self._line(self._cells[index], widths, width), style)], width)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._keys) + self.header_height)
