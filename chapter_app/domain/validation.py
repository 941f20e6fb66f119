"""Checking and cleaning values as the officer types them (or as a spreadsheet holds them).

Every checker returns ``(value, issues)``: ``value`` is the cleaned value, or ``None``
when the input was empty or when any ERROR was found; ``issues`` is a list of
:class:`Issue`. Checkers never raise on bad input, whatever its type. WARNINGs never
block saving; ERRORs do (callers raise :class:`ValidationFailed`).

Messages are Vietnamese templates marked with :func:`N_` and stored untranslated, with
their parameters kept apart, so the UI can translate the template and then format it
(:meth:`Issue.render`). Parameters that are themselves translatable nouns are
:class:`Label`; amounts to be shown with thousands separators are :class:`Amount`;
dates are already written ``dd/mm/yyyy``.

Standard library only.
"""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache, partial
from types import MappingProxyType
from typing import Any

from chapter_app.domain.memo import ValueMemo
from chapter_app.errors import InvalidRecordError


def N_(message: str) -> str:
    """Mark a message for translation; it is translated where it is shown."""
    return message


# --------------------------------------------------------------------------- issues


class Severity(StrEnum):
    """How bad an issue is: errors block saving, warnings only inform."""

    ERROR = "error"
    WARNING = "warning"


class Label(str):
    """A message parameter that is itself an ``N_``-marked noun, translated before use."""

    __slots__ = ()


class Amount(int):
    """A message parameter shown with thousands separators (``1.000.000``)."""

    __slots__ = ()


def _identity(text: str) -> str:
    return text


def group_thousands(number: int) -> str:
    """Write a whole number the Vietnamese way: ``1234567`` -> ``"1.234.567"``."""
    sign = "-" if number < 0 else ""
    return sign + f"{abs(int(number)):,}".replace(",", ".")


_EMPTY_PARAMS: Mapping[str, object] = MappingProxyType({})


@dataclass(frozen=True)
class Issue:
    """One problem found in one field: an untranslated template plus its parameters.

    ``params`` is stored read-only and left out of the hash (equality still compares it).
    """

    field: str
    template: str
    params: Mapping[str, object] = field(default_factory=lambda: _EMPTY_PARAMS, hash=False)
    severity: Severity = Severity.ERROR

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))
        if self.severity.__class__ is not Severity:
            object.__setattr__(self, "severity", Severity(self.severity))

    def __reduce__(self):  # MappingProxyType cannot be pickled or deep-copied
        return (self.__class__, (self.field, self.template, dict(self.params), self.severity))

    @classmethod
    def error(cls, field: str, template: str, **params: object) -> Issue:
        """An ERROR on ``field``."""
        return cls._made(field, template, params, Severity.ERROR)

    @classmethod
    def warning(cls, field: str, template: str, **params: object) -> Issue:
        """A WARNING on ``field``."""
        return cls._made(field, template, params, Severity.WARNING)

    @classmethod
    def _made(cls, field: str, template: str, params: dict, severity: Severity) -> Issue:
        """``cls(field, template, params, severity)`` for a ``params`` dict of its own (the
        keywords of a call), made faster: issues are made by the thousand in an import."""
        if cls is not Issue:
            return cls(field, template, params, severity)
        issue = object.__new__(cls)
        vars(issue).update(
            field=field, template=template, params=MappingProxyType(params), severity=severity
        )
        return issue

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def message(self) -> str:
        """The message in the source language (Vietnamese), formatted."""
        return self.render()

    def render(
        self,
        translate: Callable[[str], str] | None = None,
        format_number: Callable[[int], str] | None = None,
    ) -> str:
        """Translate the template and the :class:`Label` params, then format.

        ``format_number`` formats :class:`Amount` params (default ``1.234.567``).
        """
        tr = translate or _identity
        fmt = format_number or group_thousands
        values: dict[str, object] = {}
        for key, value in self.params.items():
            if isinstance(value, Label):
                values[key] = tr(str(value))
            elif isinstance(value, Amount):
                values[key] = fmt(int(value))
            else:
                values[key] = value
        return tr(self.template).format(**values)


class ValidationFailed(InvalidRecordError):
    """Raised by callers when a record has errors; ``issues`` holds every issue found."""

    def __init__(self, issues: Sequence[Issue]):
        issues = tuple(issues)
        super().__init__("\n".join(issue.message for issue in issues), issues)
        self.issues = issues
        self.args = (issues,)  # so the exception pickles and re-raises across threads

    def __str__(self) -> str:
        return self.message

    @property
    def errors(self) -> list[Issue]:
        return errors(self.issues)


def errors(issues: Iterable[Issue]) -> list[Issue]:
    """The ERRORs among ``issues``, in order."""
    return [i for i in issues if i.severity is Severity.ERROR]


def warnings(issues: Iterable[Issue]) -> list[Issue]:
    """The WARNINGs among ``issues``, in order."""
    return [i for i in issues if i.severity is Severity.WARNING]


def raise_if_errors(issues: Iterable[Issue]) -> None:
    """Raise :class:`ValidationFailed` (carrying all issues) if any is an ERROR."""
    issues = list(issues)
    if errors(issues):
        raise ValidationFailed(issues)


# --------------------------------------------------------------------------- messages

MSG_REQUIRED = N_("Chưa nhập {label}.")
MSG_REQUIRED_GENERIC = N_("Chưa nhập thông tin bắt buộc.")

MSG_DATE_UNREADABLE = N_(
    "Không đọc được ngày “{text}”; hãy nhập theo dạng ngày/tháng/năm, ví dụ 05/01/2026."
)
MSG_DATE_YEAR_DIGITS = N_("Năm phải ghi đủ 4 chữ số, ví dụ 05/01/2026 (không ghi 05/01/26).")
MSG_DATE_YEAR_RANGE = N_("Năm {year} không hợp lệ (chỉ nhận từ {low} đến {high}).")
MSG_DATE_BAD_MONTH = N_("Tháng {month} không tồn tại; ngày ghi theo thứ tự ngày/tháng/năm.")
MSG_DATE_NOT_EXIST = N_("Ngày {date} không tồn tại.")
MSG_DATE_FUTURE = N_("Không được sau ngày hôm nay ({today}); đã nhập {date}.")
MSG_DATE_TOO_FAR = N_("Ngày {date} quá xa: không được sau ngày hôm nay quá một năm.")
MSG_DATE_FAR_AHEAD = N_("Ngày {date} còn hơn một năm nữa; kiểm tra lại.")
MSG_DATE_ORDER = N_("Ngày không hợp lệ: {end_label} ({end}) sớm hơn {start_label} ({start}).")

MSG_BIRTH_UNREADABLE = N_(
    "Không đọc được ngày sinh “{text}”; hãy nhập ngày/tháng/năm (05/01/1956) "
    "hoặc chỉ năm sinh (1956)."
)
MSG_BIRTH_YEAR_DIGITS = N_("Năm sinh phải ghi đủ 4 chữ số, ví dụ 1956.")
MSG_BIRTH_TOO_EARLY = N_("Năm sinh {year} trước năm 1900; kiểm tra lại.")
MSG_BIRTH_FUTURE_DATE = N_("Ngày sinh {date} ở tương lai.")
MSG_BIRTH_FUTURE_YEAR = N_("Năm sinh {year} ở tương lai.")

MSG_PHONE_INVALID = N_(
    "Số điện thoại “{text}” không hợp lệ: số di động có 10 chữ số, "
    "bắt đầu bằng 03, 05, 07, 08 hoặc 09."
)
MSG_PHONE_CHARACTERS = N_(
    "Số điện thoại “{text}” chỉ được gồm chữ số (có thể có dấu cách, dấu chấm, "
    "gạch nối, ngoặc đơn và +84)."
)
MSG_PHONE_FOREIGN = N_("Chỉ nhận số điện thoại Việt Nam (+84); đã nhập “{text}”.")
MSG_PHONE_CONVERTED = N_("Số di động cũ {old} đã được đổi sang số mới {new}.")

MSG_ID_NOT_DIGITS = N_("Số định danh chỉ được gồm chữ số.")
MSG_ID_LENGTH = N_(
    "Số định danh phải có 12 chữ số (hoặc 9 chữ số nếu là CMND cũ); số đã nhập có {length} chữ số."
)
MSG_ID_OLD_CMND = N_("Số CMND cũ 9 số; nên cập nhật số định danh 12 số.")
MSG_ID_ZEROS_RESTORED = N_(
    "Số định danh bị mất số 0 ở đầu (ô bảng tính kiểu số); đã thêm lại thành {number}."
)
MSG_ID_PROVINCE = N_("Ba số đầu (mã tỉnh) {code} không nằm trong khoảng 001–096; kiểm tra lại.")
MSG_ID_SEX = N_("Số định danh ứng với giới tính {id_sex}, nhưng đã nhập giới tính {sex}.")
MSG_ID_YEAR = N_("Số định danh ứng với năm sinh {id_year}, nhưng đã nhập năm sinh {birth_year}.")

MSG_MONEY_UNREADABLE = N_("Không đọc được số tiền “{text}”; hãy nhập số đồng, ví dụ 1.234.567.")
MSG_MONEY_NEGATIVE = N_("Số tiền không được âm.")
MSG_MONEY_FRACTION = N_("Số tiền phải là số đồng chẵn, không có phần lẻ.")
MSG_MONEY_TOO_LARGE = N_("Số tiền quá lớn (tối đa {limit} đ); kiểm tra lại.")

MSG_COUNT_UNREADABLE = N_("Không đọc được số “{text}”; hãy nhập một số nguyên, ví dụ 12.")
MSG_COUNT_NEGATIVE = N_("Số lượng không được âm.")
MSG_COUNT_FRACTION = N_("Phải là số nguyên, không có phần lẻ.")
MSG_COUNT_TOO_LARGE = N_("Số quá lớn (tối đa {limit}).")
MSG_QUANTITY_UNREADABLE = N_("Không đọc được số lượng “{text}”; ví dụ 12 hoặc 2,5.")

MSG_TEXT_TOO_LONG = N_("Không được dài quá {limit} ký tự (đang có {length} ký tự).")
MSG_TEXT_CONTROL = N_("Có ký tự điều khiển không hợp lệ ({code}); hãy xóa rồi gõ lại.")

MSG_SEX_INVALID = N_("Giới tính “{text}” không hợp lệ; hãy ghi Nam hoặc Nữ.")
MSG_FLAG_INVALID = N_("Không hiểu “{text}”; hãy ghi “có” (hoặc x) hoặc để trống.")

MSG_AGE_BELOW = N_("{role} thường từ {minimum} tuổi; người này {age} tuổi.")
MSG_AGE_ABOVE = N_("{role} thường không quá {maximum} tuổi; người này {age} tuổi.")
MSG_AGE_BEFORE_BIRTH = N_("Ngày {on} sớm hơn ngày sinh ({birth}).")

MSG_NAME_DIGITS = N_("Họ tên có chữ số; kiểm tra lại.")
MSG_BRANCH_REQUIRED = N_("Chưa chọn chi hội.")
MSG_RECIPIENT_KIND_INVALID = N_(
    "Loại người nhận “{text}” không hợp lệ; chọn địa chỉ nhân đạo, cá nhân hoặc nhóm."
)
MSG_GROUP_HEAD_COUNT = N_("Chưa nhập số người của nhóm.")
MSG_GROUP_EMPTY = N_("Nhóm phải có ít nhất 1 người.")
MSG_FUNDING_INVALID = N_(
    "Nguồn kinh phí “{text}” không hợp lệ; chọn nội lực, nhà tài trợ, cấp trên hoặc khác."
)
MSG_FORM_INVALID = N_(
    "Hình thức “{text}” không hợp lệ; chọn tiền mặt, hiện vật, gạo, ngày công, vốn sinh kế, "
    "thẻ bảo hiểm y tế, học bổng, sửa nhà hoặc khác."
)
MSG_FORM_NOT_LISTED = N_(
    "Hình thức “{text}” không có trong danh mục hình thức trợ giúp; chọn một trong: {forms}."
)
MSG_NO_VALUE = N_("Chưa có giá trị: hãy nhập số tiền, giá trị hàng hoặc số lượng.")

# Lower-case nouns used in "Chưa nhập {label}." (and as start/end labels mid-sentence).
FIELD_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "full_name": N_("họ và tên"),
        "family_name": N_("họ"),
        "middle_name": N_("tên đệm"),
        "given_name": N_("tên"),
        "birth": N_("ngày sinh"),
        "sex": N_("giới tính"),
        "id_number": N_("số định danh"),
        "phone": N_("số điện thoại"),
        "address": N_("địa chỉ"),
        "branch": N_("chi hội"),
        "admitted_on": N_("ngày kết nạp"),
        "registered_on": N_("ngày đăng ký"),
        "left_on": N_("ngày rời"),
        "given_on": N_("ngày trợ giúp"),
        "start_on": N_("ngày bắt đầu"),
        "end_on": N_("ngày kết thúc"),
        "recipient_kind": N_("loại người nhận"),
        "head_count": N_("số người của nhóm"),
        "amount": N_("số tiền"),
        "cash_value": N_("số tiền mặt"),
        "goods_value": N_("giá trị hàng"),
        "quantity": N_("số lượng"),
    }
)


def _required(field: str, label: str | None) -> Issue:
    text = label or FIELD_LABELS.get(field)
    if text is None:
        return Issue.error(field, MSG_REQUIRED_GENERIC)
    return Issue.error(field, MSG_REQUIRED, label=Label(text))


# --------------------------------------------------------------------------- helpers

_INVISIBLE = str.maketrans({"\ufeff": None, "\u200b": None})


def _shown(value: object, limit: int = 40) -> str:
    """A short, safe rendering of what was typed, for quoting in messages."""
    try:
        text = value if isinstance(value, str) else str(value)
    except Exception:  # e.g. int too large to print
        text = "…"
    text = unicodedata.normalize("NFC", text).strip()
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _as_text(value: object) -> str | None:
    """Any cell value as text: integral floats lose their ``.0``; ``None`` stays ``None``."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    try:
        return str(value)
    except Exception:
        return "…"


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        first = value[:1]
        if first and not first.isspace() and first not in "\ufeff\u200b":
            return False  # the usual case, decided by the first character
        return not value.translate(_INVISIBLE).strip()
    return False


is_blank = _blank  # None, or text of spaces and invisible characters only


def _fmt_date(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


# --------------------------------------------------------------------------- dates


@dataclass(frozen=True)
class PartialDate:
    """A date known fully, or only by its year (``month`` and ``day`` both ``None``).

    Raises ``ValueError`` if built with a month but no day (or the reverse) or with a
    date that does not exist.
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if (self.month is None) != (self.day is None):
            raise ValueError("PartialDate needs both month and day, or neither")
        if self.month is None:
            if not 1 <= self.year <= 9999:
                raise ValueError(f"year out of range: {self.year}")
        else:
            date(self.year, self.month, self.day)  # raises ValueError if it does not exist

    @classmethod
    def from_date(cls, d: date) -> PartialDate:
        return cls(d.year, d.month, d.day)

    @classmethod
    def from_iso(cls, text: str) -> PartialDate:
        """Read ``"YYYY-MM-DD"`` or ``"YYYY"``; raises ``ValueError`` otherwise."""
        text = text.strip()
        if re.fullmatch(r"[0-9]{4}", text):
            return cls(int(text))
        match = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text)
        if not match:
            raise ValueError(f"not an ISO date or year: {text!r}")
        return cls(int(match[1]), int(match[2]), int(match[3]))

    @property
    def is_full(self) -> bool:
        return self.month is not None

    def as_date(self) -> date | None:
        """The full date, or ``None`` when only the year is known."""
        if self.month is None or self.day is None:
            return None
        return date(self.year, self.month, self.day)

    def iso(self) -> str:
        """``"YYYY-MM-DD"`` or ``"YYYY"``."""
        if self.month is None:
            return f"{self.year:04d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def display(self) -> str:
        """``"dd/mm/yyyy"`` or ``"yyyy"``."""
        if self.month is None:
            return f"{self.year:04d}"
        return f"{self.day:02d}/{self.month:02d}/{self.year:04d}"

    def __str__(self) -> str:
        return self.display()


DATE_MIN_YEAR = 1900
_YEAR_TEXT = re.compile(r"[0-9]{4}")
_SHORT_YEAR_TEXT = re.compile(r"[0-9]{1,3}")
_DIGITS = re.compile(r"[0-9]+")
DATE_MAX_YEAR = 2100

_DMY = re.compile(r"([0-9]{1,2})\s*([/.\-])\s*([0-9]{1,2})\s*\2\s*([0-9]+)")
_ISO = re.compile(
    r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
)


def _read_date_text(
    text: str, *, field: str, low: int, high: int, unreadable: str
) -> tuple[date | None, list[Issue]]:
    """Parse stripped text as d/m/yyyy (``/ - .``) or ISO; years outside low..high refused."""
    match = _DMY.fullmatch(text)
    if match:
        day, month, year_text = int(match[1]), int(match[3]), match[4]
        if len(year_text) != 4:
            return None, [Issue.error(field, MSG_DATE_YEAR_DIGITS)]
        year = int(year_text)
    else:
        match = _ISO.fullmatch(text)
        if not match:
            return None, [Issue.error(field, unreadable, text=_shown(text))]
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    if not low <= year <= high:
        return None, [Issue.error(field, MSG_DATE_YEAR_RANGE, year=year, low=low, high=high)]
    if not 1 <= month <= 12:
        return None, [Issue.error(field, MSG_DATE_BAD_MONTH, month=month)]
    try:
        return date(year, month, day), []
    except ValueError:
        shown = f"{day:02d}/{month:02d}/{year:04d}"
        return None, [Issue.error(field, MSG_DATE_NOT_EXIST, date=shown)]


def parse_date(
    text: object, *, field: str, required: bool = False, label: str | None = None
) -> tuple[date | None, list[Issue]]:
    """Read a date typed ``dd/mm/yyyy``, ``d/m/yyyy``, ``dd-mm-yyyy``, ``dd.mm.yyyy`` or ISO.

    ``date`` values pass through (a ``datetime`` becomes its ``date``). Two-digit years,
    years outside 1900-2100 and days that do not exist (31/02) are errors.
    """
    if isinstance(text, datetime):
        text = text.date()
    if isinstance(text, date):
        if not DATE_MIN_YEAR <= text.year <= DATE_MAX_YEAR:
            return None, [
                Issue.error(
                    field,
                    MSG_DATE_YEAR_RANGE,
                    year=text.year,
                    low=DATE_MIN_YEAR,
                    high=DATE_MAX_YEAR,
                )
            ]
        return text, []
    if _blank(text):
        return None, [_required(field, label)] if required else []
    if not isinstance(text, str):
        return None, [Issue.error(field, MSG_DATE_UNREADABLE, text=_shown(text))]
    cleaned = unicodedata.normalize("NFC", text.translate(_INVISIBLE)).strip()
    return _read_date_text(
        cleaned, field=field, low=DATE_MIN_YEAR, high=DATE_MAX_YEAR, unreadable=MSG_DATE_UNREADABLE
    )


def _check_birth(
    birth: PartialDate, *, field: str, today: date
) -> tuple[PartialDate | None, list[Issue]]:
    if birth.year < DATE_MIN_YEAR:
        return None, [Issue.error(field, MSG_BIRTH_TOO_EARLY, year=birth.year)]
    full = birth.as_date()
    if full is not None and full > today:
        return None, [Issue.error(field, MSG_BIRTH_FUTURE_DATE, date=birth.display())]
    if full is None and birth.year > today.year:
        return None, [Issue.error(field, MSG_BIRTH_FUTURE_YEAR, year=birth.year)]
    return birth, []


def parse_birth(
    text: object,
    *,
    field: str = "birth",
    required: bool = False,
    today: date | None = None,
    label: str | None = None,
) -> tuple[PartialDate | None, list[Issue]]:
    """Read a birth date (as :func:`parse_date`) or a bare 4-digit birth year ("1956").

    Also takes a ``PartialDate``, a ``date`` or an ``int`` year. A birth after ``today``
    (default: the real today) or before 1900 is an error.
    """
    today = today or date.today()
    if _blank(text):
        return None, [_required(field, label)] if required else []
    if isinstance(text, PartialDate):
        return _check_birth(text, field=field, today=today)
    if isinstance(text, datetime):
        text = text.date()
    if isinstance(text, date):
        return _check_birth(PartialDate.from_date(text), field=field, today=today)
    if isinstance(text, float) and math.isfinite(text) and text.is_integer():
        text = int(text)
    if isinstance(text, int) and not isinstance(text, bool):
        if not 0 <= text <= 9999:
            return None, [Issue.error(field, MSG_BIRTH_UNREADABLE, text=_shown(text))]
        text = str(text)
    if not isinstance(text, str):
        return None, [Issue.error(field, MSG_BIRTH_UNREADABLE, text=_shown(text))]
    cleaned = unicodedata.normalize("NFC", text.translate(_INVISIBLE)).strip()
    if _YEAR_TEXT.fullmatch(cleaned):
        year = int(cleaned)
        if year < DATE_MIN_YEAR:
            return None, [Issue.error(field, MSG_BIRTH_TOO_EARLY, year=year)]
        return _check_birth(PartialDate(year), field=field, today=today)
    if _SHORT_YEAR_TEXT.fullmatch(cleaned):
        return None, [Issue.error(field, MSG_BIRTH_YEAR_DIGITS)]
    value, issues = _read_date_text(
        cleaned, field=field, low=1, high=9999, unreadable=MSG_BIRTH_UNREADABLE
    )
    if value is None:
        return None, issues
    return _check_birth(PartialDate.from_date(value), field=field, today=today)


def check_date_order(
    start: date | None, end: date | None, *, field: str, start_label: str, end_label: str
) -> list[Issue]:
    """An ERROR on ``field`` when ``end`` is before ``start``; nothing if either is missing.

    Labels are lower-case ``N_``-marked nouns (they appear mid-sentence).
    """
    if start is None or end is None or end >= start:
        return []
    return [
        Issue.error(
            field,
            MSG_DATE_ORDER,
            end_label=Label(end_label),
            end=_fmt_date(end),
            start_label=Label(start_label),
            start=_fmt_date(start),
        )
    ]


# --------------------------------------------------------------------------- ages


def age_on(birth: PartialDate, on: date) -> int:
    """Completed years on ``on``; with only the birth year, ``on.year - year``."""
    if birth.month is None or birth.day is None:
        return on.year - birth.year
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def check_age(
    birth: PartialDate | None,
    *,
    on: date,
    minimum: int | None = None,
    maximum: int | None = None,
    field: str = "birth",
    role_label: str,
) -> list[Issue]:
    """WARNINGs (never errors) when the age on ``on`` is outside ``minimum..maximum``.

    ``role_label`` is a capitalised ``N_``-marked noun such as ``N_("Hội viên")``; it
    starts the sentence. A day ``on`` before the birth is warned about too.
    """
    if birth is None:
        return []
    full = birth.as_date()
    if (full is not None and on < full) or (full is None and on.year < birth.year):
        return [Issue.warning(field, MSG_AGE_BEFORE_BIRTH, on=_fmt_date(on), birth=birth.display())]
    age = age_on(birth, on)
    role = Label(role_label)
    if minimum is not None and age < minimum:
        return [Issue.warning(field, MSG_AGE_BELOW, role=role, minimum=minimum, age=age)]
    if maximum is not None and age > maximum:
        return [Issue.warning(field, MSG_AGE_ABOVE, role=role, maximum=maximum, age=age)]
    return []


# --------------------------------------------------------------------------- phones

MOBILE_PREFIXES = ("03", "05", "07", "08", "09")

#: Old 11-digit mobile prefixes and the 10-digit prefixes they became (2018).
OLD_MOBILE_PREFIXES: Mapping[str, str] = MappingProxyType(
    {
        **{f"016{d}": f"03{d}" for d in "23456789"},
        "0120": "070",
        "0121": "079",
        "0122": "077",
        "0126": "076",
        "0128": "078",
        "0123": "083",
        "0124": "084",
        "0125": "085",
        "0127": "081",
        "0129": "082",
        "0186": "056",
        "0188": "058",
        "0199": "059",
    }
)

_PHONE_NOISE = re.compile(r"[\s.\-–()]")


def normalise_phone(text: object, *, field: str = "phone") -> tuple[str | None, list[Issue]]:
    """Normalise a Vietnamese phone number to ``0xxxxxxxxx`` (digits only).

    Accepts spaces, dots, dashes, parentheses, ``+84``/``84``/``0084`` and a lost leading
    0. Mobiles: 10 digits starting 03/05/07/08/09; old 11-digit mobiles are converted
    with a WARNING. Landlines starting 02 with 10 or 11 digits are accepted.
    """
    if text.__class__ is int:  # a number as a spreadsheet keeps it (never blank)
        raw = str(text)
    else:
        raw = _as_text(text)
        if _blank(raw):
            return None, []
        assert raw is not None
    digits = raw.isascii() and raw.isdigit()
    if digits:  # the usual case: nothing to clean
        compact = raw
    else:
        compact = _PHONE_NOISE.sub("", unicodedata.normalize("NFC", raw.translate(_INVISIBLE)))
    if not compact:  # "-", "( )": a spreadsheet's way of saying "none"
        return None, []
    international = False
    if compact.startswith("+"):
        if not compact.startswith("+84"):
            return None, [Issue.error(field, MSG_PHONE_FOREIGN, text=_shown(raw))]
        compact, international = compact[3:], True
    elif compact.startswith("0084"):
        compact, international = compact[4:], True
    if not (digits and not international) and not _DIGITS.fullmatch(compact):
        return None, [Issue.error(field, MSG_PHONE_CHARACTERS, text=_shown(raw))]
    if international:
        compact = "0" + compact.removeprefix("0")
    elif not compact.startswith("0"):
        if compact.startswith("84") and len(compact) in (11, 12):
            compact = "0" + compact[2:]
        elif len(compact) in (9, 10):
            compact = "0" + compact
    if len(compact) == 10 and (compact[:2] in MOBILE_PREFIXES or compact.startswith("02")):
        return compact, []
    if len(compact) == 11 and compact.startswith("02"):
        return compact, []
    if len(compact) == 11 and compact[:4] in OLD_MOBILE_PREFIXES:
        new = OLD_MOBILE_PREFIXES[compact[:4]] + compact[4:]
        return new, [Issue.warning(field, MSG_PHONE_CONVERTED, old=compact, new=new)]
    return None, [Issue.error(field, MSG_PHONE_INVALID, text=_shown(raw))]


# --------------------------------------------------------------------------- sex

_SEX_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "m": "M",
        "nam": "M",
        "nam giới": "M",
        "nam gioi": "M",
        "male": "M",
        "f": "F",
        "nữ": "F",
        "nu": "F",
        "nữ giới": "F",
        "nu gioi": "F",
        "female": "F",
    }
)

SEX_LABELS: Mapping[str, str] = MappingProxyType({"M": N_("nam"), "F": N_("nữ")})


def check_sex(value: object, *, field: str = "sex") -> tuple[str | None, list[Issue]]:
    """``"M"`` or ``"F"`` from M/F, Nam/Nữ (any case, with or without tones), male/female."""
    raw = _as_text(value)
    if _blank(raw):
        return None, []
    assert raw is not None
    key = " ".join(unicodedata.normalize("NFC", raw).casefold().split())
    sex = _SEX_WORDS.get(key)
    if sex is None:
        return None, [Issue.error(field, MSG_SEX_INVALID, text=_shown(raw))]
    return sex, []


# --------------------------------------------------------------------------- ID numbers

#: Digit 4 of a 12-digit ID: the first year of the birth century (even = male, odd = female).
_ID_CENTURY = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200}
_ID_CENTURY |= {8: 1800, 9: 1800}


def id_number_facts(number: str) -> tuple[int, str, int]:
    """``(province_code, sex "M"/"F", birth_year)`` encoded in a 12-digit ID number."""
    gender_century = int(number[3])
    sex = "M" if gender_century % 2 == 0 else "F"
    return int(number[:3]), sex, _ID_CENTURY[gender_century] + int(number[4:6])


def check_id_number(
    text: object,
    *,
    sex: str | None = None,
    birth_year: int | None = None,
    field: str = "id_number",
) -> tuple[str | None, list[Issue]]:
    """Check a 12-digit ID number (căn cước) or an old 9-digit CMND (WARNING).

    Spaces are removed. For 12 digits, a province code outside 001-096, or a sex or
    birth year disagreeing with ``sex``/``birth_year``, gives WARNINGs. An ``int`` of
    10-11 digits (a spreadsheet cell that dropped the leading zeros) is padded, with a
    WARNING.
    """
    issues: list[Issue] = []
    if text.__class__ is str and text.isascii() and text.isdigit():  # the usual cell:
        raw = number = text  # digits only, nothing to clean
    else:
        if isinstance(text, float) and math.isfinite(text) and text.is_integer():
            text = int(text)
        if isinstance(text, int) and not isinstance(text, bool) and 10**9 <= text < 10**11:
            padded = f"{text:012d}"
            issues.append(Issue.warning(field, MSG_ID_ZEROS_RESTORED, number=padded))
            text = padded
        raw = _as_text(text)
        if _blank(raw):
            return None, []
        assert raw is not None
        number = raw
    if not (number.isascii() and number.isdigit()):
        number = "".join(unicodedata.normalize("NFC", raw.translate(_INVISIBLE)).split())
        if not _DIGITS.fullmatch(number):
            return None, [Issue.error(field, MSG_ID_NOT_DIGITS)]
    if len(number) == 9:
        return number, [*issues, Issue.warning(field, MSG_ID_OLD_CMND)]
    if len(number) != 12:
        return None, [Issue.error(field, MSG_ID_LENGTH, length=len(number))]
    if not 1 <= int(number[:3]) <= 96:
        issues.append(Issue.warning(field, MSG_ID_PROVINCE, code=number[:3]))
    if sex is not None or birth_year is not None:
        issues += id_number_agreement(number, sex=sex, birth_year=birth_year, field=field)
    return number, issues


def id_number_agreement(
    number: str, *, sex: str | None, birth_year: int | None, field: str = "id_number"
) -> list[Issue]:
    """The WARNINGs of :func:`check_id_number` on a valid 12-digit ``number`` whose sex or
    birth year disagree with ``sex``/``birth_year`` (an import checks each number alone
    once, then this per row)."""
    if sex is None and birth_year is None:
        return []
    _, id_sex, id_year = id_number_facts(number)
    issues = []
    if sex == "M" or sex == "F":  # already checked, as validate_person gives it
        given_sex = sex
    else:
        given_sex, _ = check_sex(sex) if sex is not None else (None, [])
    if given_sex is not None and given_sex != id_sex:
        issues.append(
            Issue.warning(
                field,
                MSG_ID_SEX,
                id_sex=Label(SEX_LABELS[id_sex]),
                sex=Label(SEX_LABELS[given_sex]),
            )
        )
    if birth_year is not None and birth_year != id_year:
        issues.append(Issue.warning(field, MSG_ID_YEAR, id_year=id_year, birth_year=birth_year))
    return issues


# --------------------------------------------------------------------------- numbers

MONEY_MAX = 1_000_000_000_000
COUNT_MAX = 10_000_000
QUANTITY_MAX = 1_000_000_000

_GROUPED = r"[0-9]{1,3}(?:[.][0-9]{3})+|[0-9]{1,3}(?: [0-9]{3})+|[0-9]{1,3}(?:,[0-9]{3}){2,}"
_WHOLE = re.compile(rf"[0-9]+|{_GROUPED}")
_COMMA_DECIMAL = re.compile(r"([0-9]+|[0-9]{1,3}(?:[. ][0-9]{3})+),([0-9]+)")
_POINT_DECIMAL = re.compile(r"([0-9]+|[0-9]{1,3}(?:[, ][0-9]{3})+)\.([0-9]+)")
_CURRENCY = re.compile(r"\s*(?:đồng|vnđ|vnd|đ|₫)\.?\s*$")


class _Unreadable(Exception):
    pass


def _read_number(value: object, *, comma_thousands_ambiguous: bool) -> Decimal:
    """A number from an int/float/Decimal or Vietnamese-typed text; raises ``_Unreadable``.

    Text: ``.`` or space groups thousands, ``,`` is the decimal mark; English
    ``1,234,567`` and ``1234.5`` are understood too. With ``comma_thousands_ambiguous``,
    ``100,000`` (thousands or decimal?) is refused.
    """
    if isinstance(value, bool):
        raise _Unreadable
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(value) if math.isfinite(value) else Decimal("NaN")
    elif isinstance(value, str):
        number = _read_number_text(value, comma_thousands_ambiguous=comma_thousands_ambiguous)
    else:
        raise _Unreadable
    if not number.is_finite():
        raise _Unreadable
    return number


def _read_number_text(text: str, *, comma_thousands_ambiguous: bool) -> Decimal:
    s = " ".join(unicodedata.normalize("NFKC", text.translate(_INVISIBLE)).split())
    negative = False
    if s[:1] in ("-", "−"):
        negative, s = True, s[1:].lstrip()
    elif s[:1] == "+":
        s = s[1:].lstrip()
    if len(s) > 40:
        raise _Unreadable
    if _WHOLE.fullmatch(s):
        number = Decimal(re.sub(r"[^0-9]", "", s))
    else:
        match = _COMMA_DECIMAL.fullmatch(s)
        if match:
            whole, fraction = match[1], match[2]
            if (
                comma_thousands_ambiguous
                and whole.isdigit()
                and len(fraction) == 3
                and len(whole) <= 3
            ):
                raise _Unreadable
        else:
            match = _POINT_DECIMAL.fullmatch(s)
            if not match:
                raise _Unreadable
            whole, fraction = match[1], match[2]
        number = Decimal(re.sub(r"[^0-9]", "", whole) + "." + fraction)
    return -number if negative else number


def _limit_issue(field: str, template: str, limit: int) -> Issue:
    return Issue.error(field, template, limit=Amount(limit))


def check_money(
    value: object, *, field: str, required: bool = False, label: str | None = None
) -> tuple[int | None, list[Issue]]:
    """Whole đồng from an int or text typed the Vietnamese way.

    Accepts ``1.234.567``, ``1 234 567``, ``1234567``, with ``đ``/``₫``/``đồng``/``VNĐ``.
    Negative amounts, fractions (``12,5``) and amounts above :data:`MONEY_MAX` are errors;
    so is a ``bool``.
    """
    if _blank(value):
        return None, [_required(field, label)] if required else []
    shown = _shown(value)
    if isinstance(value, str):
        value = _CURRENCY.sub("", unicodedata.normalize("NFC", value).strip().casefold())
        if not value.strip():
            return None, [Issue.error(field, MSG_MONEY_UNREADABLE, text=shown)]
    return _whole_number(
        value,
        field=field,
        shown=shown,
        maximum=MONEY_MAX,
        messages=(
            MSG_MONEY_UNREADABLE,
            MSG_MONEY_NEGATIVE,
            MSG_MONEY_FRACTION,
            MSG_MONEY_TOO_LARGE,
        ),
    )


def _whole_number(
    value: object, *, field: str, shown: str, maximum: int, messages: tuple[str, str, str, str]
) -> tuple[int | None, list[Issue]]:
    """A non-negative whole number at most ``maximum``; ``messages`` are the templates for
    unreadable, negative, fractional and too large, in that order."""
    unreadable, negative, fraction, too_large = messages
    try:
        number = _read_number(value, comma_thousands_ambiguous=True)
    except _Unreadable:
        return None, [Issue.error(field, unreadable, text=shown)]
    if number < 0:
        return None, [Issue.error(field, negative)]
    if number != number.to_integral_value():
        return None, [Issue.error(field, fraction)]
    if number > maximum:
        return None, [_limit_issue(field, too_large, maximum)]
    return int(number), []


def check_count(
    value: object,
    *,
    field: str,
    required: bool = False,
    maximum: int = COUNT_MAX,
    label: str | None = None,
) -> tuple[int | None, list[Issue]]:
    """A non-negative whole number (people, units, households), at most ``maximum``."""
    if _blank(value):
        return None, [_required(field, label)] if required else []
    return _whole_number(
        value,
        field=field,
        shown=_shown(value),
        maximum=maximum,
        messages=(
            MSG_COUNT_UNREADABLE,
            MSG_COUNT_NEGATIVE,
            MSG_COUNT_FRACTION,
            MSG_COUNT_TOO_LARGE,
        ),
    )


def check_quantity(
    value: object,
    *,
    field: str = "quantity",
    required: bool = False,
    maximum: int = QUANTITY_MAX,
    label: str | None = None,
) -> tuple[float | None, list[Issue]]:
    """A non-negative amount of goods, possibly decimal (``2,5`` kg -> ``2.5``)."""
    if _blank(value):
        return None, [_required(field, label)] if required else []
    shown = _shown(value)
    try:
        number = _read_number(value, comma_thousands_ambiguous=False)
    except _Unreadable:
        return None, [Issue.error(field, MSG_QUANTITY_UNREADABLE, text=shown)]
    if number < 0:
        return None, [Issue.error(field, MSG_COUNT_NEGATIVE)]
    if number > maximum:
        return None, [_limit_issue(field, MSG_COUNT_TOO_LARGE, maximum)]
    return float(number), []


# --------------------------------------------------------------------------- text

_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029]")


def _control_character(text: str, allowed: str) -> str | None:
    if text.isprintable():  # no Cc or Cs character (nor any other unprintable one)
        return None
    for ch in text:
        if ch not in allowed and unicodedata.category(ch) in ("Cc", "Cs"):
            return ch
    return None


def check_text(
    value: object,
    *,
    field: str,
    max_length: int,
    required: bool = False,
    multiline: bool = False,
    label: str | None = None,
) -> tuple[str | None, list[Issue]]:
    """NFC-normalised, stripped text; empty gives ``None``.

    Single-line: all runs of whitespace (newlines too) become one space. Multi-line:
    line breaks become ``\\n``, trailing spaces of each line go. Control characters
    other than newline and tab are errors; so is text longer than ``max_length``.
    """
    raw = _as_text(value)
    if _blank(raw):
        return None, [_required(field, label)] if required else []
    assert raw is not None
    if raw.isprintable():  # no invisible, line-break nor control character to deal with
        text = unicodedata.normalize("NFC", raw)
    else:
        text = unicodedata.normalize("NFC", raw.translate(_INVISIBLE))
        text = _LINE_BREAKS.sub("\n", text)
        bad = _control_character(text, "\n\t")
        if bad is not None:
            return None, [Issue.error(field, MSG_TEXT_CONTROL, code=f"U+{ord(bad):04X}")]
    if multiline:
        text = "\n".join(line.rstrip() for line in text.split("\n")).strip()
    else:
        text = " ".join(text.split())
    if len(text) > max_length:
        return None, [Issue.error(field, MSG_TEXT_TOO_LONG, limit=max_length, length=len(text))]
    return text, []


# --------------------------------------------------------------------------- flags and choices

_TRUE_WORDS = frozenset({"x", "có", "co", "c", "1", "true", "yes", "y", "đúng", "v", "✓", "✔"})
_FALSE_WORDS = frozenset({"0", "không", "khong", "k", "false", "no", "n", "sai", "-"})


def check_flag(value: object, *, field: str) -> tuple[bool, list[Issue]]:
    """A yes/no value: ``x``, ``có``, ``1``, ``True`` ... are yes; empty is no."""
    if isinstance(value, bool):
        return value, []
    if isinstance(value, int) and value in (0, 1):
        return bool(value), []
    raw = _as_text(value)
    if _blank(raw):
        return False, []
    assert raw is not None
    key = unicodedata.normalize("NFC", raw).strip().casefold()
    if key in _TRUE_WORDS:
        return True, []
    if key in _FALSE_WORDS:
        return False, []
    return False, [Issue.error(field, MSG_FLAG_INVALID, text=_shown(raw))]


def _choice(
    value: object,
    *,
    field: str,
    aliases: Mapping[str, str],
    default: str | None,
    template: str,
    **params: Any,
) -> tuple[str | None, list[Issue]]:
    """The code ``aliases`` gives the value (lower-cased, spaces folded); ``params`` go
    into the message of a value it does not know."""
    raw = _as_text(value)
    if _blank(raw):
        return default, []
    assert raw is not None
    key = " ".join(unicodedata.normalize("NFC", raw).casefold().split())
    if key in aliases:
        return aliases[key], []
    return None, [Issue.error(field, template, text=_shown(raw), **params)]


RECIPIENT_KINDS = ("address", "person", "group")
FUNDING_SOURCES = ("own", "sponsor", "higher", "other")
AID_FORMS = (
    "cash",
    "goods",
    "rice",
    "workdays",
    "livelihood",
    "insurance",
    "scholarship",
    "house_repair",
    "other",
)

_RECIPIENT_ALIASES = MappingProxyType(
    {
        **{k: k for k in RECIPIENT_KINDS},
        "địa chỉ nhân đạo": "address",
        "địa chỉ": "address",
        "hộ": "address",
        "hộ gia đình": "address",
        "cá nhân": "person",
        "người": "person",
        "nhóm": "group",
        "tập thể": "group",
    }
)
_FUNDING_ALIASES = MappingProxyType(
    {
        **{k: k for k in FUNDING_SOURCES},
        "nội lực": "own",
        "noi luc": "own",
        "nhà tài trợ": "sponsor",
        "nha tai tro": "sponsor",
        "tài trợ": "sponsor",
        "cấp trên": "higher",
        "cap tren": "higher",
        "khác": "other",
        "khac": "other",
    }
)
_FORM_ALIASES = MappingProxyType(
    {
        **{k: k for k in AID_FORMS},
        "house repair": "house_repair",
        "tiền mặt": "cash",
        "tiền": "cash",
        "hiện vật": "goods",
        "hàng": "goods",
        "quà": "goods",
        "gạo": "rice",
        "ngày công": "workdays",
        "sinh kế": "livelihood",
        "vốn sinh kế": "livelihood",
        "bảo hiểm y tế": "insurance",
        "thẻ bảo hiểm y tế": "insurance",
        "thẻ bhyt": "insurance",
        "bhyt": "insurance",
        "học bổng": "scholarship",
        "sửa nhà": "house_repair",
        "sửa chữa nhà": "house_repair",
        "khác": "other",
    }
)


def check_aid_form(
    value: object, *, default: str, forms: Mapping[str, str] | None = None
) -> tuple[str | None, list[Issue]]:
    """An aid form's code. Without ``forms``: one of ``AID_FORMS`` (or a usual word for
    it). With ``forms`` (the register's editable list: name, English name or code ->
    code, each code's first key being the name the message lists): a code of that list,
    named so or by a usual word for a form the list still has; a ``default`` the list no
    longer has gives its first code."""
    if forms is None:
        return _choice(
            value, field="form", aliases=_FORM_ALIASES, default=default, template=MSG_FORM_INVALID
        )
    codes = list(dict.fromkeys(forms.values()))
    aliases = {k: v for k, v in _FORM_ALIASES.items() if v in forms.values()}
    aliases.update({" ".join(k.casefold().split()): v for k, v in forms.items()})
    if default not in codes and codes:
        default = codes[0]
    first_names: dict[str, str] = {}
    for name, code in forms.items():
        first_names.setdefault(code, name)
    names = ", ".join(f"«{name}»" for name in first_names.values())
    return _choice(
        value,
        field="form",
        aliases=aliases,
        default=default,
        template=MSG_FORM_NOT_LISTED,
        forms=names,
    )


# --------------------------------------------------------------------------- records

NAME_MAX = 100
ADDRESS_MAX = 300
NOTES_MAX = 2000
SHORT_TEXT_MAX = 50
MEDIUM_TEXT_MAX = 200
DEFAULT_MEMBER_MIN_AGE = 18
DEFAULT_VOLUNTEER_MIN_AGE = 18


def split_full_name(full_name: str) -> tuple[str, str, str]:
    """``(family, middle, given)``: first word, words between, last word.

    A name typed ALL UPPER or all lower is title-cased first. (A richer splitter lives
    with the Vietnamese name helpers.)
    """
    words = full_name.split()
    if not words:
        return "", "", ""
    joined = " ".join(words)
    if joined.isupper() or joined.islower():
        words = [w.title() for w in words]
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def _passthrough(value: object) -> object:
    """A reference (name or id) kept as given; blank strings become ``None``."""
    if isinstance(value, str):
        value = " ".join(unicodedata.normalize("NFC", value).split())
        return value or None
    return value


def _ids(raw: Mapping[str, Any]) -> dict[str, object]:
    return {k: v for k, v in raw.items() if isinstance(k, str) and k.endswith("_id")}


_NO_NAME: Mapping[str, object] = MappingProxyType(
    dict.fromkeys(("full_name", "family_name", "middle_name", "given_name"))
)


def _name(raw: Mapping[str, Any]) -> tuple[Mapping[str, object], Sequence[Issue]]:
    if not _blank(raw.get("full_name")):
        return _name_from_full(raw.get("full_name"))
    issues: list[Issue] = []
    parts = []
    for key in ("family_name", "middle_name", "given_name"):
        part, found = check_text(raw.get(key), field=key, max_length=NAME_MAX)
        issues += found
        parts.append(part)
    if issues:
        return _NO_NAME, issues
    if parts[2] is None:
        field_name = "given_name" if any(parts) else "full_name"
        return _NO_NAME, [_required(field_name, None)]
    full = " ".join(p for p in parts if p)
    if len(full) > NAME_MAX:
        return _NO_NAME, [
            Issue.error("given_name", MSG_TEXT_TOO_LONG, limit=NAME_MAX, length=len(full))
        ]
    return _split_name(full, "given_name")


def _name_from_full(value: object) -> tuple[Mapping[str, object], Sequence[Issue]]:
    """The name parts of a non-blank ``full_name``."""
    full, found = check_text(value, field="full_name", max_length=NAME_MAX)
    if full is None:
        return _NO_NAME, found
    return _split_name(full, "full_name")


_intern = sys.intern


def _split_name(full: str, name_field: str) -> tuple[Mapping[str, object], list[Issue]]:
    issues: list[Issue] = []
    if not full.replace(" ", "").isalpha() and any(ch.isdigit() for ch in full):
        issues.append(Issue.warning(name_field, MSG_NAME_DIGITS))
    # split_full_name, inlined. Parts are interned: a register repeats its names.
    words = full.split()
    if not words:
        full = family = middle = given = ""
    else:
        full = " ".join(words)
        if full.isupper() or full.islower():
            words = [w.title() for w in words]
            full = " ".join(words)
        given = _intern(words[-1])
        if len(words) == 1:
            family = middle = ""
        else:
            family, middle = _intern(words[0]), _intern(" ".join(words[1:-1]))
    cleaned = {"full_name": full, "family_name": family, "middle_name": middle, "given_name": given}
    return cleaned, issues


_PERSON_TEXTS = (
    ("address", ADDRESS_MAX, False),
    ("old_address", ADDRESS_MAX, False),
    ("notes", NOTES_MAX, True),
    ("ethnicity", SHORT_TEXT_MAX, False),
    ("religion", SHORT_TEXT_MAX, False),
    ("health_notes", NOTES_MAX, True),
    ("disability", ADDRESS_MAX, False),
)


_NOTHING: tuple[None, tuple[Issue, ...]] = (None, ())


class _PersonChecks:
    """The one-value checks of :func:`validate_person` and the roles on it, for ``today``;
    with a :class:`ValueMemo`, each remembers its results per value (same results)."""

    def __init__(self, today: date, memo: ValueMemo | None):
        keep = memo.cached if memo is not None else _identity_check
        self.full_name = keep(_name_from_full)
        self.sex = keep(check_sex)
        self.birth = keep(partial(parse_birth, today=today))
        self.phone = keep(normalise_phone)
        self.id_number = keep(check_id_number)  # alone: see id_number_agreement
        self.texts = tuple(
            (key, keep(partial(check_text, field=key, max_length=limit, multiline=multiline)))
            for key, limit, multiline in _PERSON_TEXTS
        )
        self.agent_orange = keep(partial(check_flag, field="agent_orange"))
        self.branch = keep(_passthrough)
        self.role_dates = {
            key: keep(partial(parse_date, field=key, required=True))
            for key in ("admitted_on", "registered_on")
        }
        self.left_on = keep(partial(parse_date, field="left_on"))
        self.short_texts = {
            key: keep(partial(check_text, field=key, max_length=SHORT_TEXT_MAX))
            for key in ("decision_no", "card_no")
        }
        self.is_core = keep(partial(check_flag, field="is_core"))
        self.skills = keep(partial(check_text, field="skills", max_length=500))
        self.team = keep(partial(check_text, field="team", max_length=MEDIUM_TEXT_MAX))
        self.hours = keep(partial(check_count, field="hours", maximum=100_000))


def _identity_check(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return check


@lru_cache(maxsize=4)
def _plain_checks(today: date) -> _PersonChecks:
    return _PersonChecks(today, None)


def person_checks(today: date, memo: ValueMemo | None) -> _PersonChecks:
    """The one-value checks :func:`validate_person` and the role validators use for
    ``today`` (remembered in ``memo``): an import checks a column's values with them."""
    if memo is None:
        return _plain_checks(today)
    return memo.get(("person", today), lambda m: _PersonChecks(today, m))


_person_checks = person_checks


def validate_person(
    raw: Mapping[str, Any],
    *,
    today: date,
    settings: Mapping[str, Any] | None = None,
    memo: ValueMemo | None = None,
) -> tuple[dict[str, Any], list[Issue]]:
    """Clean a person's typed values; returns ``(cleaned, issues)``.

    Name: ``full_name`` (required) or ``family_name``/``middle_name``/``given_name``.
    ``cleaned`` always has every person key (``None`` when empty or in error), among
    them ``birth`` (:class:`PartialDate`), ``birth_date`` (ISO text) and ``birth_year``.
    Keys ending in ``_id`` are passed through unchanged; other unknown keys are dropped.
    ``memo`` (one per import) remembers the checks of values met before: same results.
    """
    del settings  # nothing configurable yet
    checks = _person_checks(today, memo)
    issues: list[Issue] = []
    cleaned: dict[str, Any] = _ids(raw)
    get = raw.get

    full_name = get("full_name")
    if not _blank(full_name):
        name, found = checks.full_name(full_name)
    else:
        name, found = _name(raw)
    cleaned.update(name)
    issues += found

    # An absent value (None) is empty, which no check here refuses: it is not looked at.
    value = get("sex")
    sex, found = checks.sex(value) if value is not None else _NOTHING
    cleaned["sex"] = sex
    issues += found

    value = get("birth")
    birth, found = checks.birth(value) if value is not None else _NOTHING
    issues += found
    cleaned["birth"] = birth
    cleaned["birth_date"] = birth.iso() if birth is not None and birth.is_full else None
    cleaned["birth_year"] = birth.year if birth is not None else None

    id_number, found = check_id_number(get("id_number"), sex=sex, birth_year=cleaned["birth_year"])
    cleaned["id_number"] = id_number
    issues += found

    value = get("phone")
    phone, found = checks.phone(value) if value is not None else _NOTHING
    cleaned["phone"] = phone
    issues += found

    for key, check in checks.texts:
        value = get(key)
        if value is None:
            cleaned[key] = None
            continue
        cleaned[key], found = check(value)
        issues += found

    value = get("agent_orange")
    if value is None:
        cleaned["agent_orange"] = False
    else:
        cleaned["agent_orange"], found = checks.agent_orange(value)
        issues += found
    return cleaned, issues


def date_not_future(
    value: date | None, *, field: str, today: date, issues: list[Issue]
) -> date | None:
    """``value``, or None with an ERROR added to ``issues`` when it is after ``today``."""
    if value is not None and value > today:
        issues.append(
            Issue.error(field, MSG_DATE_FUTURE, today=_fmt_date(today), date=_fmt_date(value))
        )
        return None
    return value


def validate_member(
    raw: Mapping[str, Any],
    *,
    today: date,
    settings: Mapping[str, Any] | None = None,
    memo: ValueMemo | None = None,
) -> tuple[dict[str, Any], list[Issue]]:
    """A person plus membership: ``branch`` (required), ``admitted_on`` (required, not in
    the future), ``decision_no``, ``card_no``. Under ``member_min_age`` (setting, 18) at
    admission gives a WARNING. ``memo``: as :func:`validate_person`.
    """
    settings = settings or {}
    checks = _person_checks(today, memo)
    cleaned, issues = validate_person(raw, today=today, settings=settings, memo=memo)

    branch = checks.branch(raw.get("branch"))
    if branch is None:
        issues.append(Issue.error("branch", MSG_BRANCH_REQUIRED))
    cleaned["branch"] = branch

    admitted, found = checks.role_dates["admitted_on"](raw.get("admitted_on"))
    issues += found
    admitted = date_not_future(admitted, field="admitted_on", today=today, issues=issues)
    cleaned["admitted_on"] = admitted

    for key, check in checks.short_texts.items():
        value = raw.get(key)
        cleaned[key], found = check(value) if value is not None else _NOTHING
        issues += found

    if admitted is not None:
        minimum = int(settings.get("member_min_age", DEFAULT_MEMBER_MIN_AGE))
        issues += check_age(
            cleaned["birth"], on=admitted, minimum=minimum, role_label=N_("Hội viên")
        )
    return cleaned, issues


def validate_volunteer(
    raw: Mapping[str, Any],
    *,
    today: date,
    settings: Mapping[str, Any] | None = None,
    memo: ValueMemo | None = None,
) -> tuple[dict[str, Any], list[Issue]]:
    """A person plus volunteering: ``registered_on`` (required, not in the future),
    ``left_on`` (not before it), ``is_core`` (yes/no), ``skills``, ``team``, ``hours``,
    ``branch`` (optional). Under ``volunteer_min_age`` (setting, 18) gives a WARNING.
    ``memo``: as :func:`validate_person`.
    """
    settings = settings or {}
    checks = _person_checks(today, memo)
    cleaned, issues = validate_person(raw, today=today, settings=settings, memo=memo)

    registered, found = checks.role_dates["registered_on"](raw.get("registered_on"))
    issues += found
    registered = date_not_future(registered, field="registered_on", today=today, issues=issues)
    cleaned["registered_on"] = registered

    left, found = checks.left_on(raw.get("left_on"))
    issues += found
    order = check_date_order(
        registered,
        left,
        field="left_on",
        start_label=N_("ngày đăng ký"),
        end_label=N_("ngày rời"),
    )
    issues += order
    cleaned["left_on"] = None if order else left

    cleaned["is_core"], found = checks.is_core(raw.get("is_core"))
    issues += found
    cleaned["skills"], found = checks.skills(raw.get("skills"))
    issues += found
    cleaned["team"], found = checks.team(raw.get("team"))
    issues += found
    hours, found = checks.hours(raw.get("hours"))
    cleaned["hours"] = hours or 0
    issues += found
    cleaned["branch"] = checks.branch(raw.get("branch"))

    if registered is not None:
        minimum = int(settings.get("volunteer_min_age", DEFAULT_VOLUNTEER_MIN_AGE))
        issues += check_age(
            cleaned["birth"], on=registered, minimum=minimum, role_label=N_("Tình nguyện viên")
        )
    return cleaned, issues


def validate_aid(
    raw: Mapping[str, Any], *, today: date, forms: Mapping[str, str] | None = None
) -> tuple[dict[str, Any], list[Issue]]:
    """One aid record: ``given_on`` (required, at most a year ahead), ``recipient_kind``
    (address/person/group, required), ``head_count`` (required for a group), money,
    quantity, counts, ``funding_source`` (default ``own``), ``form`` (default ``goods``;
    with ``forms``, the register's list, see ``check_aid_form``), ``is_emergency``.
    ``value_total`` = cash + goods; no value and no quantity gives a WARNING. References
    (``recipient``, ``campaign``, ``area``, ``sponsor``, ``*_id``) pass through.
    """
    issues: list[Issue] = []
    cleaned: dict[str, Any] = _ids(raw)

    given_on, found = parse_date(raw.get("given_on"), field="given_on", required=True)
    issues += found
    if given_on is not None and given_on > _add_years(today, 1):
        issues.append(Issue.error("given_on", MSG_DATE_TOO_FAR, date=_fmt_date(given_on)))
        given_on = None
    cleaned["given_on"] = given_on

    kind_raw = raw.get("recipient_kind")
    if _blank(kind_raw):
        kind, found = None, [_required("recipient_kind", None)]
    else:
        kind, found = _choice(
            kind_raw,
            field="recipient_kind",
            aliases=_RECIPIENT_ALIASES,
            default=None,
            template=MSG_RECIPIENT_KIND_INVALID,
        )
    cleaned["recipient_kind"] = kind
    issues += found

    head_count, found = check_count(raw.get("head_count"), field="head_count")
    issues += found
    if kind == "group" and not found:
        if head_count is None:
            issues.append(Issue.error("head_count", MSG_GROUP_HEAD_COUNT))
        elif head_count == 0:
            issues.append(Issue.error("head_count", MSG_GROUP_EMPTY))
            head_count = None
    cleaned["head_count"] = head_count

    for key in ("cash_value", "goods_value"):
        amount, found = check_money(raw.get(key), field=key)
        cleaned[key] = amount or 0
        issues += found
    cleaned["value_total"] = cleaned["cash_value"] + cleaned["goods_value"]

    cleaned["quantity"], found = check_quantity(raw.get("quantity"), field="quantity")
    issues += found
    for key, limit in (("unit", SHORT_TEXT_MAX), ("group_name", MEDIUM_TEXT_MAX)):
        cleaned[key], found = check_text(raw.get(key), field=key, max_length=limit)
        issues += found
    for key in ("description", "notes"):
        cleaned[key], found = check_text(
            raw.get(key), field=key, max_length=NOTES_MAX, multiline=True
        )
        issues += found

    for key in ("persons_reached", "households_reached"):
        count, found = check_count(raw.get(key), field=key)
        cleaned[key] = count or 0
        issues += found

    cleaned["funding_source"], found = _choice(
        raw.get("funding_source"),
        field="funding_source",
        aliases=_FUNDING_ALIASES,
        default="own",
        template=MSG_FUNDING_INVALID,
    )
    issues += found
    cleaned["form"], found = check_aid_form(raw.get("form"), default="goods", forms=forms)
    issues += found
    cleaned["is_emergency"], found = check_flag(raw.get("is_emergency"), field="is_emergency")
    issues += found
    for key in ("recipient", "campaign", "area", "sponsor"):
        cleaned[key] = _passthrough(raw.get(key))

    money_ok = not any(i.field in ("cash_value", "goods_value") for i in errors(issues))
    if money_ok and cleaned["value_total"] <= 0 and not cleaned["quantity"]:
        issues.append(Issue.warning("cash_value", MSG_NO_VALUE))
    return cleaned, issues


def validate_commitment(
    raw: Mapping[str, Any], *, today: date, forms: Mapping[str, str] | None = None
) -> tuple[dict[str, Any], list[Issue]]:
    """A sponsor's commitment to an address: ``start_on`` (required; more than a year
    ahead gives a WARNING), ``end_on`` (optional, not before start), ``amount`` (money,
    default 0), ``form`` (default ``cash``; with ``forms``, the register's list),
    ``frequency``, ``description``, ``notes``; ``sponsor``, ``address`` and ``*_id`` pass through.
    """
    issues: list[Issue] = []
    cleaned: dict[str, Any] = _ids(raw)

    start, found = parse_date(raw.get("start_on"), field="start_on", required=True)
    issues += found
    if start is not None and start > _add_years(today, 1):
        issues.append(Issue.warning("start_on", MSG_DATE_FAR_AHEAD, date=_fmt_date(start)))
    cleaned["start_on"] = start

    end, found = parse_date(raw.get("end_on"), field="end_on")
    issues += found
    order = check_date_order(
        start, end, field="end_on", start_label=N_("ngày bắt đầu"), end_label=N_("ngày kết thúc")
    )
    issues += order
    cleaned["end_on"] = None if order else end

    amount, found = check_money(raw.get("amount"), field="amount")
    cleaned["amount"] = amount or 0
    issues += found
    cleaned["form"], found = check_aid_form(raw.get("form"), default="cash", forms=forms)
    issues += found
    cleaned["frequency"], found = check_text(
        raw.get("frequency"), field="frequency", max_length=SHORT_TEXT_MAX
    )
    issues += found
    for key in ("description", "notes"):
        cleaned[key], found = check_text(
            raw.get(key), field=key, max_length=NOTES_MAX, multiline=True
        )
        issues += found
    for key in ("sponsor", "address"):
        cleaned[key] = _passthrough(raw.get(key))
    return cleaned, issues


__all__ = [
    "AID_FORMS",
    "FIELD_LABELS",
    "FUNDING_SOURCES",
    "MONEY_MAX",
    "N_",
    "OLD_MOBILE_PREFIXES",
    "RECIPIENT_KINDS",
    "Amount",
    "Issue",
    "Label",
    "PartialDate",
    "Severity",
    "ValidationFailed",
    "age_on",
    "check_age",
    "check_aid_form",
    "check_count",
    "check_date_order",
    "check_flag",
    "check_id_number",
    "check_money",
    "check_quantity",
    "check_sex",
    "check_text",
    "errors",
    "group_thousands",
    "id_number_facts",
    "normalise_phone",
    "parse_birth",
    "parse_date",
    "raise_if_errors",
    "split_full_name",
    "validate_address",
    "validate_aid",
    "validate_commitment",
    "validate_member",
    "validate_person",
    "validate_sponsor",
    "validate_volunteer",
    "warnings",
]


MSG_ADDRESS_NAME_REQUIRED = N_("Chưa nhập tên hộ hoặc địa chỉ nhân đạo.")
MSG_SPONSOR_NAME_REQUIRED = N_("Chưa nhập tên nhà tài trợ.")
MSG_EMAIL_INVALID = N_("Thư điện tử “{text}” không hợp lệ.")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def validate_address(raw: Mapping[str, Any], *, today: date) -> tuple[dict[str, Any], list[Issue]]:
    """A humanitarian address: ``name`` (required), ``opened_on`` (required, not in the
    future), survey and certification dates, ``street_address``, ``circumstances``,
    ``needs``, ``file_no``, ``registry_id``, ``notes``; ``*_id`` and ``category_ids`` pass.
    """
    issues: list[Issue] = []
    cleaned: dict[str, Any] = _ids(raw)
    categories = raw.get("category_ids") or []
    if isinstance(categories, int):
        categories = [categories]
    cleaned["category_ids"] = [
        c
        for c in (categories if isinstance(categories, list | tuple | set) else [])
        if isinstance(c, int) and not isinstance(c, bool)
    ]
    name, found = check_text(raw.get("name"), field="name", max_length=NAME_MAX * 2)
    issues += found
    if name is None and not found:
        issues.append(Issue.error("name", MSG_ADDRESS_NAME_REQUIRED))
    cleaned["name"] = name
    opened, found = parse_date(raw.get("opened_on"), field="opened_on", required=True)
    issues += found
    cleaned["opened_on"] = date_not_future(opened, field="opened_on", today=today, issues=issues)
    for key in ("survey_date", "certified_on"):
        value, found = parse_date(raw.get(key), field=key)
        issues += found
        cleaned[key] = date_not_future(value, field=key, today=today, issues=issues)
    for key, limit, multiline in (
        ("street_address", ADDRESS_MAX, False),
        ("circumstances", NOTES_MAX, True),
        ("needs", NOTES_MAX, True),
        ("file_no", SHORT_TEXT_MAX, False),
        ("registry_id", SHORT_TEXT_MAX, False),
        ("notes", NOTES_MAX, True),
    ):
        cleaned[key], found = check_text(
            raw.get(key), field=key, max_length=limit, multiline=multiline
        )
        issues += found
    return cleaned, issues


def validate_sponsor(raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[Issue]]:
    """A sponsor: ``name`` (required), ``kind`` (org/person), contact, phone, e-mail, address."""
    issues: list[Issue] = []
    cleaned: dict[str, Any] = _ids(raw)
    name, found = check_text(raw.get("name"), field="name", max_length=NAME_MAX * 2)
    issues += found
    if name is None and not found:
        issues.append(Issue.error("name", MSG_SPONSOR_NAME_REQUIRED))
    cleaned["name"] = name
    kind = _as_text(raw.get("kind")) or "org"
    cleaned["kind"] = "person" if kind.casefold() in {"person", "cá nhân", "ca nhan"} else "org"
    cleaned["phone"], found = normalise_phone(raw.get("phone"))
    issues += found
    email, found = check_text(raw.get("email"), field="email", max_length=200)
    issues += found
    if email and not _EMAIL.fullmatch(email):
        issues.append(Issue.error("email", MSG_EMAIL_INVALID, text=email))
        email = None
    cleaned["email"] = email
    for key, limit, multiline in (
        ("contact_name", NAME_MAX, False),
        ("address", ADDRESS_MAX, False),
        ("notes", NOTES_MAX, True),
    ):
        cleaned[key], found = check_text(
            raw.get(key), field=key, max_length=limit, multiline=multiline
        )
        issues += found
    return cleaned, issues
