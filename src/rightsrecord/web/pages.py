"""The pages a person reads, and their JSON twins: one route per page, each a thin renderer
of one context from `views`.

Every page answers GET and HEAD, as HTML at its path and as JSON at the path with `.json`
added (the same context). A filter value a form may send empty (`year=`) means no filter;
one outside its vocabulary is refused by the read services (422).
"""

# No `from __future__ import annotations`: FastAPI reads these signatures at run time.

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from ..read.errors import Invalid
from ..read.models import SearchQuery
from . import urls, views
from .deps import Limit, ScopeDep, StoreDep

READ = ["GET", "HEAD"]  # every page answers HEAD as GET, without the body (uvicorn drops it)

router = APIRouter()


def render(request: Request, template: str, context: dict[str, Any], fmt: str,
           **extra: Any) -> Response:
    """A context as JSON, or as HTML through a template (with `extra`, for the template
    only: a form's options, the view asked for)."""
    if fmt == "json":
        return JSONResponse(context)
    templates = request.app.state.templates
    return templates.TemplateResponse(request, template, {**context, **extra})


def _given(raw: str | None) -> str | None:
    """A query parameter's value, None when left empty (a form's "any")."""
    return raw.strip() if raw is not None and raw.strip() else None


def _number(raw: str | None, name: str) -> int | None:
    value = _given(raw)
    if value is None:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 9):
        raise Invalid(f"{name.capitalize()} must be a number, not {value[:40]!r}.")
    return int(value)


def _route(path: str, make: Any) -> None:
    """A page and its JSON twin; the twin first, as `/documents/{doc_id}` would also match
    `/documents/5.json`."""
    router.add_api_route(path + urls.JSON, make("json"), methods=READ,
                         name=f"{make.__name__}_json", include_in_schema=False)
    router.add_api_route(path, make("html"), methods=READ, name=f"{make.__name__}_html",
                         response_class=HTMLResponse, include_in_schema=False)


@router.api_route("/favicon.ico", methods=READ, include_in_schema=False)
def favicon() -> Response:
    return RedirectResponse(urls.static("favicon.svg"), status_code=301)


@router.api_route("/", methods=READ, response_class=HTMLResponse, include_in_schema=False)
def home_page(request: Request, store: StoreDep, scope: ScopeDep) -> Response:
    return render(request, "home.html", views.home(store, scope), "html")


@router.api_route("/index.json", methods=READ, include_in_schema=False)
def home_json(request: Request, store: StoreDep, scope: ScopeDep) -> Response:
    return render(request, "home.html", views.home(store, scope), "json")


def countries_page(fmt: str) -> Any:
    def endpoint(request: Request, store: StoreDep, scope: ScopeDep) -> Response:
        return render(request, "countries.html", views.countries(store, scope), fmt)
    return endpoint


def country_page(fmt: str) -> Any:
    def endpoint(request: Request, code: str, store: StoreDep, scope: ScopeDep,
                 theme: str | None = None, year: str | None = None,
                 event_type: str | None = None, cursor: str | None = None,
                 summaries_cursor: str | None = None, limit: Limit = None,
                 summaries_limit: Limit = None) -> Response:
        context = views.country(store, code, theme=_given(theme),
                                year=_number(year, "year"), event_type=_given(event_type),
                                cursor=cursor, summaries_cursor=summaries_cursor, limit=limit,
                                summaries_limit=summaries_limit, fmt=fmt, scope=scope)
        return render(request, "country.html", context, fmt)
    return endpoint


def changes_page(fmt: str) -> Any:
    def endpoint(request: Request, code: str, store: StoreDep, scope: ScopeDep,
                 since: str | None = None, cursor: str | None = None,
                 limit: Limit = None) -> Response:
        context = views.changes(store, code, since=_given(since), cursor=cursor, limit=limit,
                                fmt=fmt, scope=scope)
        return render(request, "changes.html", context, fmt)
    return endpoint


@router.api_route("/countries/{code}/draft.md", methods=READ, include_in_schema=False)
def draft_markdown(code: str, store: StoreDep, scope: ScopeDep) -> Response:
    """A country's drafted yearly summaries as Markdown, their sources as footnotes."""
    return Response(views.draft_markdown(store, code, scope),
                    media_type="text/markdown; charset=utf-8")


def documents_page(fmt: str) -> Any:
    def endpoint(request: Request, store: StoreDep, scope: ScopeDep,
                 country: str | None = None, kind: str | None = None,
                 year: str | None = None, cursor: str | None = None,
                 limit: Limit = None) -> Response:
        context = views.documents(store, country=_given(country), kind=_given(kind),
                                  year=_number(year, "year"), cursor=cursor, limit=limit,
                                  fmt=fmt, scope=scope)
        return render(request, "documents.html", context, fmt,
                      options=views.list_options(store, scope) if fmt == "html" else None)
    return endpoint


def document_page(fmt: str) -> Any:
    def endpoint(request: Request, doc_id: str, store: StoreDep, scope: ScopeDep,
                 view: Literal["reader", "analyst"] = "reader") -> Response:
        return render(request, "document.html", views.document(store, doc_id, scope=scope),
                      fmt, view=view)
    return endpoint


def version_page(fmt: str) -> Any:
    def endpoint(request: Request, doc_id: str, n: str, store: StoreDep, scope: ScopeDep,
                 view: Literal["reader", "analyst"] = "reader") -> Response:
        return render(request, "document.html", views.document(store, doc_id, n, scope),
                      fmt, view=view)
    return endpoint


def events_page(fmt: str) -> Any:
    def endpoint(request: Request, store: StoreDep, scope: ScopeDep,
                 country: str | None = None, type: str | None = None,
                 year: str | None = None, theme: str | None = None,
                 cursor: str | None = None, limit: Limit = None) -> Response:
        context = views.events(store, country=_given(country), event_type=_given(type),
                               year=_number(year, "year"), theme=_given(theme), cursor=cursor,
                               limit=limit, fmt=fmt, scope=scope)
        return render(request, "events.html", context, fmt,
                      options=views.list_options(store, scope) if fmt == "html" else None)
    return endpoint


def event_page(fmt: str) -> Any:
    def endpoint(request: Request, event_id: str, store: StoreDep, scope: ScopeDep
                 ) -> Response:
        return render(request, "event.html", views.event(store, event_id, scope), fmt)
    return endpoint


def actors_page(fmt: str) -> Any:
    def endpoint(request: Request, store: StoreDep, scope: ScopeDep,
                 type: str | None = None, cursor: str | None = None,
                 limit: Limit = None) -> Response:
        context = views.actors(store, actor_type=_given(type), cursor=cursor, limit=limit,
                               fmt=fmt, scope=scope)
        return render(request, "actors.html", context, fmt)
    return endpoint


def actor_page(fmt: str) -> Any:
    def endpoint(request: Request, actor_id: str, store: StoreDep, scope: ScopeDep
                 ) -> Response:
        return render(request, "actor.html", views.actor(store, actor_id, scope), fmt)
    return endpoint


def search_page(fmt: str) -> Any:
    def endpoint(request: Request, store: StoreDep, scope: ScopeDep, q: str = "",
                 country: str | None = None, theme: str | None = None,
                 event_type: str | None = None, actor: str | None = None,
                 year: str | None = None, source_kind: str | None = None,
                 date_from: str | None = None, date_to: str | None = None,
                 sort: Literal["relevance", "newest", "oldest"] = "relevance",
                 cursor: str | None = None, limit: Limit = None) -> Response:
        query = SearchQuery(q=q.strip(), country=_given(country), theme=_given(theme),
                            event_type=_given(event_type), actor=_number(actor, "actor"),
                            year=_number(year, "year"), source_kind=_given(source_kind),
                            date_from=_given(date_from), date_to=_given(date_to), sort=sort)
        context = views.search(store, query, cursor=cursor, limit=limit, fmt=fmt, scope=scope)
        return render(request, "search.html", context, fmt)
    return endpoint


for _path, _make in (("/countries", countries_page), ("/countries/{code}", country_page),
                     ("/countries/{code}/changes", changes_page),
                     ("/documents", documents_page), ("/documents/{doc_id}", document_page),
                     ("/documents/{doc_id}/versions/{n}", version_page),
                     ("/events", events_page), ("/events/{event_id}", event_page),
                     ("/actors", actors_page), ("/actors/{actor_id}", actor_page),
                     ("/search", search_page)):
    _route(_path, _make)
