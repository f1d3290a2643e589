"""Where a bundle can go: removable drives (USB sticks) first, then the user's own folders."""

from __future__ import annotations

import os
import string
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

# Where desktops mount USB sticks: /media/<stick> or /media/<user>/<stick> (Debian, Ubuntu),
# /run/media/<user>/<stick> (Fedora, Arch), and /mnt/<stick> for sticks mounted by hand.
LINUX_MOUNT_ROOTS = (Path("/media"), Path("/run/media"), Path("/mnt"))
DRIVE_REMOVABLE = 2  # what GetDriveTypeW answers for a USB stick or a memory card


@dataclass(frozen=True)
class Place:
    """A folder offered for bundles, with what to call it on screen."""

    path: Path
    label: str
    removable: bool = False


def removable_drives(
    *,
    platform: str | None = None,
    roots: Iterable[Path] = LINUX_MOUNT_ROOTS,
    is_mount: Callable[[Path], bool] = os.path.ismount,
    drive_type: Callable[[str], int] | None = None,
    exists: Callable[[str], bool] = os.path.exists,
) -> list[Place]:
    """Mounted removable drives: drive letters of removable disks on Windows; on Linux the
    mounts found in `roots`, one or two levels down.

    The keyword arguments are seams for tests: `is_mount` tells a mount point on Linux;
    `drive_type` is Windows' GetDriveTypeW and `exists` tells a drive with a disk in it."""
    if (platform or sys.platform) == "win32":
        return _windows_removable(drive_type, exists)
    found: list[Place] = []
    for root in roots:
        for entry in _folders(root):
            if is_mount(entry):
                found.append(Place(entry, f"USB: {entry.name}", True))
            else:  # /media/<user>/<stick>
                found.extend(
                    Place(stick, f"USB: {stick.name}", True)
                    for stick in _folders(entry)
                    if is_mount(stick)
                )
    return found


def _folders(path: Path) -> list[Path]:
    """The folders in `path`, sorted; none when it cannot be read."""
    try:
        return sorted(p for p in path.iterdir() if p.is_dir())
    except OSError:
        return []


def _windows_removable(
    drive_type: Callable[[str], int] | None, exists: Callable[[str], bool]
) -> list[Place]:
    if drive_type is None:
        import ctypes

        drive_type = ctypes.windll.kernel32.GetDriveTypeW  # type: ignore[attr-defined]
    found = []
    for letter in string.ascii_uppercase:
        root = f"{letter}:\\"
        # A card reader with no card in it is a removable drive too: it has no root folder.
        if drive_type(root) == DRIVE_REMOVABLE and exists(root):
            found.append(Place(Path(root), f"USB: ổ {letter}:", True))
    return found


def places(
    *, home: Path | None = None, removable: Callable[[], list[Place]] = removable_drives
) -> list[Place]:
    """Removable drives, then Documents (or Tài liệu), Desktop and the home folder."""
    home = Path.home() if home is None else home
    own = [
        Place(home / name, f"Thư mục {name}")
        for name in ("Documents", "Tài liệu", "Desktop")
        if (home / name).is_dir()
    ]
    return [*removable(), *own, Place(home, "Thư mục nhà")]
