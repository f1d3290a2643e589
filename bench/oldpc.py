"""Benchmark what a save and an import ask of the disk: fsyncs and bytes written, and what they
would take on an old PC's hard disk, with a delay injected into every fsync.

Two operations, each in a process of its own, with counters around the calls the store makes to
write (store/files.py, store/commit.py, store/storage.py): `os.fsync` (of a file, or of a folder),
`os.replace`, `os.link` (backups) and `shutil.copyfile` (a first backup), and the process's own
write counters from `/proc/self/io` (`wchar`: bytes handed to `write`; `syscw`: write calls;
`write_bytes`: bytes the process sent towards the disk), read before and after:

- **save**: one `Store.save("aid", record)` with the aid's value changed, at commune scale (the
  commune demo, seed 1: 2,000 addresses, one unit file of about 9 MB), as a clerk's save; the
  store opened first, untimed, and one untimed save before the measured ones;
- **import**: `sync.receive.import_bundles` of every commune's signed bundle into the province
  store, as bench/merge.py builds them (the province demo's 95 communes; `--quick`: one
  district's ten communes), the store opened first, untimed.

Each runs on this machine's disk as it is, then again with every fsync made slower by a delay
slept after the real fsync (so what the operation does meanwhile is as it is): the latency of a
flush on a 5400 rpm laptop disk alone, 8 and 15 ms by default (`--latencies`), then the highest
plus the fsynced file's bytes at that disk's speed (`--disk-mbps`, default 60 MB/s).

Where the figures come from: the Travelstar 5K320 (Hitachi's 2.5-inch 5400 rpm laptop disk of
2008) gives in its OEM specification an average latency of 5.5 ms (half of one turn, 11.1 ms),
an average write seek of 13 ms typical (15 ms max.) and a single-track seek of 1.1 ms. A flush
writes the file's blocks, then the file system's journal commit, which waits for the first: a
short seek and half a turn is about 7–8 ms, an average seek and half a turn 18.5 ms, so 8–15 ms
is a kind estimate. 60 MB/s is an assumed sequential speed for such a disk (more on the outer
tracks, less on the inner ones). These are estimates of a disk, not a measurement of one.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import stat
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tables import table

ROOT = Path(__file__).resolve().parent.parent
SEED = 1
SAVES, QUICK_SAVES = 10, 2
LATENCIES_MS = (8.0, 15.0)
DISK_MBPS = 60.0
MB = 1e6


# ------------------------------------------------------------------ in the measured process


class Counters:
    """Counts the store's writing calls in this process, and slows each fsync if asked."""

    def __init__(self, latency: float, bytes_per_second: float) -> None:
        self.latency = latency
        self.bytes_per_second = bytes_per_second
        self.reset()
        real_fsync, real_replace, real_link = os.fsync, os.replace, os.link
        real_copyfile = shutil.copyfile

        def fsync(fd: int) -> None:
            started = time.perf_counter()
            real_fsync(fd)
            self.fsync_seconds += time.perf_counter() - started
            status = os.fstat(fd)
            if stat.S_ISDIR(status.st_mode):
                self.folder_fsyncs += 1
                size = 0
            else:
                self.file_fsyncs += 1
                size = status.st_size
                self.fsynced_bytes += size
            if self.latency or self.bytes_per_second:
                delay = self.latency + (
                    size / self.bytes_per_second if self.bytes_per_second else 0
                )
                time.sleep(delay)
                self.injected += delay

        def replace(*args: object, **kwargs: object) -> None:
            self.replaces += 1
            real_replace(*args, **kwargs)  # type: ignore[arg-type]

        def link(*args: object, **kwargs: object) -> None:
            self.links += 1
            real_link(*args, **kwargs)  # type: ignore[arg-type]

        def copyfile(source: object, target: object, **kwargs: object) -> object:
            self.copies += 1
            self.copied_bytes += os.stat(source).st_size  # type: ignore[arg-type]
            return real_copyfile(source, target, **kwargs)  # type: ignore[arg-type]

        os.fsync, os.replace, os.link = fsync, replace, link  # type: ignore[assignment]
        shutil.copyfile = copyfile  # type: ignore[assignment]

    def reset(self) -> None:
        self.file_fsyncs = self.folder_fsyncs = self.fsynced_bytes = 0
        self.replaces = self.links = self.copies = self.copied_bytes = 0
        self.fsync_seconds = self.injected = 0.0
        self.io = _io()
        self.started = time.perf_counter()

    def taken(self) -> dict:
        """What was counted since the last reset."""
        seconds = time.perf_counter() - self.started
        io = _io()
        return {
            "seconds": seconds,
            "file_fsyncs": self.file_fsyncs,
            "folder_fsyncs": self.folder_fsyncs,
            "fsynced_bytes": self.fsynced_bytes,
            "fsync_seconds": self.fsync_seconds,
            "injected": self.injected,
            "replaces": self.replaces,
            "links": self.links,
            "copies": self.copies,
            "copied_bytes": self.copied_bytes,
            **{name: io[name] - self.io[name] for name in io},
        }


def _io() -> dict[str, int]:
    """This process's write counters (Linux)."""
    fields = dict(line.split(": ") for line in Path("/proc/self/io").read_text().splitlines())
    return {name: int(fields[name]) for name in ("wchar", "syscw", "write_bytes")}


def child_save(store_path: Path, saves: int, counters: Counters) -> list[dict]:
    from store.store import Store, data_of

    measured = []
    with Store.open(store_path) as store:
        keys = sorted(record["id"] for record in store.records("aid"))[: saves + 1]
        for number, key in enumerate(keys):
            record = data_of("aid", store.get("aid", key) or {})
            record["value"] += 10_000
            counters.reset()
            store.save("aid", record)
            if number:  # the first one, untimed, makes today's backup if there is none
                measured.append(counters.taken())
    return measured


def child_import(store_path: Path, bundles: Path, counters: Counters) -> list[dict]:
    from store.store import Store
    from sync.receive import import_bundles

    paths = sorted(bundles.glob("*.zip"))
    with Store.open(store_path) as store:
        counters.reset()
        reports = import_bundles(store, paths)
        taken = counters.taken()
    refused = [r.refusal.reason for r in reports if r.refusal is not None]
    if refused or any(r.held for r in reports):
        raise SystemExit(f"unexpected: refused {refused}")
    return [{**taken, "bundles": len(paths)}]


# ------------------------------------------------------------------ in this process


def run_child(mode: str, *args: str, latency_ms: float = 0.0, mbps: float = 0.0) -> list[dict]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--latency-ms", str(latency_ms),
         "--disk-mbps", str(mbps), *args],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"the {mode} child failed:\n{result.stderr}")
    return json.loads(result.stdout.splitlines()[-1])


def medians(runs: list[dict]) -> dict:
    """The figures of one operation: counts the same in every run (their median), time median."""
    return {name: statistics.median(run[name] for run in runs) for name in runs[0]}


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def count(figure: float) -> str:
    """A count, with one decimal when it is not whole (a count per bundle)."""
    return f"{figure:,.0f}" if figure == int(figure) else f"{figure:,.1f}"


def counts_table(operations: dict[str, dict], markdown: bool) -> str:
    rows = [["operation", "fsyncs: files", "folders", "fsynced MB", "replaces", "links",
             "copies (MB)", "write calls", "MB written", "MB to disk"]]  # fmt: skip
    for name, got in operations.items():
        copies = f"{count(got['copies'])} ({got['copied_bytes'] / MB:,.1f})"
        rows.append(
            [name, count(got["file_fsyncs"]), count(got["folder_fsyncs"]),
             f"{got['fsynced_bytes'] / MB:,.1f}", count(got["replaces"]), count(got["links"]),
             copies, count(got["syscw"]), f"{got['wchar'] / MB:,.1f}",
             f"{got['write_bytes'] / MB:,.1f}"]
        )  # fmt: skip
    return table(rows, markdown, right=1)


def times_table(timed: dict[str, dict[str, dict]], markdown: bool) -> str:
    ways = list(next(iter(timed.values())))
    rows = [["operation", *ways]]
    for name, by_way in timed.items():
        rows.append([name, *(ms(by_way[way]["seconds"]) for way in ways)])
    return table(rows, markdown, right=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--child", choices=("save", "import"), help=argparse.SUPPRESS)
    parser.add_argument("--latency-ms", type=float, default=0.0, help=argparse.SUPPRESS)
    speed = f"the disk's speed in MB/s, with the highest latency (default {DISK_MBPS:g})"
    parser.add_argument("--disk-mbps", type=float, default=DISK_MBPS, help=speed)
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    latencies = ",".join(f"{x:g}" for x in LATENCIES_MS)
    parser.add_argument(
        "--latencies",
        default=latencies,
        help=f"fsync latencies to inject, ms (default {latencies})",
    )
    parser.add_argument("--saves", type=int, help=f"saves measured (default {SAVES})")
    parser.add_argument("--dir", type=Path, help="the disk to measure (default: temporary)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--quick", action="store_true", help="district import, 2 saves (CI)")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    if args.child:
        counters = Counters(args.latency_ms / 1000, args.disk_mbps * MB)
        if args.child == "save":
            measured = child_save(Path(args.paths[0]), int(args.paths[1]), counters)
        else:
            measured = child_import(Path(args.paths[0]), Path(args.paths[1]), counters)
        print(json.dumps(measured))
        return 0

    sys.path.insert(0, str(ROOT / "bench"))
    from merge import build

    saves = args.saves or (QUICK_SAVES if args.quick else SAVES)
    latencies = [float(x) for x in args.latencies.split(",") if x.strip()]
    scale = "district" if args.quick else "province"
    # (fsync latency in ms, disk speed in MB/s or 0 for none): the latencies alone, then the
    # highest with the bytes' transfer.
    ways = {"this VM": (0.0, 0.0), **{f"+{x:g} ms": (x, 0.0) for x in latencies}}
    ways[f"+{max(latencies):g} ms, {args.disk_mbps:g} MB/s"] = (max(latencies), args.disk_mbps)
    with tempfile.TemporaryDirectory(prefix="nhandao-bench-oldpc-", dir=args.dir) as name:
        folder = Path(name)
        started = time.perf_counter()
        commune = folder / "commune"
        make = "import sys; from store.demo import write_demo; write_demo("
        make += f"sys.argv[1], seed={args.seed}, scale='commune').close()"
        subprocess.run([sys.executable, "-c", make, str(commune)], cwd=ROOT, check=True)
        (folder / "import").mkdir()
        province, bundles, records = build(folder / "import", scale, args.seed)
        print(
            f"Old PC: a save at commune scale, and the province importing {len(bundles)} "
            f"commune bundles ({records:,} records); built in {time.perf_counter() - started:.0f} s"
        )
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(
            f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, "
            f"load average {load}\n"
        )
        timed: dict[str, dict[str, dict]] = {"save (one aid)": {}, "import": {}}
        for way, (latency, mbps) in ways.items():
            work = folder / "work"
            shutil.copytree(commune, work)
            runs = run_child("save", str(work), str(saves), latency_ms=latency, mbps=mbps)
            timed["save (one aid)"][way] = medians(runs)
            shutil.rmtree(work)
            shutil.copytree(province, work)
            runs = run_child(
                "import", str(work), str(bundles[0].parent), latency_ms=latency, mbps=mbps
            )
            timed["import"][way] = medians(runs)
            shutil.rmtree(work)
        plain = {name: by_way["this VM"] for name, by_way in timed.items()}
        imported = plain["import"]
        per_bundle = {
            f"import, per bundle ({imported['bundles']:.0f})": {
                name: value / imported["bundles"] for name, value in imported.items()
            }
        }
        print(counts_table({**plain, **per_bundle}, args.markdown))
        print()
        print(times_table(timed, args.markdown))
        print()
        rows = [["operation", "fsync on this VM", "fsyncs", "injected in all"]]
        for name, by_way in timed.items():
            slowest = by_way[list(ways)[-1]]
            fsyncs = slowest["file_fsyncs"] + slowest["folder_fsyncs"]
            rows.append([name, ms(by_way["this VM"]["fsync_seconds"]), f"{fsyncs:,.0f}",
                         f"{ms(slowest['injected'])} ({list(ways)[-1]})"])  # fmt: skip
        print(table(rows, args.markdown, right=1))
        print(f"\nsaves measured: {saves} (medians); import: one run of each way")
    return 0


if __name__ == "__main__":
    sys.exit(main())
