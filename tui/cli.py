"""The `nhandao` command line. Bare `nhandao` opens the interface on the store."""

from __future__ import annotations

import argparse
import codecs
import importlib
import io
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.text import Text

from campaign.dates import EARLIEST, Period
from campaign.money import format_number
from campaign.records import Unit
from campaign.tally import tally
from campaign.text import fold, quoted
from campaign.units import UnitTree
from campaign.vocab import COMMUNE_KIND_2025, TREE_KINDS
from exporters.terminal import (
    DataConsole,
    column_legend,
    excluded_note,
    json_bytes,
    returns_note,
    summary_table,
)
from store import gazetteer
from store.demo import SCALES, write_demo
from store.errors import StoreError, ValidationError, holder_text
from store.records_file import export_records, import_records
from store.store import STORE_ENV, Store, resolve_path
from tui.cli_help import Parser

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2

# A command that works on an open store: it gets the parsed arguments, the store, and the
# consoles for output and for messages, and returns the exit code.
Handler = Callable[[argparse.Namespace, Store, Console, Console], int]
# Command groups kept in modules of their own. Each module has
# `add_commands(commands, common) -> dict[str, Handler]`: it adds its subparsers (with
# `parents=[common]`) and returns the handler of each command it added.
COMMAND_MODULES: tuple[str, ...] = ("tui.cli_reports", "tui.cli_sync", "tui.cli_settings",
                                     "tui.cli_conflicts", "tui.cli_returns")  # fmt: skip


def version() -> str:
    """The installed package's version, from its metadata (one source: pyproject.toml)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed_version

    try:
        return installed_version("nhandao")
    except PackageNotFoundError:  # the source tree, run without being installed
        return "0+unknown"


class UsageError(Exception):
    """A command-line value that makes no sense; the message is Vietnamese."""


def _parser() -> tuple[argparse.ArgumentParser, dict[str, Handler]]:
    common = Parser(add_help=False)
    common.add_argument(
        "--store",
        metavar="THƯ_MỤC",
        default=argparse.SUPPRESS,
        help=f"thư mục kho dữ liệu (mặc định: ${STORE_ENV}, nếu không có thì {resolve_path(None)})",
    )
    parser = Parser(
        prog="nhandao",
        parents=[common],
        description=(
            "Hồ sơ Cuộc vận động «Mỗi tổ chức, mỗi cá nhân gắn với một địa chỉ nhân đạo» của Hội "
            "Chữ thập đỏ. Không ghi lệnh: mở giao diện trên kho dữ liệu."
        ),
    )
    parser.add_argument(
        "--version", action="version", version=f"nhandao {version()}", help="in phiên bản"
    )
    commands = parser.add_subparsers(dest="command", metavar="LỆNH")

    init = commands.add_parser("init", parents=[common], help="tạo kho dữ liệu của văn phòng")
    init.add_argument(
        "--unit",
        required=True,
        metavar="MÃ",
        help=(
            "đơn vị của văn phòng: mã đơn vị hành chính trong danh mục mà --units chọn, ví dụ "
            "72 (Tây Ninh), 705, 25456 trong danh mục năm 2019, hay 80 (Tây Ninh), 25459 trong "
            "danh mục năm 2025 (Tổng cục Thống kê dùng lại một số mã: 80 là Long An năm 2019 "
            "nhưng là Tây Ninh năm 2025); VN cho văn phòng Trung ương Hội (cả nước)"
        ),
    )
    init.add_argument(
        "--units",
        choices=gazetteer.LISTS,
        default="2019",
        help=(
            "danh mục đơn vị hành chính: 2019 (63 tỉnh, có cấp huyện; mặc định) hay 2025 "
            "(34 tỉnh, các xã, phường, đặc khu trực thuộc tỉnh, từ ngày 01/07/2025)"
        ),
    )
    init.add_argument(
        "--province-key",
        type=Path,
        metavar="TỆP",
        help="khoá công khai của Tỉnh Hội (tệp office.pub của Tỉnh Hội), để nhận danh mục",
    )

    units = commands.add_parser(
        "units",
        parents=[common],
        help="danh mục đơn vị và mã của từng đơn vị",
        description=(
            "Không có --units: các đơn vị của kho dữ liệu (mã đơn vị của danh mục năm 2025 "
            "mang đuôi -2025 trong kho, ví dụ 80-2025), hay danh mục năm 2019 khi chưa có kho. "
            "Có --units: danh mục đó, với mã của Tổng cục Thống kê."
        ),
    )
    units.add_argument("--search", metavar="CHỮ", help="tên có các chữ này (không cần gõ dấu)")
    units.add_argument(
        "--units",
        choices=gazetteer.LISTS,
        help=(
            "danh mục cần liệt kê: 2019 (63 tỉnh, có cấp huyện) hay 2025 (34 tỉnh, các xã, "
            "phường, đặc khu trực thuộc tỉnh, từ ngày 01/07/2025)"
        ),
    )
    units.add_argument(
        "--province",
        metavar="MÃ",
        help=(
            "tỉnh cần liệt kê, mã trong danh mục đó (mặc định: Tây Ninh, 72 năm 2019, 80 năm "
            "2025); «all» cho cả nước"
        ),
    )
    reform = importlib.import_module("tui.cli_reform")
    reform.add_migrate(units.add_subparsers(dest="action", metavar="VIỆC"), common)

    demo = commands.add_parser("demo", parents=[common], help="tạo kho dữ liệu thử rồi mở")
    demo.add_argument("--seed", type=int, default=1, help="cùng số, cùng dữ liệu (mặc định: 1)")
    demo.add_argument(
        "--scale",
        choices=SCALES,
        default="district",
        help="commune: một phường, 2.000 địa chỉ; district (mặc định): một huyện; province: "
        "cả tỉnh, khoảng 20.000 địa chỉ và 200.000 lần trợ giúp",
    )
    demo.add_argument(
        "--to",
        dest="last_year",
        type=int,
        default=2018,
        choices=range(2018, date.today().year + 1),
        metavar="NĂM",
        help="dữ liệu đến hết năm này (mặc định: 2018; đến 2026 để thử chuyển sang danh mục "
        "đơn vị năm 2025 bằng «nhandao units migrate --to 2025»)",
    )
    demo.add_argument("--no-open", action="store_true", help="chỉ tạo kho, không mở giao diện")

    summary = commands.add_parser(
        "summary",
        parents=[common],
        help="in Bảng tổng hợp, hoặc ghi ra bảng tính (--xlsx)",
    )
    add_unit_and_period(summary)
    summary.add_argument(
        "--json",
        action="store_true",
        help='in các dòng dạng JSON: "unit", "name", các cột "3"…"8", rồi dòng tổng cộng',
    )
    summary.add_argument(
        "--xlsx",
        type=Path,
        metavar="TỆP",
        help="ghi Bảng tổng hợp vào TỆP (.xlsx): bảng theo mẫu của Hội và các phụ lục",
    )
    summary.add_argument(
        "--date",
        metavar="DD/MM/YYYY",
        help="ngày ghi trên bảng tính (mặc định: hôm nay); chỉ dùng với --xlsx",
    )
    summary.add_argument(
        "--template",
        action="store_true",
        help="cùng --xlsx: ghi Bảng tổng hợp để trống, cho một đơn vị chưa dùng chương trình "
        "điền tay (các dòng là các đơn vị trực thuộc --unit, hoặc chính đơn vị đó), rồi nhận "
        "lại bằng «nhandao returns import»",
    )

    records = commands.add_parser("records", parents=[common], help="nhập hoặc xuất tệp dữ liệu")
    actions = records.add_subparsers(dest="action", metavar="VIỆC", required=True)
    importing = actions.add_parser(
        "import", parents=[common], help="nhập một tệp dữ liệu (nhận cả tệp, hoặc không nhận gì)"
    )
    importing.add_argument("file", type=Path, metavar="TỆP")
    exporting = actions.add_parser("export", parents=[common], help="ghi cả kho ra một tệp dữ liệu")
    exporting.add_argument("file", type=Path, metavar="TỆP")

    checking = commands.add_parser(
        "check", parents=[common], help="kiểm tra mọi tệp của kho, khôi phục tệp hỏng"
    )
    checking.add_argument(
        "--fix-clock",
        action="store_true",
        help="các bản ghi làm trên máy có đồng hồ chạy nhanh quá một ngày: ghi phiên bản mới "
        "theo giờ hiện tại, thay bản sai ở mọi nơi nó đến",
    )
    checking.add_argument(
        "--full",
        action="store_true",
        help="kiểm tra lại mọi bản ghi, không dùng kết quả đã lưu của các lần kiểm tra trước "
        "cho những tệp không đổi",
    )
    handlers: dict[str, Handler] = {
        "summary": _summary,
        "records": _records,
        "check": lambda args, store, out, err: _check(
            store, out, err, fix_clock=args.fix_clock, full=args.full
        ),
        "units": reform.migrate,
    }
    for name in COMMAND_MODULES:
        handlers.update(importlib.import_module(name).add_commands(commands, common))
    return parser, handlers


def add_unit_and_period(command: argparse.ArgumentParser) -> None:
    """The options --unit, --from and --to, read back with `unit_and_period`."""
    command.add_argument(
        "--unit",
        metavar="MÃ",
        help="đơn vị mà các đơn vị trực thuộc là các dòng (mặc định: đơn vị của văn phòng)",
    )
    command.add_argument(
        "--from",
        dest="year_from",
        type=int,
        metavar="NĂM",
        help="năm đầu của giai đoạn (mặc định: theo cài đặt của văn phòng, 2008)",
    )
    command.add_argument(
        "--to",
        dest="year_to",
        type=int,
        metavar="NĂM",
        help="năm cuối của giai đoạn (mặc định: theo cài đặt của văn phòng, 2018)",
    )


def utf8_streams(*streams: TextIO) -> None:
    """Write UTF-8 to `streams` whatever the code page or locale says.

    Output piped to a file or a program on a Vietnamese Windows PC gets the ANSI code page,
    cp1258, which has no «Ả» or «ệ» (it composes them from combining marks), so printing a
    unit's name would stop the command with UnicodeEncodeError. Consoles are UTF-8 already."""
    for stream in streams:
        encoding = getattr(stream, "encoding", None) or "ascii"
        if codecs.lookup(encoding).name != "utf-8" and isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `nhandao` console script."""
    utf8_streams(sys.stdout, sys.stderr)
    parser, handlers = _parser()
    args = parser.parse_args(argv)
    # Messages are not wrapped (they may be read by scripts); tables still fit the terminal.
    out = DataConsole(soft_wrap=True)
    err = DataConsole(stderr=True, soft_wrap=True)
    try:
        return _run(args, handlers, out, err)
    except ValidationError as error:
        err.print(f"Có {len(error.problems)} lỗi, chưa lưu gì vào kho:", style="bold red")
        for problem in error.problems:
            err.print(f"- {problem}", markup=False)
        return EXIT_ERROR
    except (StoreError, UsageError) as error:
        err.print(str(error), style="red", markup=False)
        return EXIT_ERROR if isinstance(error, StoreError) else EXIT_USAGE
    except KeyboardInterrupt:
        err.print("Đã dừng.")
        return 130


def _run(args: argparse.Namespace, handlers: dict[str, Handler], out: Console, err: Console) -> int:
    path = resolve_path(getattr(args, "store", None))
    command = args.command
    if command == "init":
        return _init(args, path, out)
    if command == "units" and args.action is None:
        return _units(args, path, out)
    if command == "demo":
        store = write_demo(
            path, args.seed, args.scale, progress=lambda m: err.print(m), last_year=args.last_year
        )
        err.print(
            f"Kho dữ liệu thử ({args.scale}, seed {args.seed}) ở {path}: "
            f"{format_number(store.count('address'))} địa chỉ, "
            f"{format_number(store.count('aid'))} lần trợ giúp."
        )
        if args.no_open:
            store.close()
            return EXIT_OK
        return _open_app(store)
    if command is None:
        store = Store.open(path, records=False)
        if store.office.unit == gazetteer.NATIONAL:
            store.close()
            err.print(CENTRAL_OFFICE, markup=False)
            return EXIT_USAGE
        try:
            store.load_records()
        except BaseException:
            store.close()
            raise
        return _open_app(store)
    # The table alone is counted from the derived index (store/index.py), which reads no
    # record into memory; a check and a records export read one unit file at a time beside it
    # (store/checking.py, store/records_file.py); every other command reads the records.
    # The central office's commands never read the country's at once: they read a province at
    # a time (`Store.scoped`: a bundle's province, each province for a workbook or a check),
    # or none (keys, acknowledgements); a reader of records there loads them when it asks.
    from_index = (
        (command == "summary" and args.xlsx is None)
        or (command == "check" and not args.fix_clock and not args.full)
        or (command, getattr(args, "action", None)) == ("records", "export")
    )
    with Store.open(path, reading=_only_reads(args), records=False) as store:
        central = store.office.unit == gazetteer.NATIONAL
        if central and (command, getattr(args, "action", None)) not in _CENTRAL_COMMANDS:
            raise UsageError(CENTRAL_COMMAND)
        if from_index:
            store.summary_index()  # or the records are read, restoring a broken file (below)
        elif not central:
            store.load_records()
        if store.shared_with is not None:
            err.print(
                "Kho đang được mở bởi một chương trình nhandao khác"
                f"{holder_text(store.shared_with)}: lệnh này đọc những gì đã được lưu đến lúc "
                "này, không ghi gì vào kho.",
                style="yellow",
                markup=False,
            )
        for recovery in store.recoveries:
            err.print(store.describe_recovery(recovery), style="yellow", markup=False)
        if command != "check":  # which lists them itself
            for repair in store.repairs:
                err.print(repair, style="yellow", markup=False)
        return handlers[command](args, store, out, err)


# Commands that write nothing into the store: they work on a write-protected USB stick or a
# full disk, where the lock file cannot be made.
_READING = {("summary", None), ("check", None), ("awards", None), ("report", None),
            ("records", "export"), ("bundle", "verify"), ("bundle", "quarantine"),
            ("settings", None), ("returns", "list")}  # fmt: skip


# The interface holds every record of its store: the central office's (the country's) would
# not fit in an office PC's memory, so it works from the command line, a province at a time.
_CENTRAL_COMMANDS = {
    ("summary", None), ("check", None), ("settings", None), ("settings", "set"),
    ("settings", "unset"), ("bundle", "import"), ("bundle", "verify"), ("bundle", "ack"),
    ("bundle", "quarantine"), ("keys", "show"), ("keys", "enrol"), ("keys", "new"),
    ("keys", "list"), ("keys", "revoke"),
}  # fmt: skip
_CENTRAL_USES = (
    "Ở đây dùng các lệnh: «nhandao keys enrol TỆP --unit MÃ_TỈNH» (đăng ký khoá của Tỉnh Hội), "
    "«nhandao bundle import THƯ_MỤC» (nhập gói các tỉnh gửi), «nhandao bundle ack --to THƯ_MỤC» "
    "(gói xác nhận), «nhandao summary» và «nhandao summary --xlsx TỆP» (bảng tổng hợp theo "
    "tỉnh), «nhandao check» (kiểm tra kho)."
)
CENTRAL_OFFICE = (
    "Kho này là của Trung ương Hội (cả nước): giao diện không mở kho cấp này, vì phải nạp dữ "
    f"liệu của mọi tỉnh cùng lúc. {_CENTRAL_USES}"
)
CENTRAL_COMMAND = f"Lệnh này không dùng cho kho của Trung ương Hội (cả nước). {_CENTRAL_USES}"


def _only_reads(args: argparse.Namespace) -> bool:
    if getattr(args, "fix_clock", False):
        return False
    # `awards` reads, unless it is asked to record the office's choices.
    choices = ("propose", "withdraw", "link", "separate", "unlink")
    if args.command == "awards" and any(getattr(args, name, None) for name in choices):
        return False
    return (args.command, getattr(args, "action", None)) in _READING


def _init(args: argparse.Namespace, path: Path, out: Console) -> int:
    """Make the store and the office's key pair; pin the province's key when given."""
    from sync import keys  # cryptography is loaded only by the commands that sign or check

    province_key = keys.read_public_key_file(args.province_key) if args.province_key else None
    unit = args.unit if args.unit.endswith("-2025") else gazetteer.store_code(args.unit, args.units)
    if province_key is not None and gazetteer.province_of(unit) == unit:
        raise UsageError(
            "Văn phòng Tỉnh Hội không cần --province-key: khoá của Tỉnh Hội chính là khoá mà "
            "lệnh này tạo cho văn phòng."
        )
    with Store.create(path, unit, units=args.units) as store:
        office = keys.office_key(store)
        if province_key is not None:
            keys.pin_province_key(store, province_key)
        out.print(f"Đã tạo kho dữ liệu cho {store.units.path(unit)} ở {path}.")
        out.print(
            f"Khoá của văn phòng: {office.public.id_text}, dấu vân tay "
            f"{keys.fingerprint(office.public)} (xem lại bằng «nhandao keys show»).",
            markup=False,
        )
        if province_key is not None:
            out.print(
                f"Đã ghim khoá của Tỉnh Hội {province_key.id_text}, dấu vân tay "
                f"{keys.fingerprint(province_key)}.",
                markup=False,
            )
    return EXIT_OK


def _open_app(store: Store) -> int:
    from tui.app import NhandaoApp  # Textual is imported only when the interface opens

    try:
        NhandaoApp(store).run()
    finally:
        store.close()
    return EXIT_OK


def resolve_unit(tree: UnitTree, text: str) -> str:
    """A unit code from a code or from words of a unit's name (accents optional)."""
    if text in tree:
        return text
    if (listed := gazetteer.store_code(text, gazetteer.LIST_2025)) in tree:  # «80»: «80-2025»
        return listed
    found = tree.search(text)
    if len(found) == 1:
        return found[0]["code"]
    if not found:
        raise UsageError(
            f"Không có đơn vị nào mang mã hay tên «{text}». Xem danh mục bằng «nhandao units»."
        )
    exact = [u for u in found if fold(u["name"]) == fold(text)]
    if len(exact) == 1:
        return exact[0]["code"]
    names = "; ".join(f"{u['code']} {u['name']}" for u in found[:10])
    raise UsageError(f"Có {len(found)} đơn vị khớp với «{text}»: {names}. Hãy ghi mã đơn vị.")


def unit_and_period(args: argparse.Namespace, store: Store) -> tuple[str, Period]:
    """The unit (default: the office's, and within its scope) and period the options name."""
    period = _period(args, store)
    return _scope_unit(args, store, period), period


def period_given(args: argparse.Namespace, store: Store) -> Period | None:
    """The period --from and --to name, or None when neither is given."""
    if args.year_from is None and args.year_to is None:
        return None
    return _period(args, store)


def _period(args: argparse.Namespace, store: Store) -> Period:
    default = store.office.period
    year_from = args.year_from if args.year_from is not None else default.year_from
    year_to = args.year_to if args.year_to is not None else default.year_to
    this_year = date.today().year
    for year in (year_from, year_to):
        if not EARLIEST.year <= year <= this_year:
            raise UsageError(f"Năm {year} nằm ngoài khoảng {EARLIEST.year}–{this_year}.")
    if year_from > year_to:
        raise UsageError(f"Năm bắt đầu ({year_from}) sau năm kết thúc ({year_to}).")
    return Period(year_from, year_to)


def _scope_unit(args: argparse.Namespace, store: Store, period: Period) -> str:
    if not args.unit:
        return default_unit(store, period)
    code = resolve_unit(store.units, args.unit)
    if code not in store.office.units_served(store.units):
        raise UsageError(
            f"Đơn vị {store.units.name(code)} ({code}) nằm ngoài phạm vi của văn phòng "
            f"{store.units.name(store.office.unit)}."
        )
    return code


def default_unit(store: Store, period: Period) -> str:
    """The unit a table is of unless one is named: the office's, or for a period that ended
    before the 2025 reform, the unit the office was before it moved to the 2025 list (so that
    the table of such a period is the one it always was)."""
    former = store.office.former_unit
    if former is not None and former in store.units and period.end < gazetteer.REFORM_DAY:
        return former
    return store.office.unit


def _summary(args: argparse.Namespace, store: Store, out: Console, err: Console) -> int:
    unit, period = unit_and_period(args, store)
    if args.date is not None and args.xlsx is None:
        raise UsageError(
            "Tùy chọn --date là ngày ghi trên bảng tổng hợp, chỉ dùng cùng --xlsx TỆP."
        )
    if args.template and (args.xlsx is None or args.json):
        raise UsageError(
            "Tùy chọn --template ghi mẫu Bảng tổng hợp để trống vào một tệp: dùng cùng --xlsx "
            "TỆP (không dùng với --json)."
        )
    if args.xlsx is not None:
        # Checked before anything is counted or written: a refused option leaves no file.
        from campaign.dates import DateError, format_date, parse_date

        target: Path = args.xlsx
        if not target.suffix:
            target = target.with_name(f"{target.name}.xlsx")
        elif target.suffix.lower() != ".xlsx":
            raise UsageError(
                f"Tệp «{target}» phải có đuôi .xlsx (sổ tính Excel), ví dụ "
                f"{target.with_suffix('.xlsx')}."
            )
        try:
            on = parse_date(args.date) if args.date is not None else store.today()
        except DateError as error:
            raise UsageError(f"Tùy chọn --date: {error}") from None
        if on.year < period.year_from:
            raise UsageError(
                f"Ngày ghi trên bảng ({format_date(on)}) trước khi giai đoạn "
                f"{period.label()} bắt đầu. Hãy kiểm tra lại --date."
            )
    if args.template:
        from exporters.returns import write_template
        from exporters.sheets import WorkbookWriteError

        try:
            written = write_template(target, store.units, unit, period,
                                     settings=store.office.document_settings, on=on)  # fmt: skip
        except WorkbookWriteError as error:
            err.print(str(error), style="red", markup=False)
            return EXIT_ERROR
        out.print(
            f"Đã ghi mẫu Bảng tổng hợp để trống của {store.units.name(unit)}, giai đoạn "
            f"{period.label()}, vào tệp {written.absolute()}. Đơn vị điền các ô số (cột 3 đến "
            "8) rồi gửi lại; nhận bằng «nhandao returns import TỆP».",
            markup=False,
        )
        return EXIT_OK
    index = store.summary_index()
    models: list | None = None
    if args.xlsx is not None and not store.records_loaded:  # at the central office
        from store.national import tally_by_province

        result, models = tally_by_province(store, unit, period)
    else:
        result = index.table(store.units, unit, period) if index is not None else None
    if result is None:
        result = tally(store.dataset(), unit, period)
    if args.xlsx is not None:
        # openpyxl loads only when a workbook is asked for, as Textual does for the interface.
        from exporters.sheets import WorkbookWriteError
        from exporters.workbook import SHEETS, write_summary_workbook

        try:
            written = write_summary_workbook(
                target,
                result,
                units=store.units,
                models=store.dataset().models if models is None else models,
                settings=store.office.document_settings,
                on=on,
            )
        except WorkbookWriteError as error:
            err.print(str(error), style="red", markup=False)
            return EXIT_ERROR
        # With --json the table goes to standard output, so the message goes to the other one.
        (err if args.json else out).print(
            f"Đã ghi Bảng tổng hợp của {result.name}, giai đoạn {period.label()}, kèm "
            f"{len(SHEETS) - 1} phụ lục ({', '.join(SHEETS[1:])}) vào tệp {written.absolute()}.",
            markup=False,
        )
        if not args.json:
            return EXIT_OK
    if args.json:
        sys.stdout.buffer.write(json_bytes(result.summary_json()))
        sys.stdout.flush()
        return EXIT_OK
    out.print(summary_table(result), soft_wrap=False)
    out.print(column_legend())
    out.print()
    out.print(excluded_note(result))
    if (note := returns_note(result, store.units)) is not None:
        out.print(note)
    return EXIT_OK


def _records(args: argparse.Namespace, store: Store, out: Console, err: Console) -> int:
    if args.action == "import":
        report = import_records(store, args.file)
        total = sum(report.in_file.values())
        out.print(
            f"Đã đọc {format_number(total)} bản ghi từ {args.file}: "
            f"{format_number(report.changed)} bản ghi mới hoặc thay đổi đã được lưu"
            + ("." if report.changed else " (kho đã có đủ, không có gì thay đổi).")
        )
        return EXIT_OK
    target = args.file
    check_target(target)
    try:
        counts = export_records(store, target)
    except OSError as error:
        err.print(
            f"Không ghi được tệp «{target}» ({error.strerror or error}). Tệp cũ, nếu có, vẫn "
            "nguyên vẹn. Hãy kiểm tra ổ đĩa còn chỗ trống và quyền ghi, hoặc chọn nơi khác rồi "
            "thử lại.",
            style="red",
            markup=False,
        )
        return EXIT_ERROR
    out.print(
        f"Đã ghi {format_number(sum(counts.values()))} bản ghi vào {args.file} "
        f"({', '.join(f'{name}: {format_number(n)}' for name, n in counts.items())})."
    )
    return EXIT_OK


def check_target(path: Path, suffix: str | None = None, what: str = "") -> None:
    """Refuse, before any work, a file name a command cannot write to (with `suffix`, one
    without that ending: `what` names the document)."""
    if path.is_dir():
        raise UsageError(
            f"«{path}» là một thư mục. Hãy ghi cả tên tệp, ví dụ "
            f"{path / ('ten-tep' + (suffix or '.json'))}."
        )
    if suffix is not None and path.suffix.lower() != suffix:
        raise UsageError(
            f"Tệp {what} «{path}» phải có đuôi {suffix}, ví dụ {path.with_suffix(suffix).name}."
        )
    if not path.parent.is_dir():
        raise UsageError(
            f"Không có thư mục «{path.parent}». Hãy tạo thư mục đó trước, hoặc chọn nơi khác."
        )


def _check(
    store: Store, out: Console, err: Console, *, fix_clock: bool = False, full: bool = False
) -> int:
    from store.checking import check_from_index
    from store.national import check_by_province
    from sync import keys, ledger

    shown = len(store.recoveries)  # printed already, when the store opened
    # A store another program holds may change while its files are read one by one.
    index = None if fix_clock or full else store.summary_index()
    if index is not None and store.shared_with is None:
        checked = check_from_index(store, index)
    else:
        if store.office.unit != gazetteer.NATIONAL:
            store.load_records()
        checked = check_by_province(store, fix_clock=fix_clock)
    if fix_clock:
        fixed = checked.fixed
        out.print(
            f"Đã ghi phiên bản mới, mang giờ hiện tại, cho {format_number(fixed)} bản ghi mang "
            "giờ tương lai; các văn phòng khác nhận phiên bản mới ở lần gửi gói sau."
            if fixed
            else "Không có bản ghi nào mang giờ muộn hơn giờ của máy này hơn một ngày."
        )

    problems = [*checked.problems, *ledger.check_files(store), *keys.check_files(store)]
    for recovery in store.recoveries[shown:]:
        err.print(store.describe_recovery(recovery), style="yellow", markup=False)
    for repair in store.repairs:
        out.print(f"Đã sửa: {repair}", markup=False)
    if problems:
        out.print(f"Có {len(problems)} vấn đề trong kho {store.path}:", style="bold red")
        for problem in problems:
            out.print(f"- {problem}", markup=False)
        return EXIT_ERROR
    out.print(
        f"Kho {store.path}: {checked.files} tệp đơn vị, {format_number(checked.addresses)} địa "
        f"chỉ, {format_number(checked.aid)} lần trợ giúp; không có lỗi."
    )
    return EXIT_OK


def _units(args: argparse.Namespace, path: Path, out: Console) -> int:
    listed = args.units
    if listed is None and (path / "office.json").exists():
        with Store.open(path, records=False) as store:
            store.summary_index()  # the units records add, without reading every record
            tree = store.units
        shown_code = str
    else:
        listed = listed or "2019"
        tree = UnitTree(_listed_units(listed, args.province))
        shown_code = gazetteer.official_code  # the list is named: its own codes
    shown = tree.search(args.search) if args.search else list(tree)
    width = max([8, *(len(shown_code(unit["code"])) for unit in shown)])
    for unit in shown:
        depth = len(tree.ancestors(unit["code"]))
        kind = TREE_KINDS[unit["kind"]]
        if unit["kind"] == "commune" and gazetteer.list_of(unit["code"]) == gazetteer.LIST_2025:
            kind = COMMUNE_KIND_2025
        out.print(
            Text.assemble(
                f"{shown_code(unit['code']):>{width}}  {'  ' * depth}{unit['name']}  ",
                (f"({kind})", "dim"),
            )
        )
    if not shown:
        out.print(f"Không có đơn vị nào khớp với {quoted(args.search)}.")
        return EXIT_ERROR
    return EXIT_OK


def _listed_units(listed: str, province: str | None) -> list[Unit]:
    """The units of one province of list `listed` (Tây Ninh unless named), or of the whole
    country for «all»."""
    if province == "all":
        return gazetteer.all_units(listed)
    code = gazetteer.store_code(province or gazetteer.DEFAULT_PROVINCES[listed], listed)
    known = gazetteer.provinces(listed)
    if code not in dict(known):
        codes = ", ".join(f"{gazetteer.official_code(c)} {name}" for c, name in known)
        raise UsageError(
            f"Không có tỉnh, thành phố mang mã {quoted(province or '')} trong danh mục năm "
            f"{listed}. Các mã trong danh mục đó: {codes}; «all»: cả nước."
        )
    return gazetteer.province_units(code)


if __name__ == "__main__":
    sys.exit(main())
