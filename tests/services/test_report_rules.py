"""The rules of issue 15 on a hand-built register: honest dates, net change, physical units,
addresses taken off the list, prose = annex, draft marking, narrative files, checks,
withdrawal, recipients and the letterhead's line breaking (measured on the PDF)."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from chapter_app.domain.periods import parse_period
from chapter_app.errors import AppError
from chapter_app.services.pdf.base import frame_width, letterhead
from chapter_app.services.pdf.report import render_pdf
from chapter_app.services.report import heading
from chapter_app.services.report.checks import describe, figures_to_check
from chapter_app.services.report.data import Letterhead, ReportData, build_report
from chapter_app.services.report.issue import (
    issue_report,
    next_report_number,
    withdraw_report,
)
from chapter_app.services.report.narrative_file import (
    NarrativeFileError,
    narrative_template,
    read_narrative,
)
from tests.services.test_report_data import ISSUED, Q4, _aid, fill_register, written

YEAR = parse_period("2026")


@pytest.fixture
def filled(store):
    fill_register(store)
    return store


def pdf_pages(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


# --- honest dates ------------------------------------------------------------------------------


def test_an_annual_report_dated_in_november_never_claims_the_end_of_december(filled):
    data = build_report(filled, YEAR, number=3, issued_on=date(2026, 11, 23))
    text = " ".join(pdf_pages(render_pdf(written(data))))
    assert "31/12/2026" not in text
    assert "tính đến ngày 23/11/2026" in text
    assert "so với cùng kỳ năm 2025" in text
    assert "so với năm 2025" not in text
    # the figures stop at 23/11: the blood drive of 20/10 counts, nothing later does
    assert data.as_of == date(2026, 11, 23)
    assert data.figures["period"]["members.total_end"] == 6  # C died on 01/11
    assert data.indicator("aid.records").period == 2  # the 05/12 relief is not counted yet


def test_the_same_report_dated_after_the_year_compares_with_the_whole_last_year(filled):
    data = build_report(filled, YEAR, number=3, issued_on=date(2027, 1, 10))
    text = " ".join(s.text for s in data.narrative)
    assert data.as_of is None
    assert "Tính đến ngày 31/12/2026" in text
    assert "so với năm 2025" in text and "cùng kỳ" not in text
    assert data.indicator("aid.records").period == 3


def test_last_year_is_cut_on_the_same_day_as_the_report(filled):
    # 2025: one aid record on 10/11/2025, so a report dated 05/11/2026 compares with none
    early = build_report(filled, YEAR, issued_on=date(2026, 11, 5))
    assert early.indicator("aid.records").last_year == 0
    late = build_report(filled, YEAR, issued_on=date(2026, 11, 23))
    assert late.indicator("aid.records").last_year == 1


def test_an_estimate_projects_the_year_and_says_so(filled):
    data = build_report(filled, YEAR, issued_on=date(2026, 11, 23), estimate=True)
    assert "ước thực hiện cả năm" in data.subject
    blood = data.section("blood").text
    # 70 units by 23/11 (day 327 of 365): about 78 for the year, 55,7% of 140
    assert "ước thực hiện cả năm 78, đạt 55,7% chỉ tiêu" in blood


# --- figures in words ----------------------------------------------------------------------------


def test_members_admitted_left_and_net_change_agree(filled):
    data = build_report(filled, Q4, number=5, issued_on=ISSUED)
    text = data.section("organisation").text
    # 3 admitted, 1 died in the quarter: 4 at the quarter's start, 6 at its end (+2)
    start = filled.figures.members_active(date(2026, 9, 30))
    assert (start, data.figures["period"]["members.total_end"]) == (4, 6)
    assert "kết nạp mới 3 hội viên" in text
    assert "1 hội viên ra khỏi Hội" in text
    assert "Số hội viên tăng thực 2 người" in text
    assert "toàn Hội có 6 hội viên" in text


def test_aid_is_counted_in_physical_units_per_campaign_and_shown_as_a_table(filled):
    _aid(filled, date(2026, 12, 20), "Học bổng", cash_value=4_440_000, persons_reached=12,
         quantity=12, unit="suất")  # fmt: skip
    _aid(filled, date(2026, 12, 21), "Học bổng", cash_value=1_000_000, persons_reached=3,
         quantity=3, unit="Suất")  # fmt: skip
    data = written(build_report(filled, Q4, number=5, issued_on=ISSUED))
    assert data.units_by_campaign["Học bổng"] == {"suất": 15}
    pages = pdf_pages(render_pdf(data))
    body = " ".join(pages[:3])
    assert "Học bổng 15 suất 15 5.440.000" in body  # one table row, not a repeated sentence
    assert "lượt trợ giúp, " not in body


def test_addresses_taken_off_the_list_are_counted_and_explain_helped_over_followed(filled):
    a = filled.addresses.add(name="Hộ ông Tư", opened_on=date(2025, 1, 1))
    b = filled.addresses.add(name="Hộ bà Năm", opened_on=date(2025, 1, 1))
    for address in (a, b):
        filled.aid.add(given_on=date(2026, 10, 5), recipient_kind="address",
                       address_id=address.id, cash_value=500_000, persons_reached=2,
                       households_reached=1)  # fmt: skip
    filled.addresses.change_status(b.id, "out_of_hardship", date(2026, 11, 30), reason="Thoát")
    data = build_report(filled, Q4, number=5, issued_on=ISSUED)
    period = data.figures["period"]
    assert (period["addresses.on_file"], period["addresses.helped"]) == (1, 2)
    assert period["addresses.closed"] == 1
    text = data.section("addresses").text
    assert "đưa 1 địa chỉ ra khỏi danh sách" in text
    assert "2 địa chỉ được trợ giúp trong kỳ, trong đó 1 địa chỉ không còn trong danh sách" in text
    checks = figures_to_check(data)
    assert "helped_over_followed" in {c.kind for c in checks}


def test_regular_monthly_support_is_stated_per_month(filled):
    a = filled.addresses.add(name="Hộ ông Tư", opened_on=date(2025, 1, 1))
    sponsor = filled.sponsors.add(name="Công ty An Phát")
    filled.commitments.add(sponsor_id=sponsor.id, address_id=a.id, start_on=date(2026, 1, 1),
                           frequency="hằng tháng", amount=500_000)  # fmt: skip
    filled.commitments.add(sponsor_id=sponsor.id, address_id=a.id, start_on=date(2026, 1, 1),
                           frequency="một lần", amount=9_000_000)  # fmt: skip
    data = build_report(filled, Q4, number=5, issued_on=ISSUED)
    assert "Trợ cấp thường xuyên 1 địa chỉ, 500.000 đ/tháng." in data.section("addresses").text


def test_every_figure_in_the_prose_is_the_annex_figure(filled):
    data = build_report(filled, Q4, number=5, issued_on=ISSUED)
    text = " ".join(s.text for s in data.narrative)
    row = data.indicator
    for sentence in (
        f"kết nạp mới {row('members.new').period} hội viên",
        f"trợ giúp {row('aid.person_times').period:,} lượt người".replace(",", "."),
        f"tiếp nhận {row('blood.units').period} đơn vị máu",
        f"cứu trợ khẩn cấp {row('aid.emergency_households').period} lượt hộ",
    ):
        assert sentence in text
    annex = pdf_pages(render_pdf(written(data)))
    whole = " ".join(annex)
    # the health and aid money in the prose are the annex's "Trong kỳ" values
    assert "15.500.000 đ" in text and "15.500.000" in whole
    percent = row("blood.units").percent_of_target
    assert f"{percent:g}%".replace(".", ",") in text
    assert f"{percent:g}%".replace(".", ",") in whole


# --- draft marking and narrative files ---------------------------------------------------------


def test_a_report_with_an_empty_section_is_marked_draft_on_every_page(filled):
    data = build_report(filled, Q4, number=5, issued_on=ISSUED)
    pages = pdf_pages(render_pdf(data))
    assert all("DỰ THẢO" in page for page in pages)
    final = pdf_pages(render_pdf(written(data)))
    assert not any("DỰ THẢO" in page for page in final)


def test_a_narrative_file_fills_the_officers_sections_by_heading(filled):
    data = build_report(filled, Q4, number=5, issued_on=ISSUED)
    template = narrative_template(data)
    assert "III. ĐÁNH GIÁ CHUNG\n1. Ưu điểm: …" in template
    filled_in = (
        "i. đặc điểm tình hình\nThuận lợi: mùa màng bội thu.\n\n"
        "9. Công tác truyền thông\nPhát 20 tin.\n"
        "10. CÔNG TÁC THI ĐUA, KHEN THƯỞNG\nKhen 3 tập thể.\n"
        "III. Đánh giá chung:\nHoàn thành.\nCòn hạn chế.\n"
        "IV. Phương hướng, nhiệm vụ\nGiữ vững.\n"
        "V. ĐỀ XUẤT, KIẾN NGHỊ\nKhông.\n"
    )
    texts = read_narrative(filled_in, data)
    assert texts["assessment"] == "Hoàn thành.\nCòn hạn chế."
    assert texts["tasks"] == "Giữ vững."
    final = data.with_narrative(texts)
    assert final.empty_sections() == []
    assert not final.is_draft
    with pytest.raises(NarrativeFileError, match="Dòng 1"):
        read_narrative("Văn bản không có tiêu đề\nIII. ĐÁNH GIÁ CHUNG\nx", data)


def test_checks_flag_figures_far_over_target_and_falls_by_half(filled):
    filled.targets.set(2026, "blood.units", 20)  # 70 units: 350%
    filled.blood_drives.add(held_on=date(2025, 11, 20), donors=100, units=100)  # Q4 2025: 125
    data = build_report(filled, Q4, number=5, issued_on=ISSUED)
    kinds = {(c.kind, c.key) for c in figures_to_check(data)}
    assert ("over_target", "blood.units") in kinds
    assert ("fell", "blood.units") in kinds  # 40 against 125
    message = describe(next(c for c in figures_to_check(data) if c.kind == "over_target"))
    assert "350% chỉ tiêu năm" in message


# --- withdrawal --------------------------------------------------------------------------------


def test_a_withdrawn_report_is_kept_and_its_number_is_not_reused(filled):
    data = written(build_report(filled, Q4, issued_on=ISSUED))
    first = issue_report(filled, data)
    assert first.number == 1
    withdrawn = withdraw_report(filled, first.id, reason="Số liệu sai", on=date(2027, 1, 6))
    assert withdrawn.withdrawn_on == date(2027, 1, 6)
    assert withdrawn.withdrawal_reason == "Số liệu sai"
    assert withdrawn.pdf == first.pdf
    assert next_report_number(filled, 2027) == 2
    replacement = issue_report(filled, data)
    assert replacement.number == 2
    assert [r.number for r in filled.reports.list()] == [2, 1]
    with pytest.raises(AppError, match="đã thu hồi"):
        withdraw_report(filled, first.id, reason="lần nữa")
    with pytest.raises(AppError, match="lý do"):
        withdraw_report(filled, replacement.id, reason="  ")
    assert filled.reports.get(replacement.id).withdrawn_on is None


# --- recipients, signer, letterhead ------------------------------------------------------------


def test_recipients_name_the_parent_body_and_the_wards_bodies():
    settings = {
        "chapter_name": "Hội Chữ thập đỏ phường Cẩm Thành",
        "parent_name": "Hội CTĐ tỉnh Quảng Ngãi",
        "place_name": "Cẩm Thành",
        "recipients": ["Hội CTĐ cấp trên", "Đảng ủy xã", "UBND xã", "UBMTTQ Việt Nam xã",
                       "Chi hội trưởng các chi hội"],
    }  # fmt: skip
    assert heading.recipients(settings, "vi") == [
        "Hội CTĐ tỉnh Quảng Ngãi (để b/c)",
        "Đảng ủy phường Cẩm Thành",
        "UBND phường Cẩm Thành",
        "Ủy ban MTTQ Việt Nam phường Cẩm Thành",
        "Chi hội trưởng các chi hội",
    ]


def test_the_signer_option_and_a_deputy_signature(filled):
    data = build_report(filled, Q4, issued_on=ISSUED, signer="Trần Văn Phó", deputy=True)
    assert (data.signing_form, data.signer_title, data.signer_name) == (
        "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Văn Phó",
    )  # fmt: skip


def _lines_of(pdf: bytes) -> list[str]:
    """The letterhead's left column as printed: text runs (page coordinates) by baseline."""
    from tests.services.test_pdf_report import text_runs

    lines: dict[float, list[tuple[float, str]]] = {}
    for x, y, text, _size in text_runs(PdfReader(io.BytesIO(pdf)).pages[0]):
        if x < 250:  # the left column (the right one starts further right)
            lines.setdefault(round(y), []).append((x, text))
    return [" ".join(t for _x, t in sorted(parts)) for _y, parts in sorted(lines.items(),
            reverse=True)]  # fmt: skip


@pytest.mark.parametrize(
    "parent",
    [
        "Hội Chữ thập đỏ tỉnh Quảng Ngãi",
        "Hội Chữ thập đỏ thành phố Hồ Chí Minh",
        "Hội Chữ thập đỏ tỉnh Bà Rịa - Vũng Tàu",
        "Hội CTĐ tỉnh Bà Rịa - Vũng Tàu Phước Long Đông Hưng",  # too long even at 9 pt
    ],
)
def test_a_long_parent_name_never_breaks_inside_the_place_name(parent):
    from reportlab.platypus import SimpleDocTemplate

    head = Letterhead(parent_name=parent, chapter_name="Hội Chữ thập đỏ xã Tịnh Kỳ",
                      national_name="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                      motto="Độc lập - Tự do - Hạnh phúc", number_line="Số: 01/BC-CTĐ",
                      date_line="Tịnh Kỳ, ngày 05 tháng 01 năm 2027")  # fmt: skip
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build([letterhead(head, width=frame_width())])
    lines = [line.replace("\xa0", " ") for line in _lines_of(buffer.getvalue())]
    place = re.search(r"(TỈNH|THÀNH PHỐ) .*$", parent.upper()).group(0)
    words = set(" ".join(lines).split())
    assert set(parent.upper().split()) <= words, lines  # no word is ever cut
    if len(place) < 32:
        assert any(place in line for line in lines), lines  # the place name is on one line


def test_a_vice_chair_of_the_officers_list_named_as_signer_signs_for_the_chair(filled):
    from chapter_app.services.officers import set_officer

    set_officer(filled, title="chairman", full_name="Nguyễn Thị Hằng", from_on=date(2025, 1, 1))
    set_officer(filled, title="vice_chairman", full_name="Trần Văn Phó", from_on=date(2025, 1, 1))
    chair = build_report(filled, Q4, issued_on=ISSUED)
    assert (chair.signing_form, chair.signer_title, chair.signer_name) == (
        "TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "Nguyễn Thị Hằng",
    )  # fmt: skip
    vice = build_report(filled, Q4, issued_on=ISSUED, signer="Trần Văn Phó")
    assert (vice.signing_form, vice.signer_title, vice.signer_name) == (
        "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Văn Phó",
    )  # fmt: skip


def test_branch_ratings_are_told_best_first_as_a_share_of_the_rated_branches(filled):
    from chapter_app.services.organisation import rate_branch

    first, second = (b.id for b in filled.branches.list())
    rate_branch(filled, first, year=2025, rating="strong")
    rate_branch(filled, second, year=2025, rating="good")
    data = build_report(filled, Q4, issued_on=ISSUED)
    assert "Kết quả đánh giá, xếp loại năm 2025: 1/2 chi hội đạt vững mạnh, 1 chi hội khá." in (
        data.section("organisation").text
    )
    english = build_report(filled, Q4, issued_on=ISSUED, lang="en")
    assert "Ratings for 2025: 1/2 branches rated strong, 1 rated good." in (
        english.section("organisation").text
    )


@pytest.mark.parametrize("code", ["2026-Q4", "2026-H2", "2026-9M", "2026-H1", "2026"])
def test_every_period_kind_gives_the_percent_of_target_in_its_prose(filled, code):
    data = build_report(filled, parse_period(code), issued_on=date(2027, 1, 5))
    text = " ".join(s.text for s in data.narrative)
    assert "chỉ tiêu năm" in data.section("organisation").text  # members admitted
    assert "kế hoạch năm" in data.section("blood").text  # blood units done/target
    assert "chỉ tiêu năm" in data.section("resources").text  # value raised
    assert "31/12/2026" in text or data.period_end < date(2026, 12, 31)


def test_figures_a_report_issued_by_an_older_version_did_not_know_are_not_differences(filled):
    from dataclasses import replace

    from chapter_app.services.report.issue import differences_since_issue

    issued = issue_report(filled, written(build_report(filled, Q4, issued_on=ISSUED)))
    data = ReportData.from_json(filled.reports.get(issued.id).data_json)
    older = {name: {k: v for k, v in block.items() if k != "addresses.closed"}
             for name, block in data.figures.items()}  # fmt: skip
    filled.db.execute(
        "UPDATE issued_reports SET data_json = ? WHERE id = ?",
        [replace(data, figures=older).to_json(), issued.id],
    )
    assert differences_since_issue(filled, issued.id) == []
    _aid(filled, date(2026, 12, 24), "Học bổng", cash_value=1_000, persons_reached=1)
    changed = {key for key, _old, _new in differences_since_issue(filled, issued.id)}
    assert "period.aid.records" in changed
    assert "period.aid.by_campaign.Học bổng.value" in changed
