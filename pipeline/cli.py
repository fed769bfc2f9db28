"""kehoach command line: thin wrappers over runner, score and audit."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from .errors import ExitCode, KehoachError


class _Commands(click.Group):
    """Every command ends with one plain line and a documented exit code, never a traceback
    (-vv shows the traceback of an internal error)."""

    def format_commands(self, ctx, formatter):
        for title, names in (("Dùng hằng ngày / everyday", EVERYDAY), ("Cho người phát triển / for developers", DEVELOPER)):
            rows = []
            for name, vi in names.items():
                cmd = self.get_command(ctx, name)
                if cmd is not None and not cmd.hidden:
                    rows.append((name, f"{vi} / {cmd.get_short_help_str(60)}"))
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("kehoach: interrupted; finished files are kept and a re-run resumes", err=True)
            sys.exit(ExitCode.INTERRUPTED)
        except _Terminated:
            click.echo("kehoach: terminated; finished files are kept and a re-run resumes", err=True)
            sys.exit(ExitCode.TERMINATED)
        except KehoachError as exc:
            click.echo(f"kehoach: {exc}", err=True)
            sys.exit(ExitCode.MISSING_DEPENDENCY if exc.error_type == "missing_dependency" else ExitCode.ENVIRONMENT)
        except OSError as exc:
            where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
            click.echo(f"kehoach: {exc.strerror or exc}{where}", err=True)
            sys.exit(ExitCode.ENVIRONMENT)
        except Exception as exc:                # noqa: BLE001 - reported in one line, traceback with -vv
            logging.getLogger(__name__).debug("internal error", exc_info=True)
            click.echo(f"kehoach: internal error: {type(exc).__name__}: {exc} (run with -vv for details)", err=True)
            sys.exit(ExitCode.ENVIRONMENT)


# the command list of `kehoach --help`: what a user runs, then what a developer runs; Vietnamese first
EVERYDAY = {"run": "Đọc kế hoạch thành bảng", "summary": "Tóm tắt một lần chạy", "serve": "Mở ứng dụng xem và duyệt",
            "compare": "So sánh các đơn vị", "audit": "Kiểm tra chỉ tiêu bắt buộc", "export": "Xuất bảng (CSV, XLSX ...)",
            "indicators": "Danh mục chỉ số", "text": "Văn bản đã chuẩn hóa của một tệp",
            "explain": "Giải thích từng bản ghi của một tệp", "graph": "Đồ thị trích dẫn"}
DEVELOPER = {"eval": "Chấm điểm theo dữ liệu chuẩn", "robustness": "Độ bền trước cách trình bày khác",
             "ablate": "Bỏ từng luật, xem tài liệu nào đổi", "bench": "Đo tốc độ"}


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread so that the batch stops like on Ctrl-C."""


def _on_sigterm(_signum, _frame):
    raise _Terminated()


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kehoach", prog_name="kehoach")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def main(verbose: int) -> None:
    """kehoach: Vietnamese plan documents (Kế hoạch) -> clean, comparable tables.

    Exit status: 0 all inputs read; 1 some inputs failed (a row each in errors.csv); 2 usage error;
    3 a dependency is missing; 4 the output folder or environment is the problem (busy, not writable,
    full, no run in it); 130 interrupted; 143 terminated.
    """
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    import signal
    signal.signal(signal.SIGTERM, _on_sigterm)


def require_run(out) -> None:
    """The commands that read a run need one: documents with at least one document read."""
    from .errors import OutputProblem
    from .store.export import read_tables
    docs = read_tables(Path(out)).get("documents")
    if docs is None:
        raise OutputProblem(f"{out} holds no kehoach run (no documents table); run `kehoach run INPUT {out}` first")
    if len(docs) == 0:
        raise OutputProblem(f"{out} holds a run in which no document was read; see {Path(out) / 'errors.csv'}")


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out", default=None, type=click.Path(file_okay=False),
              help="Output folder; the same as naming it last (kehoach run IN... OUT).")
@click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="OCR pages without a usable text layer (auto), every page, or none.")
@click.option("-j", "--jobs", type=int, default=0, help="Worker processes (default: all cores).")
@click.option("--timeout", type=int, default=900, show_default=True, help="Seconds allowed per file.")
@click.option("--max-pages", type=int, default=300, show_default=True, help="Pages read per PDF.")
@click.option("--max-memory", type=int, default=4096, show_default=True,
              help="MiB of address space per worker process; a file that needs more gets an errors row (0: no cap).")
@click.option("--format", "formats", multiple=True, default=("csv", "parquet", "duckdb"), show_default=True,
              type=click.Choice(["csv", "parquet", "duckdb", "xlsx", "jsonl"]), help="Output formats.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: worker processes on this machine; dask: a dask cluster (--scheduler, or a local one).")
@click.option("--scheduler", default=None, help="dask.distributed scheduler address (with --executor dask).")
@click.option("--rules", type=click.Path(exists=True, file_okay=False), default=None,
              help="Folder of rule YAML files that override the bundled ones.")
@click.option("--force", is_flag=True, help="Re-process files already in the output folder.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@click.option("--pages-as-document", is_flag=True,
              help="The page images (.jpg, .png, .tif) of one folder are one plan, its pages in name order.")
def run(inputs, out, ocr, jobs, timeout, max_pages, max_memory, formats, executor, scheduler, rules, force, no_progress,
        pages_as_document):
    """Read INPUT files, folders or globs and write the tables to OUT, the last name given (or --out).

    Example: kehoach run plans/ scans/*.pdf out/ -j 4"""
    inputs, out = _split_out(inputs, out)
    from .options import Options
    from .runner import run as run_batch
    try:
        opts = Options(ocr=ocr, jobs=jobs, timeout=timeout, max_pages=max_pages, max_memory_mb=max_memory,
                       formats=tuple(formats),
                       executor=executor, scheduler=scheduler, rules=rules, force=force,
                       pages_as_document=pages_as_document,
                       progress=not no_progress and sys.stderr.isatty())
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    if rules:
        from .rules import Rules, RulesError
        try:
            Rules(rules).check()                 # a bad rule file stops the run before any file is read
        except RulesError as exc:
            raise click.UsageError(str(exc)) from exc
    _check_inputs(inputs, out)
    s = run_batch(inputs, out, opts)
    click.echo(f"{s.read}/{s.files} files read ({s.skipped} already done), {s.pages} pages, "
               f"{s.ocr_pages} OCR pages, {s.seconds:.1f} s -> {out}")
    click.echo("  " + ", ".join(f"{k}: {v}" for k, v in s.counts.items() if k not in ("errors", "warnings")))
    sev = s.severity or {"error": s.counts.get("errors", 0)}
    if any(sev.values()):
        click.echo(f"  errors.csv: {sev.get('error', 0)} error(s) (not read, or a stage failed); warnings.csv: "
                   f"{sev.get('warning', 0)} warning(s) to check by hand, {sev.get('note', 0)} note(s)")
    if s.failed:
        click.echo(f"{s.failed} file(s) failed; see {Path(out) / 'errors.csv'}", err=True)
        for path, etype, msg in s.failures[:10]:
            click.echo(f"  {path}: [{etype}] {msg}", err=True)
        missing = any(etype == "missing_dependency" for _, etype, _ in s.failures)
        sys.exit(ExitCode.MISSING_DEPENDENCY if missing else ExitCode.SOME_FAILED)


def _split_out(inputs: tuple, out: str | None) -> tuple[tuple, str]:
    """`run IN... OUT` as `cp` takes it: without --out the last name is the output folder. It must be new,
    empty or a kehoach run, so that a second input folder is never taken for the output and written into."""
    if out is not None:
        return inputs, out
    if len(inputs) < 2:
        raise click.UsageError("name the output folder: kehoach run INPUT... OUT (or --out OUT)")
    *inputs, out = inputs
    p = Path(out)
    from .reading.ingest import SUFFIXES
    if any(ch in out for ch in "*?[") or (not p.exists() and p.suffix.lower() in SUFFIXES):
        raise click.UsageError(f"{out} looks like an input (a pattern or a file name), not an output folder; "
                               f"name the output folder last, or with --out")
    if p.exists() and (not p.is_dir() or (any(p.iterdir()) and not (p / "run.json").exists()
                                           and not (p / "documents.csv").exists())):
        raise click.UsageError(f"{out} is not a new, empty or kehoach output folder; if it is an input, "
                               f"name the output with --out")
    return tuple(inputs), out


def _limits(fn):
    """--timeout and --max-memory, as `run` has them: one file is read in a worker under both."""
    fn = click.option("--max-memory", type=int, default=4096, show_default=True,
                      help="MiB of address space for the worker (0: no cap).")(fn)
    return click.option("--timeout", type=int, default=900, show_default=True, help="Seconds allowed.")(fn)


def _check_inputs(inputs, out) -> None:
    """Refuse, before anything is written, an output folder that is an input (the run would write its
    tables among the plans and read them next time) and a batch with no file to read."""
    from .runner import collect_inputs
    target = Path(out).resolve()
    for i in inputs:
        p = Path(i)
        if p.exists() and (p.resolve() == target or target in p.resolve().parents):
            raise click.UsageError(f"--out {out} is the input {i} or holds it; choose another output folder")
    if not collect_inputs(inputs, exclude=[out]):
        raise click.UsageError(f"no input file found in {', '.join(inputs)}")


@main.command()
@click.argument("input_path", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out", type=click.Path(file_okay=False), default=None,
              help="Write <doc_id>.txt here instead of printing.")
@click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto",
              help="auto: OCR only pages without a usable text layer.")
@click.option("--raw", is_flag=True, help="Print the OCR pages as Tesseract read them, before any repair.")
@_limits
def text(input_path, out, ocr, raw, timeout, max_memory):
    """Ingest and normalize one file; print (or save) its normalized text. Every change the OCR repair
    made is listed on stderr (page, offset into the raw reading, before -> after, why).

    Example: kehoach text scan.pdf --raw"""
    from .errors import KehoachError
    from .runner import in_worker
    try:
        doc_id, text_, notes = in_worker(_text_job, input_path, ocr, raw, timeout=timeout, max_memory_mb=max_memory)
    except KehoachError as exc:
        raise click.ClickException(f"[{exc.error_type}] {exc}") from exc
    for note in notes:
        click.echo(note, err=True)
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        path = Path(out) / (f"{doc_id}.ocr.txt" if raw else f"{doc_id}.txt")
        path.write_text(text_, encoding="utf-8")
        click.echo(str(path))
    else:
        click.echo(text_)


def _text_job(input_path, ocr, raw=False) -> tuple[str, str, list[str]]:
    """In the worker: the normalized text (or the raw OCR reading) and what the reading noted (OCR per
    page, each repair, warnings)."""
    from .reading.ingest import read
    from .reading.ingest.repair import low_confidence_share
    from .reading.normalize import normalize
    source = read(input_path, ocr=ocr)
    doc = normalize(source)
    notes = []
    for i, p in enumerate(source.pages, 1):
        if p.ocr:
            dpi = f", scan {p.source_dpi:g} dpi" if p.source_dpi else ""
            conf = f"{p.confidence:.0f}" if p.confidence is not None else "-"
            low = low_confidence_share(p)
            notes.append(f"page {i}: OCR, preparation {p.prep or 'gray'}{dpi}, mean confidence {conf}, "
                         f"words read with low confidence {low if low is not None else '-'}, "
                         f"repairs {len(p.edits)}")
            for e in p.edits:
                c = f"; confidence {e.confidence:.0f}" if e.confidence is not None else ""
                notes.append(f"  page {e.page} at {e.offset}: {e.before!r} -> {e.after!r} ({e.why}{c})")
    notes += [f"warning: {w}" for w in source.warnings]
    if raw:
        return doc.doc_id, "\f".join(p.raw_text if p.raw_text is not None else p.text for p in source.pages), notes
    return doc.doc_id, doc.text, notes


@main.command()
@click.argument("input_path", type=click.Path(exists=True, dir_okay=False))
@click.option("--only", type=click.Choice(["sections", "citations", "targets", "deadlines", "tasks", "tables"]),
              default=None, help="One kind of record.")
@click.option("--width", type=int, default=50, help="Characters of context each side.")
@_limits
def explain(input_path, only, width, timeout, max_memory):
    """Show each extracted record with its span in context ([[...]] marks the span).

    Example: kehoach explain ke_hoach.pdf --only targets"""
    from .errors import KehoachError
    from .analyse.explain import explain_file
    from .runner import in_worker
    try:
        click.echo(in_worker(explain_file, input_path, only, width, timeout=timeout, max_memory_mb=max_memory))
    except KehoachError as exc:
        raise click.ClickException(f"[{exc.error_type}] {exc}") from exc


@main.command(name="eval")
@click.argument("run_folder", required=False, type=click.Path(exists=True, file_okay=False))
@click.option("--out", "out", default=None, type=click.Path(exists=True, file_okay=False),
              help="The run folder (as the positional OUT of the other commands; either form works).")
@click.option("--gold", "gold", required=True, type=click.Path(file_okay=False),
              help="Folder of gold annotation JSON files (SPEC.md section 3).")
@click.option("--misses", is_flag=True, help="List every miss and extra row before the summary.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.option("--reviews", is_flag=True, help="Write the reviews made in `kehoach serve` as gold JSON files "
              "into --gold (one per reviewed document) instead of scoring.")
def eval_cmd(run_folder, out, gold, misses, as_json, reviews):
    """Precision, recall and F1 per table against gold annotations (SPEC.md section 3); the figures
    agree with the reference scorer (../shared/tools/score.py).

    Example: kehoach eval out/ --gold ../shared/devset/gold"""
    if run_folder and out and Path(run_folder) != Path(out):
        raise click.UsageError("give the run folder once: OUT or --out")
    out = out or run_folder
    if not out:
        raise click.UsageError("which run? kehoach eval OUT --gold GOLD")
    import json

    from .dev.score import evaluate, report, summary
    require_run(out)
    if reviews:
        from .store.gold import write_gold
        for p in write_gold(Path(out), Path(gold)):
            click.echo(str(p))
        return
    scores = evaluate(Path(out), Path(gold))
    if as_json:
        click.echo(json.dumps(summary(scores), ensure_ascii=False))
        return
    click.echo(report(scores, misses=misses))
    click.echo(" ".join(f"{k}={v}" for k, v in summary(scores).items()))


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet", "xlsx", "jsonl", "duckdb"]), required=True,
              help="The format to write every table in.")
@click.option("--to", "dest", type=click.Path(file_okay=False), default=None,
              help="Folder (default: OUT, or OUT/reviewed with --reviewed).")
@click.option("--reviewed", is_flag=True, help="Apply the reviews made in `kehoach serve` (wrong rows out, "
              "corrections in, added rows appended; a `review` column says which).")
def export(out, fmt, dest, reviewed):
    """Export a run folder's tables in another format.

    Example: kehoach export out/ --format xlsx --reviewed"""
    from .store.export import export as write, read_tables
    require_run(out)
    frames = read_tables(Path(out))
    if reviewed:
        from .store.reviews import ReviewStore, apply_reviews
        reviews = ReviewStore(Path(out)).all()
        frames = apply_reviews(frames, reviews)
        dest = dest or str(Path(out) / "reviewed")
        click.echo(f"{len(reviews)} review(s) applied")
    write(frames, Path(dest or out), (fmt,))
    click.echo(f"wrote {len(frames)} tables as {fmt} to {dest or out}")


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (this machine only by default).")
@click.option("--port", type=int, default=8765, show_default=True, help="Port to listen on.")
def serve(out, host, port):
    """A local web app over a run: plans, one plan with its evidence, compare, audit, and reviews.

    Example: kehoach serve out/ (then open http://127.0.0.1:8765/)"""
    import socket

    from .present.serve import serve as run_server
    require_run(out)
    try:                      # a busy port is the user's to change, said in one line (exit 2)
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        raise click.UsageError(f"cannot listen on {host}:{port} ({exc.strerror or exc}); "
                               f"choose another port with --port") from exc
    click.echo(f"kehoach serve: http://{host}:{port}/  (Ctrl-C to stop)")
    run_server(out, host, port)


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False))
@click.option("--all", "show_all", is_flag=True, help="List every plan (default: each plan only when a run has up to 20; else the ones that need a look).")
def summary(out, show_all):
    """A short, readable tour of a run folder: totals, the first plans, some targets, what needs a look.

    Example: kehoach summary out/"""
    from .present.demo import summarize
    require_run(out)
    click.echo(summarize(Path(out), None if show_all else 20))


@main.command()
@click.option("--set", "sets", multiple=True, nargs=2, type=click.Path(exists=True, file_okay=False),
              help="DOCS GOLD: a folder of .txt plans and its gold (repeatable; default: the bundled seeds and devset).")
@click.option("-j", "--jobs", type=int, default=0, help="Worker processes (default: all cores).")
def robustness(sets, jobs):
    """Score the plans as typed and perturbed (hard wraps at 70 columns, NFD, 10% of words without
    diacritics, Roman headings renumbered 1., 2., ...) and print the drop per table."""
    import os

    from .dev.robustness import format_table, robustness_table
    root = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
    pairs = [(Path(d), Path(g)) for d, g in sets] or [(root / "text", root / "gold"),
                                                      (root / "devset" / "docs", root / "devset" / "gold")]
    names = [f"{d} ({len(list(d.glob('*.txt')))} plans)" for d, _ in pairs]
    from .dev.robustness import PERTURBATIONS, chromium_path
    if chromium_path() is None:        # the PDF layout is printed by Chromium
        PERTURBATIONS.pop("as_pdf", None)
        click.echo("as_pdf left out: Debian chromium is not installed (make venv system-test)", err=True)
    rows = robustness_table(pairs, jobs=jobs or os.cpu_count() or 1)
    click.echo(format_table(rows, names))


@main.command()
@click.option("--set", "sets", multiple=True, nargs=2, type=click.Path(exists=True, file_okay=False),
              help="DOCS GOLD: annotated plans and their gold (repeatable; default: the bundled seeds and devset).")
@click.option("--rules", type=click.Path(exists=True, file_okay=False), default=None,
              help="The rules folder to ablate (default: the bundled rules).")
@click.option("--only", default=None, help="Only entries whose name holds this text, e.g. 'targets.yaml:stop_words'.")
@click.option("-j", "--jobs", type=int, default=0, help="Ablations run at once (default: all cores).")
@click.option("--list", "list_only", is_flag=True, help="List the entries and stop.")
def ablate(sets, rules, only, jobs, list_only):
    """Remove each rule entry in turn and list the documents whose scores move: an entry that moves one
    document is a patch for it, one that moves none is unused here.

    Example: kehoach ablate --only targets.yaml:site_measures"""
    import os

    from .dev.ablate import ablate as run_ablation
    from .dev.ablate import entries, format_outcomes
    from .rules import RULES_DIR
    todo = entries(Path(rules) if rules else RULES_DIR, only)
    if list_only:
        for e in todo:
            click.echo(f"{e.name}  {e.shown}")
        return
    if not todo:
        raise click.UsageError(f"no rule entry matches {only!r} (kehoach ablate --list shows them)")
    root = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
    pairs = [(Path(d), Path(g)) for d, g in sets] or [(root / "text", root / "gold"),
                                                      (root / "devset" / "docs", root / "devset" / "gold")]
    click.echo(f"ablating {len(todo)} rule entries over {sum(len(list(Path(g).glob('*.json'))) for _, g in pairs)} "
               "annotated documents ...", err=True)

    def progress(done, total):
        if done % 10 == 0 or done == total:
            click.echo(f"  {done}/{total}", err=True)
    outcomes = run_ablation(pairs, Path(rules) if rules else None, only, jobs or os.cpu_count() or 1, progress)
    click.echo(format_outcomes(outcomes))


@main.command()
def bench():
    """Throughput on a synthetic batch (BENCH_TEXT_DOCS, BENCH_PDF_DOCS, BENCH_OCR_PAGES); figures only.

    Example: BENCH_TEXT_DOCS=2000 kehoach bench"""
    from .dev.bench import main as run_bench
    for line in run_bench():
        click.echo(line)


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False))
def graph(out):
    """Citation graph of a run: graph_edges.csv, graph.mmd (Mermaid) and graph.graphml.

    Example: kehoach graph out/"""
    from .analyse.graph import write_graph
    require_run(out)
    for p in write_graph(Path(out)):
        click.echo(str(p))


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False))
def indicators(out):
    """Every indicator key of a run with its label, plans, targets, value range and two examples:
    indicators.csv (and a table in plans.duckdb).

    Example: kehoach indicators out/demo"""
    from .analyse.indicators import write_indicators
    require_run(out)
    for p in write_indicators(Path(out)):
        click.echo(str(p))


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False))
@click.option("--reviewed", is_flag=True, help="Use the tables as reviewed in `kehoach serve`.")
def compare(out, reviewed):
    """Units x indicators and units x cited documents: CSV, XLSX and an HTML heat map.

    Example: kehoach compare out/ --reviewed"""
    from .analyse.compare import write_compare
    require_run(out)
    for p in write_compare(Path(out), reviewed):
        click.echo(str(p))
    _echo_not_plans(out)


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False))
@click.option("--mandates", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Mandate catalog CSV (default: the bundled Bình dân học vụ số catalog).")
@click.option("--parent", default=None, help="doc_id of a parent plan whose own targets are the mandates.")
@click.option("--reviewed", is_flag=True, help="Use the tables as reviewed in `kehoach serve`.")
def audit(out, mandates, parent, reviewed):
    """Audit each plan: mandated targets met / weaker / missing, required sections, citations.

    Example: kehoach audit out/ --reviewed"""
    from .analyse.audit import audit as run_audit, load_mandates, mandates_from_parent, write_audit
    from .store.export import read_tables
    require_run(out)
    try:
        table = mandates_from_parent(read_tables(Path(out), reviewed), parent) if parent else load_mandates(mandates)
    except ValueError as exc:                      # one line, as the other input problems
        click.echo(f"kehoach: {exc}", err=True)
        sys.exit(ExitCode.BAD_ARGS)
    status, findings = run_audit(Path(out), table, parent, reviewed)
    paths = write_audit(Path(out) / "reviewed" if reviewed else Path(out), status, findings,
                        {"mandates": str(Path(mandates).resolve()) if mandates else None, "parent": parent,
                         "reviewed": reviewed})
    counts = findings["severity"].value_counts().to_dict() if not findings.empty else {}
    click.echo(f"{status['doc_id'].nunique() if not status.empty else 0} units, {len(findings)} findings "
               f"(high {counts.get('high', 0)}, medium {counts.get('medium', 0)}, low {counts.get('low', 0)})")
    for p in paths:
        click.echo(str(p))
    _echo_not_plans(out)


def _echo_not_plans(out) -> None:
    """Name the documents of a run that compare and audit leave out because they are not plans."""
    from .analyse.audit import not_plans
    from .store.export import read_tables
    others = not_plans(read_tables(Path(out))["documents"].to_dict("records"))
    if others:
        names = ", ".join(f"{Path(str(d['source_path'])).name} ({d['kind']})" for d in others)
        click.echo(f"{len(others)} documents are not plans and were left out: {names}")


if __name__ == "__main__":
    main()
