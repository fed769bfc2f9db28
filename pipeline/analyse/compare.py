"""Cross-unit comparison: units x indicators (best target per cell, with provenance) and units x cited documents."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .audit import is_plan_doc, unit_labels
from ..store.export import read_tables
from ..vi import citation_key

PAGE_UNITS = 200        # compare.html splits into pages of this many plans
KEY_MIN_UNITS = 2      # a cited document becomes a column when at least this many units cite it
MATRIX_COLUMNS = ["unit", "doc_id", "indicator", "value", "value_max", "value_unit", "comparator", "aspirational",
                  "period", "target_id", "page", "section_path", "char_start", "sentence"]


def compare(out: Path, reviewed: bool = False) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(matrix, evidence, cited): one row per unit x indicator (the firmest, highest target), every
    target with an indicator as evidence, and which key documents each unit cites. `reviewed`: the
    reviewers' corrections applied first."""
    from ..store.reviews import rename_indicators, run_renames
    t = read_tables(out, reviewed)
    t["targets"] = rename_indicators(t["targets"], run_renames(out))   # keys a reviewer renamed or merged
    docs = t["documents"]
    labels = unit_labels(docs.to_dict("records"))
    docs = docs[[is_plan_doc(d) for d in docs.to_dict("records")]]     # plans only: units are compared
    tg = t["targets"]
    tg = tg[tg["indicator"].notna() & (tg["indicator"].astype(str) != "") & tg["doc_id"].isin(docs["doc_id"])].copy()
    tg = tg.rename(columns={"unit": "value_unit"})
    tg["unit"] = tg["doc_id"].map(labels)
    tg["_firm"] = ~tg["aspirational"].astype(str).str.lower().eq("true")
    tg["_v"] = tg["value"].astype(float)
    best = tg.sort_values(["_firm", "_v"], ascending=False).groupby(["doc_id", "indicator"]).head(1)
    matrix = best[MATRIX_COLUMNS].sort_values(["unit", "indicator"]).reset_index(drop=True)
    evidence = tg.sort_values(["unit", "target_id"])[["unit", "doc_id", "indicator", "target_id", "page",
                                                      "section_path", "sentence"]
                                                     + (["indicator_label"] if "indicator_label" in tg else [])]
    c = t["citations"]
    c = c[c["doc_id"].isin(docs["doc_id"])].assign(norm=lambda d: d["key"].map(citation_key))
    counts = c.groupby("norm")["doc_id"].nunique()
    keys = [k for k in counts.index if counts[k] >= min(KEY_MIN_UNITS, max(1, len(docs)))]
    printed = c.drop_duplicates("norm").set_index("norm")["key"]
    rows = []
    for d in docs.to_dict("records"):
        mine = set(c[c["doc_id"] == d["doc_id"]]["norm"])
        rows.append({"unit": labels[d["doc_id"]], "doc_id": d["doc_id"], **{printed[k]: k in mine for k in keys}})
    return matrix, evidence, pd.DataFrame(rows)


def write_compare(out: Path, reviewed: bool = False) -> list[Path]:
    """The comparison's tables and report into `out`, or with `reviewed` into `out/reviewed` (beside the
    tables `export --reviewed` writes), so that the extracted comparison is kept."""
    from ..store.export import write_csv_file
    from .report import compare_html, write_pages
    matrix, evidence, cited = compare(out, reviewed)
    if reviewed:
        out = out / "reviewed"
        out.mkdir(exist_ok=True)
    paths = [out / "compare_indicators.csv", out / "compare_citations.csv", out / "compare.xlsx", out / "compare.html"]
    write_csv_file(matrix, paths[0])
    write_csv_file(cited, paths[1])
    with pd.ExcelWriter(paths[2], engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}}) as xl:
        matrix.to_excel(xl, sheet_name="indicators", index=False)
        if not matrix.empty:
            matrix.pivot_table(index="unit", columns="indicator", values="value", aggfunc="first") \
                  .to_excel(xl, sheet_name="units_x_indicators")
        cited.to_excel(xl, sheet_name="cited_documents", index=False)
    units = sorted(set(cited["unit"]) | set(matrix["unit"])) if len(cited) else sorted(set(matrix["unit"]))
    paths += write_pages(out, "compare", units, PAGE_UNITS, lambda keep, nav: compare_html(
        matrix[matrix["unit"].isin(keep)], evidence[evidence["unit"].isin(keep)],
        cited[cited["unit"].isin(keep)] if len(cited) else cited, nav))
    from ..store.export import add_to_duckdb
    add_to_duckdb(out, {"compare_indicators": matrix, "compare_citations": cited})
    return paths
