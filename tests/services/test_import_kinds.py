"""A further kind of sheet is one module: its columns, a planner and a writer, registered."""

from __future__ import annotations

from typing import ClassVar

import openpyxl
import pytest

from chapter_app.domain.validation import Issue, parse_date
from chapter_app.services.importer import apply_import, plan_import
from chapter_app.services.importer import fields as F
from chapter_app.services.importer import planner as P
from chapter_app.services.importer.cells import to_date


class VisitPlanner(P.Planner):
    kind = "visits"

    def plan_row(self, row, values):
        g = self.gather(values)
        issues = []
        when, found = to_date(g.get("given_on"), "given_on")
        issues += found
        if isinstance(when, str):
            when, found = parse_date(when, field="given_on")
            issues += found
        if g.get("full_name") is None:
            issues.append(Issue.error("full_name", "Chưa ghi tên."))
        return self.finish(row, str(g.get("full_name") or ""), issues, {}, payload=when)


class VisitWriter(P.Writer):
    written: ClassVar[list] = []

    def write(self, todo):
        for row, _choice in todo:
            VisitWriter.written.append((row.label, row.payload))
        return len(todo), 0


@pytest.fixture
def visits_kind():
    F.declare_kind(
        "visits",
        noun="lượt thăm",
        title="DANH SÁCH THĂM HỎI",
        fields=(
            F.make_field("full_name", "Họ và tên", F.NAME, "ho ten"),
            F.make_field("given_on", "Ngày thăm", F.DATE, "ngay"),
        ),
        required_any=("full_name",),
    )
    P.register("visits", planner=VisitPlanner, writer=VisitWriter)
    VisitWriter.written = []
    yield
    for table in (F._FIELDS, F._REQUIRED_ANY, F._NOUNS, F._TITLES, P.SHEET_KINDS):
        table.pop("visits", None)


def test_a_kind_declared_in_one_module_is_planned_and_written(visits_kind, store, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["DANH SÁCH THĂM HỎI NGƯỜI CAO TUỔI"])
    wb.active.append(["STT", "Họ và tên", "Ngày thăm"])
    wb.active.append([1, "Nguyễn Văn An", "05/01/2026"])
    wb.active.append([2, None, "06/01/2026"])
    path = tmp_path / "tham.xlsx"
    wb.save(path)
    plan = plan_import(store, path, "visits")
    assert plan.header_rows == (2,) and len(plan.rows) == 2
    assert plan.rows[1].messages() == ["Ô B4 (Họ và tên): Chưa ghi tên."]
    result = apply_import(store, plan, valid_only=True)
    assert result.added == 1 and VisitWriter.written[0][0] == "Nguyễn Văn An"
    assert "thêm 1 lượt thăm" in result.summary_lines()[0]
