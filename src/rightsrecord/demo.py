"""The bundled demo corpus: documents written by the project, each naming what it retells."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from importlib import resources
from pathlib import Path


def corpus_dir() -> Path:
    return Path(str(resources.files("rightsrecord").joinpath("data/demo")))


def corpus_files() -> Iterator[str]:
    """The corpus documents, in the order `sources.tsv` lists them."""
    root = corpus_dir()
    with (root / "sources.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            yield str(root / row["path"])
