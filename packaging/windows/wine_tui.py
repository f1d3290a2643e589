"""The interface, headless, under the Windows Python that wine_smoke.sh installed.

    python.exe wine_tui.py STORE SCREENSHOT.svg

Opens the store with the installed package (not the checkout: the script checks where tui was
imported from), runs NhandaoApp with Textual's run_test at 80x24, reads the home menu, opens
the addresses (key «a»), waits for the count of addresses, types a search (the count
becomes «N / M địa chỉ»), goes back (Escape), runs `summary --json` (which reads beside it)
and `settings set` (refused) in other processes, and quits (Ctrl+Q); then registers the
console-close handler with the real SetConsoleCtrlHandler and calls it as Windows would.
Prints one line per check; exits 1 on the first one that fails.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import time
from pathlib import Path


def fail(message: str) -> None:
    print(f"FAIL {message}", flush=True)
    sys.exit(1)


async def wait_for(pilot, condition, what: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            fail(f"after {seconds:.0f} s, still not: {what}")
        await pilot.pause(0.1)


async def run(store_path: Path, screenshot: Path) -> None:
    import tui
    from store.store import Store
    from tui.app import NhandaoApp

    if "site-packages" not in Path(tui.__file__).parts and "pkgs" not in Path(tui.__file__).parts:
        fail(f"tui was imported from {tui.__file__}, not from the installed package")
    print(f"ok   tui imported from {Path(tui.__file__).parent}", flush=True)

    store = Store.open(store_path)
    app = NhandaoApp(store, cursor_blink=False)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            menu = "\n".join(str(s.render()) for s in app.screen.query("#menu Static"))
            if "Địa chỉ" not in menu:
                fail(f"the home menu does not offer «Địa chỉ»: {menu!r}")
            print("ok   home screen: the menu offers «Địa chỉ»", flush=True)
            home = app.screen

            await pilot.press("a")
            await wait_for(pilot, lambda: app.screen is not home, "another screen after «a»")
            name = type(app.screen).__name__
            if name != "AddressesScreen":
                fail(f"«a» opened {name}, not AddressesScreen")

            def count() -> str:
                found = app.screen.query("#count")
                return str(found.first().render()) if found else ""

            await wait_for(
                pilot, lambda: re.match(r"[\d.]+ địa chỉ", count()), "the count of addresses"
            )
            print(f"ok   «a»: AddressesScreen, {count()!r}", flush=True)
            await pilot.press(*"nguyen")
            await wait_for(
                pilot,
                lambda: re.match(r"[\d.]+ / [\d.]+ địa chỉ", count()),
                "a filtered count after typing «nguyen»",
            )
            print(f"ok   typed «nguyen»: {count()!r}", flush=True)
            app.save_screenshot(filename=screenshot.name, path=str(screenshot.parent))

            # The first Escape may only clear the search box; then the screen goes back.
            presses = 0
            while app.screen is not home and presses < 3:
                await pilot.press("escape")
                await pilot.pause(0.5)
                presses += 1
            await wait_for(
                pilot, lambda: app.screen is home, "back on the home screen after Escape"
            )
            print(f"ok   Escape ({presses}x): back on the home screen", flush=True)
            await beside_the_interface(store_path)
            await pilot.press("ctrl+q")
            await wait_for(pilot, lambda: not app.is_running, "the app stopped after Ctrl+Q", 20)
            print("ok   Ctrl+Q: the interface closed", flush=True)
    finally:
        store.close()

    # Closing the console window: the handler the interface registers (not headless) with
    # the real SetConsoleCtrlHandler keeps the drafts on a close event, not on Ctrl+C.
    from tui.app import _on_console_close

    kept: list[int] = []
    handler = _on_console_close(lambda: kept.append(1))
    if handler(0) or kept or not handler(2) or kept != [1]:  # type: ignore[operator]
        fail("the console's close handler did not run on CTRL_CLOSE_EVENT alone")
    print("ok   console close event: the drafts are kept (SetConsoleCtrlHandler)", flush=True)


async def beside_the_interface(store_path: Path) -> None:
    """While the interface holds the store (its lock taken with Windows' own file locking), a
    command that only reads runs in another process and says what it reads; one that writes
    is refused."""

    def cli(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-X", "utf8", "-m", "tui.cli", *args, "--store", str(store_path)]
        return subprocess.run(command, capture_output=True, text=True, encoding="utf-8",
                              timeout=300)  # fmt: skip

    read = await asyncio.to_thread(cli, "summary", "--json")
    if read.returncode != 0 or "đang được mở bởi một chương trình nhandao khác" not in read.stderr:
        fail(f"summary beside the interface: exit {read.returncode}, {read.stderr[-400:]!r}")
    rows = json.loads(read.stdout)
    print(f"ok   summary --json beside the interface: {len(rows)} rows, said so", flush=True)
    wrote = await asyncio.to_thread(cli, "settings", "set", "place", "Tân Biên")
    if wrote.returncode != 1 or "đang được mở" not in wrote.stderr:
        fail(f"settings set beside the interface: exit {wrote.returncode}, {wrote.stderr!r}")
    print("ok   settings set beside the interface: refused, the store is open", flush=True)


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    asyncio.run(run(Path(sys.argv[1]), Path(sys.argv[2])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
