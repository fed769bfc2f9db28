"""Robustness of extraction to how a plan is typed: the same plans, perturbed, scored against the same gold.

Perturbations (each applied to the raw text files on their own):
- `wrap70`: every line longer than 70 columns hard-wrapped at a space (as a narrow PDF column or an
  e-mail client would);
- `nfd`: Unicode NFD (decomposed tone marks, as macOS and some Word exports deliver them);
- `no_diacritics_10`: one word in ten typed without diacritics (đ kept), seeded;
- `renumbered`: Roman top-level headings ("II. MỤC TIÊU") renumbered "2. MỤC TIÊU";
- `letterhead_flat`: the two-column letterhead run into one line (text copied from a web page);
- `letterhead_table`: the letterhead as a two-column markdown table;
- `no_markdown`: emphasis and heading marks taken out, pipe tables as tab-separated rows;
- `title_case_headings`: headings in capitals typed in sentence case;
- `as_html`, `as_docx`: the plan delivered as a web page (paragraphs, <table>) or as a Word file
  (paragraphs with bold runs, Word tables).

The first two must change nothing (the normalizer undoes them); the others measure a drop, and issue 22
asks that each stay within 0.02 of the original.
`kehoach robustness` prints the table; tests/test_robustness.py asserts the first two.
"""
from __future__ import annotations

import random
import tempfile
import textwrap
import unicodedata
from pathlib import Path

import regex

from ..options import Options
from ..runner import run
from .score import evaluate, summary

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10,
          "XI": 11, "XII": 12}
_ROMAN_HEAD = regex.compile(r"(?m)^(?P<pre>[*#\s]*)(?P<r>X?I{1,3}|X?IV|X?VI{0,3}|X?IX|X)\.(?=\s*\**\s*\p{Lu})")


def wrap70(text: str) -> str:
    out = []
    for line in text.split("\n"):
        if len(line) <= 70 or "|" in line or "\t" in line:
            out.append(line)
        else:
            out.extend(textwrap.wrap(line, 70, break_long_words=False, break_on_hyphens=False) or [""])
    return "\n".join(out)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _strip_marks(word: str) -> str:
    base = unicodedata.normalize("NFD", word)
    return unicodedata.normalize("NFC", "".join(c for c in base if not unicodedata.combining(c)))


def no_diacritics_10(text: str, seed: int = 7) -> str:
    rng = random.Random(seed)
    return regex.sub(r"\p{L}+", lambda m: _strip_marks(m.group()) if rng.random() < 0.10 else m.group(), text)


def renumbered(text: str) -> str:
    return _ROMAN_HEAD.sub(lambda m: f"{m.group('pre')}{_ROMAN[m.group('r')]}.", text)


# the title line that ends the letterhead block ("KẾ HOẠCH", "**QUYẾT ĐỊNH**")
_TITLE = regex.compile(r"^[\s*#|]*(?:KẾ HOẠCH|QUYẾT ĐỊNH|CHƯƠNG TRÌNH|NGHỊ QUYẾT|CHỈ THỊ|THÔNG BÁO|ĐỀ ÁN)\b[\s*|]*$")
_MOTTO = regex.compile(r"CỘNG\s+HÒA|CỘNG\s+HOÀ", regex.I)
_DEBRIS = regex.compile(r"^[\s|*_\-–—=]*$")


def _letterhead(text: str) -> tuple[list[str], list[str], list[str]] | None:
    """(left column lines, right column lines, the rest) of a plan whose letterhead ends at its title."""
    lines = text.split("\n")
    end = next((i for i, ln in enumerate(lines[:60]) if _TITLE.match(ln)), None)
    if end is None:
        return None
    head = [regex.sub(r"[*|]", "", ln).strip() for ln in lines[:end]]
    head = [ln for ln in head if ln and not _DEBRIS.match(ln)]
    motto = next((i for i, ln in enumerate(head) if _MOTTO.search(ln)), None)
    if motto is None:
        return None
    left = [ln for ln in head[:motto]] + [ln for ln in head[motto:] if ln.startswith("Số")]
    right = [ln for ln in head[motto:] if not ln.startswith("Số")]
    return left, right, lines[end:]


def letterhead_flat(text: str) -> str:
    """The two-column letterhead run into one line, as text copied from a web page arrives."""
    parts = _letterhead(text)
    if parts is None:
        return text
    left, right, rest = parts
    return "\n".join([" ".join(left + right)] + rest)


def letterhead_table(text: str) -> str:
    """The letterhead as a two-column markdown table (left: issuer and number; right: motto, place, date)."""
    parts = _letterhead(text)
    if parts is None:
        return text
    left, right, rest = parts
    rows = [f"| {a} | {b} |" for a, b in zip(left + [""] * len(right), right + [""] * len(left)) if a or b]
    return "\n".join(rows[:1] + ["|---|---|"] + rows[1:] + [""] + rest)


_PIPE_ROW = regex.compile(r"^\s*\|(.*)\|\s*$")


def no_markdown(text: str) -> str:
    """Markdown taken out: emphasis and heading marks gone, pipe tables as tab-separated rows (as a Word
    file exported to text gives them), rule lines dropped."""
    out = []
    for line in text.split("\n"):
        m = _PIPE_ROW.match(line)
        if m and "|" in m.group(1):
            cells = [c.strip() for c in m.group(1).split("|")]
            if all(regex.fullmatch(r":?-{2,}:?", c) for c in cells if c):
                continue
            line = "\t".join(cells)
        line = regex.sub(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)|^#+\s*", "", line)
        if regex.fullmatch(r"\s*-{3,}\s*", line):
            line = ""
        out.append(line)
    return "\n".join(out)


_CAPS_HEADING = regex.compile(r"^(?P<pre>[*#\s]*(?:[IVX]{1,4}|\d{1,2})\.\s*\**\s*)(?P<h>\p{Lu}[\p{Lu}\d ,;:/()&\-–]{2,})(?P<post>\**\s*)$")
_CAPS_LINE = regex.compile(r"^[\s*]*\p{Lu}[\p{Lu}\d ,;:/()&\-–]+[\s*]*$")


def title_case_headings(text: str) -> str:
    """Numbered headings in capitals ("II. MỤC TIÊU CỤ THỂ", wrapped lines included) typed in sentence
    case ("II. Mục tiêu cụ thể")."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = _CAPS_HEADING.match(lines[i])
        if m and regex.search(r"\p{Lu}{2}", m.group("h")):
            h = m.group("h")
            lines[i] = m.group("pre") + h[:1] + h[1:].lower() + m.group("post")
            while i + 1 < len(lines) and _CAPS_LINE.match(lines[i + 1]) and regex.search(r"\p{Lu}{2}", lines[i + 1]):
                i += 1
                lines[i] = lines[i].lower()
        i += 1
    return "\n".join(lines)


def _blocks(text: str):
    """('table', rows of cells) for a run of pipe-table lines, else ('line', text) — markdown marks kept."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if _PIPE_ROW.match(lines[i]) and "|" in _PIPE_ROW.match(lines[i]).group(1):
            rows = []
            while i < len(lines) and _PIPE_ROW.match(lines[i]):
                cells = [c.strip() for c in _PIPE_ROW.match(lines[i]).group(1).split("|")]
                if not all(regex.fullmatch(r":?-{2,}:?", c) for c in cells if c):
                    rows.append(cells)
                i += 1
            yield "table", rows
        else:
            yield "line", lines[i]
            i += 1


def _span(n: int) -> str:
    return f' colspan="{n}"' if n > 1 else ""


def as_html(text: str) -> bytes:
    """The plan as a web page: a paragraph per line, bold as <b>, tables as <table> (the portal's
    one-cell-per-line tables too, as its web pages hold them)."""
    from html import escape

    from ..reading.normalize.unicode import portal_tables

    def inline(s: str) -> str:
        s = regex.sub(r"</?(?:p|br|div|span|b|i|strong|em)\b[^>]*>", " ", s)    # the text's own HTML debris
        return regex.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escape(s))
    lines = []
    for line in portal_tables(text).split("\n"):
        lines.append("| " + " | ".join(line.split("\t")) + " |" if "\t" in line else line)
    out = ["<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"]
    for kind, block in _blocks("\n".join(lines)):
        if kind == "table":          # a short row's last cell spans the rest, as a merged cell in Word
            width = max(len(r) for r in block)
            out.append("<table>" + "".join(
                "<tr>" + "".join(f"<td{_span(width - len(row) + 1) if i == len(row) - 1 else ''}>{inline(c)}</td>"
                                 for i, c in enumerate(row)) + "</tr>" for row in block) + "</table>")
        elif block.strip() and not regex.fullmatch(r"[\s*_\-|]*", block):     # rules and stray marks are no text
            out.append(f"<p>{inline(block)}</p>")
    out.append("</body></html>")
    return "\n".join(out).encode("utf-8")


as_html.suffix = ".html"


def as_docx(text: str) -> bytes:
    """The plan as a Word file: a paragraph per line (bold runs kept), pipe tables as Word tables."""
    import io

    import docx
    d = docx.Document()
    for kind, block in _blocks(text):
        if kind == "table":
            width = max(len(r) for r in block)
            table = d.add_table(rows=len(block), cols=width)
            for r, row in enumerate(block):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell.replace("**", "")
        else:
            p = d.add_paragraph()
            for k, part in enumerate(regex.split(r"\*\*", block)):
                if part:
                    p.add_run(part).bold = k % 2 == 1
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


as_docx.suffix = ".docx"

_PRINTER: dict = {}


def chromium_path() -> str | None:
    """Debian's Chromium (installed by `make venv system-test`), which prints the HTML rewrite as a PDF."""
    import shutil
    return next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser")) if p), None)


def as_pdf(text: str) -> bytes:
    """The plan as a born-digital PDF: the web page of `as_html` printed by headless Chromium (A4, DejaVu
    fonts, its own line breaks and page breaks, tables ruled), as an office suite's export would be."""
    if "page" not in _PRINTER:
        import atexit

        from playwright.sync_api import sync_playwright
        exe = chromium_path()
        if exe is None:
            raise RuntimeError("as_pdf needs Chromium (make venv system-test)")
        pw = sync_playwright().start()
        browser = pw.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu"])
        _PRINTER.update(pw=pw, browser=browser, page=browser.new_page())
        atexit.register(close_printer)
    page = _PRINTER["page"]
    style = ("<style>body{font-family:'DejaVu Serif',serif;font-size:12pt} table{border-collapse:collapse}"
             " td{border:1px solid #000;padding:2px 4px;vertical-align:top} .long{overflow-wrap:anywhere}</style>")
    html = as_html(text).decode("utf-8").replace("<head>", "<head>" + style, 1)
    # a web address may break anywhere, as a word processor breaks it; figures never do
    head, body = html.split("<body>", 1)
    html = head + "<body>" + regex.sub(r"(?<=>[^<]*?)([^\s<>]{30,})", r'<span class="long">\1</span>', body)
    page.set_content(html)
    return page.pdf(format="A4", margin={"top": "2cm", "bottom": "2cm", "left": "2.5cm", "right": "2cm"})


as_pdf.suffix = ".pdf"


def close_printer() -> None:
    """Stop the Chromium that as_pdf started (before another Playwright session starts in this thread)."""
    if "page" in _PRINTER:
        _PRINTER["browser"].close()
        _PRINTER["pw"].stop()
        _PRINTER.clear()

FORMATS = {"as_html": as_html, "as_docx": as_docx, "as_pdf": as_pdf}

PERTURBATIONS = {"wrap70": wrap70, "nfd": nfd, "no_diacritics_10": no_diacritics_10, "renumbered": renumbered,
                 **FORMATS,
                 "letterhead_flat": letterhead_flat, "letterhead_table": letterhead_table,
                 "no_markdown": no_markdown, "title_case_headings": title_case_headings}


def score_folder(docs: Path, gold: Path, transform=None, jobs: int = 1) -> dict:
    """Run the pipeline on every .txt in docs (transformed first when given) and score it against gold."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        src = tmp / "in"
        src.mkdir()
        for f in sorted(Path(docs).glob("*.txt")):
            text = f.read_text(encoding="utf-8")
            if transform is not None and getattr(transform, "suffix", None):    # another file format
                (src / f"{f.stem}{transform.suffix}").write_bytes(transform(text))
            else:
                (src / f.name).write_text(transform(text) if transform else text, encoding="utf-8")
        run([src], tmp / "out", Options(progress=False, jobs=jobs, formats=("csv",)))
        return summary(evaluate(tmp / "out", gold))


def robustness_table(sets: list[tuple[Path, Path]], jobs: int = 1) -> list[tuple[str, dict]]:
    """[(perturbation, figures)] with 'baseline' first; figures summed over the (docs, gold) sets by
    scoring them as one folder each and averaging is avoided: each set is scored, then reported per set."""
    rows = []
    for name, fn in [("baseline", None)] + list(PERTURBATIONS.items()):
        rows.append((name, [score_folder(d, g, fn, jobs) for d, g in sets]))
    return rows


def format_table(rows, set_names: list[str]) -> str:
    keys = ["sections_f1", "citations_f1", "targets_f1", "deadlines_f1", "deadline_norm_acc", "metadata_acc",
            "target_population_acc"]
    lines = []
    for si, sname in enumerate(set_names):
        lines.append(f"{sname}")
        lines.append(f"  {'perturbation':<18}" + "".join(f"{k.replace('_acc', '').replace('_f1', ''):>19}" for k in keys))
        base = rows[0][1][si]
        for name, figs in rows:
            f = figs[si]
            cells = []
            for k in keys:
                v, b = f.get(k), base.get(k)
                cells.append(f"{'-' if v is None else f'{v:.3f}'}" + ("" if name == "baseline" or v is None or b is None
                                                                   else f"({v - b:+.2f})"))
            lines.append(f"  {name:<18}" + "".join(f"{c:>19}" for c in cells))
    return "\n".join(lines)
