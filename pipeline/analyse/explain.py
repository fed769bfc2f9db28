"""Human-readable view of one document's records, each span shown in its context."""
from __future__ import annotations

from ..understand.extract import extract
from ..reading.ingest import read
from ..reading.normalize import normalize


def _ctx(text: str, start: int, end: int, width: int) -> str:
    left = text[max(0, start - width):start].replace("\n", " ").replace("\f", " ")
    right = text[end:end + width].replace("\n", " ").replace("\f", " ")
    return f"…{left}[[{text[start:end]}]]{right}…"


def explain_file(path: str, only: str | None = None, width: int = 50) -> str:
    doc = normalize(read(path))
    x = extract(doc)
    t = doc.text
    out = [f"{path}  doc_id={doc.doc_id}  pages={len(doc.page_starts) if doc.source.paged else '-'}"]
    if only is None:
        m = x.metadata
        out.append("== metadata")
        for name in ("doc_type", "doc_number", "issuer", "parent_issuer", "title", "place", "issued_date",
                     "signer_name", "signer_title", "unit_level", "school_level", "province",
                     "province_candidates", "recipients", "scope_start", "scope_end"):
            value = getattr(m, name)
            if value not in (None, [], ""):
                out.append(f"  {name}: {' | '.join(value) if isinstance(value, list) else value}")
    groups = {
        "sections": [(s.start, s.heading_end, f"{s.path} [{s.kind}] {s.title}") for s in x.sections],
        "citations": [(c.start, c.end, f"{c.key} {c.doc_type} {c.issued_date} {c.role} x{c.mentions}")
                      for c in x.citations],
        "targets": [(g.start, g.end, f"{g.comparator}{g.value:g}{'-' + format(g.value_max, 'g') if g.value_max else ''}"
                     f" {g.unit} pop={g.population} ind={g.indicator} period={g.period}"
                     f"{' (phấn đấu)' if g.aspirational else ''}") for g in x.targets],
        "deadlines": [(d.start, d.end, f"{d.kind} {d.start_date}..{d.end_date} {d.recurrence or ''}")
                      for d in x.deadlines],
        "tasks": [(k.start, k.end, f"[{k.source}] lead={k.lead} timeline={k.timeline}") for k in x.tasks],
        "tables": [(r.start, r.end, f"table {g} row {n} [{r.kind}]" + (f" columns: {' | '.join(grid.roles)}" if n == 1 else ""))
                   for g, grid in enumerate(x.grids, 1) for n, r in enumerate(grid.rows, 1)],
    }
    for name, recs in groups.items():
        if only and name != only:
            continue
        out.append(f"== {name} ({len(recs)})")
        for s, e, label in recs:
            out.append(f"  {label}\n      {_ctx(t, s, e, width)}")
    return "\n".join(out)
