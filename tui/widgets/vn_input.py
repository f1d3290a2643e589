"""Text inputs that keep up with Vietnamese input methods, and take no control characters.

An input method (Unikey, EVKey, ibus-bamboo…) types «ê» after «e» by sending Backspace and the
new letter together. Textual runs Backspace as a key binding, after the key event has bubbled up
to the app, so a letter that arrived in the same burst is inserted first and then deleted:
«Vie» + (Backspace, «ê») came out «Vie». These inputs delete on the key event itself, in the
order the keys came.

Nothing typed or pasted puts a control, direction or other format character into a box (a
pasted ESC would otherwise reach the terminal, and the record would be refused on saving).
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea
from textual.widgets.text_area import EditResult, Location

from campaign.text import without_forbidden

# Between what was typed and a name it completes that does not start with it («bh  → Thẻ bảo
# hiểm y tế»): the greyed suggestion shows both; → keeps the name alone.
COMPLETION_MARK = "  → "


class VnInput(Input):
    """An Input where Backspace is handled in order with the characters around it."""

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(without_forbidden(text), start, end)

    def on_mount(self) -> None:
        # The app may ask for a steady cursor (NHANDAO_CURSOR_BLINK=0; tests need it too).
        self.cursor_blink = getattr(self.app, "cursor_blink", True)

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "backspace":
            event.stop()
            event.prevent_default()
            self._restart_blink()
            self.action_delete_left()
            return
        await super()._on_key(event)

    def action_cursor_right(self, select: bool = False) -> None:
        suggestion = self._suggestion
        head = f"{self.value}{COMPLETION_MARK}"
        if not select and self.cursor_at_end and suggestion.startswith(head):
            self.value = suggestion[len(head) :]
            self.cursor_position = len(self.value)
            return
        super().action_cursor_right(select)


class VnTextArea(TextArea):
    """A TextArea where Backspace is handled in order with the characters around it."""

    def replace(
        self, insert: str, start: Location, end: Location, *, maintain_selection_offset: bool = True
    ) -> EditResult:
        return super().replace(
            without_forbidden(insert, prose=True),
            start,
            end,
            maintain_selection_offset=maintain_selection_offset,
        )

    def on_mount(self) -> None:
        self.cursor_blink = getattr(self.app, "cursor_blink", True)

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "backspace" and not self.read_only:
            event.stop()
            event.prevent_default()
            self.action_delete_left()
            return
        await super()._on_key(event)
