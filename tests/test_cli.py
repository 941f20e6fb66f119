"""The command line as a new user runs it: init, demo, stats; errors give clear messages."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from chapter_app.cli import main


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "chapter_app", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )


def test_init_demo_and_stats_json_work_end_to_end(tmp_path):
    db = tmp_path / "xa.db"
    result = run_cli(
        "init",
        "--db",
        str(db),
        "--chapter-name",
        "Hội CTĐ xã Tịnh Kỳ",
        "--parent",
        "Hội CTĐ tỉnh Quảng Ngãi",
        "--place",
        "Tịnh Kỳ",
    )
    assert result.returncode == 0, result.stderr
    assert "Hội CTĐ xã Tịnh Kỳ" in result.stdout
    result = run_cli("demo", "--db", str(db), "--seed", "3", "--today", "2026-11-23")
    assert result.returncode == 0, result.stderr
    result = run_cli("stats", "--db", str(db), "--period", "2026-Q3", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"period", "ytd", "last_year"}
    assert data["period"]["members"]["total_end"] > 0
    assert isinstance(data["period"]["aid"]["value_total"], int)
    assert data["period"]["aid"]["value_total"] == (
        data["period"]["aid"]["value_cash"] + data["period"]["aid"]["value_goods"]
    )
    assert data["ytd"]["aid"]["records"] >= data["period"]["aid"]["records"]
    campaigns = data["period"]["aid"]["by_campaign"]
    assert sum(c["value"] for c in campaigns.values()) == data["period"]["aid"]["value_total"]


def test_stats_table_is_readable_vietnamese(tmp_path, capsys):
    db = tmp_path / "xa.db"
    assert main(["init", "--db", str(db), "--chapter-name", "Hội CTĐ xã A"]) == 0
    assert main(["demo", "--db", str(db), "--today", "2026-11-23"]) == 0
    capsys.readouterr()
    assert main(["stats", "--db", str(db), "--period", "2026"]) == 0
    out = capsys.readouterr().out
    assert "Kỳ báo cáo: năm 2026" in out
    assert "Tổng số hội viên" in out
    assert " đ" in out


def test_demo_is_deterministic_for_a_seed(tmp_path):
    outputs = []
    for name in ("a.db", "b.db"):
        db = tmp_path / name
        assert main(["demo", "--db", str(db), "--seed", "5", "--today", "2026-06-30"]) == 0
        result = run_cli("stats", "--db", str(db), "--period", "2026-H1", "--json")
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    "args, message",
    [
        (["stats", "--db", "{db}", "--period", "2026-Q5"], "Không hiểu kỳ báo cáo"),
        (["stats", "--db", "{missing}", "--period", "2026"], "Không tìm thấy tệp dữ liệu"),
        (["init", "--db", "{db}", "--chapter-name", "X"], "đã có"),
        (["demo", "--db", "{db}"], "đã có dữ liệu"),
    ],
)
def test_errors_exit_non_zero_with_a_vietnamese_message(tmp_path, args, message):
    db = tmp_path / "x.db"
    assert main(["init", "--db", str(db), "--chapter-name", "Hội CTĐ xã A"]) == 0
    assert main(["demo", "--db", str(db), "--today", "2026-11-23"]) == 0
    filled = [a.format(db=db, missing=tmp_path / "none.db") for a in args]
    result = run_cli(*filled)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_command_line_options_are_usage_errors(tmp_path):
    result = run_cli("stats", "--period")
    assert result.returncode == 2
    assert "lỗi" in result.stderr


def test_a_file_that_is_not_a_database_gives_a_clear_message(tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("đây không phải cơ sở dữ liệu " * 100, encoding="utf-8")
    before = bogus.read_bytes()
    result = run_cli("stats", "--db", str(bogus), "--period", "2026")
    assert result.returncode == 1
    assert "không phải tệp dữ liệu của chương trình" in result.stderr  # as the window says
    assert "Traceback" not in result.stderr
    assert bogus.read_bytes() == before


def test_argparse_speaks_vietnamese_in_errors_and_help(capsys):
    for argv, expected in (
        (["import", "members"], "còn thiếu tham số bắt buộc: file"),
        (["activities", "add", "bogus", "--db", "x.db"], "«bogus» không có trong danh sách"),
        (
            ["stats", "--db", "x.db", "--period", "2026", "--bogus"],
            "không hiểu các tham số: --bogus",
        ),
    ):
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 2
        err = capsys.readouterr().err
        assert expected in err and "lỗi:" in err, err
        assert "required" not in err and "invalid" not in err and "usage" not in err
    with pytest.raises(SystemExit):
        main(["activities", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("cách dùng: chapter-app activities") and "tùy chọn:" in out
    assert "xem hướng dẫn này rồi thoát" in out


def test_every_command_s_help_is_in_vietnamese(capsys):
    """No argparse text is left in English, on the top level or any sub-command's help."""
    from chapter_app.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    for argv in ([], *([name] for name in commands)):
        with pytest.raises(SystemExit):
            main([*argv, "--help"])
        out = capsys.readouterr().out
        for english in ("show program", "show this help", "usage:", "options:", "positional"):
            assert english not in out, (argv, english)
