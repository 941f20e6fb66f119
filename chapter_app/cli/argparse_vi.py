"""argparse's own words (usage, help headings, errors) in Vietnamese.

argparse looks its messages up through the module-level ``_`` and ``ngettext`` at the time
it shows them; ``install()`` points both at this table (a message not in it stays as
argparse wrote it). Only the command line calls ``install()``.
"""

from __future__ import annotations

import argparse

MESSAGES = {
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "optional arguments": "tùy chọn",
    "show this help message and exit": "xem hướng dẫn này rồi thoát",
    "show program's version number and exit": "xem số phiên bản rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "còn thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "không hiểu các tham số: %s (xem --help)",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "«%(value)s» không có trong danh sách; chọn một trong: %(choices)s"
    ),
    "invalid choice: %(value)r, choose from %(choices)s": (
        "«%(value)s» không có trong danh sách; chọn một trong: %(choices)s"
    ),
    "invalid %(type)s value: %(value)r": "giá trị «%(value)s» không đọc được",
    "expected one argument": "cần một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected at most one argument": "chỉ nhận nhiều nhất một giá trị",
    "ignored explicit argument %r": "tùy chọn này không nhận giá trị %r",
    "not allowed with argument %s": "không dùng cùng với %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tùy chọn %(option)s chưa rõ: có thể là %(matches)s"
    ),
    "can't open '%(filename)s': %(error)s": "không mở được «%(filename)s»: %(error)s",
    "unexpected option string: %s": "tùy chọn không mong đợi: %s",
}
PLURALS = {
    "expected %s argument": "cần %s giá trị",
    "expected %s arguments": "cần %s giá trị",
}


def translate(message: str) -> str:
    return MESSAGES.get(message, message)


def translate_plural(singular: str, plural: str, n: int) -> str:
    chosen = singular if n == 1 else plural
    return PLURALS.get(chosen, chosen)


def install() -> None:
    """Make argparse speak Vietnamese (idempotent)."""
    argparse._ = translate
    argparse.ngettext = translate_plural
