"""Fit the events model (`src/rightsrecord/data/events/model.npz`) on IndiaPoliceEvents dev.

The sentences and rule hits come from the shipped extract path with the model switched off
(`evaluation/event_training.py`); `rightsrecord eval` fits the same recipe on four folds and
scores the fifth, so the figures it prints are for documents the model did not see.
`--wikievents` adds the WikiEvents sentences of `../shared/train/` (arrest only); in a
5-fold check it moved arrest sentence F1 by +0.003 and nothing else, so it is off by default.

Run: `.venv/bin/python scripts/train_events.py [--shared ../shared] [--wikievents]`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rightsrecord.evaluation.common import shared_path
from rightsrecord.evaluation.event_training import MODEL_TYPES, wikievents
from rightsrecord.evaluation.events import ipe_sentences
from rightsrecord.extract.event_model import MODEL_PATH, fit


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=None)
    ap.add_argument("--wikievents", action="store_true")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    args = ap.parse_args()
    shared = shared_path(args.shared)
    table = ipe_sentences(shared)
    if args.wikievents:
        table.extend(wikievents(shared))
    model = fit(table.rows, table.labels, MODEL_TYPES, table.known, groups=table.doc_ids)
    model.save(args.out)
    for t, (keep, add) in zip(model.types, model.thresholds, strict=True):
        print(f"{t:20} keep >= {keep:.2f}  add >= {add:.2f}")
    print(f"{len(table.rows)} sentences; wrote {args.out} ({args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
