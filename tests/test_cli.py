"""The command line on real documents: tables and columns of SPEC.md, BOM, DuckDB, exit codes."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import GOLD, SAMPLES, SEEDS, csv_rows as _rows
from pipeline.cli import main
from pipeline.options import Options
from pipeline.runner import run

SPEC = {
    "documents": "doc_id, source_path, sha256, n_pages, ocr_pages, doc_type, doc_number, issuer, parent_issuer, title, "
                 "place, issued_date, signer_name, signer_title, unit_level, school_level, province",
    "sections": "doc_id, section_path, level, number, title, kind, char_start, char_end, page",
    "citations": "doc_id, key, doc_type, number, year, symbol, issued_date, issuer, subject, role, mentions, "
                 "char_start, char_end, page, section_path, text",
    "targets": "doc_id, target_id, value, value_max, unit, comparator, aspirational, population, indicator, period, "
               "deadline_start, deadline_end, sentence, char_start, char_end, page, section_path",
    "deadlines": "doc_id, text, kind, start, end, recurrence, applies_to, char_start, char_end, page, section_path",
    "tasks": "doc_id, task, lead, partners, output, timeline, deadline_start, deadline_end, char_start, char_end, "
             "page, section_path",
    "errors": "source_path, doc_id, stage, error_type, message",
}


@pytest.fixture(scope="module")
def pdf_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    result = CliRunner().invoke(main, ["run", str(SAMPLES / "002_2c6c9c28ea1c9f52.pdf"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_every_spec_table_and_column(pdf_run):
    for table, cols in SPEC.items():
        raw = (pdf_run / f"{table}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), table
        df = pd.read_csv(pdf_run / f"{table}.csv", encoding="utf-8-sig")
        assert list(df.columns[: len(cols.split(", "))]) == cols.split(", ")
        assert (pdf_run / f"{table}.parquet").exists()


def test_pdf_rows_have_pages_and_spans_into_the_text(pdf_run):
    docs = pd.read_csv(pdf_run / "documents.csv", encoding="utf-8-sig")
    (doc,) = docs.to_dict("records")
    assert (doc["n_pages"], doc["ocr_pages"], doc["issuer"], doc["signer_title"]) == \
        (5, 0, "Sở Giáo dục và Đào tạo tỉnh Đắk Lắk", "Giám đốc")
    text = (pdf_run / "text" / f"{doc['doc_id']}.txt").read_text(encoding="utf-8")
    targets = pd.read_csv(pdf_run / "targets.csv", encoding="utf-8-sig")
    assert len(targets) == 11 and set(targets["page"]) == {1, 2, 3, 4}
    for r in targets.to_dict("records"):
        assert str(int(r["value"])) in text[r["char_start"]:r["char_end"]]
        assert text.count("\f", 0, r["char_start"]) + 1 == r["page"]


def test_duckdb_holds_the_same_rows(pdf_run):
    import duckdb
    con = duckdb.connect(str(pdf_run / "plans.duckdb"), read_only=True)
    for table in SPEC:
        n = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        assert n == len(pd.read_csv(pdf_run / f"{table}.csv", encoding="utf-8-sig")), table
    con.close()


def test_exit_1_and_summary_when_a_file_fails(tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 nope")
    shutil.copy(SEEDS / "000_128bace28e546b8b.txt", tmp_path)
    result = CliRunner().invoke(main, ["run", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "1/2 files read" in result.output and "broken.pdf: [corrupt]" in result.output


def test_exit_2_for_usage_errors(tmp_path):
    assert CliRunner().invoke(main, ["run", "--out", str(tmp_path)]).exit_code == 2
    assert CliRunner().invoke(main, ["run", "x.pdf", "--out", str(tmp_path), "--ocr", "maybe"]).exit_code == 2


def test_eval_and_explain_commands(tmp_path):
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["run", str(SEEDS), "--out", str(out)]).exit_code == 0
    result = CliRunner().invoke(main, ["eval", "--out", str(out), "--gold", str(GOLD)])
    assert result.exit_code == 0
    assert "citations" in result.output and "F1" in result.output
    result = CliRunner().invoke(main, ["explain", str(SEEDS / "002_2c6c9c28ea1c9f52.txt"), "--only", "deadlines"])
    assert "[[Quý II/2026]]" in result.output


def test_text_command_prints_normalized_text():
    result = CliRunner().invoke(main, ["text", str(SEEDS / "003_cde70750019bb95c.txt")])
    assert result.exit_code == 0
    assert "**" not in result.output and "<sup>" not in result.output
    assert "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n" in result.output


def test_exit_3_when_a_dependency_is_missing(tmp_path, monkeypatch):
    import pipeline.reading.ingest.docx as docx_mod
    monkeypatch.setattr(docx_mod.shutil, "which", lambda name: None)
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600)
    result = CliRunner().invoke(main, ["run", str(tmp_path / "old.doc"), "--out", str(tmp_path / "out"), "-j", "1"])
    assert result.exit_code == 3 and "missing_dependency" in result.output


def test_a_run_that_would_read_nothing_or_write_into_its_inputs_is_refused(tmp_path):
    """No file to read, or --out that is the input folder (the tables would land among the plans), is a
    usage error (exit 2) before anything is written; a malformed mandate catalog is one too."""
    empty, plans = tmp_path / "empty", tmp_path / "plans"
    empty.mkdir(), plans.mkdir()
    shutil.copy(sorted(SEEDS.glob("*.txt"))[0], plans)
    res = CliRunner().invoke(main, ["run", str(empty), "--out", str(tmp_path / "o1")])
    assert res.exit_code == 2 and "no input file" in res.output
    res = CliRunner().invoke(main, ["run", str(plans), "--out", str(plans)])
    assert res.exit_code == 2 and sorted(p.name for p in plans.iterdir()) == [sorted(SEEDS.glob("*.txt"))[0].name]
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["run", str(plans), "--out", str(out), "--format", "csv"]).exit_code == 0
    # the output named last, as `cp` takes it; never a second input folder
    other = tmp_path / "more_plans"
    other.mkdir()
    shutil.copy(sorted(SEEDS.glob("*.txt"))[1], other)
    res = CliRunner().invoke(main, ["run", str(plans), str(other)])
    assert res.exit_code == 2 and "--out" in res.output and len(list(other.iterdir())) == 1
    assert CliRunner().invoke(main, ["run", str(plans)]).exit_code == 2
    for last in (str(tmp_path / "scans" / "*.pdf"), str(tmp_path / "typo.pdf")):   # a quoted glob, a missing file
        res = CliRunner().invoke(main, ["run", str(plans), last])
        assert res.exit_code == 2 and "looks like an input" in res.output and not Path(last).exists()
    res = CliRunner().invoke(main, ["run", str(plans), str(other), str(tmp_path / "out2"), "--format", "csv"])
    assert res.exit_code == 0 and len(_rows(tmp_path / "out2" / "documents.csv")) == 2
    assert CliRunner().invoke(main, ["run", str(plans), str(out), "--format", "csv"]).exit_code == 0  # a run folder
    bad = tmp_path / "mandates.csv"
    bad.write_text("mandate_id,indicator\nX,y\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["audit", str(out), "--mandates", str(bad)])
    assert res.exit_code == 2 and "min_value" in res.output


def test_text_and_explain_run_under_the_limits_of_a_run(tmp_path):
    """`kehoach explain` on a file whose extraction takes longer than --timeout stops with a one-line
    error (exit 1) instead of running on; within the limits it prints as before."""
    big = tmp_path / "big.txt"
    big.write_text("KẾ HOẠCH\n" + ("100% học sinh được trang bị kỹ năng số. " * 20 + "\n") * 3000, encoding="utf-8")
    res = CliRunner().invoke(main, ["explain", str(big), "--timeout", "1"])
    assert res.exit_code == 1 and "[timeout]" in res.output
    seed = sorted(SEEDS.glob("*.txt"))[2]
    res = CliRunner().invoke(main, ["text", str(seed), "--timeout", "60"])
    assert res.exit_code == 0 and res.output.startswith("KẾ HOẠCH")


def test_help_puts_everyday_commands_first_in_vietnamese_and_english():
    """Issue 24: user and developer commands were mixed, English only."""
    out = CliRunner().invoke(main, ["--help"]).output
    assert out.index("Dùng hằng ngày / everyday") < out.index("Cho người phát triển / for developers")
    assert "Đọc kế hoạch thành bảng / Read INPUT" in out
    for cmd in ("run", "summary", "serve", "compare", "audit", "export", "text", "explain"):
        assert "Example: kehoach" in CliRunner().invoke(main, [cmd, "--help"]).output, cmd


def test_summary_of_many_plans_is_a_digest(tmp_path):
    """Issue 24: `summary` printed 1,517 lines at 500 plans."""
    from pipeline.dev.bench import make_text_batch
    make_text_batch(tmp_path / "in", 60)
    run([tmp_path / "in"], tmp_path / "out", Options(progress=False, jobs=2, formats=("csv",)))
    short = CliRunner().invoke(main, ["summary", str(tmp_path / "out")]).output
    full = CliRunner().invoke(main, ["summary", str(tmp_path / "out"), "--all"]).output
    assert len(short.splitlines()) < 50 < len(full.splitlines())
    assert "Theo tỉnh / by province:" in short and "errors.csv: 0 error(s)" in short and "warnings.csv:" in short
    assert "Từng kế hoạch / each plan" not in short and "Từng kế hoạch / each plan" in full
    assert f"kehoach serve {tmp_path / 'out'}" in short                       # where to go next
    # the plans that need a look come first: a generated school plan states no target at all
    needs = short.split("Cần xem trước / needs a look first")[1].split("\n\n")[0]
    assert "không có chỉ tiêu nào / no targets" in needs and "school" not in short and "trường" in short


def test_what_a_reading_notes_is_not_counted_as_an_error(tmp_path):
    """Issue 24: OCR notes were counted as errors (25 of 26 rows on the scans), burying the page that needs
    a human. Each errors row has a severity: error (file not read), warning (check by hand), note."""
    from pipeline.runner import process_file, severity_of
    assert severity_of("ocr_prep") == severity_of("ocr_tone_repair") == severity_of("format") == "note"
    assert severity_of("ocr_low_confidence") == severity_of("truncated") == "warning"
    import shutil
    from conftest import SHARED_FIXTURES, need_shared
    need_shared()
    doc = tmp_path / "renamed.doc"
    shutil.copy(SHARED_FIXTURES / "000_128bace28e546b8b.docx", doc)
    rows = process_file(str(doc), Options(progress=False))["rows"]
    assert [(e["error_type"], e["severity"]) for e in rows["errors"]] == [("format", "note")]
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    (err,) = process_file(str(bad), Options(progress=False))["rows"]["errors"]
    assert err["severity"] == "error"


def test_warnings_and_notes_have_their_own_table(tmp_path):
    """Issue 24: warnings in their own table, not in errors. A Word file named .doc is read (a note), a broken
    PDF is not (an error)."""
    import shutil
    from conftest import SHARED_FIXTURES, need_shared
    need_shared()
    (tmp_path / "in").mkdir()
    shutil.copy(SHARED_FIXTURES / "000_128bace28e546b8b.docx", tmp_path / "in" / "renamed.doc")
    (tmp_path / "in" / "bad.pdf").write_bytes(b"%PDF-1.4 broken")
    res = CliRunner().invoke(main, ["run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--format", "csv"])
    assert res.exit_code == 1 and "1 error(s)" in res.output and "0 warning(s) to check by hand, 1 note(s)" in res.output
    errors = pd.read_csv(tmp_path / "out" / "errors.csv")
    warnings = pd.read_csv(tmp_path / "out" / "warnings.csv")
    assert list(errors["error_type"]) == ["corrupt"] and list(warnings["error_type"]) == ["format"]
    assert list(warnings["severity"]) == ["note"]
