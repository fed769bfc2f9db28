"""What the run measures: one row per indicator key, with how many plans and targets state it, the range of
their values and two example sentences (`kehoach indicators OUT`)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

COLUMNS = ["indicator", "indicator_label", "plans", "targets", "units", "value_min", "value_max", "periods",
           "example_1", "example_2"]


def indicator_table(frames: dict) -> pd.DataFrame:
    tg = frames.get("targets")
    if tg is None or tg.empty or "indicator" not in tg.columns:
        return pd.DataFrame(columns=COLUMNS)
    tg = tg[tg["indicator"].notna() & (tg["indicator"].astype(str).str.strip() != "")].copy()
    if tg.empty:
        return pd.DataFrame(columns=COLUMNS)
    docs = frames.get("documents")
    unit_of = {}
    if docs is not None and not docs.empty:
        for _, d in docs.iterrows():
            unit_of[d["doc_id"]] = next((str(d[c]) for c in ("issuer", "source_path") if c in d and pd.notna(d[c])
                                         and str(d[c]).strip()), str(d["doc_id"]))
    tg["_v"] = pd.to_numeric(tg["value"], errors="coerce")
    rows = []
    for key, g in tg.groupby("indicator", sort=True):
        label = next((x for x in g.get("indicator_label", pd.Series(dtype=str)).dropna() if str(x).strip()), key)
        examples = []
        for _, r in g.drop_duplicates("doc_id").head(2).iterrows():
            examples.append(f"{unit_of.get(r['doc_id'], r['doc_id'])}: {str(r['sentence'])[:200]}")
        rows.append({"indicator": key, "indicator_label": label, "plans": g["doc_id"].nunique(), "targets": len(g),
                     "units": "; ".join(sorted({str(u) for u in g["unit"].dropna()})),
                     "value_min": g["_v"].min(), "value_max": g["_v"].max(),
                     "periods": "; ".join(sorted({str(p) for p in g.get("period", pd.Series(dtype=str)).dropna()
                                                  if str(p).strip()})),
                     "example_1": examples[0] if examples else None,
                     "example_2": examples[1] if len(examples) > 1 else None})
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.sort_values(["plans", "targets", "indicator"], ascending=[False, False, True]).reset_index(drop=True)


def write_indicators(out: Path) -> list[Path]:
    """indicators.csv in the run folder, and the same table in its plans.duckdb when it has one."""
    from ..store.export import add_to_duckdb, read_tables, write_csv_file
    table = indicator_table(read_tables(out))
    path = out / "indicators.csv"
    write_csv_file(table, path)
    add_to_duckdb(out, {"indicators": table})
    return [path] + ([out / "plans.duckdb"] if (out / "plans.duckdb").exists() else [])
