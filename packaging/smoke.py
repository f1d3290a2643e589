"""Smoke test of the installed program, as an office runs it, with the Python it is installed in.

    VENV/bin/python packaging/smoke.py --work DIR [--checkout PATH]

Run it from a folder outside the checkout. It drives the `nhandao` command installed beside
that Python (or `python -c "…main()"` where there is none, as in the embeddable Python on
Windows) through a commune's work and the district's receipt of its bundle, then opens the
interface headless for a few keys. Every step checks what a user would see; the last line is
`smoke: N passed, M failed`, and the exit code is the number of failures (0: all passed).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

UNIT = "25456"  # Phường 1, of Thành phố Tây Ninh: the unit of `demo --scale commune`
DISTRICT = "703"
RUN_MAIN = "import sys; from tui.cli import main; sys.exit(main())"

# The interface, headless, in the installed package: home, the addresses with a search, back.
INTERFACE = r"""
import asyncio, sys
from store.store import Store
from tui.app import NhandaoApp
from tui.screens.addresses import AddressesScreen
from tui.screens.home import HomeScreen
from tui.widgets.record_table import RecordTable

async def drive():
    with Store.open(sys.argv[1]) as store:
        app = NhandaoApp(store, cursor_blink=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen), app.screen
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, AddressesScreen), app.screen
            table = app.screen.query_one(RecordTable)
            everyone = table.row_count
            await pilot.press(*"nguyen")
            for _ in range(50):
                await pilot.pause(0.05)
                if table.row_count != everyone:
                    break
            assert 0 < table.row_count < everyone, (table.row_count, everyone)
            found = table.row_count
            await pilot.press("escape")  # the first Escape clears the search
            await pilot.pause()
            assert isinstance(app.screen, AddressesScreen), app.screen
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen), app.screen
            await pilot.press("q")
        print(f"{everyone} addresses, {found} found for «nguyen»")

asyncio.run(drive())
"""


class Smoke:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.passed = 0
        self.failed = 0
        script = Path(sys.executable).with_name("nhandao.exe" if os.name == "nt" else "nhandao")
        if script.exists():
            self.nhandao = [str(script)]
        else:
            self.nhandao = [sys.executable, "-c", RUN_MAIN]

    def run(
        self, *args: str, expect: int = 0, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        done = subprocess.run(
            [*self.nhandao, *args],
            cwd=self.work,
            capture_output=True,
            env={**os.environ, **(env or {})},
            timeout=600,
        )
        if done.returncode != expect:
            raise AssertionError(
                f"nhandao {' '.join(args)} exited {done.returncode}, expected {expect}:\n"
                f"{done.stdout.decode(errors='replace')}{done.stderr.decode(errors='replace')}"
            )
        return done

    def step(self, name: str, check: Callable[[], str | None]) -> None:
        try:
            detail = check()
        except Exception:
            self.failed += 1
            print(f"FAIL {name}\n{traceback.format_exc()}", flush=True)
            return
        self.passed += 1
        print(f"ok   {name}" + (f": {detail}" if detail else ""), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True, help="an empty folder to work in")
    parser.add_argument("--checkout", type=Path, help="the source tree, which must not be used")
    args = parser.parse_args()
    work: Path = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    smoke = Smoke(work)
    commune, copy, district = work / "commune", work / "copy", work / "district"
    figures: dict[str, object] = {}

    def installed() -> str:
        import tui

        where = Path(tui.__file__).resolve()
        if args.checkout is not None:
            assert args.checkout.resolve() not in where.parents, f"tui imported from {where}"
        assert Path(sys.prefix).resolve() in where.parents, f"tui imported from {where}"
        return str(where.parent)

    def version() -> str:
        from importlib.metadata import version as installed_version

        shown = smoke.run("--version").stdout.decode().strip()
        assert shown == f"nhandao {installed_version('nhandao')}", shown
        return shown

    def demo() -> str:
        smoke.run("demo", "--no-open", "--scale", "commune", "--store", str(commune))
        return "2,000 addresses"

    def summary_json() -> str:
        import json

        rows = json.loads(smoke.run("summary", "--json", "--store", str(commune)).stdout)
        total = rows[-1]
        assert total["name"] == "Tổng cộng" and total["3"] > 0 and total["8"] > 0, total
        figures["commune"] = rows
        return f"{total['3']} addresses, {total['8']:,} đồng"

    def check() -> str:
        out = smoke.run("check", "--store", str(commune)).stdout.decode()
        assert "không có lỗi" in out, out
        return out.strip()

    def records_round_trip() -> str:
        import json

        exported = work / "records.json"
        smoke.run("records", "export", str(exported), "--store", str(commune))
        smoke.run("init", "--unit", UNIT, "--store", str(copy))
        smoke.run("records", "import", str(exported), "--store", str(copy))
        rows = json.loads(smoke.run("summary", "--json", "--store", str(copy)).stdout)
        assert rows == figures["commune"], rows
        return f"{exported.stat().st_size:,} bytes, same figures"

    def bundle() -> str:
        import json

        out = work / "usb"
        out.mkdir()
        smoke.run("bundle", "export", "--to", str(out), "--store", str(commune))
        (zipped,) = out.glob("*.zip")
        shown = smoke.run("keys", "show", "--store", str(commune)).stdout.decode()
        fingerprint = re.search(r"(\d{5}(?: \d{5}){4})", shown)
        assert fingerprint, shown
        smoke.run("init", "--unit", DISTRICT, "--store", str(district))
        smoke.run(
            "keys",
            "enrol",
            str(zipped),
            "--unit",
            UNIT,
            "--fingerprint",
            fingerprint[1],
            "--store",
            str(district),
        )
        verified = smoke.run("bundle", "verify", str(zipped), "--store", str(district))
        smoke.run("bundle", "import", str(out), "--store", str(district))
        rows = json.loads(
            smoke.run("summary", "--json", "--unit", UNIT, "--store", str(district)).stdout
        )
        assert rows == figures["commune"], rows
        if shutil.which("minisign"):
            import zipfile

            with zipfile.ZipFile(zipped) as opened:
                opened.extractall(work / "unzipped")
            subprocess.run(
                ["minisign", "-Vm", "manifest.json", "-p", str(commune / "keys" / "office.pub")],
                cwd=work / "unzipped",
                check=True,
                capture_output=True,
            )
        return verified.stdout.decode().strip().splitlines()[0]

    def workbook() -> str:
        from openpyxl import load_workbook

        target = work / "bang-tong-hop.xlsx"
        smoke.run("summary", "--xlsx", str(target), "--store", str(commune))
        sheet = load_workbook(target).worksheets[0]
        cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
        assert "Phường 1" in cells and figures["commune"][-1]["3"] in cells, cells[:40]
        return f"{target.stat().st_size:,} bytes"

    def report() -> str:
        from docx import Document

        target = work / "bao-cao.docx"
        smoke.run("report", "--docx", str(target), "--store", str(commune))
        text = "\n".join(p.text for p in Document(str(target)).paragraphs)
        assert "BÁO CÁO" in text.upper() and "Phường 1" in text, text[:400]
        return f"{target.stat().st_size:,} bytes"

    def awards() -> str:
        from openpyxl import load_workbook

        # The district (it holds the commune's records since the bundle) proposes the commune.
        chose = smoke.run("awards", "--propose", UNIT, "--award", "giay-khen", "--store",
                          str(district)).stdout.decode()  # fmt: skip
        assert "Đề nghị Tỉnh Hội tặng Giấy khen" in chose, chose
        target = work / "khen-thuong.xlsx"
        smoke.run("awards", "--xlsx", str(target), "--date", "05/11/2018", "--store",
                  str(district))  # fmt: skip
        book = load_workbook(target)
        cells = [c for row in book.worksheets[0].iter_rows(values_only=True) for c in row if c]
        assert "II. ĐỀ NGHỊ TỈNH HỘI TẶNG GIẤY KHEN" in cells, cells[:40]
        assert "Hội Chữ thập đỏ Phường 1" in cells, cells[:40]
        return f"{len(book.sheetnames)} sheets, the proposal chosen"

    def piped_on_a_vietnamese_code_page() -> str:
        # Output to a file or a pipe on a Windows PC with a cp1258 code page.
        done = smoke.run(
            "summary",
            "--store",
            str(commune),
            env={"PYTHONIOENCODING": "cp1258", "PYTHONUTF8": "0"},
        )
        shown = done.stdout.decode("utf-8")
        assert "Tổng cộng" in shown and "Phường 1" in shown, shown
        return "UTF-8 out"

    def interface() -> str:
        done = subprocess.run(
            [sys.executable, "-c", INTERFACE, str(commune)],
            cwd=work,
            capture_output=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()
        return done.stdout.decode().strip()

    def units_of_2025() -> str:
        import json

        listed = smoke.run("units", "--units", "2025", "--province", "80").stdout.decode()
        assert len(listed.splitlines()) == 97 and "Phường Tân Ninh" in listed, listed[:400]
        new = work / "tay-ninh-2025"
        smoke.run("init", "--unit", "80", "--units", "2025", "--store", str(new))
        rows = json.loads(smoke.run("summary", "--json", "--store", str(new)).stdout)
        assert len(rows) == 97 and rows[0]["unit"] == "25459-2025", rows[:2]
        # The commune's store, moved to the 2025 units: its 2008–2018 table is the same.
        moved = work / "migrated"
        shutil.copytree(commune, moved, ignore=shutil.ignore_patterns("lock"))
        smoke.run("units", "migrate", "--to", "2025", "--yes", "--store", str(moved))
        rows = json.loads(smoke.run("summary", "--json", "--store", str(moved)).stdout)
        assert rows == figures["commune"], rows
        after = smoke.run("summary", "--json", "--from", "2008", "--to", "2026", "--store",
                          str(moved)).stdout  # fmt: skip
        assert json.loads(after)[0]["unit"] == "25459-2025", after[:200]
        return "96 communes of Tây Ninh; Phường 1 moved to Phường Tân Ninh, same table"

    for check_ in (
        installed,
        version,
        demo,
        summary_json,
        check,
        records_round_trip,
        bundle,
        workbook,
        report,
        awards,
        piped_on_a_vietnamese_code_page,
        units_of_2025,
        interface,
    ):
        smoke.step(check_.__name__.replace("_", " "), check_)
    print(f"smoke: {smoke.passed} passed, {smoke.failed} failed")
    return smoke.failed


if __name__ == "__main__":
    sys.exit(main())
