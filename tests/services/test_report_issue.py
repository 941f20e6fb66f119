"""Tests for issuing, keeping, reprinting and comparing reports (services.report.issue,
store.reports and the 0002_reports_issued migration)."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from chapter_app.services.pdf.base import MissingGlyphError
from chapter_app.services.report import issue as issue_module
from chapter_app.services.report import labels as L
from chapter_app.services.report.data import ReportData, build_report
from chapter_app.services.report.issue import (
    ReportIncompleteError,
    differences_since_issue,
    issue_report,
    issued_data,
    next_report_number,
    reprint,
    rerender,
)
from chapter_app.store.reports import ReportIntegrityError, ReportNumberTakenError
from chapter_app.store.schema import migration_names
from chapter_app.store.store import Store
from tests.services.test_report_data import ISSUED, Q4, fill_register, written


@pytest.fixture
def filled(store):
    fill_register(store)
    return store


@pytest.fixture
def draft(filled) -> ReportData:
    return written(build_report(filled, Q4, issued_on=ISSUED))


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


# --- the table -------------------------------------------------------------------------------


def test_the_migration_creates_the_issued_reports_table(store):
    assert "0002_reports_issued" in migration_names()
    columns = {row[1] for row in store.db.execute("PRAGMA table_info(issued_reports)")}
    assert {"year", "number", "data_json", "narrative_json", "pdf", "pdf_sha256"} <= columns


# --- numbering -------------------------------------------------------------------------------


def test_reports_take_the_next_number_of_the_year(filled, draft):
    assert next_report_number(filled, 2027) == 1
    first = issue_report(filled, draft)
    second = issue_report(filled, draft)
    assert (first.year, first.number) == (2027, 1)
    assert (second.year, second.number) == (2027, 2)
    assert next_report_number(filled, 2027) == 3


def test_numbers_restart_at_one_each_year(filled, draft):
    issue_report(filled, replace(draft, issued_on=date(2026, 12, 30)))
    issue_report(filled, replace(draft, issued_on=date(2026, 12, 31)))
    new_year = issue_report(filled, draft)
    assert (new_year.year, new_year.number) == (2027, 1)
    assert next_report_number(filled, 2026) == 3


def test_a_given_number_is_used_and_printed(filled, draft):
    issued = issue_report(filled, draft, number=12)
    assert issued.number == 12
    assert "Số: 12/BC-CTĐ" in pdf_text(issued.pdf)
    assert next_report_number(filled, 2027) == 13


def test_the_number_the_data_carries_is_used_when_none_is_given(filled):
    data = written(build_report(filled, Q4, number=4, issued_on=ISSUED))
    assert issue_report(filled, data).number == 4


def test_a_number_already_used_that_year_is_refused_and_nothing_is_stored(filled, draft):
    issue_report(filled, draft, number=3)
    with pytest.raises(ReportNumberTakenError, match="03"):
        issue_report(filled, draft, number=3)
    assert [r.number for r in filled.reports.list()] == [3]


def test_a_report_that_cannot_be_printed_is_not_issued_and_keeps_no_number(filled, draft):
    with pytest.raises(MissingGlyphError):
        issue_report(filled, draft, narrative={"proposals": "Đề nghị 漢"})
    assert filled.reports.list() == []
    assert next_report_number(filled, 2027) == 1


# --- what is kept ----------------------------------------------------------------------------


def test_the_data_narrative_pdf_and_its_hash_are_kept(filled, draft):
    narrative = {"assessment": "Ưu điểm: hoàn thành chỉ tiêu.", "tasks": "Tiếp tục vận động."}
    issued = issue_report(filled, draft, narrative=narrative)
    assert issued.pdf_sha256 == hashlib.sha256(issued.pdf).hexdigest()
    assert issued.pdf.startswith(b"%PDF")
    assert issued.period_code == "2026-Q4"
    assert issued.subject == draft.subject
    assert issued.issued_by == "tester"
    kept = json.loads(issued.narrative_json)
    assert kept["assessment"] == "Ưu điểm: hoàn thành chỉ tiêu."
    assert kept["organisation"] == draft.section("organisation").text
    data = ReportData.from_json(issued.data_json)
    assert data == draft.with_narrative(narrative).with_number(1)
    text = pdf_text(issued.pdf)
    assert "Ưu điểm: hoàn thành chỉ tiêu." in text and "Tiếp tục vận động." in text


def test_issuing_is_recorded_in_the_audit_log(filled, draft):
    issued = issue_report(filled, draft)
    entry = filled.audit_entries(action="report_issued")[0]
    assert entry.new_values["report_id"] == issued.id
    assert entry.new_values["number"] == 1
    assert entry.new_values["pdf_sha256"] == issued.pdf_sha256


def test_issuing_is_not_an_undoable_step(filled, draft):
    label_before = filled.undo_label
    issue_report(filled, draft)
    assert filled.undo_label == label_before


def test_an_issued_report_reopens_with_its_data(filled, draft):
    issued = issue_report(filled, draft, narrative={"proposals": "Đề nghị hỗ trợ."})
    reopened = issued_data(filled, issued.id)
    assert reopened.number == 1
    assert reopened.section("proposals").text == "Đề nghị hỗ trợ."
    assert reopened.indicator("members.new").period == 3


# --- reprinting ------------------------------------------------------------------------------


def test_a_reprint_is_byte_identical(filled, draft):
    issued = issue_report(filled, draft, narrative={"assessment": "Tốt."})
    assert reprint(filled, issued.id) == issued.pdf


def test_rendering_again_from_the_stored_data_gives_the_same_bytes(filled, draft):
    issued = issue_report(filled, draft, narrative={"assessment": "Tốt."})
    assert rerender(filled, issued.id) == issued.pdf


def test_a_reprint_after_reopening_the_database_is_byte_identical(filled, draft, db_path):
    issued = issue_report(filled, draft)
    with Store.open(db_path, read_only=True) as again:
        assert reprint(again, issued.id) == issued.pdf


def test_a_reprint_ignores_later_changes_to_the_register_and_settings(filled, draft):
    issued = issue_report(filled, draft)
    filled.settings.update({"signer_name": "Trần Văn Khác", "chapter_name": "Hội khác"})
    filled.branches.add(name="Chi hội mới")
    assert reprint(filled, issued.id) == issued.pdf


def test_a_reprint_returns_the_original_if_the_renderer_has_changed(filled, draft, monkeypatch):
    issued = issue_report(filled, draft)
    monkeypatch.setattr(issue_module, "render_pdf", lambda data: b"%PDF-drawn-differently")
    assert reprint(filled, issued.id) == issued.pdf


def test_a_tampered_pdf_is_detected(filled, draft):
    issued = issue_report(filled, draft)
    filled.db.execute(
        "UPDATE issued_reports SET pdf = ? WHERE id = ?", [issued.pdf + b"%tampered", issued.id]
    )
    with pytest.raises(ReportIntegrityError):
        reprint(filled, issued.id)


# --- differences since issue -----------------------------------------------------------------


def test_no_differences_right_after_issuing(filled, draft):
    issued = issue_report(filled, draft)
    assert differences_since_issue(filled, issued.id) == []


def test_a_member_admitted_later_into_the_period_shows_as_differences(filled, draft):
    issued = issue_report(filled, draft)
    person = filled.people.add(full_name="Bùi Văn Muộn", birth_year=1990)
    branch = filled.branches.list()[0]
    filled.members.add(person_id=person.id, branch_id=branch.id, admitted_on=date(2026, 11, 20))
    assert differences_since_issue(filled, issued.id) == [
        ("period.members.total_end", 6, 7),
        ("period.members.new", 3, 4),
        ("ytd.members.total_end", 6, 7),
        ("ytd.members.new", 4, 5),
    ]


def test_new_campaign_groups_and_changed_targets_show_as_differences(filled, draft):
    issued = issue_report(filled, draft)
    filled.aid.add(
        given_on=date(2026, 12, 20),
        recipient_kind="group",
        group_name="Học sinh",
        campaign_id=filled.campaigns.by_name("Học bổng").id,
        cash_value=1_000_000,
        persons_reached=2,
    )
    filled.targets.set(2026, "members.new", 10)
    diffs = dict((key, (old, new)) for key, old, new in differences_since_issue(filled, issued.id))
    assert diffs["period.aid.value_total"] == (15_500_000, 16_500_000)
    assert diffs["period.aid.by_campaign.Học bổng.records"] == (None, 1)
    assert diffs["period.aid.by_campaign.Học bổng.value"] == (None, 1_000_000)
    assert diffs["target.members.new"] == (8, 10)
    assert "last_year.aid.value_total" not in diffs


def test_changes_outside_the_period_show_no_difference(filled, draft):
    issued = issue_report(filled, draft)
    person = filled.people.add(full_name="Bùi Văn Sau", birth_year=1990)
    filled.members.add(person_id=person.id, branch_id=None, admitted_on=date(2027, 1, 20))
    assert differences_since_issue(filled, issued.id) == []


def test_difference_keys_have_readable_labels():
    assert L.describe_key("period.members.new") == "Trong kỳ: Hội viên kết nạp mới"
    assert L.describe_key("ytd.aid.value_total", "en") == "Year to date: Total value of aid"
    assert L.describe_key("period.aid.by_campaign.Học bổng.value") == (
        "Trong kỳ: Trợ giúp theo chương trình vận động, Học bổng (trị giá)"
    )
    assert L.describe_key("last_year.aid.by_area.Sơ cấp cứu.records", "en") == (
        "Same period last year: Aid by area of activity, First aid (aid records)"
    )
    assert L.describe_key("target.blood.units") == "Chỉ tiêu năm: Đơn vị máu"


def test_issued_reports_are_listed_newest_first_and_found_by_period(filled, draft):
    issue_report(filled, draft)
    other = written(build_report(filled, Q4.same_period_last_year(), issued_on=date(2026, 1, 6)))
    issue_report(filled, other)
    listed = filled.reports.list()
    assert [(r.year, r.number) for r in listed] == [(2027, 1), (2026, 1)]
    assert [r.period_code for r in filled.reports.for_period(date(2026, 11, 1), date(2026, 11, 30))
            ] == ["2026-Q4"]  # fmt: skip
    assert filled.reports.by_number(2026, 1).period_code == "2025-Q4"


def test_an_english_report_is_issued_from_the_same_sequence(filled, draft):
    issue_report(filled, draft)
    english = issue_report(filled, written(build_report(filled, Q4, issued_on=ISSUED, lang="en")))
    assert (english.number, english.lang) == (2, "en")
    assert "No.: 02/BC-CTĐ" in pdf_text(english.pdf)


def test_a_report_with_an_empty_section_cannot_be_issued_and_takes_no_number(filled, draft):
    with pytest.raises(ReportIncompleteError, match="ĐÁNH GIÁ CHUNG"):
        issue_report(filled, draft, narrative={"assessment": "  "})
    assert filled.reports.list() == []
    assert next_report_number(filled, ISSUED.year) == 1


def test_an_outline_left_unchanged_counts_as_empty(filled, draft):
    outline = draft.section("tasks").outline
    with pytest.raises(ReportIncompleteError, match="PHƯƠNG HƯỚNG"):
        issue_report(filled, draft, narrative={"tasks": outline})
