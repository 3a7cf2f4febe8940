"""The web UI: server-rendered pages and their JSON twins, no external assets.

Every page is one context from `views`, rendered by a template or returned as JSON; every
link comes from `urls`. A request takes an open store from a small pool (`StorePool`)
and gives it back.

Errors follow the path: a `.json` path (or one under an API prefix) gets `{"error": ...}`,
anything else an HTML page in the site's layout, with the same status either way: 404 for
no such page, 422 for a request that cannot be answered as asked (a bad cursor or
parameter), a plain 500 with no traceback for anything unforeseen. Every response, the 500
included, carries the security headers (`server.serve` gives them to uvicorn's own 400s
too). Every page answers HEAD as it answers GET, without the body.
"""

# No `from __future__ import annotations`: FastAPI reads these signatures at run time.

import threading
from collections.abc import Callable, Iterator, Mapping
from importlib import resources
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..store import open_store
from ..store.base import Store
from . import urls, views

CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
READ = ["GET", "HEAD"]  # every page answers HEAD as GET, without the body (uvicorn drops it)
API_PREFIXES = ("/api/",)  # paths that always answer JSON, errors included

STATUS_TITLES = {400: "Bad request", 404: "Not found", 405: "Method not allowed",
                 422: "Cannot answer that request", 500: "Something went wrong"}


class SecurityHeaders:
    """Set the security headers on every response, whoever made it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_secured)


class App(FastAPI):
    """FastAPI with the security headers outside everything else.

    Middleware added the usual way sits inside Starlette's ServerErrorMiddleware, so the
    500 that middleware sends for an unhandled exception would go out without them; here
    they wrap the whole stack.
    """

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack())


class DataEnvironment(Environment):
    """Jinja with a context's keys before Python's attributes.

    A context is plain dicts, some with keys like `items` or `values`: `counts.items` must
    be the count, not the dict's `items` method (Jinja looks up attributes first).
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, Mapping):
            try:
                return obj[attribute]
            except (KeyError, TypeError):
                pass
        return super().getattr(obj, attribute)


class StorePool:
    """Open stores kept for the next request: a request takes one for itself alone and puts
    it back, so a connection is opened (and its schema checked) once, not per request."""

    def __init__(self, db: str | None, keep: int = 16) -> None:
        self.db, self.keep = db, keep
        self._idle: list[Store] = []
        self._lock = threading.Lock()

    def take(self) -> Store:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return open_store(self.db)

    def give_back(self, store: Store, healthy: bool) -> None:
        with self._lock:
            if healthy and len(self._idle) < self.keep:
                self._idle.append(store)
                return
        store.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for store in idle:
            store.close()


def get_store(request: Request) -> Iterator[Store]:
    pool: StorePool = request.app.state.stores
    store = pool.take()
    healthy = False
    try:
        yield store
        healthy = True
    finally:
        pool.give_back(store, healthy)


StoreDep = Annotated[Store, Depends(get_store)]
Limit = Annotated[int | None, Query(ge=1, le=views.MAX_PAGE)]


def wants_json(request: Request) -> bool:
    path = request.url.path
    return urls.is_json(path) or path.startswith(API_PREFIXES)


def create_app(db: str | None = None) -> FastAPI:
    app = App(title="rightsrecord", version=__version__, docs_url=None, redoc_url=None,
              openapi_url=None)
    app.state.db = db
    app.state.stores = StorePool(db)
    web_dir = resources.files("rightsrecord").joinpath("web")
    env = DataEnvironment(loader=FileSystemLoader(str(web_dir.joinpath("templates"))),
                          autoescape=select_autoescape(["html"]))
    env.globals.update(urls=urls, app_version=__version__, cut=views.cut,
                       snippet_parts=views.snippet_parts, own_title=views.own_title)
    templates = Jinja2Templates(env=env)
    app.mount("/static", StaticFiles(directory=str(web_dir.joinpath("static"))), name="static")

    def page(request: Request, template: str, context: dict[str, Any], fmt: str) -> Response:
        if fmt == "json":
            return JSONResponse(context)
        return templates.TemplateResponse(request, template, dict(context))

    def error(request: Request, status: int, message: str,
              headers: Mapping[str, str] | None = None) -> Response:
        if wants_json(request):
            return JSONResponse({"error": message}, status_code=status, headers=headers)
        context = {"title": STATUS_TITLES.get(status, "Error"), "status": status,
                   "message": message}
        try:
            return templates.TemplateResponse(request, "error.html", context,
                                              status_code=status, headers=headers)
        except Exception:  # the error page itself failed: say so plainly
            return HTMLResponse(f"<!doctype html><title>Error {status}</title>"
                                f"<h1>Error {status}</h1>", status_code=status)

    # -- errors ------------------------------------------------------------------------------

    @app.exception_handler(views.NotFound)
    async def not_found(request: Request, exc: views.NotFound) -> Response:
        return error(request, 404, str(exc))

    @app.exception_handler(views.Invalid)
    async def invalid(request: Request, exc: views.Invalid) -> Response:
        return error(request, 422, str(exc))

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for e in exc.errors():
            where = ".".join(str(part) for part in e.get("loc", ())[1:])
            problems.append(f"{where}: {e.get('msg', 'invalid')}" if where
                            else str(e.get("msg", "invalid")))
        return error(request, 422, "Bad request parameters: " + "; ".join(problems) + ".")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            message = f"No page at {request.url.path[:200]}."
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed here."
        else:
            message = str(exc.detail)
        return error(request, exc.status_code, message, exc.headers)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        # Starlette's ServerErrorMiddleware calls this, then re-raises for the server's log.
        return error(request, 500, "The server could not show this page.")

    # -- pages -------------------------------------------------------------------------------

    @app.api_route("/favicon.ico", methods=["GET", "HEAD"], include_in_schema=False)
    def favicon() -> Response:
        return RedirectResponse(urls.static("favicon.svg"), status_code=301)

    def home_page(fmt: str) -> Callable[..., Response]:
        def endpoint(request: Request, store: StoreDep) -> Response:
            return page(request, "home.html", views.home_context(store), fmt)
        return endpoint

    def country_page(fmt: str) -> Callable[..., Response]:
        def endpoint(request: Request, code: str, store: StoreDep, cursor: str | None = None,
                     summaries_cursor: str | None = None, limit: Limit = None,
                     summaries_limit: Limit = None) -> Response:
            context = views.country_context(store, code, cursor=cursor,
                                            summaries_cursor=summaries_cursor, limit=limit,
                                            summaries_limit=summaries_limit, fmt=fmt)
            return page(request, "country.html", context, fmt)
        return endpoint

    def document_page(fmt: str) -> Callable[..., Response]:
        def endpoint(request: Request, doc_id: str, store: StoreDep) -> Response:
            return page(request, "document.html", views.document_context(store, doc_id), fmt)
        return endpoint

    def version_page(fmt: str) -> Callable[..., Response]:
        def endpoint(request: Request, doc_id: str, n: str, store: StoreDep) -> Response:
            return page(request, "document.html", views.document_context(store, doc_id, n),
                        fmt)
        return endpoint

    def search_page(fmt: str) -> Callable[..., Response]:
        def endpoint(request: Request, store: StoreDep, q: str = "",
                     cursor: str | None = None, limit: Limit = None) -> Response:
            context = views.search_context(store, q, cursor=cursor, limit=limit, fmt=fmt)
            return page(request, "search.html", context, fmt)
        return endpoint

    def event_page(fmt: str) -> Callable[..., Response]:
        def endpoint(request: Request, event_id: str, store: StoreDep) -> Response:
            return page(request, "event.html", views.event_context(store, event_id), fmt)
        return endpoint

    def actor_page(fmt: str) -> Callable[..., Response]:
        def endpoint(request: Request, actor_id: str, store: StoreDep) -> Response:
            return page(request, "actor.html", views.actor_context(store, actor_id), fmt)
        return endpoint

    # The JSON twin first: `/documents/{doc_id}` would also match `/documents/5.json`.
    for path, make in (("/countries/{code}", country_page),
                       ("/events/{event_id}", event_page),
                       ("/actors/{actor_id}", actor_page),
                       ("/documents/{doc_id}", document_page),
                       ("/documents/{doc_id}/versions/{n}", version_page),
                       ("/search", search_page)):
        app.add_api_route(path + urls.JSON, make("json"), methods=READ)
        app.add_api_route(path, make("html"), methods=READ, response_class=HTMLResponse)
    app.add_api_route(urls.home("json"), home_page("json"), methods=READ)
    app.add_api_route(urls.home(), home_page("html"), methods=READ,
                      response_class=HTMLResponse)
    return app
