"""Checks that wine_smoke.sh runs on the Linux side, on files the Windows program wrote.

    python3 wine_checks.py same-json A B       the same JSON (a unified diff if not)
    python3 wine_checks.py zip FILE MEMBER...  FILE is a zip file holding each MEMBER
    python3 wine_checks.py bundle ZIP PUBKEY   manifest ↔ data files by SHA-256, and the
                                               stock minisign on the manifest if installed
    python3 wine_checks.py utf8 FILE TEXT...   FILE is UTF-8 and holds each TEXT
    python3 wine_checks.py pe FILE             FILE is a 64-bit (x86-64) Windows executable

Each prints one line and exits 0, or prints why not and exits 1.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path


def same_json(a: str, b: str) -> int:
    raw_a, raw_b = Path(a).read_bytes(), Path(b).read_bytes()
    try:
        parsed_a, parsed_b = json.loads(raw_a), json.loads(raw_b)
    except ValueError as error:
        print(f"not JSON: {error}")
        return 1
    if parsed_a != parsed_b:
        text_a = json.dumps(parsed_a, indent=2, ensure_ascii=False).splitlines()
        text_b = json.dumps(parsed_b, indent=2, ensure_ascii=False).splitlines()
        print(f"{a} and {b} differ:")
        print("\n".join(difflib.unified_diff(text_a, text_b, a, b, lineterm="")))
        return 1
    same_bytes = raw_a.replace(b"\r\n", b"\n") == raw_b.replace(b"\r\n", b"\n")
    print(
        f"same JSON ({len(parsed_a)} rows)"
        + ("" if same_bytes else "; the bytes differ (layout only)")
    )
    return 0


def zip_members(path: str, *members: str) -> int:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            bad = zf.testzip()
    except (OSError, zipfile.BadZipFile) as error:
        print(f"{path}: not a zip file: {error}")
        return 1
    missing = [m for m in members if m not in names]
    if missing or bad:
        print(f"{path}: missing {missing}, corrupt member {bad}")
        return 1
    print(f"{Path(path).name}: a zip file of {len(names)} members, with {', '.join(members)}")
    return 0


def bundle(path: str, public_key: str) -> int:
    with tempfile.TemporaryDirectory() as folder, zipfile.ZipFile(path) as zf:
        zf.extractall(folder)
        manifest = json.loads(Path(folder, "manifest.json").read_bytes())
        for entry in manifest["files"]:
            data = Path(folder, entry["path"]).read_bytes()
            if hashlib.sha256(data).hexdigest() != entry["sha256"] or len(data) != entry["size"]:
                print(f"{entry['path']}: SHA-256 or size differs from the manifest")
                return 1
        line = f"{len(manifest['files'])} data file(s) match the manifest"
        if shutil.which("minisign"):
            result = subprocess.run(
                ["minisign", "-Vm", "manifest.json", "-p", public_key],
                cwd=folder,
                capture_output=True,
                text=True,
            )
            if (
                result.returncode != 0
                or "Signature and comment signature verified" not in result.stdout
            ):
                print(f"minisign refused the manifest: {result.stdout}{result.stderr}")
                return 1
            line += "; minisign: Signature and comment signature verified"
        else:
            line += "; minisign not installed, signature not checked with it"
    print(line)
    return 0


def utf8(path: str, *texts: str) -> int:
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        print(f"{path}: not UTF-8: {error}")
        return 1
    missing = [t for t in texts if t not in text]
    if missing:
        print(f"{path}: UTF-8 but without {missing}")
        return 1
    print(f"{Path(path).name}: UTF-8, {len(raw)} bytes, with {', '.join(texts)}")
    return 0


def pe(path: str) -> int:
    raw = Path(path).read_bytes()
    offset = struct.unpack_from("<I", raw, 0x3C)[0] if raw[:2] == b"MZ" else None
    if offset is None or raw[offset : offset + 4] != b"PE\0\0":
        print(f"{path}: not a Windows executable")
        return 1
    machine = struct.unpack_from("<H", raw, offset + 4)[0]
    if machine != 0x8664:
        print(f"{path}: machine 0x{machine:04x}, not x86-64")
        return 1
    print(f"{Path(path).name}: a 64-bit (x86-64) Windows executable")
    return 0


def main(argv: list[str]) -> int:
    commands = {
        "same-json": same_json,
        "zip": zip_members,
        "bundle": bundle,
        "utf8": utf8,
        "pe": pe,
    }
    if len(argv) < 2 or argv[0] not in commands:
        print(__doc__)
        return 2
    return commands[argv[0]](*argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
