"""``chapter-app --selftest``: checks that this copy of the program works, frozen or not.

Runs in a temporary folder: migrations, a record with Vietnamese text written and
read back, a search without tones, a package part through zstd and back, a report PDF
rendered and its text checked, the English catalogue and Qt's Vietnamese base translation
loaded. Prints one line per check and returns non-zero when any check fails.
"""

from __future__ import annotations

import io
import tempfile
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path

NAME = "Nguyễn Thị Hằng Đỗ Ẩn Ưng Quỳnh"  # every tone mark and the special letters


def _migrations(workdir: Path) -> str:
    from chapter_app.store.connection import applied_migrations
    from chapter_app.store.schema import migration_names
    from chapter_app.store.store import Store

    with Store.open(workdir / "selftest.db") as store:
        applied = applied_migrations(store.db)
    assert applied == migration_names(), f"applied {applied}"
    return f"{len(applied)} migrations"


def _write_and_read(workdir: Path) -> str:
    from chapter_app.services.records import save_member
    from chapter_app.services.setup import init_database

    with init_database(workdir / "selftest.db", chapter_name="Hội Chữ thập đỏ xã Tự Kiểm") as store:
        branch = store.branches.add(name="Chi hội Thôn Phú Thọ")
        saved = save_member(
            store,
            {
                "full_name": NAME,
                "sex": "Nữ",
                "birth": "1990",
                "branch": branch.id,
                "admitted_on": date.today().strftime("%d/%m/%Y"),
            },
        )
    from chapter_app.store.store import Store

    with Store.open(workdir / "selftest.db") as store:
        person = store.people.get(saved.record.person_id)
    assert person.full_name == NAME, person.full_name
    return person.full_name


def _search(workdir: Path) -> str:
    from chapter_app.store.store import Store

    with Store.open(workdir / "selftest.db") as store:
        found = [p.full_name for p in store.people.search("nguyen thi hang do")]
        found_d = [p.full_name for p in store.people.search("quynh")]
    assert found == [NAME] and found_d == [NAME], (found, found_d)
    return "«nguyen thi hang do» tìm thấy"


def _part_codec(_workdir: Path) -> str:
    from chapter_app.store.part_codec import ZstdEncoder, decode

    data = (NAME + "\n").encode() * 2000
    encoder = ZstdEncoder(len(data))
    for start in range(0, len(data), 4096):
        encoder.feed(data[start : start + 4096])
    packed = encoder.result()
    assert packed is not None and decode(packed, "zstd", len(data)) == data, "zstd"
    return f"zstd {len(data):,} → {len(packed):,} byte"


def _report(workdir: Path) -> str:
    from pypdf import PdfReader

    from chapter_app.domain.periods import current_quarter
    from chapter_app.services.pdf.report import render_pdf
    from chapter_app.services.report.data import build_report
    from chapter_app.store.store import Store

    with Store.open(workdir / "selftest.db") as store:
        data = build_report(store, current_quarter(date.today()))
    pdf = render_pdf(data)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO", "HỘI CHỮ THẬP ĐỎ XÃ TỰ KIỂM"):
        assert expected in text, f"thiếu «{expected}»"
    return f"{len(pdf):,} byte"


def _translations(_workdir: Path) -> str:
    from chapter_app import i18n

    i18n.set_language("en")
    try:
        english = i18n._("Hội viên")
    finally:
        i18n.set_language("vi")
    assert english != "Hội viên", "bản dịch tiếng Anh không nạp được"
    return f"«Hội viên» → «{english}»"


def _qt_translation(_workdir: Path) -> str:
    from PySide6.QtCore import QCoreApplication

    from chapter_app.ui.qt_i18n import install_qt_translators

    app = QCoreApplication.instance() or QCoreApplication([])
    assert install_qt_translators(app, "vi"), "không nạp được qtbase_vi.qm"
    cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
    assert cancel != "Cancel", cancel
    return f"Cancel → {cancel}"


CHECKS: list[tuple[str, Callable[[Path], str]]] = [
    ("Tạo cơ sở dữ liệu và nâng cấp", _migrations),
    ("Ghi và đọc tiếng Việt", _write_and_read),
    ("Tìm không dấu", _search),
    ("Nén phần gói dữ liệu (zstd)", _part_codec),
    ("Báo cáo PDF", _report),
    ("Bản dịch tiếng Anh", _translations),
    ("Bản dịch nút Qt tiếng Việt", _qt_translation),
]


def run_selftest(*, verbose: bool = False) -> int:
    """Run every check; prints ``OK``/``LỖI`` lines; returns 0 when all pass."""
    failures = 0
    with tempfile.TemporaryDirectory(prefix="chapter-selftest-") as tmp:
        for title, check in CHECKS:
            try:
                detail = check(Path(tmp))
                print(f"OK   {title}: {detail}", flush=True)
            except Exception as exc:  # a check that fails for any reason is reported, not raised
                failures += 1
                print(f"LỖI  {title}: {exc}", flush=True)
                if verbose:
                    traceback.print_exc()
    print(f"{len(CHECKS) - failures} passed, {failures} failed")
    return 1 if failures else 0
