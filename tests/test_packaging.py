"""The package an office installs: the wheel and the sdist hold everything, and only that.

The rest of the suite imports the source tree, so it cannot see a package left out of the wheel;
these tests build the wheel and the sdist from a copy of the tree and read what is inside.
"""

from __future__ import annotations

import email
import shutil
import subprocess
import sys
import tarfile
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

from tui.cli import main

ROOT = Path(__file__).resolve().parents[1]
# Top-level folders that are not part of the program an office runs.
NOT_THE_PROGRAM = {"tests", "bench", "docs", "packaging", "build", "dist"}
# What never belongs in a package, whatever folder it is in.
LITTER = ("__pycache__", ".pyc", ".egg-info")


def _tree_files() -> list[Path]:
    """The project's own files, relative to its root: no venv, caches or build output."""
    found = []
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if relative.parts[0] in {"build", "dist"} or any(
            litter in part for part in relative.parts for litter in LITTER
        ):
            continue
        if path.is_file() and not (relative.parts[0] == "bench" and "results" in relative.parts):
            found.append(relative)
    return found


def _program_files() -> list[Path]:
    """Files under the program's top-level packages (folders with an `__init__.py`)."""
    return [
        f
        for f in _tree_files()
        if len(f.parts) > 1
        and f.parts[0] not in NOT_THE_PROGRAM
        and (ROOT / f.parts[0] / "__init__.py").exists()
    ]


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The wheel and the sdist, built offline from a copy of the tree."""
    work = tmp_path_factory.mktemp("dist")
    source = work / "source"
    for relative in _tree_files():
        (source / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / relative, source / relative)
    out = work / "out"
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--sdist", "--wheel", "-o", str(out)],
        cwd=source,
        check=True,
        capture_output=True,
    )
    return next(out.glob("*.whl")), next(out.glob("*.tar.gz"))


def test_every_package_and_data_file_of_the_program_is_in_the_wheel(
    dists: tuple[Path, Path],
) -> None:
    names = set(zipfile.ZipFile(dists[0]).namelist())
    program = [f.as_posix() for f in _program_files()]
    packages = [name for name in program if name.endswith("__init__.py")]
    # The folders that caught us once, so that this test cannot pass on an empty tree.
    assert {"tui/screens/__init__.py", "tui/widgets/__init__.py", "store/__init__.py"} <= set(
        packages
    )
    assert [name for name in program if name not in names] == []


def test_a_package_folder_missing_from_the_configuration_would_be_seen() -> None:
    # Every folder of Python files under a top-level package is itself a package: a folder
    # without `__init__.py` would be left out of the wheel by `packages.find`.
    folders = {f.parent for f in _program_files() if f.suffix == ".py"}
    assert [str(f) for f in sorted(folders) if not (ROOT / f / "__init__.py").exists()] == []


def test_the_wheel_holds_no_tests_benchmarks_or_litter(dists: tuple[Path, Path]) -> None:
    names = zipfile.ZipFile(dists[0]).namelist()
    top = {name.split("/")[0] for name in names}
    assert top == {
        "campaign",
        "store",
        "sync",
        "exporters",
        "tui",
        f"nhandao-{version('nhandao')}.dist-info",
    }
    assert [n for n in names if any(litter in n for litter in LITTER)] == []


def test_the_wheel_metadata_is_what_an_index_expects(dists: tuple[Path, Path]) -> None:
    wheel = zipfile.ZipFile(dists[0])
    info = f"nhandao-{version('nhandao')}.dist-info"
    metadata = email.message_from_bytes(wheel.read(f"{info}/METADATA"))
    assert metadata["Name"] == "nhandao"
    assert metadata["License-Expression"] == "MIT"
    assert metadata["Requires-Python"] == ">=3.10"
    classifiers = metadata.get_all("Classifier")
    for minor in (10, 11, 12, 13):
        assert f"Programming Language :: Python :: 3.{minor}" in classifiers
    assert "Operating System :: Microsoft :: Windows :: Windows 10" in classifiers
    assert any(url.startswith("Documentation, ") for url in metadata.get_all("Project-URL"))
    assert "Permission is hereby granted" in wheel.read(f"{info}/licenses/LICENSE").decode()
    entry_points = wheel.read(f"{info}/entry_points.txt").decode()
    assert "nhandao = tui.cli:main" in entry_points


def test_the_sdist_carries_what_the_tests_need(dists: tuple[Path, Path]) -> None:
    with tarfile.open(dists[1]) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    wanted = [
        f.as_posix()
        for f in _tree_files()
        if f.parts[0] in {"tests", "docs", "bench", "packaging"} or len(f.parts) == 1
    ]
    assert any("__snapshots__" in name for name in wanted)
    assert "tests/conftest.py" in wanted and "LICENSE" in wanted
    assert [name for name in wanted if name not in names] == []


def test_version_comes_from_the_package_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"nhandao {version('nhandao')}\n"
