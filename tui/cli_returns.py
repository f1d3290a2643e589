"""`nhandao returns`: the Bảng tổng hợp of units without the program, filled by hand and read
back (exporters/returns.py, docs/RETURNS.md)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from campaign.money import format_number
from store.store import Store
from tui.cli import EXIT_ERROR, EXIT_OK, Handler, add_unit_and_period, period_given, resolve_unit

if TYPE_CHECKING:
    from exporters.returns import ReadReturn


def add_commands(
    commands: argparse._SubParsersAction, common: argparse.ArgumentParser
) -> dict[str, Handler]:
    """Add `returns` to the command line; return its handler."""
    returns = commands.add_parser(
        "returns",
        parents=[common],
        help="nhận Bảng tổng hợp do các đơn vị chưa dùng chương trình điền tay (.xlsx)",
    )
    actions = returns.add_subparsers(dest="action", metavar="VIỆC", required=True)
    importing = actions.add_parser(
        "import",
        parents=[common],
        help="đọc, kiểm tra và nhận các bảng đã điền",
        description=(
            "Đọc mẫu do «nhandao summary --template» ghi ra, hoặc một bảng gõ tay theo mẫu của "
            "Hội (có dòng số cột «1 2 3 4 5 6 = 4+5 7 8»). Mỗi số được kiểm tra: số nguyên "
            "không âm, cột 6 = cột 4 + cột 5, cột 7 không nhỏ hơn cột 6, dòng «Tổng cộng» bằng "
            "tổng các dòng; mỗi chỗ sai nêu rõ ô. Tệp có chỗ sai không được nhận, trừ khi dùng "
            "--accept. Bảng tổng hợp tính báo cáo của một đơn vị khi đơn vị đó chưa có dữ liệu "
            "chi tiết cho giai đoạn ấy."
        ),
    )
    importing.add_argument("files", nargs="+", type=Path, metavar="TỆP", help="các tệp .xlsx")
    add_unit_and_period(importing)
    importing.add_argument(
        "--accept",
        action="store_true",
        help="nhận cả khi có chỗ chưa khớp (các chỗ đó được ghi lại cùng báo cáo); dòng có ô "
        "không phải số thì vẫn không nhận",
    )
    importing.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")
    actions.add_parser("list", parents=[common], help="liệt kê các báo cáo tự điền đã nhận")
    return {"returns": _returns}


def _returns(args: argparse.Namespace, store: Store, out: Console, err: Console) -> int:
    if args.action == "list":
        return _list(store, out)
    from exporters.returns import ReturnError, can_take, read_file, take

    period = period_given(args, store)
    parent = resolve_unit(store.units, args.unit) if args.unit else None
    refused = False
    for path in args.files:
        try:
            read = read_file(store, path, period=period, parent=parent)
        except ReturnError as error:
            err.print(str(error), style="red", markup=False)
            refused = True
            continue
        out.print(described(store, read), markup=False)
        for problem in read.problems:
            out.print(f"- {problem}", markup=False)
        for warning in read.warnings:
            out.print(f"- Lưu ý: {warning}", markup=False)
        if not can_take(read, accept=args.accept):
            err.print(
                f"Chưa nhận tệp {path.name}: "
                + (f"có {len(read.problems)} chỗ chưa đúng (nêu ở trên). Hãy sửa tệp rồi nhập "
                   "lại, hoặc nhận kèm các chỗ đó bằng --accept." if read.problems
                   else "không có dòng nào đọc được.")
                + " Chưa có gì thay đổi trong kho.",
                markup=False,
            )  # fmt: skip
            refused = True
            continue
        if args.dry_run:
            out.print(f"Kiểm tra xong tệp {path.name}: chưa ghi gì (--dry-run).", markup=False)
            continue
        changed = take(store, read, accept=args.accept)
        out.print(
            f"Đã nhận tệp {path.name}: {format_number(len(read.rows))} báo cáo đơn vị, "
            f"{format_number(changed)} mới hoặc thay đổi.",
            markup=False,
        )
    return EXIT_ERROR if refused else EXIT_OK


def described(store: Store, read: ReadReturn) -> str:
    """«Tệp X (mẫu của chương trình): Bảng tổng hợp của …, giai đoạn …, N đơn vị.»"""
    whose = store.units.name(read.unit) if read.unit in store.units else "không rõ đơn vị"
    return f"Tệp {read.source} ({read.kind}): Bảng tổng hợp của {whose}, {read.extent}."


def _list(store: Store, out: Console) -> int:
    from campaign.dates import format_date
    from campaign.returns import FIELDS

    found = sorted(store.records("return"), key=lambda r: (r["unit"], r["year_from"], r["id"]))
    if not found:
        out.print("Chưa nhận báo cáo tự điền nào.")
        return EXIT_OK
    out.print(f"{format_number(len(found))} báo cáo tự điền đã nhận:")
    for record in found:
        unit = record["unit"]
        name = store.units.name(unit) if unit in store.units else unit
        columns = " · ".join(
            f"{column}: {format_number(record.get(field, 0))}" for column, field in FIELDS.items()
        )
        accepted = format_date(record["accepted_on"]) if record.get("accepted_on") else "?"
        mark = " (*)" if record.get("problems") else ""
        out.print(
            f"- {name} ({unit}){mark}, {record['year_from']}–{record['year_to']}: {columns}; "
            f"tệp {record.get('source', '?')}, nhận ngày {accepted}",
            markup=False,
        )
        for problem in (record.get("problems") or "").splitlines():
            out.print(f"    chưa khớp: {problem}", markup=False)
    if any(record.get("problems") for record in found):
        out.print("(*) nhận kèm những chỗ chưa khớp.")
    return EXIT_OK
