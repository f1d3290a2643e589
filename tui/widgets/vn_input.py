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

from typing import Any

from textual import events
from textual.widgets import Input, TextArea
from textual.widgets.text_area import EditResult, Location

from campaign.text import without_forbidden

# Between what was typed and a name it completes that does not start with it («bh  → Thẻ bảo
# hiểm y tế»): the greyed suggestion shows both; → keeps the name alone.
COMPLETION_MARK = "  → "


# Keys of an input box that a screen's own binding takes over (VnInput._own_binding).
SCREEN_FIRST = frozenset({"ctrl+e", "ctrl+k", "ctrl+d"})


class VnInput(Input):
    """An Input where Backspace is handled in order with the characters around it."""

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(without_forbidden(text), start, end)

    def on_mount(self) -> None:
        # The app may ask for a steady cursor (NHANDAO_CURSOR_BLINK=0; tests need it too).
        self.cursor_blink = getattr(self.app, "cursor_blink", True)

    async def _on_key(self, event: events.Key) -> None:
        if self.passed_on(event):
            return
        if event.key == "backspace":
            event.stop()
            event.prevent_default()
            self._restart_blink()
            self.action_delete_left()
            return
        if await self._own_binding(event):
            return
        await super()._on_key(event)

    def passed_on(self, event: events.Key) -> bool:
        """A key that reaches this box after the focus has left it goes where the focus is.

        The app hands each key to the box focused when it reads it: in a burst (a fast typist
        ahead of a slow PC, a scanner) the keys after an Enter are already waiting here when the
        Enter moves the focus on, or saves and goes back to the first box. Passed on in the
        order they came, they land where the typist meant, as with pauses. When the focus went
        to another screen (a question), the keys stay here: typed ahead of the question, they
        are no answer to it."""
        focused = self.screen.focused
        if focused is None or focused is self or self.app.screen is not self.screen:
            return False
        event.stop()
        event.prevent_default()
        again = events.Key(event.key, event.character)
        again._set_forwarded()
        focused.post_message(again)
        return True

    async def _own_binding(self, event: events.Key) -> bool:
        """A key of the box's own (Ctrl+U, →, Home…) acts now, in order with the letters around
        it. Left to the bindings, it would act once it has bubbled up to the app, after the
        letters typed behind it: «Ctrl+U 20032018» emptied the box after «20032» and left «018».

        Ctrl+E, Ctrl+K and Ctrl+D are the box's too (end of line, delete to its end, delete
        right), but a screen that binds them offers them in its footer and its F1 list («Sửa
        địa chỉ», «Dừng gắn»…): there they act for the screen, from its boxes too."""
        if event.key in SCREEN_FIRST:
            for binding in self.screen._bindings.key_to_bindings.get(event.key, ()):
                if await self.app.run_action(binding.action, self.screen):
                    event.stop()
                    event.prevent_default()
                    return True
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return True
        return False

    def action_cursor_right(self, select: bool = False) -> None:
        if not select and self.cursor_at_end and not self._suggestion and self.value:
            # The suggestion of what was just typed may still be on its way: → works it out
            # now, so it is taken however fast it follows the letters.
            suggest = getattr(self.suggester, "suggest", None)
            if suggest is not None:
                self._suggestion = suggest(self.value) or ""
        suggestion = self._suggestion
        head = f"{self.value}{COMPLETION_MARK}"
        if not select and self.cursor_at_end and suggestion.startswith(head):
            self.value = suggestion[len(head) :]
            self.cursor_position = len(self.value)
            return
        super().action_cursor_right(select)


class SearchInput(VnInput):
    """The search box above a list: ↓ (or Page Down) goes down into the list, as Enter does
    (the box has no lines to go down in). The focus moves at once, so that an Enter typed
    right behind it opens the row, as it would with a pause between."""

    def __init__(self, *args: Any, list_id: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.list_id = list_id

    async def _on_key(self, event: events.Key) -> None:
        if event.key in ("down", "pagedown") and self.screen.focused is self:
            event.stop()
            event.prevent_default()
            self.screen.set_focus(self.screen.query_one(f"#{self.list_id}"))
            return
        await super()._on_key(event)


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
