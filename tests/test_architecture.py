"""The arrows of DESIGN.md: tui → exporters, sync → store → campaign; nothing imports tui."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("campaign", "store", "sync", "exporters", "tui")
# What each package may import from the project.
ALLOWED = {
    "campaign": set(),
    "store": {"campaign"},
    "sync": {"store", "campaign"},
    "exporters": {"store", "campaign"},
    "tui": {"exporters", "sync", "store", "campaign"},
}
# The domain stays pure: no interface, no file formats, no storage.
FORBIDDEN_IN_CAMPAIGN = {"textual", "rich", "tinydb", "orjson", "openpyxl", "docx", "cryptography",
                         "platformdirs", "filelock", "json", "os", "pathlib", "io", "shutil"}  # fmt: skip


def imports_of(package: str) -> dict[Path, set[str]]:
    found: dict[Path, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[path] = names
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_packages_import_only_along_the_arrows(package: str) -> None:
    for path, names in imports_of(package).items():
        wrong = (names & set(PACKAGES)) - ALLOWED[package] - {package}
        assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"


def test_the_domain_imports_no_interface_storage_or_file_format() -> None:
    for path, names in imports_of("campaign").items():
        assert not names & FORBIDDEN_IN_CAMPAIGN, (
            f"{path.relative_to(ROOT)}: {names & FORBIDDEN_IN_CAMPAIGN}"
        )


def test_the_check_sees_every_package() -> None:
    assert all(imports_of(package) for package in PACKAGES)
