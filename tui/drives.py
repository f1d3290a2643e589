"""Where a bundle can go: removable drives (USB sticks) first, then the user's own folders."""

from __future__ import annotations

import os
import string
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Place:
    """A folder offered for bundles, with what to call it on screen."""

    path: Path
    label: str
    removable: bool = False


def removable_drives() -> list[Place]:
    """Mounted removable drives: drive letters of removable disks on Windows; on Linux the
    mounts under /media and /run/media (where desktops mount USB sticks) and /mnt."""
    if sys.platform == "win32":
        return _windows_removable()
    found: list[Place] = []
    for mounts in _linux_mounts():
        if not mounts.is_dir():
            continue
        try:
            entries = sorted(mounts.iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir() and os.path.ismount(entry):
                found.append(Place(entry, f"USB: {entry.name}", True))
            elif entry.is_dir():  # /media/<user>/<stick>
                try:
                    sticks = sorted(p for p in entry.iterdir() if p.is_dir() and os.path.ismount(p))
                except OSError:
                    continue
                found.extend(Place(stick, f"USB: {stick.name}", True) for stick in sticks)
    return found


def _linux_mounts() -> list[Path]:
    return [Path("/media"), Path("/run/media"), Path("/mnt")]


def _windows_removable() -> list[Place]:
    import ctypes

    removable = 2  # DRIVE_REMOVABLE
    found = []
    for letter in string.ascii_uppercase:
        root = f"{letter}:\\"
        if ctypes.windll.kernel32.GetDriveTypeW(root) == removable and os.path.exists(root):  # type: ignore[attr-defined]
            found.append(Place(Path(root), f"USB: ổ {letter}:", True))
    return found


def places() -> list[Place]:
    """Removable drives, then Documents (or Tài liệu) and the home folder."""
    home = Path.home()
    own = [
        Place(home / name, f"Thư mục {name}")
        for name in ("Documents", "Tài liệu", "Desktop")
        if (home / name).is_dir()
    ]
    return [*removable_drives(), *own, Place(home, "Thư mục nhà")]
