"""Labelled sentences for the events model, read through the extract path.

Each input goes through `object_document` and the shipped pipeline with the events model
switched off, so the sentences and the rule hits are exactly what the model will see at run
time; a sentence's labels are those of the gold spans it overlaps.

* IndiaPoliceEvents dev (`eval/events/`): gold sentences with ARREST, KILL, FORCE, FAIL.
* WikiEvents (`train/events/wikievents_*.jsonl`, training data beyond the evaluation sets):
  one sentence a line; `Justice.ArrestJailDetain` gives arrest. Only that type maps cleanly;
  its other sentences are negatives for arrest alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rightsrecord.extract import models
from rightsrecord.extract.event_model import sentence_rows

IPE_TYPES = {"ARREST": "arrest", "KILL": "killing", "FORCE": "use-of-force",
             "FAIL": "failure-to-protect"}
MODEL_TYPES = tuple(IPE_TYPES.values())


@dataclass
class Sentences:
    """Feature rows of labelled sentences, each with its document id; `known` says which types
    a row's labels speak for (a WikiEvents row knows only arrest)."""

    rows: list[list[int]] = field(default_factory=list)
    labels: list[set[str]] = field(default_factory=list)
    known: list[frozenset[str]] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)

    def extend(self, other: Sentences) -> None:
        self.rows += other.rows
        self.labels += other.labels
        self.known += other.known
        self.doc_ids += other.doc_ids

    def take(self, keep: Iterable[int]) -> Sentences:
        out = Sentences()
        for i in keep:
            out.rows.append(self.rows[i])
            out.labels.append(self.labels[i])
            out.known.append(self.known[i])
            out.doc_ids.append(self.doc_ids[i])
        return out


def _segments(objs: Sequence[dict[str, Any]]) -> Iterable[tuple[dict[str, Any], Any]]:
    from rightsrecord.extract.pipeline import Pipeline, StageError
    from rightsrecord.ingest.pipeline import object_document

    docs = [object_document(o, i) for i, o in enumerate(objs, 1)]
    with models.override("events", None):
        done = list(Pipeline().pipe(docs))
    for obj, doc in zip(objs, done, strict=True):
        if not isinstance(doc, StageError):
            yield obj, doc.body


def labelled(objs: Sequence[dict[str, Any]], gold: Sequence[list[tuple[int, int, set[str]]]],
             known: frozenset[str]) -> Sentences:
    """Rows of every engine sentence of `objs`; gold[i] holds (start, end, types) spans."""
    out = Sentences()
    by_id = {str(o["id"]): g for o, g in zip(objs, gold, strict=True)}
    for obj, seg in _segments(objs):
        rows, _ = sentence_rows(seg.text, seg.sentences, seg.events)
        spans = by_id[str(obj["id"])]
        for (s, e), row in zip(seg.sentences, rows, strict=True):
            labs: set[str] = set()
            for gs, ge, types in spans:
                if gs < e and s < ge:
                    labs |= types
            out.rows.append(row)
            out.labels.append(labs)
            out.known.append(known)
            out.doc_ids.append(str(obj["id"]))
    return out


def wikievents(shared: Path) -> Sentences:
    from .common import read_jsonl

    objs, gold = [], []
    for name in ("wikievents_dev.jsonl", "wikievents_test.jsonl"):
        path = Path(shared) / "train" / "events" / name
        if not path.exists():
            continue
        for r in read_jsonl(path):
            text = r["text"]
            types = {"arrest"} if "Justice.ArrestJailDetain" in ".".join(r["labels"]) else set()
            objs.append({"id": r["source"], "text": text})
            gold.append([(0, len(text), types)])
    return labelled(objs, gold, frozenset({"arrest"}))
