"""The commands `awards` (scores and proposals for awards) and `report` (the report draft)."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

from rich.console import Console

from campaign.awards import DEFAULT_THRESHOLD, awards
from campaign.dates import EARLIEST, DateError, format_date, parse_date
from exporters.awards import write_awards_workbook
from exporters.letterhead import chapter_in_text
from exporters.report import write_report
from exporters.sheets import WorkbookWriteError
from exporters.terminal import json_bytes
from exporters.terminal_awards import donors_table, individuals_table, scores_notes, scores_table
from store.store import Store
from tui.cli import EXIT_ERROR, EXIT_OK, Handler, UsageError, add_unit_and_period, unit_and_period


def add_commands(
    commands: argparse._SubParsersAction, common: argparse.ArgumentParser
) -> dict[str, Handler]:
    """Add `awards` and `report` to the command line; return their handlers."""
    scoring = commands.add_parser(
        "awards",
        parents=[common],
        help="score the chapters and list people and donors to propose (khen thưởng)",
    )
    add_unit_and_period(scoring)
    scoring.add_argument(
        "--threshold",
        metavar="N",
        help=f"points (0–100) from which a chapter is proposed for the central Red Cross's "
        f"certificate; a setting, since the plan gives none (default: {DEFAULT_THRESHOLD})",
    )
    scoring.add_argument(
        "--json",
        action="store_true",
        help='print JSON: a list with one object per chapter, ranked: "unit", "name", '
        '"steering", "model", "helped", "reviewed", "guidance", "total", then the figures',
    )
    scoring.add_argument(
        "--people",
        action="store_true",
        help="show the individuals and donors to propose (with --json: their JSON object)",
    )
    scoring.add_argument(
        "--xlsx", metavar="FILE", type=Path, help="also write the awards workbook (.xlsx)"
    )

    report = commands.add_parser(
        "report",
        parents=[common],
        help="write the review report draft as a Word document (báo cáo tổng kết)",
    )
    report.add_argument("--docx", metavar="FILE", type=Path, help="the .docx file to write")
    add_unit_and_period(report)
    report.add_argument(
        "--date", metavar="DD/MM/YYYY", help="the date of the report (default: today)"
    )
    return {"awards": _awards, "report": _report}


def _awards(args: argparse.Namespace, store: Store, out: Console, err: Console) -> int:
    threshold = _threshold(args.threshold)
    if args.xlsx is not None:
        _check_target(args.xlsx, ".xlsx", "bảng tính")
    unit, period = unit_and_period(args, store)
    data = store.dataset()
    result = awards(data, unit, period, threshold)
    if args.xlsx is not None:
        try:
            written = write_awards_workbook(
                args.xlsx, result, data.units, store.office.document_settings, store.today()
            )
        except WorkbookWriteError as error:
            err.print(str(error), style="red", markup=False)
            return EXIT_ERROR
        # With --json the output is for a script: the message goes to the other stream.
        (err if args.json else out).print(
            f"Đã ghi bảng chấm điểm và đề nghị khen thưởng vào {written}.", markup=False
        )
    if args.json:
        shown = result.people_json() if args.people else result.units_json()
        sys.stdout.buffer.write(json_bytes(shown))
        sys.stdout.flush()
        return EXIT_OK
    if args.xlsx is not None:
        return EXIT_OK
    if not args.people:
        out.print(scores_table(result), soft_wrap=False)
        out.print(scores_notes(result))
        out.print()
    out.print(individuals_table(result), soft_wrap=False)
    out.print()
    out.print(donors_table(result), soft_wrap=False)
    return EXIT_OK


def _report(args: argparse.Namespace, store: Store, out: Console, err: Console) -> int:
    if args.docx is None:
        raise UsageError(
            "Hãy cho biết tệp báo cáo cần ghi, ví dụ: nhandao report --docx bao-cao-tong-ket.docx"
        )
    _check_target(args.docx, ".docx", "báo cáo")
    on = _date(args.date) if args.date else store.today()
    unit, period = unit_and_period(args, store)
    try:
        write_report(args.docx, store.dataset(), unit, period, store.office.document_settings, on)
    except PermissionError:
        err.print(
            f"Không ghi được tệp «{args.docx}»: không có quyền ghi vào thư mục này, hoặc tệp đang "
            "mở trong chương trình khác (như Word). Hãy đóng tệp hoặc chọn nơi khác rồi thử lại.",
            style="red",
            markup=False,
        )
        return EXIT_ERROR
    except OSError as error:
        err.print(
            f"Không ghi được tệp «{args.docx}» ({error.strerror or error}). Tệp cũ, nếu có, vẫn "
            "nguyên vẹn. Hãy kiểm tra ổ đĩa còn chỗ trống hoặc chọn nơi khác rồi thử lại.",
            style="red",
            markup=False,
        )
        return EXIT_ERROR
    out.print(
        f"Đã ghi dự thảo báo cáo tổng kết của {chapter_in_text(store.units, unit)}, giai đoạn "
        f"{period.label()}, ngày {format_date(on)}, vào {args.docx}. Các đoạn in nghiêng là gợi "
        "ý của đề cương: hãy thay bằng nội dung của đơn vị.",
        markup=False,
    )
    return EXIT_OK


def _threshold(text: str | None) -> int:
    if text is None:
        return DEFAULT_THRESHOLD
    value = text.strip()
    if not re.fullmatch(r"\d{1,3}", value) or int(value) > 100:
        raise UsageError(
            f"Ngưỡng điểm «{text}» không hợp lệ: hãy ghi một số nguyên từ 0 đến 100, "
            f"ví dụ --threshold {DEFAULT_THRESHOLD}."
        )
    return int(value)


def _date(text: str) -> date:
    try:
        day = parse_date(text)
    except DateError as error:
        raise UsageError(str(error)) from None
    if day < EARLIEST:
        raise UsageError(f"Ngày báo cáo {format_date(day)} trước năm {EARLIEST.year}.")
    return day


def _check_target(path: Path, suffix: str, what: str) -> None:
    """Refuse, before any work, a file name the document cannot be written to."""
    if path.is_dir():
        raise UsageError(
            f"«{path}» là một thư mục. Hãy ghi cả tên tệp, ví dụ {path / ('ten-tep' + suffix)}."
        )
    if path.suffix.lower() != suffix:
        raise UsageError(
            f"Tệp {what} «{path}» phải có đuôi {suffix}, ví dụ {path.with_suffix(suffix).name}."
        )
    if not path.parent.is_dir():
        raise UsageError(
            f"Không có thư mục «{path.parent}». Hãy tạo thư mục đó trước, hoặc chọn nơi khác."
        )
