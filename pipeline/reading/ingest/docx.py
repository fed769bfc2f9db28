"""Word files: paragraphs and tables in reading order; .doc through LibreOffice."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from ...errors import CorruptFile, MissingDependency
from ...model import Page
from ..normalize.legacy import detect_legacy, legacy_decode


_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAX_DEPTH = 4          # tables in cells in tables, and documents imported into documents, at most this deep


def _cell_text(cell) -> str:
    """A data cell's text, a table nested in it included (its cells run together)."""
    parts = []
    for kind, block in _iter_blocks(None, cell._tc):
        if kind == "p" and block.text.strip():
            parts.append(block.text.strip())
        elif kind == "t":
            parts += [" ".join(c for c in ln.split("\t") if c) for ln in _table_lines(block)]
    return " ".join(p for p in parts if p)


def _iter_blocks(doc, parent=None):
    """Yield ('p', paragraph) and ('t', table) in body order, inside content controls (w:sdt) too."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    for child in (parent if parent is not None else doc.element.body).iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield "p", Paragraph(child, doc)
        elif tag == "tbl":
            yield "t", Table(child, doc)
        elif tag == "sdt":
            for content in child.iterchildren():
                if content.tag.endswith("}sdtContent"):
                    yield from _iter_blocks(doc, content)
        elif tag == "altChunk":         # a body imported whole from another file (HTML, text, a .docx)
            yield "alt", child.get(f"{{{_REL_NS}}}id")


def _table_lines(table) -> list[str]:
    lines = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:          # merged cells repeat; keep one
                continue
            seen.add(id(cell._tc))
            cells.append(_cell_text(cell))
        lines.append("\t".join(cells))
    return lines


def _is_layout_table(table) -> bool:
    """Header/closing blocks are borderless 1-row tables: read them column by column."""
    return len(table.rows) <= 2 and len(table.columns) <= 3


MAX_UNZIPPED = 256 * 1024 * 1024        # all members of a .docx together, declared and actual
MAX_RATIO = 200                         # uncompressed / compressed size of one member


def check_zip(path: Path) -> None:
    """Refuse a decompression bomb before any XML is parsed: the declared sizes, the compression ratio,
    and the actual bytes of every member (streamed, never held whole) stay under the caps."""
    from ...errors import EncryptedFile, TooLarge
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if locked := [i.filename for i in infos if i.flag_bits & 0x1]:
                raise EncryptedFile(f"the Word file is password-protected ({len(locked)} encrypted part(s), "
                                    f"{locked[0]} first); save it without a password to read it")
            declared = sum(i.file_size for i in infos)
            if declared > MAX_UNZIPPED:
                raise TooLarge(f"the Word file unpacks to {declared // 2**20} MiB, over the {MAX_UNZIPPED // 2**20} MiB limit")
            actual = 0
            for i in infos:
                if i.compress_size and i.file_size > 1_000_000 and i.file_size / i.compress_size > MAX_RATIO:
                    raise TooLarge(f"member {i.filename} is compressed {i.file_size // max(i.compress_size, 1)}:1; "
                                   "refused as a decompression bomb")
                with z.open(i) as member:
                    while block := member.read(1 << 20):
                        actual += len(block)
                        if actual > MAX_UNZIPPED:
                            raise TooLarge(f"the Word file unpacks to more than {MAX_UNZIPPED // 2**20} MiB")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as exc:
        raise CorruptFile(f"not a readable Word (.docx) file: {exc}") from exc


def _read_blocks(document, parent, numbering, lines: list, fonts: set, warnings, depth: int) -> None:
    """Paragraphs, tables and imported bodies in reading order. A layout table (the letterhead, the
    signature block) is read column by column, and whatever its cells hold, a task table included, is
    read as if it stood in the body."""
    for kind, block in _iter_blocks(document, parent):
        if kind == "p":
            label = numbering.label(block)
            lines.append(f"{label} {block.text.lstrip()}" if label else block.text)
            fonts.update(r.font.name for r in block.runs if r.font.name)
        elif kind == "alt":
            lines.extend(_alt_chunk(document, block, warnings, depth))
        elif _is_layout_table(block) and depth < MAX_DEPTH:
            for col in range(len(block.columns)):
                seen = set()
                for row in block.rows:
                    cell = row.cells[col]
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    _read_blocks(document, cell._tc, numbering, lines, fonts, warnings, depth + 1)
        else:
            lines.extend(_table_lines(block))


def _alt_chunk(document, rel_id: str | None, warnings, depth: int) -> list[str]:
    """The lines of a body imported with w:altChunk: HTML or text decoded and stripped, a Word document
    read like any other; another kind is named in a warning rather than skipped without a word."""
    try:
        part = document.part.related_parts[rel_id]
    except (KeyError, AttributeError):
        if warnings is not None:
            warnings.append(f"docx_alt_chunk: an imported body ({rel_id}) has no part in the file; it was not read")
        return []
    kind = (part.content_type or "").lower()
    if "wordprocessingml" in kind and depth < MAX_DEPTH:
        with tempfile.NamedTemporaryFile(suffix=".docx") as tmp:
            tmp.write(part.blob)
            tmp.flush()
            return "\n".join(p.text for p in read_docx(Path(tmp.name), warnings, depth + 1)).split("\n")
    if "html" in kind or "text/plain" in kind:
        from ..normalize.unicode import strip_markup
        from .text import decode_bytes
        return strip_markup(decode_bytes(part.blob, warnings)).split("\n")
    if warnings is not None:
        warnings.append(f"docx_alt_chunk: an imported body of type {kind or 'unknown'} was not read")
    return []


def read_docx(path: Path, warnings: list | None = None, depth: int = 0) -> list[Page]:
    check_zip(path)
    try:
        import docx
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise CorruptFile(f"not a readable Word (.docx) file: {exc}") from exc
    except Exception as exc:  # python-docx raises several types for broken packages
        raise CorruptFile(f"not a readable Word (.docx) file: {type(exc).__name__}: {exc}") from exc
    from .numbering import Numbering
    numbering = Numbering(document)
    lines: list[str] = []
    fonts: set[str] = set()
    _read_blocks(document, None, numbering, lines, fonts, warnings, depth)
    text = "\n".join(lines)
    legacy = detect_legacy(text, sorted(fonts))
    if legacy:
        text = legacy_decode(text, legacy)
    return [Page(text=text)]


def read_doc(path: Path) -> list[Page]:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if not office:
        raise MissingDependency("legacy .doc needs LibreOffice: install the Debian package 'libreoffice-writer-nogui'")
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run([office, "--headless", "--convert-to", "docx", "--outdir", tmp, str(path)],
                              capture_output=True, timeout=180)
        out = Path(tmp) / (path.stem + ".docx")
        if proc.returncode != 0 or not out.exists():
            raise CorruptFile(f"LibreOffice could not convert the .doc file: {proc.stderr.decode(errors='replace')[:200]}")
        return read_docx(out)
