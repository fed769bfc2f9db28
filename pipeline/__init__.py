"""kehoach: Vietnamese administrative plan documents -> normalized, comparable tables.

Public verbs: read, normalize, parse_outline, extract, run, load_plan, load_run.
"""
from __future__ import annotations

__version__ = "0.1.0"

from .api import extract, load_plan, load_run, normalize, parse_outline, read, run  # noqa: E402

__all__ = ["read", "normalize", "parse_outline", "extract", "run", "load_plan", "load_run", "__version__"]
