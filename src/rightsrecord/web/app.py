"""The web UI: server-rendered pages and their JSON twins, no external assets.

The app itself is here: its middleware, its error pages and the templates' environment.
Its routes are in rooms, one router each: `pages` (the pages a person reads and their JSON
twins, each one context from `views`), `api`, `feeds` and `exports`; every link comes from
`urls`. A request takes an open store from a small pool (`deps.StorePool`) and gives it back.

Errors follow the path: a `.json` path (or one under an API prefix) gets `{"error": ...}`,
anything else an HTML page in the site's layout, with the same status either way: 404 for
no such page, 422 for a request that cannot be answered as asked (a bad cursor or
parameter), a plain 500 with no traceback for anything unforeseen. Every response, the 500
included, carries the security headers (`server.serve` gives them to uvicorn's own 400s
too). Every page answers HEAD as it answers GET, without the body.
"""

# No `from __future__ import annotations`: FastAPI reads these signatures at run time.

from collections.abc import Mapping
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..read import errors
from . import api, exports, feeds, pages, urls, views
from .deps import StorePool

CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
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
                if scope["path"] == api.DOCS_URL:  # the API docs run same-host scripts
                    headers["Content-Security-Policy"] = api.DOCS_CSP
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

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is None:  # the JSON API's routes alone
            self.openapi_schema = api.openapi_schema(self)
        return self.openapi_schema


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


def wants_json(request: Request) -> bool:
    path = request.url.path
    return urls.is_json(path) or path.startswith(API_PREFIXES)


def create_app(db: str | None = None) -> FastAPI:
    app = App(title="rightsrecord", version=__version__, docs_url=None, redoc_url=None,
              openapi_url=api.OPENAPI_URL)  # the docs are the API room's (`api.docs`)
    app.state.db = db
    app.state.stores = StorePool(db)
    web_dir = resources.files("rightsrecord").joinpath("web")
    env = DataEnvironment(loader=FileSystemLoader(str(web_dir.joinpath("templates"))),
                          autoescape=select_autoescape(["html"]))
    env.globals.update(urls=urls, app_version=__version__, **views.TEMPLATE_HELPERS)
    templates = Jinja2Templates(env=env)
    app.state.templates = templates  # the rooms render with it (`pages.render`)
    app.mount("/static", StaticFiles(directory=str(web_dir.joinpath("static"))), name="static")

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

    @app.exception_handler(errors.NotFound)
    async def not_found(request: Request, exc: errors.NotFound) -> Response:
        return error(request, 404, str(exc))

    @app.exception_handler(errors.Invalid)
    async def invalid(request: Request, exc: errors.Invalid) -> Response:
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

    # -- rooms -------------------------------------------------------------------------------

    for room in (pages, api, feeds, exports):
        app.include_router(room.router)
    return app
