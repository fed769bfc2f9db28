"""The citation chain inside a run: school plan -> commune plan -> province plan -> national documents."""
from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from ..store.export import read_tables, write_csv_file


def edges(out: Path):
    t = read_tables(out)
    docs = t["documents"].set_index("doc_id")
    rows = []
    for c in t["citations"].to_dict("records"):
        src = docs.loc[c["doc_id"]] if c["doc_id"] in docs.index else None
        rows.append({"source_doc_id": c["doc_id"],
                     "source_label": (src["issuer"] if src is not None else None) or c["doc_id"],
                     "source_number": src["doc_number"] if src is not None else None,
                     "target_key": c["key"], "target_doc_id": c.get("resolved_doc_id") or None,
                     "target_type": c.get("doc_type"), "role": c.get("role"),
                     "target_title": c.get("registry_title") or c.get("subject")})
    import pandas as pd
    return pd.DataFrame(rows, columns=["source_doc_id", "source_label", "source_number", "target_key",
                                       "target_doc_id", "target_type", "role", "target_title"])


def _node(doc_id, key):
    return f"d_{doc_id}" if doc_id else "k_" + "".join(ch if ch.isalnum() else "_" for ch in str(key))


def mermaid(df) -> str:
    lines = ["flowchart LR"]
    seen = set()
    for r in df.to_dict("records"):
        s = _node(r["source_doc_id"], None)
        t = _node(r["target_doc_id"], r["target_key"])
        if s not in seen:
            lines.append(f'  {s}["{str(r["source_label"]).replace(chr(34), "")}"]')
            seen.add(s)
        if t not in seen:
            lines.append(f'  {t}["{r["target_key"]}"]')
            seen.add(t)
        lines.append(f"  {s} -->|{r['role']}| {t}")
    return "\n".join(lines) + "\n"


def graphml(df) -> str:
    nodes, out = {}, []
    for r in df.to_dict("records"):
        nodes.setdefault(_node(r["source_doc_id"], None), r["source_label"])
        nodes.setdefault(_node(r["target_doc_id"], r["target_key"]), r["target_key"])
    out.append('<?xml version="1.0" encoding="UTF-8"?>')
    out.append('<graphml xmlns="http://graphml.graphdrawing.org/xmlns">')
    out.append('<key id="label" for="node" attr.name="label" attr.type="string"/>')
    out.append('<key id="role" for="edge" attr.name="role" attr.type="string"/>')
    out.append('<graph id="citations" edgedefault="directed">')
    for nid, label in nodes.items():
        out.append(f'<node id="{nid}"><data key="label">{escape(str(label))}</data></node>')
    for r in df.to_dict("records"):
        out.append(f'<edge source="{_node(r["source_doc_id"], None)}" '
                   f'target="{_node(r["target_doc_id"], r["target_key"])}"><data key="role">{escape(str(r["role"]))}'
                   f'</data></edge>')
    out.append("</graph></graphml>")
    return "\n".join(out) + "\n"


def write_graph(out: Path) -> list[Path]:
    df = edges(out)
    paths = [out / "graph_edges.csv", out / "graph.mmd", out / "graph.graphml"]
    write_csv_file(df, paths[0])
    paths[1].write_text(mermaid(df), encoding="utf-8")
    paths[2].write_text(graphml(df), encoding="utf-8")
    return paths
