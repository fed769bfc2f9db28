"""kehoach: Vietnamese administrative plan documents -> normalized, comparable tables.

Public verbs: pipeline.read, run, load_plan, load_run, parse_outline; and pipeline.api.normalize and
pipeline.api.extract (`pipeline.extract` and `pipeline.normalize` are the stages' packages). The verbs
are loaded on first use, so that importing one stage never imports the others.
"""
from __future__ import annotations

from .version import __version__

_VERBS = ("read", "run", "load_plan", "load_run", "parse_outline")
__all__ = [*_VERBS, "__version__"]


def __getattr__(name: str):
    if name in _VERBS:
        from . import api
        return getattr(api, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
