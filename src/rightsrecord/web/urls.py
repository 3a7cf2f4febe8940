"""The one place that builds the web UI's links."""

from __future__ import annotations

from urllib.parse import urlencode


def home() -> str:
    return "/"


def country(code: str, fmt: str = "html") -> str:
    return f"/countries/{code.upper()}" + (".json" if fmt == "json" else "")


def document(doc_id: int, fmt: str = "html") -> str:
    return f"/documents/{doc_id}" + (".json" if fmt == "json" else "")


def search(query: str = "", fmt: str = "html") -> str:
    path = "/search" + (".json" if fmt == "json" else "")
    return f"{path}?{urlencode({'q': query})}" if query else path


def static(name: str) -> str:
    return f"/static/{name}"
