"""Batch behaviour: incremental skip, resume after SIGKILL, formula neutralization, every export format."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT, SEEDS
from pipeline.store.export import neutralize, read_tables
from pipeline.options import Options
from pipeline.runner import run
from pipeline.store.tables import TABLES


def _variants(folder: Path, n: int) -> Path:
    """n distinct plans (distinct content hashes) made from the seed texts."""
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(n):
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        (folder / f"plan_{i:03d}.txt").write_text(text + f"\n\nBản số {i}.\n", encoding="utf-8")
    return folder


def _tables(out: Path) -> dict:
    return {k: v.sort_values(list(v.columns[:3])).reset_index(drop=True) for k, v in read_tables(out).items()}


def test_incremental_run_processes_only_new_files(tmp_path):
    inputs = _variants(tmp_path / "in", 6)
    first = run([inputs], tmp_path / "out", Options(progress=False, jobs=1))
    assert (first.read, first.skipped) == (6, 0)
    (inputs / "plan_new.txt").write_text((SEEDS / "001_a741927c18dd7b11.txt").read_text(encoding="utf-8") + "\nmới",
                                         encoding="utf-8")
    second = run([inputs], tmp_path / "out", Options(progress=False, jobs=1))
    assert (second.read, second.skipped) == (7, 6)
    assert second.counts["documents"] == 7


def test_resume_after_sigkill_gives_identical_tables(tmp_path):
    inputs = _variants(tmp_path / "in", 40)
    clean = tmp_path / "clean"
    run([inputs], clean, Options(progress=False, jobs=1))
    killed = tmp_path / "killed"
    cmd = [sys.executable, "-m", "pipeline.cli", "run", str(inputs), "--out", str(killed), "-j", "1", "--no-progress"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parts = killed / ".parts"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(parts.glob("*.json"))) < 5:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(list(parts.glob("*.json")))
    assert 5 <= done < 40, "the kill should land mid-batch"
    resumed = run([inputs], killed, Options(progress=False, jobs=1))
    assert resumed.skipped == done
    a, b = _tables(clean), _tables(killed)
    for name in TABLES:
        ka = a[name].drop(columns=["source_path"], errors="ignore")
        kb = b[name].drop(columns=["source_path"], errors="ignore")
        pd.testing.assert_frame_equal(ka, kb, check_dtype=False)


def test_parallel_run_equals_serial_run(tmp_path):
    inputs = _variants(tmp_path / "in", 8)
    run([inputs], tmp_path / "serial", Options(progress=False, jobs=1))
    run([inputs], tmp_path / "parallel", Options(progress=False, jobs=2))
    a, b = _tables(tmp_path / "serial"), _tables(tmp_path / "parallel")
    for name in TABLES:
        pd.testing.assert_frame_equal(a[name], b[name], check_dtype=False)


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://x\",\"bấm\")", "'=HYPERLINK(\"http://x\",\"bấm\")"),
    ("+84 912", "'+84 912"), ("-2", "-2"), ("- Tổ chức", "'- Tổ chức"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("Kế hoạch", "Kế hoạch"), (5, 5),
])
def test_formula_neutralization(value, expected):
    assert neutralize(value) == expected


def test_formula_in_a_document_is_text_in_csv_and_xlsx(tmp_path):
    plan = tmp_path / "f.txt"
    plan.write_text("KẾ HOẠCH\nKế hoạch năm 2026\nI. TỔ CHỨC THỰC HIỆN\n1. Nhà trường\n"
                    "=HYPERLINK(\"http://evil\",\"bấm vào đây\") để báo cáo kết quả\n", encoding="utf-8")
    out = tmp_path / "out"
    run([plan], out, Options(progress=False, jobs=1, formats=("csv", "xlsx")))
    tasks = pd.read_csv(out / "tasks.csv", encoding="utf-8-sig")
    assert tasks["task"].iloc[0].startswith("'=HYPERLINK")
    import openpyxl
    ws = openpyxl.load_workbook(out / "plans.xlsx")["tasks"]
    col = [c.value for c in ws[1]].index("task") + 1
    cell = ws.cell(row=2, column=col)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_every_export_format_round_trips(tmp_path):
    out = tmp_path / "out"
    run([SEEDS], out, Options(progress=False, jobs=1, formats=("csv", "parquet", "duckdb", "xlsx", "jsonl")))
    ref = read_tables(out)                                  # parquet
    import duckdb
    con = duckdb.connect(str(out / "plans.duckdb"), read_only=True)
    for name in TABLES:
        n = len(ref[name])
        assert len(pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig")) == n
        assert len(pd.read_excel(out / "plans.xlsx", sheet_name=name)) == n
        assert sum(1 for _ in open(out / f"{name}.jsonl", encoding="utf-8")) == n
        assert con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == n
    con.close()
    t = ref["targets"]
    back = pd.read_json(out / "targets.jsonl", lines=True)
    assert list(back["sentence"]) == list(t["sentence"])
    assert list(pd.read_excel(out / "plans.xlsx", sheet_name="targets")["value"]) == list(t["value"])


def test_dask_local_cluster_gives_the_same_tables(tmp_path):
    pytest.importorskip("dask.distributed")
    inputs = _variants(tmp_path / "in", 6)
    run([inputs], tmp_path / "local", Options(progress=False, jobs=1))
    run([inputs], tmp_path / "dask", Options(progress=False, jobs=2, executor="dask"))
    a, b = _tables(tmp_path / "local"), _tables(tmp_path / "dask")
    for name in TABLES:
        pd.testing.assert_frame_equal(a[name], b[name], check_dtype=False)


def test_changed_rules_recompute_and_match_a_clean_run(tmp_path):
    """The cache key covers the rule files: a --rules change recomputes and equals a run from scratch."""
    import shutil

    import pandas as pd

    from pipeline.options import Options
    from pipeline.rules import RULES_DIR
    from pipeline.runner import run
    src = tmp_path / "in"
    src.mkdir()
    (src / "plan.txt").write_text("KẾ HOẠCH\nTriển khai năm 2026\nI. NHIỆM VỤ\n- Thường xuyên kiểm tra.\n"
                                  "- 100% học sinh tham gia.\n", encoding="utf-8")
    rules = tmp_path / "rules"
    rules.mkdir()
    shutil.copy(RULES_DIR / "deadlines.yaml", rules / "deadlines.yaml")
    out = tmp_path / "out"
    first = run([src], out, Options(progress=False, jobs=1, formats=("csv",), rules=str(rules)))
    assert first.skipped == 0
    assert run([src], out, Options(progress=False, jobs=1, formats=("csv",), rules=str(rules))).skipped == 1
    text = (rules / "deadlines.yaml").read_text(encoding="utf-8")
    (rules / "deadlines.yaml").write_text(text.replace("regex: 'thường\\s+xuyên'", "regex: 'thường\\s+xuyênX'"),
                                          encoding="utf-8")
    again = run([src], out, Options(progress=False, jobs=1, formats=("csv",), rules=str(rules)))
    clean = run([src], tmp_path / "clean", Options(progress=False, jobs=1, formats=("csv",), rules=str(rules)))
    assert again.skipped == 0
    got, want = pd.read_csv(out / "deadlines.csv"), pd.read_csv(tmp_path / "clean" / "deadlines.csv")
    assert "Thường xuyên" not in set(got["text"]) and got.equals(want)
    assert clean.skipped == 0


def test_two_runs_read_together_with_stable_types(tmp_path):
    """One explicit schema per table: a run with no targets or deadlines writes the same column types as a
    run with them, so their Parquet files read as one dataset; integers are integers and dates are dates."""
    import datetime

    import pyarrow as pa
    import pyarrow.dataset as ds

    from pipeline.options import Options
    from pipeline.runner import run
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "plan.txt").write_text("KẾ HOẠCH\nTriển khai năm 2026\nI. MỤC TIÊU\n- 100% học sinh tham gia "
                                             "trước ngày 15/10/2026.\n", encoding="utf-8")
    (tmp_path / "b" / "note.txt").write_text("Thông báo: họp chi bộ.\n", encoding="utf-8")
    for name in ("a", "b"):
        run([tmp_path / name], tmp_path / f"out_{name}", Options(progress=False, jobs=1, formats=("parquet", "duckdb")))
    for table in ("documents", "targets", "deadlines", "citations", "sections", "tasks", "errors"):
        schemas = [pa.parquet.read_schema(tmp_path / f"out_{n}" / f"{table}.parquet") for n in ("a", "b")]
        assert schemas[0].equals(schemas[1]), table
        ds.dataset([str(tmp_path / f"out_{n}" / f"{table}.parquet") for n in ("a", "b")]).to_table()
    t = ds.dataset(str(tmp_path / "out_a" / "targets.parquet")).to_table()
    assert t.schema.field("char_start").type == pa.int64() and t.schema.field("page").type == pa.int64()
    assert t.schema.field("aspirational").type == pa.bool_()
    d = ds.dataset(str(tmp_path / "out_a" / "deadlines.parquet")).to_table().to_pylist()
    assert [r["end"] for r in d if r["kind"] == "by_date"] == [datetime.date(2026, 10, 15)]
    docs = ds.dataset(str(tmp_path / "out_a" / "documents.parquet")).to_table()
    assert docs.schema.field("n_chars").type == pa.int64() and docs.schema.field("issued_date_value").type == pa.date32()
    import duckdb
    con = duckdb.connect(str(tmp_path / "out_a" / "plans.duckdb"), read_only=True)
    assert con.execute("SELECT typeof(\"end\") FROM deadlines").fetchone()[0] == "DATE"
    con.close()


def test_partial_issue_dates_keep_their_text_and_precision():
    import pandas as pd

    from pipeline.store.tables import typed
    df = typed("documents", pd.DataFrame({"issued_date": ["2026-04-15", "2026-04", None]}))
    assert df["issued_date"].tolist() == ["2026-04-15", "2026-04", None]
    assert df["issued_date_precision"].tolist() == ["day", "month", None]
    assert str(df["issued_date_value"][1]) == "2026-04-01"


def test_xlsx_has_frozen_bold_headers_filters_and_date_cells(tmp_path):
    import datetime

    import openpyxl

    from conftest import SEEDS
    from pipeline.options import Options
    from pipeline.runner import run
    run([SEEDS], tmp_path / "out", Options(progress=False, jobs=1, formats=("xlsx",)))
    ws = openpyxl.load_workbook(tmp_path / "out" / "plans.xlsx")["deadlines"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref and ws["A1"].font.b
    starts = [r[3] for r in ws.iter_rows(min_row=2, values_only=True) if r[3] is not None]
    assert starts and all(isinstance(v, datetime.datetime) for v in starts)
    assert ws.column_dimensions["B"].width > 8


def test_progress_counts_pages_and_its_last_line_stays(tmp_path, capsys):
    from conftest import SAMPLES
    from pipeline.options import Options
    from pipeline.runner import run
    run([SAMPLES / "002_2c6c9c28ea1c9f52.pdf", SAMPLES / "001_a741927c18dd7b11.txt"], tmp_path / "out",
        Options(progress=True, jobs=1, formats=("csv",)))
    err = capsys.readouterr().err
    last = err.replace("\r", "\n").strip().splitlines()[-1]
    assert "6/6" in last and "page" in last and "files 2/2" in last


def test_a_run_owns_its_folder(tmp_path):
    """A rerun into the same folder with other inputs and formats leaves nothing of the earlier run that the
    other commands would read: no old Parquet, compare or audit outputs, texts of documents no longer in the
    run; run.json lists the run's documents and formats; reviews stay. An xlsx-only run is still readable."""
    from click.testing import CliRunner

    from pipeline.cli import main
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for s in seeds[:2]:
        shutil.copy(s, a / s.name)
    shutil.copy(seeds[3], b / seeds[3].name)
    out = tmp_path / "out"
    run([a], out, Options(progress=False, jobs=1, formats=("csv", "parquet", "duckdb")))
    CliRunner().invoke(main, ["compare", str(out)])
    (out / "reviews.sqlite").write_bytes(b"kept")
    assert (out / "documents.parquet").exists() and (out / "compare_indicators.csv").exists()
    run([b], out, Options(progress=False, jobs=1, formats=("xlsx",)))
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert manifest["formats"] == ["csv", "xlsx"] and len(manifest["documents"]) == 1
    assert not list(out.glob("*.parquet")) and not (out / "plans.duckdb").exists()
    assert not (out / "compare_indicators.csv").exists() and (out / "reviews.sqlite").read_bytes() == b"kept"
    assert [p.stem for p in (out / "text").glob("*.txt")] == manifest["documents"]
    assert list(read_tables(out)["documents"]["doc_id"]) == manifest["documents"]


def test_a_table_that_fails_while_written_keeps_the_earlier_one(tmp_path, monkeypatch):
    """Tables are written to a temporary name and renamed: a failure part-way (a full disk) leaves the
    earlier whole file in place and no temporary file behind."""
    import pandas as pd
    import pyarrow.parquet as pq

    from pipeline.store import export as ex
    from pipeline.store.tables import COLUMNS

    def docs(doc_id):
        return {"documents": pd.DataFrame([{**dict.fromkeys(COLUMNS["documents"]), "doc_id": doc_id}])}
    frames = docs("a")
    ex.export(frames, tmp_path, ("csv", "parquet"))
    before = (tmp_path / "documents.parquet").read_bytes()

    def full_disk(table, where, **kw):
        Path(where).write_bytes(b"PAR1 half")
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(pq, "write_table", full_disk)
    with pytest.raises(OSError):
        ex.export(docs("b"), tmp_path, ("parquet",))
    assert (tmp_path / "documents.parquet").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_file_changed_or_deleted_mid_run_is_not_cached(tmp_path, monkeypatch):
    """The cache key is the content listed; rows are of the content read. A file rewritten in between is not
    cached under the first content's key (its rows say so), and a file deleted in between is not cached as
    missing for ever: both are read again next run."""
    from pipeline import runner as rn
    inputs = tmp_path / "in"
    inputs.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    changed, gone = inputs / "a.txt", inputs / "b.txt"
    changed.write_text(seeds[0].read_text(encoding="utf-8"), encoding="utf-8")
    gone.write_text(seeds[2].read_text(encoding="utf-8"), encoding="utf-8")
    real = rn._part_key

    def listed_then_touched(path, opts, tag=None):
        key = real(path, opts, tag)
        if path.name == "a.txt":
            path.write_text(seeds[3].read_text(encoding="utf-8"), encoding="utf-8")
        elif path.name == "b.txt":
            path.unlink()
        return key
    monkeypatch.setattr(rn, "_part_key", listed_then_touched)
    out = tmp_path / "out"
    run([inputs], out, Options(progress=False, jobs=1, formats=("csv",)))
    assert not list((out / ".parts").glob("*.json"))
    tables = read_tables(out)
    errors = {r["error_type"] for r in tables["errors"].to_dict("records")}
    warnings = {r["error_type"] for r in tables["warnings"].to_dict("records")}
    assert "not_found" in errors and "changed" in warnings      # read, but of other bytes: a warning


def test_one_extractor_failing_keeps_every_other_table(monkeypatch):
    """An exception inside one extractor (here targets) leaves that table empty and writes one errors row
    with stage extract:targets; sections, citations, deadlines, tasks and the document row are kept."""
    import importlib

    from pipeline.runner import process_file
    ex = importlib.import_module("pipeline.understand.extract")     # the package, not the function pipeline exports

    def broken(*args, **kwargs):
        raise RuntimeError("injected")
    monkeypatch.setattr(ex, "find_targets", broken)
    seed = sorted(SEEDS.glob("*.txt"))[3]
    result = process_file(str(seed), Options(progress=False, formats=("csv",)))
    rows = result["rows"]
    assert not rows["targets"]
    assert all(rows[t] for t in ("sections", "citations", "deadlines", "tasks", "documents"))
    (err,) = rows["errors"]
    assert err["stage"] == "extract:targets" and "injected" in err["message"]


def test_workers_report_the_page_they_are_on(tmp_path, capsys):
    """Issue 24: the bar sat at "0/36 page" until a whole scan ended and never named the file. Workers
    now note each page; the parent shows pages read so far and the files in hand."""
    from pipeline import progress
    chan = tmp_path / "chan"
    progress.set_channel(chan)
    try:
        progress.report("/in/ke_hoach.pdf", 3, 36)
        assert progress.read(chan) == {"/in/ke_hoach.pdf": (3, 36)}
        progress.clear(chan, "/in/ke_hoach.pdf")
        assert progress.read(chan) == {}
    finally:
        progress.set_channel(None)
    from pdfmaker import make_pdf
    pdf = tmp_path / "in" / "plan.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(make_pdf(["Ke hoach so 1 nam 2026 trien khai"] * 3))
    run([pdf.parent], tmp_path / "out", Options(progress=True, jobs=1, formats=("csv",)))
    err = capsys.readouterr().err
    assert "page" in err and "files 1/1" in err


def test_compare_pages_name_indicators_as_the_runs_own_rules_do(tmp_path):
    """Issue 22: the compare page and the review app named indicators from the bundled rules, whatever
    --rules the run was made with."""
    from pipeline.analyse.compare import write_compare
    from pipeline.options import Options
    from pipeline.rules import RULES_DIR
    from pipeline.runner import run
    from pipeline.present.serve import RunData, _compare_rows
    src = tmp_path / "in"
    src.mkdir()
    (src / "plan.txt").write_text("KẾ HOẠCH\nTriển khai Bình dân học vụ số năm 2026\nI. MỤC TIÊU\n"
                                  "- Mỗi trường đăng tối thiểu 02 tin/bài/tháng.\n", encoding="utf-8")
    rules = tmp_path / "rules"
    rules.mkdir()
    text = (RULES_DIR / "targets.yaml").read_text(encoding="utf-8")
    assert 'posts_per_month: "Tin, bài mỗi tháng / posts per month"' in text
    (rules / "targets.yaml").write_text(text.replace('posts_per_month: "Tin, bài mỗi tháng / posts per month"',
                                                     'posts_per_month: "Bài đăng hằng tháng (quy tắc riêng)"'),
                                        encoding="utf-8")
    out = tmp_path / "out"
    run([src], out, Options(progress=False, jobs=1, formats=("csv",), rules=str(rules)))
    write_compare(out)
    page = (out / "compare.html").read_text(encoding="utf-8")
    assert "Bài đăng hằng tháng (quy tắc riêng)" in page and "posts per month" not in page
    _, indicators, _ = _compare_rows(RunData(out), {})
    assert {"id": "posts_per_month", "label": "Bài đăng hằng tháng (quy tắc riêng)"} in indicators
