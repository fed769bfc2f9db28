"""Self-contained HTML pages: the auditor's report and the comparison heat map (no scripts, no CDN)."""
from __future__ import annotations

from html import escape

import pandas as pd

CSS = """
body{font-family:"Segoe UI",Roboto,Arial,sans-serif;margin:24px;color:#1d2733;max-width:1400px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ccd5df;padding-bottom:4px}
table{border-collapse:collapse;font-size:13px;margin:8px 0}th,td{border:1px solid #d4dbe3;padding:4px 7px;
vertical-align:top}th{background:#eef2f6;text-align:left}tr>th:first-child{min-width:220px}td.num{text-align:right}
.high{background:#f8d7da}.medium{background:#fff1cc}.low{background:#e7f1fb}
.met{background:#cdebd3}.weaker{background:#ffe0a6}.missing{background:#f5b7b1}.not_applicable,.out_of_scope{background:#f1f3f5;color:#889}
.sev{font-weight:600;text-transform:uppercase;font-size:11px}.small{font-size:12px;color:#556}
a{color:#0b5cad}.legend span{display:inline-block;padding:2px 8px;margin-right:6px;border-radius:3px}
blockquote{margin:2px 0;color:#334;font-size:12px}
table#heatmap tr:first-child th{position:sticky;top:0;z-index:2}table#heatmap th:first-child{position:sticky;left:0;z-index:1}
.pages a,.pages b{margin-right:8px}
"""


def write_pages(out, stem: str, units: list[str], page_units: int, render) -> list:
    """Write a report as stem.html, stem-2.html, ... with page_units plans a page and links between the
    pages; render(units_of_the_page, navigation_html) gives a page's HTML. Returns the extra pages."""
    chunks = [units[i:i + page_units] for i in range(0, len(units), page_units)] or [[]]
    names = [f"{stem}.html"] + [f"{stem}-{i + 1}.html" for i in range(1, len(chunks))]
    for i, chunk in enumerate(chunks):
        nav = "" if len(chunks) == 1 else '<p class="pages">' + "".join(
            f"<b>{j + 1}</b>" if j == i else f'<a href="{n}">{j + 1}</a>' for j, n in enumerate(names)) + \
            f" ({len(units)} kế hoạch / plans, {page_units} a page)</p>"
        (out / names[i]).write_text(render(set(chunk), nav), encoding="utf-8")
    return [out / n for n in names[1:]]


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"<style>{CSS}</style></head><body><h1>{escape(title)}</h1>{body}</body></html>\n")


def _cmp(c) -> str:
    return {">=": "≥", "<=": "≤", "range": ""}.get(str(c), str(c))


def _v(x) -> str:
    return "" if x is None or (isinstance(x, float) and x != x) else escape(str(x))


def _where(r: dict) -> str:
    return " · ".join(x for x in (f"trang {_v(r.get('page'))}" if _v(r.get("page")) else "",
                                  f"mục {_v(r.get('section_path'))}" if _v(r.get("section_path")) else "") if x)


def _grid(table_id: str, corner: str, df: pd.DataFrame, column: str, cell, empty: str,
          sort_columns: bool = False, names: dict | None = None) -> str:
    """Units as rows, `column`'s values as columns; cell(row) renders one <td>."""
    cols = list(dict.fromkeys(df[column]))
    cols = sorted(cols) if sort_columns else cols
    names = names or {}
    head = "".join(f"<th title='{escape(str(c))}'>{escape(str(names.get(c, c)))}</th>" for c in cols)
    rows = []
    for unit, g in df.groupby("unit", sort=True):
        found = {r[column]: r for r in g.to_dict("records")}
        cells = "".join(cell(found[c]) if c in found else empty for c in cols)
        rows.append(f"<tr><th>{escape(unit)}</th>{cells}</tr>")
    return f"<table id='{table_id}'><tr><th>{corner}</th>{head}</tr>{''.join(rows)}</table>"


def _status_cell(r: dict) -> str:
    unit = str(r.get("mandated") or "").lstrip("<>=≥≤0123456789.").strip()
    label = r["status"] if r["status"] in ("missing", "not_applicable") else \
        f"{r['status']}: {_cmp(r['comparator'])}{float(r['value']):g}{'%' if unit == '%' else (' ' + unit if unit else '')}"
    vi = _v(r.get("reasons_vi"))
    tip = (f"{vi} / {_v(r['reasons'])}" if vi else _v(r["reasons"])) or _v(r["sentence"])[:200]
    return f'<td class="{r["status"]}" title="{tip}">{escape(label)}</td>'


def _heat_cell(r: dict) -> str:
    val = float(r["value"])
    unit = "%" if r["value_unit"] == "%" else " " + _v(r["value_unit"])
    return (f'<td class="num" style="background:{_heat(val, r["value_unit"])}">'
            f'<a href="#{escape(r["target_id"])}">{escape(_cmp(r["comparator"]))}{val:g}{unit}</a>'
            f'<div class="small">{_v(r["period"])}</div></td>')


def audit_html(status: pd.DataFrame, findings: pd.DataFrame, pages: str = "", total: int | None = None) -> str:
    parts = [pages]
    n_units = total if total is not None else (status["doc_id"].nunique() if not status.empty else 0)
    counts = findings["severity"].value_counts().to_dict() if not findings.empty else {}
    parts.append(f'<p id="summary">{n_units} đơn vị / units · {len(findings)} phát hiện / findings '
                 f'(high {counts.get("high", 0)}, medium {counts.get("medium", 0)}, low {counts.get("low", 0)})</p>')
    if not status.empty:
        parts.append('<h2>Chỉ tiêu được giao / Mandated targets</h2><p class="legend">'
                     '<span class="met">met</span><span class="weaker">weaker</span>'
                     '<span class="missing">missing</span><span class="not_applicable">not applicable</span></p>')
        parts.append(_grid("status", "Đơn vị / Unit", status, "mandate_id", _status_cell, "<td></td>"))
        mandates = status.drop_duplicates("mandate_id")
        parts.append("<h3>Các chỉ tiêu được giao / The mandates</h3><table id='mandates'><tr><th>Mã / id</th>"
                     "<th>Mức / level</th><th>Nội dung / what</th><th>Văn bản / document</th><th>Nguồn / source</th></tr>"
                     + "".join(f"<tr><td>{_v(m['mandate_id'])}</td><td>{_v(m.get('mandated'))}</td>"
                               f"<td>{_v(m.get('mandate'))}</td><td>{_v(m.get('source_key'))}</td>"
                               f"<td class='small'>{_v(m.get('mandate_source'))}</td></tr>"
                               for m in mandates.to_dict("records")) + "</table>"
                     '<p class="small">Ô "not applicable": di chuột để xem lý do / hover for the reason.</p>')
    parts.append("<h2>Phát hiện / Findings</h2>")
    if findings.empty:
        parts.append("<p>Không có phát hiện nào. / No findings.</p>")
    else:
        rows = []
        for f in findings.to_dict("records"):
            where = " · ".join(x for x in (f"trang {_v(f['page'])}" if _v(f["page"]) else "",
                                           f"mục {_v(f['section_path'])}" if _v(f["section_path"]) else "") if x)
            ev = f"<blockquote>{_v(f['evidence'])[:400]}</blockquote>" if _v(f["evidence"]) else ""
            rows.append(f'<tr class="{f["severity"]}"><td>{escape(f["unit"])}</td><td class="sev">{f["severity"]}'
                        f'</td><td>{escape(f["kind"])}</td><td>{escape(f["message_vi"])}<div class="small">'
                        f'{escape(f["message_en"])}</div>{ev}</td><td class="small">{where}</td></tr>')
        parts.append("<table id='findings'><tr><th>Đơn vị / Unit</th><th>Mức / Severity</th><th>Loại / Kind</th>"
                     f"<th>Nội dung / Finding</th><th>Vị trí / Where</th></tr>{''.join(rows)}</table>")
    return _page("Báo cáo kiểm tra kế hoạch / Plan audit report", "".join(parts))


def _heat(value: float | None, unit: str) -> str:
    if value is None or unit != "%":
        return "#e7f1fb"
    v = max(0.0, min(100.0, value))
    # red (low) -> amber -> green (high)
    r = int(245 - (v / 100) * 140)
    g = int(150 + (v / 100) * 85)
    return f"rgb({r},{g},160)"


def indicator_names(evidence: pd.DataFrame) -> dict[str, str]:
    """Each indicator key's label as the run's own rules gave it (the targets' indicator_label column, so
    a --rules catalog names its own indicators); a label two keys share is left out, the keys tell them apart."""
    if "indicator_label" not in evidence or evidence.empty:
        return {}
    pairs = evidence[["indicator", "indicator_label"]].dropna().astype(str)
    pairs = pairs[pairs["indicator_label"].str.strip() != ""].drop_duplicates("indicator")
    shared = set(pairs["indicator_label"][pairs["indicator_label"].duplicated()])
    return {k: v for k, v in zip(pairs["indicator"], pairs["indicator_label"]) if v not in shared}


def compare_html(matrix: pd.DataFrame, evidence: pd.DataFrame, cites: pd.DataFrame, pages: str = "") -> str:
    names = indicator_names(evidence)
    parts = [pages, '<p class="small">Hàng: một kế hoạch; cột: chỉ số. Bấm vào ô để xem câu gốc. / '
             "Rows are plans (never merged by name), columns indicators; each cell links to the sentence it "
             "came from.</p>",
             '<p class="legend">Tỷ lệ / percentage: <span style="background:rgb(245,150,160)">0%</span>'
             '<span style="background:rgb(175,192,160)">50%</span><span style="background:rgb(105,235,160)">100%</span>'
             '<span style="background:#e7f1fb">số lượng / count</span><span style="background:#fafafa">không có / none</span>'
             " · ≥ tối thiểu / at least · \"phấn đấu\" = hedged</p>"]
    if matrix.empty:
        parts.append("<p>Không có chỉ tiêu nào. / No targets.</p>")
    else:
        parts.append("<h2>Chỉ tiêu theo chỉ số / Targets by indicator</h2>")
        parts.append(_grid("heatmap", "Đơn vị", matrix, "indicator", _heat_cell, '<td style="background:#fafafa"></td>',
                           sort_columns=True, names=names))
    if not cites.empty:
        keys = list(cites.columns[2:])
        head = "".join(f"<th>{escape(k)}</th>" for k in keys)
        rows = "".join(f"<tr><th>{escape(r['unit'])}</th>" + "".join(
            f"<td class='{'met' if r[k] else ''}'>{'✓' if r[k] else ''}</td>" for k in keys) + "</tr>"
            for r in cites.to_dict("records"))
        parts.append(f"<h2>Văn bản được trích dẫn / Key cited documents</h2><table id='cited'><tr><th>Đơn vị</th>"
                     f"{head}</tr>{rows}</table>")
    if not evidence.empty:
        items = "".join(f'<tr id="{escape(r["target_id"])}"><td>{escape(r["unit"])}</td><td>{_v(r["indicator"])}</td>'
                        f'<td>{_where(r)}</td><td>{_v(r["sentence"])}</td></tr>'
                        for r in evidence.to_dict("records"))
        parts.append("<h2>Câu gốc / Evidence</h2><table><tr><th>Đơn vị</th><th>Chỉ số</th><th>Vị trí</th>"
                     f"<th>Câu</th></tr>{items}</table>")
    return _page("So sánh kế hoạch giữa các đơn vị / Cross-unit comparison", "".join(parts))
