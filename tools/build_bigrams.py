"""Build pipeline/rules/syllable_bigrams.tsv.gz: which two Vietnamese syllables follow each other in
administrative text, for the OCR repair stage (a word as read that follows or precedes its neighbour
as in real text is valid in context and never changed).

Source: the shared doctype set (147 documents of a legal portal: legal acts, letters, plans, news and
Q&A), unlabelled; none of the seeds, devset or fixture documents are used, so the repair's test over
those texts is a test on text the table was not built from. Pairs seen in at least MIN_DOCS documents
are kept (a pair one document uses is its own wording, not the language's).

    python3 tools/build_bigrams.py ../shared/doctype/docs pipeline/rules/syllable_bigrams.tsv.gz
"""
from __future__ import annotations

import gzip
import sys
from collections import Counter
from pathlib import Path

import regex

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pipeline.vi import tone_key  # noqa: E402

MIN_DOCS = 2
_RUN = regex.compile(r"\p{L}+(?:[ ]\p{L}+)+")


def pairs(text: str) -> set[tuple[str, str]]:
    out = set()
    for m in _RUN.finditer(text.replace("**", " ").replace("*", " ")):
        words = tone_key(m.group()).split(" ")
        out.update(zip(words, words[1:]))
    return out


def main(src: str, dest: str) -> None:
    docs = Counter()
    files = sorted(Path(src).glob("*.md"))
    for f in files:
        docs.update(pairs(f.read_text(encoding="utf-8", errors="replace")))
    kept = sorted((a, b, n) for (a, b), n in docs.items() if n >= MIN_DOCS)
    with gzip.open(dest, "wt", encoding="utf-8", compresslevel=9) as out:
        out.write(f"# syllable pairs seen in at least {MIN_DOCS} of {len(files)} documents (tools/build_bigrams.py)\n")
        for a, b, n in kept:
            out.write(f"{a}\t{b}\t{n}\n")
    print(f"{len(kept)} pairs from {len(files)} documents -> {dest}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
