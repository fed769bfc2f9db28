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
async function review(btn, action) {
  const tr = btn.closest("tr");
  const body = {doc_id: tr.dataset.doc, table: tr.dataset.table, row_key: tr.dataset.key, action, fields: {}};
  if (action === "corrected") {
    tr.querySelectorAll("[data-field]").forEach(td => {
      const v = prompt(`${td.dataset.field}`, td.textContent.trim());
      if (v !== null && v !== td.textContent.trim()) body.fields[td.dataset.field] = v;
    });
    if (!Object.keys(body.fields).length) return;
  }
  const r = await fetch("/api/review", {method: "POST", headers: {"Content-Type": "application/json"},
                                        body: JSON.stringify(body)});
  if (!r.ok) { alert(await r.text()); return; }
  tr.className = "review-" + action;
  for (const [k, v] of Object.entries(body.fields)) {
    const td = tr.querySelector(`[data-field="${k}"]`); if (td) td.textContent = v;
  }
  tr.querySelector(".state").textContent = action;
}
async function addFromSelection(doc) {
  const pre = document.getElementById("text");
  const sel = window.getSelection();
  if (!sel.rangeCount || !pre.contains(sel.anchorNode)) { alert("Chọn đoạn văn trong văn bản / select text first"); return; }
  const range = sel.getRangeAt(0), pre_range = document.createRange();
  pre_range.selectNodeContents(pre); pre_range.setEnd(range.startContainer, range.startOffset);
  const start = pre_range.toString().length, anchor = sel.toString(), end = start + anchor.length;
  const table = document.getElementById("add-table").value;
  const fields = {char_start: start, char_end: end, anchor};
  if (table === "targets") {
    fields.value = prompt("value", (anchor.match(/\d+(?:[.,]\d+)?/) || [""])[0]);
    fields.unit = prompt("unit", anchor.includes("%") ? "%" : "");
    fields.comparator = prompt("comparator", ">=");
    fields.population = prompt("population", "");
  } else if (table === "deadlines") {
    fields.text = anchor; fields.kind = prompt("kind", "date");
    fields.start = prompt("start (YYYY-MM-DD)", ""); fields.end = prompt("end (YYYY-MM-DD)", "");
  }
  const r = await fetch("/api/review", {method: "POST", headers: {"Content-Type": "application/json"},
    body: JSON.stringify({doc_id: doc, table, row_key: `added-${start}-${end}`, action: "added", fields})});
  if (r.ok) location.reload(); else alert(await r.text());
}
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
