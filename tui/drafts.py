"""Typing not saved, kept when the terminal window is closed and offered again at the next start.

Ctrl+Q and Escape ask before dropping typing; closing the window cannot ask (the terminal is
gone). So the app keeps what each screen holds unsaved (`draft()` of a form or of the aid entry
line) in `drafts.json` in the store, in one durable write, and the next start opens those
screens again with the typing put back, and says so. A draft is never a record: nothing is
saved until the user saves it, with every check a save makes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import orjson

from store import strict_json
from store.files import write_atomic
from store.store import Store
from tui.screens.address_detail import AddressDetail
from tui.screens.form import RecordForm
from tui.screens.forms import AddressForm, AttachmentForm, HelperForm, ModelForm
from tui.screens.lists import AssessmentForm

NAME = "drafts.json"
FORMAT = "nhandao-drafts"
# The screens that can be opened again from a draft, by the name a draft gives.
SCREENS: dict[str, type[RecordForm] | type[AddressDetail]] = {
    cls.__name__: cls
    for cls in (AddressForm, HelperForm, ModelForm, AttachmentForm, AssessmentForm, AddressDetail)
}


def keep(store: Store, screens: Iterable[object]) -> int:
    """Write the drafts of `screens` (bottom first); returns how many were kept."""
    drafts = []
    for screen in screens:
        draft = getattr(screen, "draft", None)
        found = draft() if callable(draft) else None
        if found is not None and found.get("form") in SCREENS:
            drafts.append(found)
    if drafts:
        payload = {"format": FORMAT, "version": 1, "kept_at": datetime.now().isoformat(),
                   "drafts": drafts}  # fmt: skip
        write_atomic(store.path / NAME, orjson.dumps(payload))
    return len(drafts)


def take(store: Store) -> list[dict]:
    """The drafts kept last time, and the file gone: each is offered once. A file that does not
    read as drafts (damaged, or from elsewhere) is set aside as drafts.json.bad and ignored."""
    path = store.path / NAME
    try:
        payload = strict_json.loads(path.read_bytes())
    except FileNotFoundError:
        return []
    except (OSError, orjson.JSONDecodeError):
        payload = None
    if not (
        isinstance(payload, dict)
        and payload.get("format") == FORMAT
        and isinstance(drafts := payload.get("drafts"), list)
    ):
        path.replace(path.with_name(NAME + ".bad"))
        return []
    path.unlink()
    return [d for d in drafts if isinstance(d, dict) and d.get("form") in SCREENS]


def reopen(store: Store, draft: dict) -> RecordForm | AddressDetail | None:
    """The screen a draft was typed in, with the typing to put back once shown; None when what
    it was about is gone (the address was deleted meanwhile, by an import)."""
    try:
        screen = SCREENS[draft["form"]].from_draft(store, draft)
    except (KeyError, TypeError, ValueError):
        return None
    if screen is not None:
        screen.pending_draft = draft
    return screen
