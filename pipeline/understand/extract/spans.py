"""Positions in a long text, found in time that does not grow with the text.

`text.rfind(c, 0, pos)` for a character the text lacks (a tab in a plan without tables, a form feed in
plain text) scans the whole prefix, and `any(a <= pos < b for a, b in spans)` scans every span: once per
record, both made extraction quadratic (a plan of 20,000 items took two minutes). Boundaries are looked
for within WINDOW characters, which is more than any sentence or table cell a record stands in, and span
sets answer by bisection.
"""
from __future__ import annotations

import bisect

WINDOW = 4000


def after_last(text: str, chars: str, pos: int, window: int = WINDOW) -> int:
    """The position just after the last of `chars` before `pos` (the start of the window when none)."""
    lo = max(0, pos - window)
    found = max(text.rfind(c, lo, pos) for c in chars)
    return found + 1 if found != -1 else lo


def first_of(text: str, chars: str, pos: int, window: int = WINDOW) -> int:
    """The position of the first of `chars` at or after `pos` (the end of the window when none)."""
    hi = min(len(text), pos + window)
    found = [i for i in (text.find(c, pos, hi) for c in chars) if i != -1]
    return min(found) if found else hi


class SpanSet:
    """Spans (start, end), overlapping or not; `pos in spans` says whether one covers pos."""

    def __init__(self, spans=()):
        merged: list[list[int]] = []
        for s, e in sorted((int(s), int(e)) for s, e in spans if e > s):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def __contains__(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end) - 1
        return i >= 0 and self.ends[i] > start

    def add(self, start: int, end: int) -> None:
        """Add a span that overlaps none of those held (as a list of taken matches grows)."""
        i = bisect.bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)
