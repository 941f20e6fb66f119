"""Benchmarks of the report and the printed lists on the large demo (issue 4).

    .venv/bin/python bench/bench_report.py [--repeat N]

Budgets: building and rendering the quarterly report under 1.5 s median; a 2,000-member
list PDF under 3 s median. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DEMO_TODAY, large_store, measure, report
from chapter_app.domain.periods import parse_period
from chapter_app.services.pdf.lists import render_list
from chapter_app.services.pdf.report import render_pdf
from chapter_app.services.report.data import build_report
from chapter_app.services.report.lists import ListGroup, build_member_list

LIST_ROWS = 2000


def member_list_of(store, rows: int):
    """The member list of as many branches as it takes to reach ``rows`` members, cut there."""
    names, data = [], None
    for branch in store.branches.list():
        names.append(branch.name)
        data = build_member_list(store, branches=names, printed_on=DEMO_TODAY)
        if data.row_count >= rows:
            break
    groups, left = [], rows
    for group in data.groups:
        taken = group.rows[:left]
        groups.append(ListGroup(group.heading, taken))
        left -= len(taken)
        if not left:
            break
    return names, replace(data, groups=tuple(groups))


def bare_reportlab(data) -> bytes:
    """The baseline: the same paragraphs and annex rows laid out by reportlab alone (one
    font, no letterhead, checks or page templates)."""
    import io

    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    from chapter_app.services.pdf.base import FONT, register_fonts

    register_fonts()
    style = getSampleStyleSheet()["BodyText"]
    style.fontName = FONT
    story = [Paragraph(p, style) for s in data.narrative for p in s.text.split("\n") if p]
    rows = [[r.label, r.unit, r.period, r.ytd, r.last_year, r.change] for r in data.indicators]
    rows += [[g.name, "", g.records, g.person_times, g.value, g.ytd_value] for g in
             data.by_campaign]  # fmt: skip
    story.append(Table(rows, repeatRows=1, style=[("FONTNAME", (0, 0), (-1, -1), FONT)]))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build(story)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    store = large_store()
    print(f"people: {store.people.count():,}  aid records: {store.aid.count():,}")
    period = parse_period("2026-Q3")

    data = build_report(store, period, number=12, issued_on=DEMO_TODAY)
    pdf = render_pdf(data)
    print(f"quarterly report: {len(pdf):,} bytes, {len(data.by_campaign)} campaigns")
    report(
        "report 2026-Q3: build_report",
        measure(lambda: build_report(store, period, issued_on=DEMO_TODAY), repeat=args.repeat),
    )
    report("report 2026-Q3: render_pdf", measure(lambda: render_pdf(data), repeat=args.repeat))
    full = report(
        "report 2026-Q3: build + render",
        measure(
            lambda: render_pdf(build_report(store, period, issued_on=DEMO_TODAY)),
            repeat=args.repeat,
        ),
        budget_ms=1500,
    )
    inside = parse_period("2026-Q4")  # dated 23/11: the figures stop at the report's date
    report(
        "report 2026-Q4 dated inside: build + render",
        measure(
            lambda: render_pdf(build_report(store, inside, issued_on=DEMO_TODAY)),
            repeat=args.repeat,
        ),
        budget_ms=1500,
    )
    baseline = report(
        "baseline: bare reportlab, same text and rows",
        measure(lambda: bare_reportlab(data), repeat=args.repeat),
    )
    print(f"ratio build + render / bare reportlab: {full['median_ms'] / baseline['median_ms']:.1f}")

    names, members = member_list_of(store, LIST_ROWS)
    pdf = render_list(members)
    print(f"member list: {members.row_count:,} rows from {len(names)} branches, {len(pdf):,} bytes")
    report(
        f"member list ({len(names)} branches): build data",
        measure(
            lambda: build_member_list(store, branches=names, printed_on=DEMO_TODAY),
            repeat=args.repeat,
        ),
    )
    report(
        f"member list: render {LIST_ROWS:,} rows",
        measure(lambda: render_list(members), repeat=args.repeat),
        budget_ms=3000,
    )
    store.close()


if __name__ == "__main__":
    main()
