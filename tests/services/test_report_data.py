"""Tests for chapter_app.services.report.data (ReportData, by value) and its narrative.

``fill_register`` builds a small register by hand; the expected figures for 2026-Q4 are
counted in comments next to each row. Other report tests import it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import date

import pytest

from chapter_app.domain.periods import parse_period
from chapter_app.services.indicators import INDICATOR_KEYS, indicator_blocks
from chapter_app.services.report import labels as L
from chapter_app.services.report.data import (
    GroupRow,
    IndicatorRow,
    ReportData,
    build_report,
    compose_report,
)

Q4 = parse_period("2026-Q4")
ISSUED = date(2027, 1, 5)
SETTINGS = {
    "chapter_name": "Hội Chữ thập đỏ xã Tịnh Kỳ",
    "parent_name": "Hội CTĐ tỉnh Quảng Ngãi",
    "place_name": "Tịnh Kỳ",
    "signer_name": "Nguyễn Thị Hằng",
}


def _member(store, branch_id, admitted_on, full_name, **person):
    p = store.people.add(full_name=full_name, birth_year=1980, **person)
    return store.members.add(person_id=p.id, branch_id=branch_id, admitted_on=admitted_on)


def _aid(store, given_on, campaign, **values):
    return store.aid.add(
        given_on=given_on,
        recipient_kind="group",
        group_name="Nhóm",
        campaign_id=store.campaigns.by_name(campaign).id,
        **values,
    )


def fill_register(store) -> None:
    """A hand-built register; expected 2026-Q4 figures (period / year-to-date / 2025-Q4)."""
    store.settings.update(SETTINGS)
    # branches.count: 2 / 2 / 2
    b1 = store.branches.add(name="Chi hội Thôn An Hưng", founded_on=date(2020, 1, 1)).id
    b2 = store.branches.add(name="Chi hội Thôn Hòa Mỹ", founded_on=date(2020, 1, 1)).id
    # members: A, B, C in 2024 (C dies 2026-11-01), D in March, E F G in the quarter
    # total_end 6 / 6 / 3; new 3 / 4 / 0; left 1 / 1 / 0
    a = _member(store, b1, date(2024, 5, 1), "Nguyễn Văn An")
    _member(store, b1, date(2024, 5, 1), "Trần Thị Bình")
    c = _member(store, b2, date(2024, 5, 1), "Lê Văn Cường")
    store.members.change_status(c.id, "died", date(2026, 11, 1), reason="Từ trần")
    _member(store, b2, date(2026, 3, 10), "Phạm Thị Dung")
    for name in ("Hoàng Văn Em", "Đỗ Thị Giang", "Vũ Văn Hải"):
        _member(store, b1, date(2026, 10, 15), name)
    # dues: 60.000 / 72.000 / 50.000
    for paid_on, amount in ((date(2026, 12, 1), 60_000), (date(2026, 2, 1), 12_000)):
        store.dues.add(
            member_id=a.id, period_from="2026-01", period_to="2026-12", amount=amount,
            paid_on=paid_on,
        )  # fmt: skip
    store.dues.add(
        member_id=a.id, period_from="2025-01", period_to="2025-12", amount=50_000,
        paid_on=date(2025, 12, 1),
    )  # fmt: skip
    # aid: records 2 / 3 / 1; persons 1.254 / 1.264 / 1.000; households 305 / 315 / 250
    # value 15.500.000 / 17.500.000 / 10.000.000 (emergency 3.000.000 in the quarter)
    _aid(store, date(2026, 11, 10), "Tết Nhân ái", cash_value=12_500_000, persons_reached=1234,
         households_reached=300, funding_source="own")  # fmt: skip
    _aid(store, date(2026, 12, 5), "Cứu trợ khẩn cấp", goods_value=3_000_000, persons_reached=20,
         households_reached=5, funding_source="sponsor", is_emergency=True)  # fmt: skip
    _aid(store, date(2026, 5, 15), "Tháng Nhân đạo", cash_value=2_000_000, persons_reached=10,
         households_reached=10, funding_source="own")  # fmt: skip
    _aid(store, date(2025, 11, 10), "Tết Nhân ái", cash_value=10_000_000, persons_reached=1000,
         households_reached=250, funding_source="own")  # fmt: skip
    # blood: drives 1 / 2 / 1; units 40 / 70 / 25
    store.blood_drives.add(held_on=date(2026, 10, 20), donors=40, units=40)
    store.blood_drives.add(held_on=date(2026, 4, 20), donors=30, units=30)
    store.blood_drives.add(held_on=date(2025, 10, 18), donors=25, units=25)
    # yearly targets: every year-to-date figure above is half of its target
    store.targets.set(2026, "members.new", 8)
    store.targets.set(2026, "aid.value_total", 35_000_000)
    store.targets.set(2026, "blood.units", 140)


@pytest.fixture
def filled(store):
    fill_register(store)
    return store


# What an officer writes in the sections the register cannot (a report issued needs them all).
OFFICER_TEXTS = {
    "situation": "Thuận lợi: được Đảng ủy quan tâm. Khó khăn: mưa lũ kéo dài.",
    "communication": "Tuyên truyền 12 buổi trên loa truyền thanh.",
    "emulation": "Phát động phong trào thi đua; 3 tập thể được khen.",
    "assessment": "Ưu điểm: hoàn thành chỉ tiêu. Hạn chế: nguồn lực còn ít.",
    "tasks": "Tiếp tục vận động Tết Nhân ái.",
    "proposals": "Đề nghị cấp trên hỗ trợ tập huấn.",
}


def written(data: ReportData) -> ReportData:
    """``data`` with every officer's section written."""
    return data.with_narrative(OFFICER_TEXTS)


@pytest.fixture
def q4(filled) -> ReportData:
    return build_report(filled, Q4, number=5, issued_on=ISSUED)


# --- header fields ---------------------------------------------------------------------------


def test_header_fields_come_from_the_settings(q4):
    assert q4.parent_name == "Hội CTĐ tỉnh Quảng Ngãi"
    assert q4.chapter_name == "Hội Chữ thập đỏ xã Tịnh Kỳ"
    assert q4.place_name == "Tịnh Kỳ"
    assert q4.document_code == "CTĐ"
    assert q4.signing_form == "TM. BAN THƯỜNG VỤ"
    assert q4.signer_title == "CHỦ TỊCH"
    assert q4.signer_name == "Nguyễn Thị Hằng"
    assert q4.national_name == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert q4.motto == "Độc lập - Tự do - Hạnh phúc"
    assert q4.title == "BÁO CÁO"


def test_subject_line_names_the_quarter_in_roman_numerals(q4):
    assert q4.subject == (
        "Kết quả công tác Hội và phong trào Chữ thập đỏ quý IV năm 2026, phương hướng nhiệm vụ "
        "quý I năm 2027"
    )
    assert q4.period_name == "quý IV năm 2026"


def test_number_line_has_a_leading_zero_below_ten(q4, filled):
    assert q4.number_line == "Số: 05/BC-CTĐ"
    assert build_report(filled, Q4, number=12, issued_on=ISSUED).number_line == "Số: 12/BC-CTĐ"


def test_a_draft_leaves_the_number_blank(filled):
    draft = build_report(filled, Q4, issued_on=ISSUED)
    assert draft.number is None
    assert draft.number_line.startswith("Số: ")
    assert draft.number_line.endswith("/BC-CTĐ")
    assert not any(ch.isdigit() for ch in draft.number_line)


def test_date_line_has_leading_zeros_for_the_day_and_january(q4):
    assert q4.date_line == "Tịnh Kỳ, ngày 05 tháng 01 năm 2027"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2027, 2, 9), "Tịnh Kỳ, ngày 09 tháng 02 năm 2027"),
        (date(2027, 3, 15), "Tịnh Kỳ, ngày 15 tháng 3 năm 2027"),
        (date(2026, 11, 23), "Tịnh Kỳ, ngày 23 tháng 11 năm 2026"),
        (date(2026, 10, 1), "Tịnh Kỳ, ngày 01 tháng 10 năm 2026"),
    ],
)
def test_date_line_puts_a_leading_zero_only_on_months_one_and_two(day, expected):
    assert L.date_line("Tịnh Kỳ", day, "vi") == expected


def test_recipients_come_from_the_settings_with_the_archive_line_last(q4):
    assert q4.recipients == (
        "Hội CTĐ tỉnh Quảng Ngãi (để b/c)",
        "Đảng ủy xã Tịnh Kỳ",
        "UBND xã Tịnh Kỳ",
        "Ủy ban MTTQ Việt Nam xã Tịnh Kỳ",
        "Lưu: VT.",
    )


def test_a_deputy_signing_form_is_taken_from_the_settings(filled):
    filled.settings.update({"signing_form": "KT. CHỦ TỊCH", "signer_title": "PHÓ CHỦ TỊCH"})
    data = build_report(filled, Q4, issued_on=ISSUED)
    assert (data.signing_form, data.signer_title) == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")


# --- figures ---------------------------------------------------------------------------------


def test_indicator_rows_follow_the_indicator_table(q4):
    assert [row.key for row in q4.indicators] == INDICATOR_KEYS


def test_member_figures_by_value(q4):
    assert q4.indicator("members.total_end") == IndicatorRow(
        key="members.total_end", label="Tổng số hội viên", unit="người", money=False,
        period=6, ytd=6, last_year=3, change=3, target=None, percent_of_target=None,
    )  # fmt: skip
    assert q4.indicator("members.new") == IndicatorRow(
        key="members.new", label="Hội viên kết nạp mới", unit="người", money=False,
        period=3, ytd=4, last_year=0, change=3, target=8, percent_of_target=50.0,
    )  # fmt: skip
    left = q4.indicator("members.left")
    assert (left.period, left.ytd, left.last_year, left.change) == (1, 1, 0, 1)
    dues = q4.indicator("members.dues_collected")
    assert (dues.period, dues.ytd, dues.last_year, dues.change, dues.money) == (
        60_000, 72_000, 50_000, 10_000, True,
    )  # fmt: skip
    branches = q4.indicator("branches.count")
    assert (branches.period, branches.ytd, branches.last_year) == (2, 2, 2)


def test_aid_figures_by_value(q4):
    def triple(key):
        row = q4.indicator(key)
        return row.period, row.ytd, row.last_year

    assert triple("aid.records") == (2, 3, 1)
    assert triple("aid.person_times") == (1254, 1264, 1000)
    assert triple("aid.households") == (305, 315, 250)
    assert triple("aid.value_total") == (15_500_000, 17_500_000, 10_000_000)
    assert triple("aid.value_cash") == (12_500_000, 14_500_000, 10_000_000)
    assert triple("aid.value_goods") == (3_000_000, 3_000_000, 0)
    assert triple("aid.value_own") == (12_500_000, 14_500_000, 10_000_000)
    assert triple("aid.emergency_value") == (3_000_000, 3_000_000, 0)
    assert triple("aid.emergency_households") == (5, 5, 0)
    total = q4.indicator("aid.value_total")
    assert (total.target, total.percent_of_target, total.change) == (35_000_000, 50.0, 5_500_000)


def test_blood_figures_and_percent_of_target(q4):
    units = q4.indicator("blood.units")
    assert (units.period, units.ytd, units.last_year, units.change) == (40, 70, 25, 15)
    assert (units.target, units.percent_of_target) == (140, 50.0)
    assert q4.indicator("blood.drives").ytd == 2


def test_aid_by_campaign_lists_every_campaign_of_any_block(q4):
    assert q4.by_campaign == (
        GroupRow("Tết Nhân ái", 1, 1234, 12_500_000, 12_500_000, 10_000_000),
        GroupRow("Cứu trợ khẩn cấp", 1, 20, 3_000_000, 3_000_000, 0),
        GroupRow("Tháng Nhân đạo", 0, 0, 0, 2_000_000, 0),
    )


def test_targets_and_raw_figures_are_kept(q4):
    assert q4.targets == {"aid.value_total": 35_000_000, "blood.units": 140, "members.new": 8}
    assert q4.figures["period"]["members.new"] == 3
    assert q4.figures["period"]["aid.by_campaign"]["Tết Nhân ái"]["person_times"] == 1234


# --- narrative -------------------------------------------------------------------------------


def test_narrative_sections_come_in_report_order(q4):
    assert [s.key for s in q4.narrative] == [key for key, _level in L.SECTIONS]
    assert q4.section("situation").heading == "I. ĐẶC ĐIỂM TÌNH HÌNH"
    assert q4.section("results").heading == "II. KẾT QUẢ THỰC HIỆN"
    assert q4.section("tasks").heading == "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ I NĂM 2027"
    assert q4.section("proposals").heading == "V. ĐỀ XUẤT, KIẾN NGHỊ"


def test_the_officers_sections_start_empty(q4):
    for key in ("situation", "communication", "emulation", "assessment", "tasks", "proposals"):
        assert q4.section(key).text == ""
        assert "…" in q4.section(key).outline


def test_member_sentences_carry_the_figures(q4):
    text = q4.section("organisation").text
    assert "Tính đến ngày 31/12/2026, toàn Hội có 2 chi hội." in text
    assert (
        "Trong quý, kết nạp mới 3 hội viên, đạt 50% chỉ tiêu năm (4/8); 1 hội viên ra khỏi "
        "Hội, bị xóa tên hoặc từ trần." in text
    )
    # net change: 6 at the end against the members active on the day before the quarter
    assert "Số hội viên tăng thực 2 người" in text  # 3 admitted, 1 died
    assert "toàn Hội có 6 hội viên, tăng 3 hội viên so với cùng kỳ năm 2025." in text
    assert "Thu hội phí được 60.000 đ, lũy kế từ đầu năm 72.000 đ." in text


def test_aid_sentences_format_numbers_and_money_the_vietnamese_way(q4):
    text = q4.section("aid").text
    assert text.startswith(
        "Trong quý, Hội đã trợ giúp 1.254 lượt người (tăng 254 lượt người so với cùng kỳ năm "
        "2025) với tổng trị giá 15.500.000 đ, gồm tiền mặt 12.500.000 đ và hiện vật 3.000.000 đ."
    )
    assert "lượt hộ" not in text  # people and households are not mixed in one count
    resources = q4.section("resources").text
    assert "vận động được tiền, hàng trị giá 15.500.000 đ" in resources
    assert "trong đó nội lực 12.500.000 đ" in resources
    assert (
        "Lũy kế từ đầu năm, tổng trị giá vận động được 17.500.000 đ, đạt 50% chỉ tiêu năm "
        "(17.500.000 đ/35.000.000 đ)." in resources
    )


def test_blood_and_emergency_sentences(q4):
    assert q4.section("blood").text == (
        "Trong quý, phối hợp tổ chức 1 đợt hiến máu tình nguyện, tiếp nhận 40 đơn vị máu từ "
        "40 lượt người hiến (tăng 15 đơn vị so với cùng kỳ năm 2025). Lũy kế từ đầu năm tiếp "
        "nhận 70/140 đơn vị, đạt 50% kế hoạch năm."
    )
    assert q4.section("emergency").text.startswith(
        "Trong quý, cứu trợ khẩn cấp 5 lượt hộ gặp thiên tai, hỏa hoạn, tổng trị giá 3.000.000 đ."
    )


def test_intro_and_closing_name_the_chapter_and_the_period(q4):
    assert q4.section("intro").text == (
        "Thực hiện chương trình công tác năm 2026 của Hội CTĐ tỉnh Quảng Ngãi, Hội Chữ thập đỏ "
        "xã Tịnh Kỳ báo cáo kết quả công tác Hội và phong trào Chữ thập đỏ quý IV năm 2026 như "
        "sau:"
    )
    assert q4.section("closing").text.endswith("quý IV năm 2026 của Hội Chữ thập đỏ xã Tịnh Kỳ./.")


def test_big_figures_are_written_with_dot_separators(store):
    blocks = indicator_blocks(store, Q4)
    blocks["period"] |= {"members.total_end": 1234, "members.dues_collected": 12_500_000,
                         "branches.count": 15, "members.new": 12}  # fmt: skip
    data = compose_report(
        settings=SETTINGS, period=Q4, blocks=blocks, targets={}, lang="vi", number=None,
        issued_on=ISSUED,
    )  # fmt: skip
    text = data.section("organisation").text
    assert "Trong quý, kết nạp mới 12 hội viên" in text
    assert "toàn Hội có 1.234 hội viên" in text
    assert "toàn Hội có 15 chi hội" in text
    assert "Thu hội phí được 12.500.000 đ" in text


def test_a_yearly_report_has_no_separate_year_to_date_sentences(filled):
    data = build_report(filled, parse_period("2026"), issued_on=ISSUED)
    assert data.subject == (
        "Tổng kết công tác Hội và phong trào Chữ thập đỏ năm 2026, phương hướng nhiệm vụ năm 2027"
    )
    assert all("Lũy kế" not in s.text for s in data.narrative)
    assert "Trong năm, kết nạp mới 4 hội viên" in data.section("organisation").text
    assert "so với năm 2025" in data.section("organisation").text
    assert "cùng kỳ" not in data.section("organisation").text
    assert data.section("tasks").heading == "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027"


@pytest.mark.parametrize(
    ("code", "subject"),
    [
        ("2026-H1", "Sơ kết công tác Hội và phong trào Chữ thập đỏ 6 tháng đầu năm 2026, "
         "phương hướng nhiệm vụ 6 tháng cuối năm 2026"),
        ("2026-9M", "Kết quả công tác Hội và phong trào Chữ thập đỏ 9 tháng đầu năm 2026, "
         "phương hướng nhiệm vụ quý IV năm 2026"),
        ("2026-H2", "Kết quả công tác Hội và phong trào Chữ thập đỏ 6 tháng cuối năm 2026, "
         "phương hướng nhiệm vụ năm 2027"),
        ("2026-07-01..2026-08-15", "Kết quả công tác Hội và phong trào Chữ thập đỏ từ ngày "
         "01/07/2026 đến ngày 15/08/2026"),
    ],
)  # fmt: skip
def test_each_period_kind_has_the_title_of_real_reports(filled, code, subject):
    data = build_report(filled, parse_period(code), issued_on=ISSUED)
    assert data.subject == subject


def test_empty_areas_say_so_instead_of_printing_zeros(store):
    data = build_report(store, Q4, issued_on=ISSUED)
    assert data.section("blood").text.startswith("Trong quý, chưa tổ chức đợt hiến máu")
    assert data.section("aid").text.startswith("Trong quý, chưa có hoạt động trợ giúp")
    assert "Chưa mở lớp tập huấn sơ cấp cứu." in data.section("health").text


# --- editing, JSON ---------------------------------------------------------------------------


def test_edited_narrative_replaces_sections_and_is_normalised_to_nfc(q4):
    typed = unicodedata.normalize("NFD", "Ưu điểm: hoàn thành chỉ tiêu.\r\nHạn chế: còn ít.")
    edited = q4.with_narrative({"assessment": typed})
    assert edited.section("assessment").text == "Ưu điểm: hoàn thành chỉ tiêu.\nHạn chế: còn ít."
    assert edited.section("organisation").text == q4.section("organisation").text
    assert q4.section("assessment").text == ""  # the original is unchanged


def test_editing_an_unknown_section_is_refused(q4):
    with pytest.raises(ValueError, match="unknown narrative"):
        q4.with_narrative({"nonsense": "x"})


def test_report_data_round_trips_through_json(q4):
    edited = q4.with_narrative({"proposals": "Đề nghị cấp trên hỗ trợ."})
    again = ReportData.from_json(edited.to_json())
    assert again == edited
    assert again.to_json() == edited.to_json()


def test_with_number_rewrites_the_number_line(q4):
    assert q4.with_number(9).number_line == "Số: 09/BC-CTĐ"
    assert replace(q4, number=3).with_number(None).number is None


# --- English ---------------------------------------------------------------------------------


def test_an_english_report_translates_labels_and_formats_numbers_for_english(filled):
    data = build_report(filled, Q4, number=5, issued_on=ISSUED, lang="en")
    assert data.subject == (
        "Results of the Red Cross work in quarter IV of 2026 and tasks for quarter I of 2027"
    )
    assert data.number_line == "No.: 05/BC-CTĐ"
    assert data.date_line == "Tịnh Kỳ, 05 January 2027"
    assert data.national_name == "SOCIALIST REPUBLIC OF VIET NAM"
    assert data.signing_form == "ON BEHALF OF THE STANDING COMMITTEE"
    assert data.recipients[-1] == "Filed: Office."
    assert data.indicator("members.new").label == "New members admitted"
    aid = data.section("aid").text
    assert "The largest campaign was Humanitarian Tết: 1,234 people reached" in aid
    assert "person-times" not in aid
    assert "on the same period of 2025" in aid
    assert "the chapter had 6 members" in data.section("organisation").text
    assert data.recipients[0] == "Hội CTĐ tỉnh Quảng Ngãi (for reporting)"
    assert data.by_campaign[0].name == "Humanitarian Tết"


def test_an_unknown_language_is_refused(filled):
    with pytest.raises(ValueError, match="language"):
        build_report(filled, Q4, lang="fr")
