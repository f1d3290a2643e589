"""The places offered for a bundle: USB sticks first (mounted under /media, /run/media or /mnt
on Linux; removable drive letters on Windows), then the user's own folders."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from tui.drives import LINUX_MOUNT_ROOTS, Place, places, removable_drives


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A fake file system root with the folders where Linux desktops mount sticks."""
    for folder in ("media", "run/media", "mnt"):
        (tmp_path / "fs" / folder).mkdir(parents=True)
    return tmp_path / "fs"


def roots_in(root: Path) -> list[Path]:
    return [root / path.relative_to("/") for path in LINUX_MOUNT_ROOTS]


def mounted(*paths: Path):  # type: ignore[no-untyped-def]
    """An `is_mount` that knows these mount points only."""
    return lambda path: path in paths


def linux(root: Path, *mounts: Path) -> list[Place]:
    return removable_drives(platform="linux", roots=roots_in(root), is_mount=mounted(*mounts))


def test_the_real_places_end_with_the_home_folder(tmp_path: Path) -> None:
    """Without seams: the machine's own sticks (if any), then HOME (the test's own)."""
    home = Path.home()
    assert home == tmp_path / "home"
    found = places()
    assert found[-1] == Place(home, "Thư mục nhà")
    assert all(place.removable for place in found[:-1])


def test_sticks_are_found_where_desktops_mount_them(root: Path) -> None:
    ubuntu = root / "media" / "canbo" / "NHANDAO"
    fedora = root / "run" / "media" / "hoa" / "USB 8GB"
    by_hand = root / "mnt" / "usb"
    plain = root / "media" / "KINGSTON"
    for folder in (ubuntu, fedora, by_hand, plain):
        folder.mkdir(parents=True)
    assert linux(root, ubuntu, fedora, by_hand, plain) == [
        Place(plain, "USB: KINGSTON", True),
        Place(ubuntu, "USB: NHANDAO", True),
        Place(fedora, "USB: USB 8GB", True),
        Place(by_hand, "USB: usb", True),
    ]


def test_folders_that_are_not_mounted_are_left_out(root: Path) -> None:
    """A user's folder under /media with no stick in it, a folder left behind in /mnt after a
    stick was pulled out, files, and links to nowhere are not offered."""
    stick = root / "media" / "canbo" / "NHANDAO"
    stick.mkdir(parents=True)
    (root / "media" / "canbo" / "OLD-STICK").mkdir()
    (root / "mnt" / "cdrom").mkdir()
    (root / "media" / "note.txt").write_text("x", encoding="utf-8")
    (root / "media" / "gone").symlink_to(root / "nowhere")
    (root / "media" / "canbo" / "gone").symlink_to(root / "nowhere")
    assert linux(root, stick) == [Place(stick, "USB: NHANDAO", True)]


def test_mount_points_that_do_not_exist_are_left_out(root: Path) -> None:
    """A mount table may name a stick whose folder is gone; only existing folders are looked
    at, and a missing /run/media is no error."""
    (root / "run" / "media").rmdir()
    stick = root / "media" / "NHANDAO"
    stick.mkdir()
    ghost = root / "media" / "GHOST"
    assert linux(root, stick, ghost) == [Place(stick, "USB: NHANDAO", True)]


def test_no_sticks_no_removable_places(root: Path) -> None:
    (root / "media" / "canbo").mkdir()
    assert linux(root) == []


def test_a_folder_that_cannot_be_read_is_skipped(root: Path) -> None:
    """A root that is a file (or unreadable) gives nothing, and the others are still read."""
    (root / "mnt").rmdir()
    (root / "mnt").write_text("not a folder", encoding="utf-8")
    stick = root / "media" / "NHANDAO"
    stick.mkdir()
    assert linux(root, stick) == [Place(stick, "USB: NHANDAO", True)]


def test_on_windows_removable_drive_letters_with_a_disk_are_offered() -> None:
    kinds = {"C:\\": 3, "D:\\": 5, "E:\\": 2, "F:\\": 2, "G:\\": 2, "Z:\\": 4}
    present = {"C:\\", "D:\\", "E:\\", "G:\\", "Z:\\"}  # F: is a card reader with no card
    asked: list[str] = []

    def drive_type(root: str) -> int:
        asked.append(root)
        return kinds.get(root, 1)  # DRIVE_NO_ROOT_DIR

    found = removable_drives(platform="win32", drive_type=drive_type, exists=present.__contains__)
    assert found == [
        Place(Path("E:\\"), "USB: ổ E:", True),
        Place(Path("G:\\"), "USB: ổ G:", True),
    ]
    assert asked == [f"{letter}:\\" for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]


def test_removable_drives_come_first_then_the_own_folders(root: Path, tmp_path: Path) -> None:
    home = tmp_path / "canbo"
    for name in ("Desktop", "Tài liệu", "Documents", "Downloads"):
        (home / name).mkdir(parents=True)
    stick = root / "media" / "canbo" / "NHANDAO"
    stick.mkdir(parents=True)
    removable = functools.partial(
        removable_drives, platform="linux", roots=roots_in(root), is_mount=mounted(stick)
    )
    assert places(home=home, removable=removable) == [
        Place(stick, "USB: NHANDAO", True),
        Place(home / "Documents", "Thư mục Documents"),
        Place(home / "Tài liệu", "Thư mục Tài liệu"),
        Place(home / "Desktop", "Thư mục Desktop"),
        Place(home, "Thư mục nhà"),
    ]


def test_own_folders_that_do_not_exist_are_left_out(tmp_path: Path) -> None:
    home = tmp_path / "canbo"
    (home / "Desktop").mkdir(parents=True)
    (home / "Documents").write_text("a file, not a folder", encoding="utf-8")
    assert places(home=home, removable=list) == [
        Place(home / "Desktop", "Thư mục Desktop"),
        Place(home, "Thư mục nhà"),
    ]


def test_windows_sticks_come_before_the_own_folders(tmp_path: Path) -> None:
    home = tmp_path / "canbo"
    (home / "Documents").mkdir(parents=True)
    removable = functools.partial(
        removable_drives, platform="win32", drive_type=lambda root: 2 if root == "F:\\" else 3,
        exists=lambda root: True,
    )  # fmt: skip
    assert places(home=home, removable=removable) == [
        Place(Path("F:\\"), "USB: ổ F:", True),
        Place(home / "Documents", "Thư mục Documents"),
        Place(home, "Thư mục nhà"),
    ]
