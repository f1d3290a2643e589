"""Text from people and files on screen: literal, never read as markup, its controls visible.

Rich and Textual read «[...]» in a string as markup and «:fire:» as an emoji code, and pass a
control character such as ESC straight to the terminal. So every name, note, unit name, file
name, message from a bundle or OS error reaches the screen as `literal(...)` (a `rich.text.Text`
whose control and format characters are placeholders), or through a widget made with
`markup=False` from a string that went through `visible`. Notifications and the header's title
are made safe in one place, `NhandaoApp.notify` and `NhandaoApp.format_title`.
"""

from __future__ import annotations

from rich.text import Text

from campaign.text import quoted, shorten, visible

__all__ = ["literal", "quoted", "shorten", "visible"]


def literal(value: object, style: str = "") -> Text:
    """`value` as text on screen, exactly as typed: no markup, controls shown as placeholders."""
    return Text(visible(str(value), lines=True), style=style)
