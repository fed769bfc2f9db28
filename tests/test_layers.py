"""Issue 22: the package's folders are the stages a plan passes through, and imports run one way, down.

    bottom         vi, labels, model, errors, version, progress, fingerprint, rules/  (imported by all)
    reading/       ingest/, normalize/, similarity          a file -> a normalized Document
    understand/    extract/, outline, gazetteer, nlp, ...   Document -> records
    store/         tables, export, reviews, gold            records -> tables on disk, and reviews of them
    analyse/       audit, compare, graph, explain, ...      tables -> findings
    present/       serve, web/, demo, notebook, pageimage   findings -> what a person reads
    top            api, cli, runner, worker, distributed, options, __init__  (they call every stage)

No module imports one of a higher stage (counting imports inside functions too), there is no import circle
between the stages' packages, the language helpers import nothing of kehoach, the rules import no extractor,
and no stage imports dev/ (only the top does: the cli's dev commands)."""
from __future__ import annotations

import ast
import collections
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "pipeline"

BOTTOM = {"vi", "labels", "model", "errors", "version", "progress", "fingerprint", "rules"}
TOP = {"api", "cli", "runner", "worker", "distributed", "options"}
STAGES = ["bottom", "reading", "understand", "store", "analyse", "present", "top"]


def _modules() -> dict[str, Path]:
    mods = {}
    for f in ROOT.rglob("*.py"):
        name = ".".join(f.relative_to(ROOT.parent).with_suffix("").parts).removesuffix(".__init__")
        mods[name] = f
    return mods


def stage(module: str) -> str:
    """pipeline.X.Y -> its stage: one of STAGES, or 'dev'."""
    parts = module.split(".")
    if len(parts) == 1:
        return "top"                                   # pipeline/__init__
    first = parts[1]
    if first in BOTTOM:
        return "bottom"
    if first in TOP:
        return "top"
    if first in STAGES or first == "dev":
        return first
    raise AssertionError(f"{module} is in no stage: put it in a stage folder, or name it in BOTTOM or TOP")


def _imports() -> dict[str, set[str]]:
    """Module -> the package modules it imports (relative and absolute, also inside functions)."""
    mods = _modules()
    edges: dict[str, set[str]] = collections.defaultdict(set)
    for name, f in mods.items():
        pkg = name if f.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = pkg.split(".")[:len(pkg.split(".")) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                targets = [f"{target}.{a.name}" if f"{target}.{a.name}" in mods else target for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            for t in targets:
                while t and t not in mods:
                    t = t.rpartition(".")[0]
                if t and t != name:
                    edges[name].add(t)
    return edges


def _room(module: str) -> str:
    """The package a module sits in, one level under its stage folder (pipeline.understand.extract), or the
    top-level module or package itself (pipeline.rules, pipeline.cli)."""
    parts = module.split(".")
    return ".".join(parts[:3] if len(parts) > 2 and parts[1] in STAGES else parts[:2])


def _cycles(g: dict[str, set[str]]) -> list[list[str]]:
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in g.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))
    for v in list(g):
        if v not in index:
            visit(v)
    return out


def test_every_module_has_a_stage_and_no_import_runs_back_up_a_stage():
    upward = []
    for a, targets in _imports().items():
        for b in targets:
            sa, sb = stage(a), stage(b)
            if sb == "dev":
                if sa not in ("dev", "top"):
                    upward.append(f"{a} ({sa}) imports {b} (dev)")
            elif sa != "dev" and STAGES.index(sb) > STAGES.index(sa):
                upward.append(f"{a} ({sa}) imports {b} ({sb})")
    assert upward == []
    for name in _modules():
        stage(name)                                    # raises for a module no stage holds


def test_no_import_circle_and_the_lowest_layers_import_upwards_nothing():
    edges = _imports()
    rooms: dict[str, set[str]] = collections.defaultdict(set)
    for a, targets in edges.items():
        for b in targets:
            if _room(a) != _room(b):
                rooms[_room(a)].add(_room(b))
    assert _cycles(rooms) == []
    assert edges.get("pipeline.vi", set()) == set()
    assert not any(stage(t) != "bottom" for m in edges if m.startswith("pipeline.rules") for t in edges[m])


def test_importing_a_stage_package_gives_the_package():
    """`pipeline/__init__` once shadowed its own extract package with the function of that name. And no
    stage folder takes a verb's name: the reading stage is `reading/`, as `pipeline.read` is the verb."""
    import importlib
    import types
    assert isinstance(importlib.import_module("pipeline.understand.extract"), types.ModuleType)
    import pipeline
    assert isinstance(pipeline.understand.extract, types.ModuleType) and callable(pipeline.load_plan)
    importlib.import_module("pipeline.reading.ingest")
    assert callable(pipeline.read) and not isinstance(pipeline.read, types.ModuleType)
    assert not set(pipeline._VERBS) & {p.name for p in ROOT.iterdir() if p.is_dir() or p.suffix == ".py"}
