"""Page-level progress from worker processes: a worker notes the file and page it is on in a small file of
its own (one per process, overwritten), and the parent reads them while it waits, so the bar moves with
every page OCR reads and names the files in hand."""
from __future__ import annotations

import os
from pathlib import Path

_channel: Path | None = None


def set_channel(folder: str | Path | None) -> None:
    global _channel
    _channel = Path(folder) if folder else None
    if _channel is not None:
        _channel.mkdir(parents=True, exist_ok=True)


def report(path: str, page: int, total: int) -> None:
    """In a worker: `path` is at `page` of `total` pages (never raises: progress is not worth a failure)."""
    if _channel is None:
        return
    try:
        (_channel / str(os.getpid())).write_text(f"{page}\t{total}\t{path}", encoding="utf-8")
    except OSError:
        pass


def read(folder: Path) -> dict[str, tuple[int, int]]:
    """In the parent: file -> (page, total) for the files workers are on now."""
    out = {}
    try:
        entries = list(folder.iterdir())
    except OSError:
        return out
    for f in entries:
        try:
            page, total, path = f.read_text(encoding="utf-8").split("\t", 2)
            out[path] = (int(page), int(total))
        except (OSError, ValueError):
            continue
    return out


def clear(folder: Path, path: str) -> None:
    """A file is finished: forget the notes about it."""
    try:
        for f in folder.iterdir():
            try:
                if f.read_text(encoding="utf-8").split("\t", 2)[2] == path:
                    f.unlink()
            except (OSError, IndexError):
                continue
    except OSError:
        pass
