"""Run a notebook's code cells in order and store their outputs in it, as Jupyter would (no kernel
needed): what a cell prints, the value of its last line (a DataFrame as HTML and text) and every
matplotlib figure it draws (PNG). `make notebook` ships notebooks/ with their outputs this way."""
from __future__ import annotations

import ast
import base64
import contextlib
import io
import json
import os
from pathlib import Path


def _display(value) -> dict | None:
    if value is None:
        return None
    data = {"text/plain": [repr(value)]}
    html = getattr(value, "_repr_html_", None)
    if callable(html):
        try:
            rendered = html()
        except Exception:                   # noqa: BLE001 - fall back to the text form
            rendered = None
        if rendered:
            data["text/html"] = [rendered]
    return data


def _figures() -> list[dict]:
    import matplotlib.pyplot as plt
    out = []
    for num in plt.get_fignums():
        buf = io.BytesIO()
        plt.figure(num).savefig(buf, format="png", dpi=90, bbox_inches="tight")
        out.append({"output_type": "display_data", "metadata": {},
                    "data": {"image/png": base64.b64encode(buf.getvalue()).decode("ascii"), "text/plain": ["<Figure>"]}})
    plt.close("all")
    return out


def execute(path: str | Path, env: dict | None = None) -> dict:
    """Execute the notebook at `path` in a fresh namespace (its folder as the working directory) and write
    it back with outputs. Returns the namespace."""
    os.environ.setdefault("MPLBACKEND", "Agg")     # figures are drawn off-screen and stored as PNG
    path = Path(path).resolve()
    nb = json.loads(path.read_text(encoding="utf-8"))
    ns: dict = {"__name__": "__main__"}
    old_env = {k: os.environ.get(k) for k in (env or {})}
    os.environ.update(env or {})
    cwd = os.getcwd()
    os.chdir(path.parent)
    try:
        count = 0
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            count += 1
            source = "".join(cell["source"])
            tree = ast.parse(source)
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            stdout = io.StringIO()
            with contextlib.redirect_stdout(stdout):
                exec(compile(tree, f"cell {count}", "exec"), ns)
                value = eval(compile(ast.Expression(last.value), f"cell {count}", "eval"), ns) if last else None
            outputs = []
            if stdout.getvalue():
                outputs.append({"output_type": "stream", "name": "stdout", "text": stdout.getvalue().splitlines(True)})
            outputs += _figures()
            shown = _display(value)
            if shown:
                outputs.append({"output_type": "execute_result", "execution_count": count, "metadata": {}, "data": shown})
            cell["outputs"], cell["execution_count"] = outputs, count
    finally:
        os.chdir(cwd)
        for k, v in old_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return ns


if __name__ == "__main__":
    import sys
    for p in sys.argv[1:]:
        execute(p)
        print(f"executed {p}")
