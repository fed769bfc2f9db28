"""What a cached result depends on: the package's code and rule files, a --rules folder, the options that
change output, and the optional tools that change output. A part on disk is reused only when all agree."""
from __future__ import annotations

import hashlib
import importlib.util
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def _hash_files(files) -> str:
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(str(f.relative_to(f.anchor)).encode("utf-8", "surrogateescape"))
        h.update(f.read_bytes())
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_hash() -> str:
    """The package's own Python code and rule tables."""
    files = [p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix in (".py", ".yaml", ".tsv")
             and "__pycache__" not in p.parts]
    return _hash_files(files)


def rules_hash(folder: str | None) -> str:
    """A --rules folder's YAML files, read every time (an edit between runs must show)."""
    from .rules import folder_hash
    return folder_hash(folder)


@lru_cache(maxsize=1)
def tools() -> str:
    """Optional dependencies whose presence or version changes the output."""
    parts = [f"underthesea={'yes' if importlib.util.find_spec('underthesea') else 'no'}",
             f"soffice={'yes' if shutil.which('soffice') or shutil.which('libreoffice') else 'no'}"]
    exe = shutil.which("tesseract")
    if exe:
        try:
            out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=10)
            parts.append("tesseract=" + ((out.stdout or out.stderr).split("\n", 1)[0].split()[-1]))
        except (OSError, subprocess.SubprocessError, IndexError):
            parts.append("tesseract=?")
    else:
        parts.append("tesseract=no")
    return ",".join(parts)


def fingerprint(ocr: str, max_pages: int, rules: str | None) -> str:
    """A short hex digest of everything a document's rows depend on besides its bytes."""
    from .version import __version__
    h = hashlib.sha256("|".join([__version__, code_hash(), rules_hash(rules), tools(), ocr,
                                 str(max_pages)]).encode()).hexdigest()
    return h[:16]


def pipeline_version(rules: str | None = None) -> str:
    """`pipeline_version` in the tables: the release and the fingerprint of code, rules and tools."""
    from .version import __version__
    h = hashlib.sha256("|".join([code_hash(), rules_hash(rules), tools()]).encode()).hexdigest()
    return f"{__version__}+{h[:12]}"
