// kehoach serve: evidence highlighting and reviews (no framework, no network beyond this server)
function showEvidence(start, end) {
  const pre = document.getElementById("text");
  if (!pre) return;
  const text = pre.dataset.raw;
  const a = Math.max(0, start), b = Math.min(text.length, end);
  pre.innerHTML = "";
  pre.append(document.createTextNode(text.slice(0, a)));
  const m = document.createElement("mark"); m.id = "evidence"; m.textContent = text.slice(a, b);
  pre.append(m, document.createTextNode(text.slice(b)));
  m.scrollIntoView({block: "center"});
}
// the Vietnamese words of the codes (pipeline/labels.py), given by the page
// read when first needed: this script loads in the page's head, before the page's own data
let _vocab = null;
const vocab = () => (_vocab ??= JSON.parse((document.getElementById("vocab") || {}).textContent || "{}"));
const word = (field, code) => ((vocab()[field] || {})[code]) || code;
const label = (k) => (vocab().fields || {})[k] || k;   // the form's field labels, the columns' words
const choices = (k) => ({comparator: [">=", ">", "=", "<=", "<", "range"], aspirational: ["", "True", "False"],
  kind: ["", ...Object.keys(vocab().deadline_kind || {})]})[k];
const CHOICE_FIELD = {kind: "deadline_kind", aspirational: "yes_no"};

function reviewer() {
  let name = localStorage.getItem("kehoach-reviewer");
  if (!name) { name = (prompt("Tên người duyệt / your name (asked once)") || "").trim(); if (name) localStorage.setItem("kehoach-reviewer", name); }
  return name || null;
}
async function send(body) {
  body.reviewer = reviewer();
  const r = await fetch("/api/review", {method: "POST", headers: {"Content-Type": "application/json"},
                                        body: JSON.stringify(body)});
  return r;
}
async function review(btn, action) {
  const tr = btn.closest("tr");
  if (action === "corrected") { openForm(tr); return; }
  const body = {doc_id: tr.dataset.doc, table: tr.dataset.table, row_key: tr.dataset.key, action, fields: {}};
  const r = await send(body);
  if (!r.ok) { alert(await r.text()); return; }
  mark(tr, action, {});
}
function mark(tr, action, fields) {
  tr.classList.remove(...[...tr.classList].filter(c => c.startsWith("review-")));
  tr.classList.add("review-" + action);
  for (const [k, v] of Object.entries(fields)) {
    const td = tr.querySelector(`[data-field="${k}"]`);
    if (td && td.dataset.code !== undefined) { td.dataset.code = v; td.textContent = word(td.dataset.vocab, v); }
    else if (td) td.textContent = v;
  }
  tr.querySelector(".state").textContent = word("review", action);
}
function openForm(tr) {
  // an inline form under the row: one input per field, dropdowns for the closed vocabularies
  const next = tr.nextElementSibling;
  if (next && next.classList.contains("edit-row")) { next.remove(); return; }
  const form = document.createElement("tr"); form.className = "edit-row";
  const td = document.createElement("td"); td.colSpan = tr.children.length; form.append(td);
  const f = document.createElement("form"); f.className = "inline-review"; td.append(f);
  const fields = [...tr.querySelectorAll("[data-field]")].map(c => [c.dataset.field, c.dataset.code ?? c.textContent.trim()]);
  if (tr.dataset.table === "targets" && !fields.some(([k]) => k === "indicator")) fields.push(["indicator", tr.dataset.indicator || ""]);
  for (const [k, v] of fields) {
    const lab = document.createElement("label"); lab.textContent = label(k);
    let input;
    const options = choices(k);
    if (options) {
      input = document.createElement("select");
      for (const o of options) { input.append(new Option(o ? word(CHOICE_FIELD[k], o) : "—", o, false, o === v)); }
      if (v && !options.includes(v)) input.append(new Option(v, v, true, true));
    } else {
      input = document.createElement(k === "sentence" || k === "task" ? "textarea" : "input");
      input.value = v;
    }
    input.name = k; input.dataset.before = v; lab.append(input); f.append(lab);
  }
  const save = document.createElement("button"); save.textContent = "Lưu / save"; save.type = "submit";
  const cancel = document.createElement("button"); cancel.textContent = "Hủy / cancel"; cancel.type = "button";
  cancel.onclick = () => form.remove();
  f.append(save, cancel);
  f.onsubmit = async (e) => {
    e.preventDefault();
    const changed = {};
    for (const el of f.elements) if (el.name && el.value !== el.dataset.before) changed[el.name] = el.value;
    if (!Object.keys(changed).length) { form.remove(); return; }
    const r = await send({doc_id: tr.dataset.doc, table: tr.dataset.table, row_key: tr.dataset.key,
                          action: "corrected", fields: changed});
    if (!r.ok) { alert(await r.text()); return; }
    mark(tr, "corrected", changed); form.remove();
  };
  tr.after(form);
  f.elements[0].focus();
}
async function addFromSelection(doc) {
  const pre = document.getElementById("text");
  const sel = window.getSelection();
  if (!sel.rangeCount || !pre.contains(sel.anchorNode)) { alert("Chọn đoạn văn trong văn bản / select text first"); return; }
  const range = sel.getRangeAt(0), pre_range = document.createRange();
  pre_range.selectNodeContents(pre); pre_range.setEnd(range.startContainer, range.startOffset);
  const start = pre_range.toString().length, anchor = sel.toString(), end = start + anchor.length;
  const table = document.getElementById("add-table").value;
  const fields = {char_start: start, char_end: end, anchor, sentence: anchor};
  if (table === "targets") {
    fields.value = (anchor.match(/\d+(?:[.,]\d+)?/) || [""])[0].replace(",", ".");
    fields.unit = anchor.includes("%") ? "%" : "";
    fields.comparator = ">=";
  } else if (table === "deadlines") {
    fields.text = anchor; fields.kind = "date";
  }
  const body = {doc_id: doc, table, row_key: `added-${start}-${end}`, action: "added", fields};
  let r = await send(body);
  if (r.status === 409) {      // the selection overlaps a row the extractor found
    const info = await r.json();
    if (!confirm(info.message + "\nVẫn thêm? / add anyway?")) return;
    body.overlap_ok = true; r = await send(body);
  }
  if (r.ok) location.reload(); else alert(await r.text());
}
// keyboard: j / k next and previous row, c correct, x wrong, e edit (not while typing in a field)
let cursor = -1;
document.addEventListener("keydown", (e) => {
  if (/INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName) || e.ctrlKey || e.metaKey || e.altKey) return;
  const rows = [...document.querySelectorAll("table.review tbody tr[data-key]")];
  if (!rows.length) return;
  if (e.key === "j" || e.key === "k") {
    cursor = Math.max(0, Math.min(rows.length - 1, cursor + (e.key === "j" ? 1 : -1)));
    rows.forEach(r => r.classList.remove("focus")); rows[cursor].classList.add("focus");
    rows[cursor].scrollIntoView({block: "center"});
    const a = rows[cursor].querySelector("a[data-start]");
    if (a) showEvidence(Number(a.dataset.start), Number(a.dataset.end));
    return;
  }
  const tr = rows[cursor]; if (!tr) return;
  const act = {c: "correct", x: "wrong", e: "corrected"}[e.key];
  if (act) { e.preventDefault(); review(tr.querySelector("button"), act); }
});
// a click in a row makes it the keyboard's row (c, x, e act on it; j, k move from it)
document.addEventListener("click", (e) => {
  const tr = e.target.closest && e.target.closest("table.review tbody tr[data-key]");
  if (!tr || e.target.closest("button, a, form")) return;
  const rows = [...document.querySelectorAll("table.review tbody tr[data-key]")];
  cursor = rows.indexOf(tr);
  rows.forEach(r => r.classList.remove("focus")); tr.classList.add("focus");
});
async function renameIndicator(form) {
  // rename an indicator key, or merge it into another (give that key as the new one); run-wide
  const body = {doc_id: "*", table: "indicators", row_key: form.elements.old.value, action: "renamed",
                fields: {indicator: form.elements.key.value.trim() || form.elements.old.value,
                         indicator_label: form.elements.label.value.trim()}};
  const r = await fetch("/api/review", {method: "POST", headers: {"Content-Type": "application/json"},
                                        body: JSON.stringify(body)});
  if (r.ok) location.reload(); else form.querySelector(".state").textContent = await r.text();
  return false;
}
// a link from the audit matrix (#row-<target_id>) opens the plan at that row with its evidence lit
window.addEventListener("DOMContentLoaded", () => {
  if (!location.hash.startsWith("#row-")) return;
  const tr = document.getElementById(location.hash.slice(1));
  const a = tr && tr.querySelector("a[data-start]");
  if (a) { tr.classList.add("focus"); showEvidence(Number(a.dataset.start), Number(a.dataset.end)); tr.scrollIntoView({block: "center"}); }
});
// the page itself, with the row's evidence lit on it (PDF plans)
function showPage(a) {
  const fig = document.getElementById("page-view");
  if (!fig) return;
  const img = fig.querySelector("img");
  fig.querySelector("figcaption").textContent = `Trang / page ${a.dataset.page} — đang tải / loading…`;
  img.onload = () => { fig.querySelector("figcaption").textContent = `Trang / page ${a.dataset.page}`; };
  img.src = `/page/${encodeURIComponent(a.dataset.doc)}/${Number(a.dataset.page)}?q=${encodeURIComponent(a.dataset.q || "")}`;
  fig.hidden = false;
  fig.scrollIntoView({block: "start"});
}
