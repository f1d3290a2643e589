"""The commands `awards` (scores and proposals for awards) and `report` (the report draft)."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

from rich.console import Console

from campaign.awards import DEFAULT_THRESHOLD, Awards, awards
from campaign.dates import EARLIEST, DateError, Period, format_date, parse_date
from exporters.letterhead import chapter_in_text
from exporters.terminal import json_bytes
from exporters.terminal_awards import (
    donors_table,
    individuals_table,
    proposals_table,
    scores_notes,
    scores_table,
)
from store.store import Store
from tui.award_choices import AWARD_NAMES, ChoiceError, link, propose, separate, unlink, withdraw
from tui.cli import (
    EXIT_ERROR,
    EXIT_OK,
    Handler,
    UsageError,
    add_unit_and_period,
    check_target,
    unit_and_period,
)


def add_commands(
    commands: argparse._SubParsersAction, common: argparse.ArgumentParser
) -> dict[str, Handler]:
    """Add `awards` and `report` to the command line; return their handlers."""
    scoring = commands.add_parser(
        "awards",
        parents=[common],
        help="chấm điểm thi đua; cá nhân, nhà tài trợ đủ điều kiện; chọn đề nghị khen thưởng",
    )
    add_unit_and_period(scoring)
    scoring.add_argument(
        "--threshold",
        metavar="ĐIỂM",
        help=f"số điểm (0–100) từ đó đơn vị đủ điều kiện xét Bằng khen của Trung ương Hội; là "
        f"một cài đặt, vì Kế hoạch không quy định (mặc định: {DEFAULT_THRESHOLD})",
    )
    scoring.add_argument(
        "--json",
        action="store_true",
        help='in JSON: mỗi đơn vị một đối tượng, theo thứ hạng: "unit", "name", "steering", '
        '"model", "helped", "reviewed", "guidance", "total", rồi các số liệu',
    )
    scoring.add_argument(
        "--people",
        action="store_true",
        help="in cá nhân, nhà tài trợ đủ điều kiện và những người đã chọn (với --json: dạng JSON)",
    )
    scoring.add_argument(
        "--xlsx", metavar="TỆP", type=Path, help="ghi thêm bảng khen thưởng (.xlsx)"
    )
    scoring.add_argument(
        "--date", metavar="NGÀY/THÁNG/NĂM", help="ngày ghi trên bảng (mặc định: hôm nay)"
    )
    choices = scoring.add_argument_group(
        "lựa chọn của văn phòng (lưu như mọi bản ghi, đi cùng dữ liệu gửi đi)"
    )
    choices.add_argument(
        "--propose",
        metavar="MÃ",
        action="append",
        default=[],
        help="đề nghị một đơn vị (mã đơn vị) hoặc một ứng viên (mã một người trợ giúp của họ)",
    )
    choices.add_argument(
        "--award",
        choices=sorted(AWARD_NAMES),
        help="đi cùng --propose: bang-khen (Bằng khen của Trung ương Hội) hoặc giay-khen "
        "(Giấy khen của Tỉnh Hội); mặc định: mức mà số liệu đạt được",
    )
    choices.add_argument(
        "--withdraw", metavar="MÃ", action="append", default=[], help="bỏ chọn một đề nghị"
    )
    choices.add_argument(
        "--link",
        nargs=2,
        metavar=("MÃ", "MÃ_KHÁC"),
        action="append",
        default=[],
        help="hai người trợ giúp này là một người, một tổ chức (một ứng viên)",
    )
    choices.add_argument(
        "--separate",
        metavar="MÃ",
        action="append",
        default=[],
        help="người trợ giúp này là một ứng viên riêng, không gộp với người cùng tên",
    )
    choices.add_argument(
        "--unlink",
        metavar="MÃ",
        action="append",
        default=[],
        help="bỏ việc gộp (--link) hay tách (--separate) đã ghi: xếp lại theo tên",
    )

    report = commands.add_parser(
        "report",
        parents=[common],
        help="ghi dự thảo báo cáo tổng kết ra tệp Word",
    )
    report.add_argument("--docx", metavar="TỆP", type=Path, help="tệp .docx cần ghi")
    add_unit_and_period(report)
    report.add_argument(
        "--date", metavar="NGÀY/THÁNG/NĂM", help="ngày của báo cáo (mặc định: hôm nay)"
    )
    return {"awards": _awards, "report": _report}


def _awards(args: argparse.Namespace, store: Store, out: Console, err: Console) -> int:
    threshold = _threshold(args.threshold)
    if args.xlsx is not None:
        check_target(args.xlsx, ".xlsx", "bảng tính")
    on = _date(args.date) if args.date else store.today()
    if args.award and not args.propose:
        raise UsageError("--award đi cùng --propose: hãy ghi mã đơn vị hoặc người được đề nghị.")
    unit, period = unit_and_period(args, store)
    result = _choose(args, store, unit, period, threshold, err if args.json else out)
    data = store.dataset()
    if args.xlsx is not None:
        # openpyxl loads only when a workbook is written: every command's start would pay it.
        from exporters.awards import write_awards_workbook
        from exporters.sheets import WorkbookWriteError

        try:
            written = write_awards_workbook(
                args.xlsx, result, data.units, store.office.document_settings, on
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
    if args.xlsx is not None or _chose(args):
        return EXIT_OK
    if not args.people:
        out.print(scores_table(result), soft_wrap=False)
        out.print(scores_notes(result))
        out.print()
    out.print(individuals_table(result), soft_wrap=False)
    out.print()
    out.print(donors_table(result), soft_wrap=False)
    out.print()
    out.print(proposals_table(result), soft_wrap=False)
    return EXIT_OK


def _chose(args: argparse.Namespace) -> bool:
    return bool(args.propose or args.withdraw or args.link or args.separate or args.unlink)


def _choose(
    args: argparse.Namespace,
    store: Store,
    unit: str,
    period: Period,
    threshold: int,
    told: Console,
) -> Awards:
    """Make the choices the options ask for, in the order: links, then proposals; return the
    scores and candidates after them."""
    try:
        for helper, other in args.link:
            told.print(link(store, unit, helper, other), markup=False)
        for helper in args.separate:
            told.print(separate(store, unit, helper), markup=False)
        for helper in args.unlink:
            told.print(unlink(store, unit, helper), markup=False)
        for target in args.withdraw:
            told.print(withdraw(store, unit, period, target), markup=False)
        result = awards(store.dataset(), unit, period, threshold)
        if args.propose:
            for target in args.propose:
                award = AWARD_NAMES[args.award] if args.award else _reached(result, target)
                told.print(propose(store, unit, period, target, award), markup=False)
            result = awards(store.dataset(), unit, period, threshold)
    except ChoiceError as error:
        raise UsageError(str(error)) from None
    return result


def _reached(result: Awards, target: str) -> str:
    """The award the figures of a chapter or a candidate reach (provincial for anyone not
    listed as eligible)."""
    for score in result.units:
        if score.unit == target:
            return score.eligible
    for person in (*result.individuals, *result.donors):
        if target in person.helpers:
            return person.eligible
    return "provincial"


def _report(args: argparse.Namespace, store: Store, out: Console, err: Console) -> int:
    if args.docx is None:
        raise UsageError(
            "Hãy cho biết tệp báo cáo cần ghi, ví dụ: nhandao report --docx bao-cao-tong-ket.docx"
        )
    check_target(args.docx, ".docx", "báo cáo")
    on = _date(args.date) if args.date else store.today()
    unit, period = unit_and_period(args, store)
    from exporters.report import write_report  # python-docx loads only for a report

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
