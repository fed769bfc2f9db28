"""What each document is (documents.kind): plans apart from legal acts, letters and articles, decided from
the document's own header. tests/fixtures/doctype is a copy of ../shared/doctype: 147 documents of a legal
portal labelled by hand (2 plans, 40 legal acts, 25 letters, 80 articles, 40 of them quoting plans)."""
from __future__ import annotations

import csv
from collections import Counter

import pytest

from conftest import FIX, SEEDS, csv_rows
from pipeline.understand.extract.kind import document_kind
from pipeline.reading.normalize import normalize_text
from pipeline.options import Options
from pipeline.rules import load
from pipeline.runner import run

DOCTYPE = FIX / "doctype"
RULES = load("metadata")


def _kind(path) -> str:
    return document_kind(normalize_text(path.read_text(encoding="utf-8")), RULES)[0]


@pytest.fixture(scope="module")
def confusion():
    with open(DOCTYPE / "labels.tsv", encoding="utf-8") as f:
        labels = {r["stem"]: r["kind"] for r in csv.DictReader(f, delimiter="\t")}
    return Counter((gold, _kind(DOCTYPE / "docs" / f"{stem}.md")) for stem, gold in labels.items())


def test_kind_accuracy_on_the_portal_set(confusion):
    total = sum(confusion.values())
    right = sum(n for (g, p), n in confusion.items() if g == p)
    assert total == 147 and right / total >= 0.95, confusion


def test_plan_precision_and_recall_with_the_devset_and_seeds(confusion):
    plans = list((FIX / "devset" / "docs").glob("*.txt")) + list(SEEDS.glob("*.txt"))
    found = sum(_kind(p) == "plan" for p in plans)
    tp = confusion[("plan", "plan")] + found
    predicted = sum(n for (g, p), n in confusion.items() if p == "plan") + found
    gold = sum(n for (g, p), n in confusion.items() if g == "plan") + len(plans)
    assert tp / predicted >= 0.97 and tp / gold >= 0.97, (tp, predicted, gold)


def test_articles_that_quote_plans_are_articles():
    qa = "Kế hoạch 12/KH-UBND triển khai phong trào ra sao?\nNgày 3/3/2026, UBND tỉnh ban hành Kế hoạch 12/KH-UBND.\n" \
         "KẾ HOẠCH\nTriển khai phong trào năm 2026\n1. 100% học sinh được trang bị kỹ năng số.\n"
    assert document_kind(normalize_text(qa), RULES)[0] == "article"
    decision = "ỦY BAN NHÂN DÂN TỈNH A\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/QĐ-UBND\nQUYẾT ĐỊNH\n" \
               "Ban hành Kế hoạch triển khai phong trào năm 2026\n"
    assert document_kind(normalize_text(decision), RULES)[:1] == ("plan",)
    letter = ("ỦY BAN NHÂN DÂN TỈNH A\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 45/UBND-VX\nV/v triển khai phong trào\n"
              "Kính gửi: Các sở, ngành\n")
    assert document_kind(normalize_text(letter), RULES)[0] == "letter"


def test_summary_compare_and_audit_count_plans_only(tmp_path):
    """A folder of three plans and two articles: the run keeps all five documents with their kind, and
    summary, compare and audit count the three plans and list the two articles apart."""
    from click.testing import CliRunner

    from pipeline.cli import main
    inputs = tmp_path / "in"
    inputs.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:4]:
        if seed.name.startswith("001"):
            continue
        (inputs / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    with open(DOCTYPE / "labels.tsv", encoding="utf-8") as f:
        hard = [r["stem"] for r in csv.DictReader(f, delimiter="\t") if r["kind"] == "article"
                and "kế hoạch" in r["title"].lower()][:2]
    for stem in hard:
        (inputs / f"{stem}.md").write_text((DOCTYPE / "docs" / f"{stem}.md").read_text(encoding="utf-8"),
                                           encoding="utf-8")
    out = tmp_path / "out"
    run([inputs], out, Options(progress=False, jobs=1, formats=("csv",)))
    kinds = Counter(r["kind"] for r in csv_rows(out / "documents.csv"))
    assert kinds == {"plan": 3, "article": 2}
    res = CliRunner().invoke(main, ["summary", str(out)])
    assert res.exit_code == 0 and "3 kế hoạch / plans" in res.output and "2 documents are not plans" in res.output
    for stem in hard:
        assert stem in res.output
    res = CliRunner().invoke(main, ["compare", str(out)])
    assert "2 documents are not plans and were left out" in res.output
    assert {r["doc_id"] for r in csv_rows(out / "compare_citations.csv")} <= \
        {r["doc_id"] for r in csv_rows(out / "documents.csv") if r["kind"] == "plan"}
    assert len(csv_rows(out / "compare_citations.csv")) == 3
    res = CliRunner().invoke(main, ["audit", str(out)])
    assert "3 units" in res.output and "2 documents are not plans and were left out" in res.output
    assert {r["doc_id"] for r in csv_rows(out / "audit_status.csv")} <= \
        {r["doc_id"] for r in csv_rows(out / "documents.csv") if r["kind"] == "plan"}
    targets = csv_rows(out / "targets.csv")
    assert {r["doc_kind"] for r in targets} <= {"plan", "article"}
    # the review app lists the plans and names the rest apart
    from fastapi.testclient import TestClient

    from pipeline.present.serve import create_app
    client = TestClient(create_app(out), base_url="http://127.0.0.1")
    page = client.get("/").text
    assert page.count('<tr data-doc=') == 3 and "2 tài liệu không phải kế hoạch" in page
    assert client.get("/?kind=").text.count('<tr data-doc=') == 5
