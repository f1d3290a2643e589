"""Errors of the store. `str()` of each is a Vietnamese sentence that tells the user what to do."""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path


class StoreError(Exception):
    """Something about the store the user must act on."""


class NoStoreError(StoreError):
    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"Chưa có kho dữ liệu ở {folder}. Hãy tạo kho cho đơn vị của mình bằng lệnh "
            "«nhandao init --unit MÃ_ĐƠN_VỊ» (tìm mã bằng «nhandao units --search TÊN»), "
            "hoặc tạo kho thử bằng «nhandao demo»."
        )
        self.folder = folder


class StorePathTooLongError(StoreError):
    def __init__(self, folder: Path, limit: int) -> None:
        super().__init__(
            f"Đường dẫn thư mục kho dữ liệu {folder} dài {len(str(folder))} ký tự; trên Windows "
            f"nó chỉ được dài tối đa {limit} ký tự để mọi tệp trong kho mở được. Hãy chọn thư "
            "mục ngắn hơn bằng --store (ví dụ D:\\nhandao) hoặc dùng thư mục mặc định."
        )
        self.folder = folder


class StoreExistsError(StoreError):
    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"Đã có kho dữ liệu ở {folder}; không tạo đè lên kho cũ. "
            "Hãy chọn thư mục khác bằng --store."
        )
        self.folder = folder


def holder_text(holder: dict) -> str:
    """« (chương trình số 412 trên máy VP-XA, mở từ 09:15 ngày 02/12/2026)», or "" when the
    lock file does not say who holds it."""
    if not holder.get("pid"):
        return ""
    who = f" (chương trình số {holder['pid']} trên máy {holder.get('host', '?')}"
    since = holder.get("since")
    if isinstance(since, str):
        with contextlib.suppress(ValueError):
            who += f", mở từ {datetime.fromisoformat(since):%H:%M ngày %d/%m/%Y}"
    return who + ")"


class StoreLockedError(StoreError):
    def __init__(self, folder: Path, holder: dict) -> None:
        super().__init__(
            f"Kho dữ liệu {folder} đang được mở bởi một chương trình nhandao khác"
            f"{holder_text(holder)}. "
            "Hãy đóng chương trình đó rồi thử lại; mỗi lúc chỉ một chương trình được mở kho."
        )
        self.folder = folder
        self.holder = holder


class StoreBusyError(StoreError):
    """A store another program holds, read while it kept writing: no quiet moment to read."""

    def __init__(self, folder: Path, holder: dict) -> None:
        super().__init__(
            f"Kho dữ liệu {folder} đang được một chương trình nhandao khác ghi liên tục nên "
            "chưa đọc được một bản trọn vẹn. Hãy thử lại sau ít phút, hoặc đóng chương trình đó."
        )
        self.folder = folder
        self.holder = holder


class StoreNotWritableError(StoreError):
    def __init__(self, folder: Path, error: OSError) -> None:
        super().__init__(
            f"Không ghi được vào thư mục kho {folder} ({error.strerror or error}): thẻ nhớ bị "
            "khoá chống ghi, đĩa đã đầy, hoặc không có quyền ghi. Các lệnh chỉ đọc (summary, "
            "check, records export, report, awards) vẫn dùng được; để ghi, hãy mở khoá chống "
            "ghi hoặc giải phóng chỗ trống rồi thử lại."
        )
        self.folder = folder


class BrokenStoreError(StoreError):
    """A file of the store that does not parse and has no usable backup."""


class StoreWriteError(StoreError):
    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(
            f"Không lưu được vào {path}: {error.strerror or error}. Có thể đĩa đã đầy hoặc "
            "không có quyền ghi. Dữ liệu đã lưu trước đó vẫn nguyên vẹn; hãy giải phóng chỗ "
            "trống rồi lưu lại."
        )
        self.path = path


class ValidationError(StoreError):
    """Records that cannot be saved; `problems` lists every one, each a Vietnamese sentence."""

    def __init__(self, problems: list) -> None:
        count = len(problems)
        lines = "\n".join(f"- {p}" for p in problems)
        super().__init__(f"Có {count} lỗi trong dữ liệu, chưa lưu gì:\n{lines}")
        self.problems = problems
