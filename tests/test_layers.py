"""Issue 22: the package's modules import one way. No import circle between its modules and stage packages
(counting imports inside functions too), the language helpers import nothing of kehoach, and the rules
import no extractor."""
from __future__ import annotations

import ast
import collections
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "pipeline"


def _imports() -> dict[str, set[str]]:
    """Module or stage package (pipeline.X) -> the ones it imports."""
    mods = {}
    for f in ROOT.rglob("*.py"):
        name = ".".join(f.relative_to(ROOT.parent).with_suffix("").parts).removesuffix(".__init__")
        mods[name] = f
    edges: dict[str, set[str]] = collections.defaultdict(set)

    def group(m: str) -> str:
        return ".".join(m.split(".")[:2])
    for name, f in mods.items():
        pkg = name if f.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = pkg.split(".")[:len(pkg.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
                for a in node.names:
                    t = f"{target}.{a.name}" if f"{target}.{a.name}" in mods else target
                    if t in mods and group(t) != group(name):
                        edges[group(name)].add(group(t))
    return edges


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


def test_no_import_circle_and_the_lowest_layers_import_upwards_nothing():
    g = _imports()
    assert _cycles(g) == []
    assert g.get("pipeline.vi", set()) == set()
    assert "pipeline.extract" not in g.get("pipeline.rules", set())
    assert not {"pipeline.extract", "pipeline.dev"} & (g.get("pipeline.ingest", set()) | g.get("pipeline.outline", set()))


def test_importing_a_stage_package_gives_the_package():
    """`pipeline/__init__` shadowed its own subpackage: `import pipeline.extract` gave the function."""
    import importlib
    import types
    assert isinstance(importlib.import_module("pipeline.extract"), types.ModuleType)
    import pipeline
    assert isinstance(pipeline.extract, types.ModuleType) and callable(pipeline.load_plan)
