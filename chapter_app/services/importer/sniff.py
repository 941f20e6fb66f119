"""What a file to import is, from its first bytes (not its name), and what to say when it
is no sheet: a PDF, a Word document, a picture, a zip archive, a web page...

``kind_of(path)`` answers one of ``xlsx`` (also ``.xlsm``), ``xlsb``, ``ods``, ``xls`` or
``text``, or raises :class:`AppError` naming what the file is and what to do instead.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from chapter_app.errors import AppError
from chapter_app.services.importer.guard import ZIP_ERRORS

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAVE_AS = "Hãy mở tệp bằng Excel và lưu lại dạng Excel Workbook (.xlsx) rồi nhập tệp mới."
_NOT_SHEETS = (  # magic bytes -> what the file is
    (b"%PDF", "một tài liệu PDF"),
    (b"{\\rtf", "một văn bản Word (RTF)"),
    (b"\x89PNG", "một ảnh PNG"),
    (b"\xff\xd8\xff", "một ảnh JPEG"),
    (b"GIF8", "một ảnh GIF"),
    (b"Rar!", "một tệp nén RAR"),
    (b"7z\xbc\xaf", "một tệp nén 7z"),
    (b"\x1f\x8b", "một tệp nén gzip"),
    (b"SQLite format 3", "một tệp cơ sở dữ liệu SQLite"),
)
_ZIP_DOCUMENTS = (  # a part that names what a zip-based document is
    ("word/document.xml", "một văn bản Word (.docx)"),
    ("ppt/presentation.xml", "một bài trình chiếu PowerPoint (.pptx)"),
)
_ODF = {
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.text": "một văn bản OpenDocument (.odt)",
    "application/vnd.oasis.opendocument.presentation": "một bài trình chiếu OpenDocument (.odp)",
}


def refuse(path: Path, what: str, advice: str = "") -> AppError:
    """The message for a file that is ``what`` and no sheet."""
    text = f"Không nhập được tệp «{path.name}»: tệp này là {what}, không phải bảng tính."
    advice = advice or "Hãy chọn tệp Excel (.xlsx, .xls), LibreOffice (.ods) hoặc CSV."
    return AppError(f"{text} {advice}")


def kind_of(path: Path) -> str:
    """The format of ``path``: ``xlsx``, ``xlsb``, ``ods``, ``xls`` or ``text``."""
    try:
        with path.open("rb") as source:
            head = source.read(4096)
    except PermissionError as exc:
        raise AppError(
            f"Không đọc được tệp «{path.name}»: tệp đang mở trong Excel hoặc không có quyền "
            "đọc. Hãy đóng Excel rồi thử lại."
        ) from exc
    except OSError as exc:
        raise AppError(f"Không đọc được tệp «{path.name}»: {exc.strerror or exc}.") from exc
    if not head:
        raise AppError(f"Tệp «{path.name}» rỗng (0 byte): không có gì để nhập.")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(path)
    if head.startswith(_OLE2):
        return _ole_kind(path)
    for magic, what in _NOT_SHEETS:
        if head.startswith(magic):
            raise refuse(path, what)
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<table" in lowered[:2048]:
        raise refuse(
            path,
            "một trang web (HTML) mang đuôi Excel",
            "Tệp xuất từ phần mềm trên mạng thường như vậy: " + _SAVE_AS,
        )
    if lowered.startswith(b"<?xml"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in head:
            raise refuse(path, "bảng tính XML 2003 của Excel", _SAVE_AS)
        raise refuse(path, "một tệp XML")
    return "text"


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                found = _ODF.get(mimetype)
                if found == "ods":
                    return "ods"
                if found:
                    raise refuse(path, found)
    except ZIP_ERRORS as exc:
        raise AppError(
            f"Không đọc được tệp «{path.name}»: tệp nén bị hỏng (có thể tải về chưa xong). "
            "Hãy lấy lại tệp rồi nhập lại."
        ) from exc
    if "xl/workbook.xml" in names or any(n.endswith("workbook.xml") for n in names):
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "content.xml" in names:
        return "ods"
    for part, what in _ZIP_DOCUMENTS:
        if part in names:
            raise refuse(path, what)
    raise refuse(
        path, "một tệp nén zip", "Hãy giải nén rồi chọn tệp bảng tính ở bên trong để nhập."
    )


def _ole_kind(path: Path) -> str:
    """An Office 97-2003 compound file: a workbook, a Word .doc, or an encrypted package."""
    data = path.read_bytes()
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise AppError(
            f"Tệp «{path.name}» có đặt mật khẩu. Hãy mở bằng Excel, bỏ mật khẩu "
            "(Tệp → Thông tin → Bảo vệ sổ làm việc), lưu lại rồi nhập."
        )
    if "WordDocument".encode("utf-16-le") in data:
        raise refuse(path, "một văn bản Word (.doc)")
    if "PowerPoint Document".encode("utf-16-le") in data:
        raise refuse(path, "một bài trình chiếu PowerPoint (.ppt)")
    return "xls"
