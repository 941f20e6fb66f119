"""Finding the header of a sheet as chapters keep them, and which column holds what.

Real sheets start with title rows ("DANH SÁCH HỘI VIÊN CHI HỘI THÔN 3", the chapter's
name, blank lines), often have a header over two rows with merged cells ("Năm sinh" over
"Nam" and "Nữ"), sometimes a row numbering the columns "(1) (2) (3)" under the header,
and end with a totals row and signatures. This module finds the header row (the row
among the first 40 whose cells name the most known fields), builds each column's title
from its one or two header cells, and maps columns to fields.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from openpyxl.utils.cell import column_index_from_string, get_column_letter

from chapter_app.domain.text import clean_text
from chapter_app.errors import AppError
from chapter_app.services.importer.fields import (
    FEMALE,
    FIELDS,
    IGNORE,
    MALE,
    Matcher,
    header_key,
    sex_word,
)
from chapter_app.services.importer.reading import Grid

HEADER_SEARCH_ROWS = 40
_COLUMN_NUMBER = re.compile(r"\(?\s*([0-9]{1,2})\s*\)?")
_LETTERS = re.compile(r"[A-Z]{1,3}")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    return clean_text(str(value)) if not _blank(value) else ""


@dataclass
class Column:
    """One column of the sheet as the import sees it."""

    index: int  # 0-based
    letter: str  # "C"
    title: str  # "Năm sinh / Nam" (the one or two header cells), "" when none
    field: str | None  # the field it is read into, None when ignored
    auto: bool = True  # mapped by the program (False: chosen by the user)


@dataclass
class Layout:
    header_rows: tuple[int, ...]  # 0-based indexes of the header rows (empty: none found)
    columns: list[Column]
    data_start: int  # 0-based index of the first row after the header
    title_lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    score: float = 0.0  # how well the header names known fields (to choose among sheets)

    def field_columns(self) -> dict[str, int]:
        """``field -> column index`` for every mapped column (ignored ones left out)."""
        return {c.field: c.index for c in self.columns if c.field and c.field != IGNORE}

    def stt_columns(self) -> list[int]:
        return [c.index for c in self.columns if c.field == IGNORE]


def _score(row: list[Any], matcher: Matcher, titles: set[str]) -> float:
    found: set[str] = set()
    score = 0.0
    for value in row:
        if not isinstance(value, str) or not value.strip():
            continue
        if header_key(value) in titles:  # a header the user's mapping names
            score += 1.0
            continue
        if sex_word(value):
            score += 0.5
            continue
        key = matcher.match(value)
        if key and key not in found:
            found.add(key)
            score += 0.5 if key == IGNORE else 1.0
    return score


def _is_sub_header(top: list[Any], sub: list[Any], matcher: Matcher, merged_into_sub: bool) -> bool:
    cells = [v for v in sub if not _blank(v)]
    if not cells or not all(isinstance(v, str) for v in cells):
        return False
    if not any(sex_word(v) or matcher.match(v) for v in cells):
        return False
    if merged_into_sub:
        return True
    # Without merge information: sub-headers stand under blank (or repeated) top cells.
    for i, value in enumerate(sub):
        if _blank(value):
            continue
        above = top[i] if i < len(top) else None
        if _blank(above) or above == value:
            return True
    return False


def _padded(row: list[Any], width: int) -> list[Any]:
    return row + [None] * (width - len(row)) if len(row) < width else row


def find_layout(
    grid: Grid,
    kind: str,
    *,
    header_row: int | None = None,
    mapping: Mapping[str, str | None] | None = None,
) -> Layout:
    """The header, columns and first data row of ``grid`` for register ``kind``.

    ``header_row`` (1-based, as Excel numbers rows) overrides the search; ``mapping`` maps
    column letters ("C") or header titles to fields (``None`` or ``"ignore"``: skip).
    """
    matcher = Matcher(kind)
    width = grid.width
    rows = grid.rows
    top_score = 0.0
    if header_row is not None:
        if not 1 <= header_row <= len(rows):
            raise AppError(f"Dòng tiêu đề {header_row} nằm ngoài bảng (bảng có {len(rows)} dòng).")
        top_index: int | None = header_row - 1
    else:
        best, top_index = 1.5, None
        titles = {header_key(k) for k in normalise_mapping(mapping) if not _LETTERS.fullmatch(k)}
        for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            score = _score(row, matcher, titles)
            if score > best:
                best, top_index = score, i
        top_score = best if top_index is not None else 0.0
    if top_index is None:
        columns = [Column(i, get_column_letter(i + 1), "", None) for i in range(width)]
        layout = Layout((), columns, 0)
        layout.notes.append(
            "Không tìm thấy dòng tiêu đề cột (Họ và tên, Năm sinh, ...) trong 40 dòng đầu; "
            "hãy chỉ ra dòng tiêu đề hoặc ghép cột bằng tay."
        )
        _apply_mapping(layout, mapping, kind)
        return layout

    top = _padded(list(rows[top_index]), width)
    sub: list[Any] | None = None
    if top_index + 1 < len(rows):
        candidate = _padded(list(rows[top_index + 1]), width)
        merged_into_sub = any(
            t == top_index and (b >= top_index + 1 or r > left) for t, left, b, r in grid.merged
        )
        if _is_sub_header(top, candidate, matcher, merged_into_sub):
            sub = candidate
    header_rows = (top_index,) if sub is None else (top_index, top_index + 1)

    # A parent header over several sub-headers without a merge: carry it to the right.
    parents = list(top)
    if sub is not None:
        for i in range(1, width):
            if _blank(parents[i]) and not _blank(sub[i]) and not _blank(parents[i - 1]):
                left_sub = sub[i - 1]
                if not _blank(left_sub) and left_sub != parents[i - 1]:
                    parents[i] = parents[i - 1]

    columns: list[Column] = []
    taken: set[str] = set()
    notes: list[str] = []
    for i in range(width):
        parent = _text(parents[i])
        child = _text(sub[i]) if sub is not None else ""
        if child == parent:
            child = ""
        title = f"{parent} / {child}" if parent and child else parent or child
        key = _column_field(parent, child, matcher)
        if key and key != IGNORE and key in taken:
            notes.append(
                f"Cột {get_column_letter(i + 1)} (“{title}”) trùng nội dung với một cột trước "
                "nên bị bỏ qua."
            )
            key = None
        if key and key != IGNORE:
            taken.add(key)
        columns.append(Column(i, get_column_letter(i + 1), title, key))

    data_start = header_rows[-1] + 1
    if data_start < len(rows) and is_column_numbers(rows[data_start]):
        data_start += 1
    titles = [
        " ".join(_text(v) for v in dict.fromkeys(row) if not _blank(v)) for row in rows[:top_index]
    ]
    layout = Layout(header_rows, columns, data_start, [t for t in titles if t], notes)
    layout.score = top_score if header_row is None else float(len(layout.field_columns()))
    _apply_mapping(layout, mapping, kind)
    return layout


def _column_field(parent: str, child: str, matcher: Matcher) -> str | None:
    if child:
        sex = sex_word(child)
        if sex:
            parent_field = matcher.match(parent) if parent else None
            if parent_field in (None, "birth", "sex"):
                return sex
        key = matcher.match(child)
        if key:
            return key
        return matcher.match(f"{parent} {child}") if parent else None
    sex = sex_word(parent) or _birth_of_sex(parent, matcher)
    if sex:
        return sex
    return matcher.match(parent)


def _birth_of_sex(text: str, matcher: Matcher) -> str | None:
    """``MALE``/``FEMALE`` for a one-cell header "Năm sinh Nam", "Năm sinh (Nữ)", "Nữ - năm
    sinh": the year in such a column gives the person's sex too."""
    words = text.replace("(", " ").replace(")", " ").replace("-", " ").replace("/", " ").split()
    if len(words) < 2:
        return None
    for sex_part, rest in ((words[-1], words[:-1]), (words[0], words[1:])):
        sex = sex_word(sex_part)
        if sex and matcher.match(" ".join(rest)) == "birth":
            return sex
    return None


def is_column_numbers(row: list[Any]) -> bool:
    numbers = []
    for value in row:
        if _blank(value):
            continue
        if isinstance(value, int | float) and not isinstance(value, bool):
            if value != int(value):
                return False
            numbers.append(int(value))
            continue
        match = _COLUMN_NUMBER.fullmatch(str(value).strip())
        if not match:
            return False
        numbers.append(int(match[1]))
    return len(numbers) >= 3 and all(b > a for a, b in pairwise(numbers))


def normalise_mapping(mapping: Mapping[str, Any] | None) -> dict[str, str | None]:
    """A mapping as saved (``{"columns": {...}}``) or as given (``{"C": "phone"}``)."""
    if not mapping:
        return {}
    columns = mapping.get("columns") if isinstance(mapping.get("columns"), dict) else mapping
    result: dict[str, str | None] = {}
    for key, value in columns.items():
        if key.startswith("_") or (columns is mapping and key in ("format", "kind", "header_row")):
            continue
        result[str(key)] = None if value in (None, "", IGNORE) else str(value)
    return result


def _apply_mapping(layout: Layout, mapping: Mapping[str, Any] | None, kind: str) -> None:
    wanted = normalise_mapping(mapping)
    if not wanted:
        return
    known = {spec.key for spec in FIELDS[kind]} | {MALE, FEMALE}
    by_letter = {c.letter: c for c in layout.columns}
    by_title: dict[str, Column] = {}
    for column in layout.columns:
        if column.title:
            by_title.setdefault(header_key(column.title), column)
            by_title.setdefault(column.title, column)
    chosen: dict[int, str | None] = {}
    for key, value in wanted.items():
        if value is not None and value not in known:
            raise AppError(f"Cách ghép cột có trường “{value}” không có trong {kind}.")
        column = None
        if _LETTERS.fullmatch(key):
            column = by_letter.get(key)
            if column is None:
                index = column_index_from_string(key) - 1
                while len(layout.columns) <= index:
                    n = len(layout.columns)
                    layout.columns.append(Column(n, get_column_letter(n + 1), "", None))
                column = layout.columns[index]
        else:
            column = by_title.get(key) or by_title.get(header_key(key))
        if column is not None:
            chosen[column.index] = value
    # A field chosen by the user leaves any other column it was mapped to.
    for value in chosen.values():
        if value is not None and value != IGNORE:
            for column in layout.columns:
                if column.field == value and column.index not in chosen:
                    column.field = None
    for index, value in chosen.items():
        column = layout.columns[index]
        column.field = value
        column.auto = False
