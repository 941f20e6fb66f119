"""``chapter-app report`` and ``chapter-app list`` as an officer runs them."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from pypdf import PdfReader

from chapter_app.cli import main
from chapter_app.services.setup import init_database
from chapter_app.store.store import Store
from tests.services.test_report_data import fill_register


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "xa.db"
    store = init_database(path, chapter_name="Hội Chữ thập đỏ xã Tịnh Kỳ", user="tester")
    fill_register(store)
    store.close()
    return path


def pdf_text(path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def test_report_writes_the_pdf_and_the_json(db, tmp_path, capsys):
    out, data = tmp_path / "bc" / "q4.pdf", tmp_path / "q4.json"
    code = main(["report", "--db", str(db), "--period", "2026-Q4", "--out", str(out),
                 "--number", "5", "--date", "2027-01-05", "--json", str(data)])  # fmt: skip
    assert code == 0
    assert "quý IV năm 2026" in capsys.readouterr().out
    text = pdf_text(out)
    assert "Số: 05/BC-CTĐ" in text
    assert "Tịnh Kỳ, ngày 05 tháng 01 năm 2027" in text
    assert "Kết quả công tác Hội và phong trào Chữ thập đỏ quý IV năm 2026" in text
    written = json.loads(data.read_text(encoding="utf-8"))
    assert written["number"] == 5
    assert written["issued_on"] == "2027-01-05"
    assert written["figures"]["period"]["members.new"] == 3
    assert [s["key"] for s in written["narrative"]][:3] == ["intro", "situation", "results"]
    assert not list(tmp_path.glob("**/*.part"))


def test_report_in_english_without_a_chart(db, tmp_path):
    out = tmp_path / "q4-en.pdf"
    with_chart = tmp_path / "q4-en-chart.pdf"
    base = ["report", "--db", str(db), "--period", "2026-Q4", "--lang", "en", "--date",
            "2027-01-05"]  # fmt: skip
    assert main([*base, "--out", str(out), "--no-chart"]) == 0
    assert main([*base, "--out", str(with_chart)]) == 0
    text = pdf_text(out)
    assert "SOCIALIST REPUBLIC OF VIET NAM" in text and "REPORT" in text
    pages = len(PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert len(PdfReader(io.BytesIO(with_chart.read_bytes())).pages) == pages + 1


def test_report_without_a_number_is_a_draft_with_a_blank_number(db, tmp_path):
    out = tmp_path / "draft.pdf"
    assert main(["report", "--db", str(db), "--period", "2026", "--out", str(out)]) == 0
    text = pdf_text(out)
    assert "Tổng kết công tác Hội và phong trào Chữ thập đỏ năm 2026" in text
    assert "/BC-CTĐ" in text and "Số: 0" not in text


def test_report_errors_are_clear_messages(db, tmp_path, capsys):
    out = tmp_path / "x.pdf"
    assert main(["report", "--db", str(db), "--period", "2026-Q5", "--out", str(out)]) == 1
    assert "Không hiểu kỳ báo cáo" in capsys.readouterr().err
    missing = tmp_path / "none.db"
    assert main(["report", "--db", str(missing), "--period", "2026", "--out", str(out)]) == 1
    assert "Không tìm thấy tệp dữ liệu" in capsys.readouterr().err
    assert not out.exists()


def test_list_members_for_one_branch_with_masked_ids(db, tmp_path, capsys):
    out = tmp_path / "hv.pdf"
    code = main(["list", "members", "--db", str(db), "--out", str(out),
                 "--branch", "Chi hội Thôn Hòa Mỹ", "--date", "2026-11-23"])  # fmt: skip
    assert code == 0
    assert "(1 dòng)" in capsys.readouterr().out  # Dung; Cường died in November
    text = pdf_text(out)
    assert "DANH SÁCH HỘI VIÊN" in text
    assert "Chi hội: Chi hội Thôn Hòa Mỹ" in text
    assert "Chi hội Thôn An Hưng" not in text
    assert "Phạm Thị Dung" in text and "Lê Văn Cường" not in text  # died in November
    with Store.open(db, read_only=True) as store:
        entry = store.audit_entries(action="export_list")[0]
    assert entry.new_values["list"] == "members"
    assert entry.new_values["branches"] == ["Chi hội Thôn Hòa Mỹ"]


@pytest.mark.parametrize("kind", ["members", "volunteers", "addresses"])
def test_every_list_can_be_printed(db, tmp_path, kind):
    out = tmp_path / f"{kind}.pdf"
    assert main(["list", kind, "--db", str(db), "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_list_with_an_unknown_branch_names_the_branches(db, tmp_path, capsys):
    out = tmp_path / "x.pdf"
    code = main(["list", "members", "--db", str(db), "--out", str(out), "--branch", "Thôn Ma"])
    assert code == 1
    err = capsys.readouterr().err
    assert "Không tìm thấy chi hội «Thôn Ma»" in err and "Chi hội Thôn An Hưng" in err
    assert not out.exists()


def test_list_needs_a_known_kind():
    result = subprocess.run(
        [sys.executable, "-m", "chapter_app", "list", "sponsors", "--db", "x.db", "--out", "y"],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert result.returncode == 2
    assert "lỗi" in result.stderr


def test_a_pdf_that_cannot_be_written_leaves_no_partial_file(db, tmp_path, capsys):
    folder = tmp_path / "already-a-folder.pdf"
    folder.mkdir()
    code = main(["report", "--db", str(db), "--period", "2026", "--out", str(folder)])
    assert code == 1
    assert "Lỗi tệp" in capsys.readouterr().err
    assert not (tmp_path / "already-a-folder.pdf.part").exists()
    assert folder.is_dir()


def test_init_signer_puts_the_name_under_the_signature(tmp_path, capsys):
    db = tmp_path / "moi.db"
    assert main(["init", "--db", str(db), "--chapter-name", "Hội Chữ thập đỏ xã Tịnh Kỳ",
                 "--parent", "Hội CTĐ tỉnh Quảng Ngãi", "--place", "Tịnh Kỳ",
                 "--signer", "Trương Thị Mỹ Hạnh"]) == 0  # fmt: skip
    out = tmp_path / "bc.pdf"
    assert main(["report", "--db", str(db), "--period", "2026-Q4", "--out", str(out),
                 "--date", "2027-01-05"]) == 0  # fmt: skip
    text = pdf_text(out)
    assert "TM. BAN THƯỜNG VỤ CHỦ TỊCH" in text or "CHỦ TỊCH" in text
    assert "Trương Thị Mỹ Hạnh" in text
    again = tmp_path / "bc2.pdf"
    assert main(["report", "--db", str(db), "--period", "2026-Q4", "--out", str(again),
                 "--date", "2027-01-05", "--signer", "Lê Văn Phó", "--deputy"]) == 0  # fmt: skip
    text = pdf_text(again)
    assert "KT. CHỦ TỊCH" in text and "PHÓ CHỦ TỊCH" in text and "Lê Văn Phó" in text


def test_report_with_a_narrative_file_is_final_and_without_it_a_marked_draft(db, tmp_path, capsys):
    outline, out = tmp_path / "mau.txt", tmp_path / "bc.pdf"
    base = ["report", "--db", str(db), "--period", "2026-Q4", "--number", "5", "--date",
            "2027-01-05", "--out", str(out)]  # fmt: skip
    assert main([*base, "--narrative-outline", str(outline)]) == 0
    printed = capsys.readouterr().out
    assert "Bản DỰ THẢO: còn mục để trống" in printed
    assert "DỰ THẢO" in pdf_text(out)
    template = outline.read_text(encoding="utf-8")
    filled = template.replace("…", "đã viết")  # the officer writes under each heading
    outline.write_text(filled, encoding="utf-8")
    assert main([*base, "--narrative", str(outline)]) == 0
    printed = capsys.readouterr().out
    assert "DỰ THẢO" not in printed
    assert "DỰ THẢO" not in pdf_text(out)
    assert "đã viết" in pdf_text(out)


def test_the_report_message_is_in_one_language_for_an_english_report(db, tmp_path, capsys):
    out = tmp_path / "en.pdf"
    assert main(["report", "--db", str(db), "--period", "2026-Q3", "--lang", "en",
                 "--out", str(out)]) == 0  # fmt: skip
    first = capsys.readouterr().out.splitlines()[0]
    assert first == f"Đã ghi báo cáo quý III năm 2026 vào {out}."
