"""Tasks: rows of appendix task tables (tab-separated lines) and per-unit duties in 'Tổ chức thực hiện'."""
from __future__ import annotations

import regex

from ...model import Section, Task
from ...rules import Rules
from ...vi import alternation



def task_columns(rules: Rules) -> list[tuple[str, "regex.Pattern"]]:
    """The sections table's task_columns compiled: (role, pattern on the case-folded header cell), in order."""
    return rules.compiled(_compile_columns)


def _compile_columns(rules: Rules) -> list[tuple[str, "regex.Pattern"]]:
    out = []
    for c in rules.table("sections").get("task_columns") or ():
        words = alternation(w.casefold() for w in c["words"])
        out.append((c["role"], regex.compile(rf"^(?:{words})$" if c.get("whole_cell") else words)))
    return out
_GROUP = regex.compile(r"^\s*(?:[IVX]{1,4}|\d{1,2}|[A-Z])[.)]\s*\S")
_GROUP_NUMBER = regex.compile(r"[IVX]{1,5}|[A-H]")
_TT = regex.compile(r"\d{1,3}(?:\.\d{1,2})*[.)]?|[IVX]{1,5}|[a-zđ][.)]?|[-+•]")
_BULLET = regex.compile(r"^\s*(?:[-+•*–]|\d{1,2}[.)]|[a-zđ]\))\s*")


def _header_roles(cells: list[str], columns) -> list[str | None] | None:
    roles = []
    for c in cells:
        low = c.casefold().strip()
        roles.append(next((r for r, rx in columns if rx.search(low)), None))
    return roles if "task" in roles and sum(r is not None for r in roles) >= 3 else None


def _lines(text: str):
    for m in regex.finditer(r"[^\n\f]+", text):
        yield m.start(), m.group()


def find_table_tasks(text: str, interpret_timeline, rules: Rules) -> list[Task]:
    """Rows under a header row that names the task column (TT | Nội dung | Chủ trì | ...), its columns
    told by the words of `rules` (the sections table's task_columns)."""
    columns = task_columns(rules)
    tasks: list[Task] = []
    roles = None
    group = None
    rows: list[dict] = []

    def flush():
        for r in rows:
            ds, de = interpret_timeline(r.get("timeline") or "")
            tasks.append(Task(task=r.get("task", "").strip(), lead=r.get("lead") or None,
                              partners=r.get("partners") or None, output=r.get("output") or None,
                              timeline=r.get("timeline") or None, deadline_start=ds, deadline_end=de,
                              group=r["group"], source="table", start=r["start"], end=r["end"]))
        rows.clear()

    for start, line in _lines(text):
        cells = line.split("\t")
        if len(cells) >= 3 and (hr := _header_roles(cells, columns)):
            flush()
            roles, group = hr, None
            continue
        if roles is None:
            continue
        filled = [c.strip() for c in cells if c.strip()]
        if len(filled) == 2 and _GROUP_NUMBER.fullmatch(cells[0].strip()) and len(cells) <= 2:
            group = f"{cells[0].strip()}. {filled[1]}"   # "I | Hoàn thiện thể chế ..." spans the row
            continue
        if len(cells) == 1 or len(filled) == 1 and cells[0].strip():
            if _GROUP.match(line) and len(line) < 200:
                group = line.strip("\t ")
                continue
            if len(cells) == 1:
                roles = None if not _GROUP.match(line) else roles
                continue
        if not cells[0].strip() and rows:          # continuation row: append to the row above
            prev = rows[-1]
            for role, cell in zip(roles, cells):
                if role and cell.strip():
                    prev[role] = (prev.get(role, "") + " " + cell.strip()).strip()
            prev["end"] = start + len(line)
            continue
        row = {"group": group, "start": start, "end": start + len(line)}
        row_roles = roles
        first = cells[0].strip()
        if roles[0] == "tt" and len(cells) < len(roles) and len(first) > 8 and not _TT.fullmatch(first):
            row_roles = roles[1:]                   # the TT cell spans rows (merged): the cells start one later
        for role, cell in zip(row_roles, cells):
            if role and role != "tt":
                row[role] = cell.strip()
        if row.get("task"):
            rows.append(row)
    flush()
    return tasks


def find_responsibilities(text: str, sections: list[Section]) -> list[Task]:
    """Each unit under 'Tổ chức thực hiện' (a numbered sub-heading) -> one task per duty line."""
    tasks = []
    for top in sections:
        if top.level != 1 or top.kind != "implementation":
            continue
        units = [s for s in sections if s.level == 2 and top.start <= s.start < top.end]
        for unit in units:
            body_end = min(unit.end, text.find("Nơi nhận", unit.heading_end) if "Nơi nhận" in text[unit.heading_end:unit.end] else unit.end)
            for start, line in _lines(text[unit.heading_end:body_end]):
                duty = _BULLET.sub("", line).strip()
                if len(duty) < 8 or duty.startswith("Trên đây"):
                    continue
                s = unit.heading_end + start
                tasks.append(Task(task=duty, lead=unit.title, partners=None, output=None, timeline=None,
                                  deadline_start=None, deadline_end=None, group=top.title,
                                  source="responsibility", start=s, end=s + len(line)))
    return tasks
