"""`nhandao units migrate`: a store moved to the units of the 2025 list, or back (store/reform.py).

Without every question answered nothing changes: the questions are written to a CSV file the
office fills in (Excel opens it), and the command is run again with `--answers`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from campaign.money import format_number
from campaign.text import fold
from store import gazetteer, reform
from store.errors import StoreWriteError
from store.store import Store
from tui.cli import EXIT_ERROR, EXIT_OK, UsageError


def add_migrate(actions: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    migrate = actions.add_parser(
        "migrate",
        parents=[common],
        help="chuyển kho sang danh mục đơn vị năm 2025 (hay quay lại năm 2019)",
        description=(
            "Mỗi địa chỉ, người trợ giúp, mô hình của một đơn vị trong danh mục năm 2019 được "
            "chuyển về đơn vị mới theo bảng chuyển đổi, và giữ đơn vị cũ: bảng tổng hợp của "
            "các giai đoạn trước 01/07/2025 vẫn như trước. Xã, phường bị chia cho nhiều đơn vị "
            "mới thì hỏi theo từng ấp, khu phố: các câu hỏi được ghi vào một tệp CSV để điền "
            "cột «Mã đơn vị mới», rồi chạy lại lệnh với --answers. Chưa trả lời hết thì không "
            "thay đổi gì. Việc chuyển đổi là một lần ghi, quay lại được bằng --to 2019."
        ),
    )
    migrate.add_argument(
        "--to",
        required=True,
        choices=gazetteer.LISTS,
        help="2025: chuyển sang danh mục năm 2025; 2019: quay lại danh mục cũ",
    )
    migrate.add_argument(
        "--answers",
        type=Path,
        metavar="TỆP",
        help="tệp câu hỏi đã điền cột «Mã đơn vị mới» (mã của danh mục năm 2025)",
    )
    migrate.add_argument(
        "--questions",
        type=Path,
        metavar="TỆP",
        help=f"nơi ghi các câu hỏi còn lại (mặc định: {reform.QUESTIONS} trong thư mục hiện tại)",
    )
    migrate.add_argument("--yes", action="store_true", help="không hỏi lại trước khi chuyển")


def migrate(args: argparse.Namespace, store: Store, out: Console, err: Console) -> int:
    if args.to == "2019":
        plan = reform.plan_back(store)
    else:
        answers = reform.read_answers(_read(args.answers)) if args.answers else reform.Answers()
        plan = reform.plan(store, answers.units)
        reform.check_answers(plan, answers)  # each against the units its question offers
    _show(plan, store, out)
    if not plan.ready:
        path = args.questions or Path(reform.QUESTIONS)
        try:
            path.write_bytes(reform.questions_csv(store, plan))
        except OSError as error:
            raise StoreWriteError(path, error) from error
        out.print(
            Text(
                f"Còn {format_number(len(plan.questions))} câu hỏi chưa có trả lời: đã ghi vào "
                f"{path}. Hãy mở tệp bằng Excel, điền cột «Mã đơn vị mới» (một mã trong cột «Có "
                f"thể chuyển về»), lưu lại dạng CSV, rồi chạy «nhandao units migrate --to 2025 "
                f"--answers {path}». Chưa có gì thay đổi trong kho."
            )
        )
        return EXIT_ERROR
    if not args.yes and not _confirmed(out):
        out.print("Chưa chuyển đổi: kho giữ nguyên.")
        return EXIT_ERROR
    changed = reform.apply(store, plan)
    out.print(Text(reform.done(store, plan, changed)))
    return EXIT_OK


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise UsageError(f"Không đọc được tệp {path}: {error.strerror or error}.") from None


def _confirmed(out: Console) -> bool:
    if not sys.stdin.isatty():
        raise UsageError(
            "Lệnh chuyển đổi cần được xác nhận: chạy lại với --yes (không có bàn phím để hỏi)."
        )
    out.print("Chuyển đổi ngay? Gõ «có» rồi Enter để đồng ý: ", end="")
    try:
        answer = input()
    except EOFError:
        return False
    return fold(answer) in ("co", "c", "yes", "y")


def _show(plan: reform.Plan, store: Store, out: Console) -> None:
    """The counts per unit before and after, and the rules the plan followed."""
    names = reform.unit_names(store, plan)
    office = store.office
    if plan.back:
        heading = f"Quay lại danh mục năm 2019: văn phòng {names.get(office.unit, office.unit)}"
    else:
        heading = f"Chuyển sang danh mục năm 2025: tỉnh mới {names[plan.province]}"
    if plan.office_unit is not None:
        heading += f", văn phòng thành {names.get(plan.office_unit, plan.office_unit)}"
    out.print(Text(heading + "."))
    for title, counts in (("Trước", plan.before), ("Sau", plan.after)):
        table = Table(title=Text(f"{title}: bản ghi chuyển (địa chỉ, người trợ giúp, mô hình)"))
        table.add_column("Mã")
        table.add_column("Đơn vị")
        table.add_column("Bản ghi", justify="right")
        if title == "Sau":
            table.add_column("Lần trợ giúp theo", justify="right")
        for code, count in counts.items():
            row = [Text(gazetteer.official_code(code)), Text(names.get(code, code)),
                   Text(format_number(count))]  # fmt: skip
            if title == "Sau":
                row.append(Text(format_number(plan.aid[code])))
            table.add_row(*row)
        out.print(table)
    for old, new, why in plan.rules:
        out.print(Text(f"- {names.get(old, old)} → {names.get(new, new)}: {why}."))
    if plan.new_units:
        made = ", ".join(f"{u['name']} ({u['code']})" for u in plan.new_units)
        out.print(Text(f"Đơn vị mới thay cho trường học, đơn vị trực thuộc: {made}."))
