"""The web UI: server-rendered pages and their JSON twins, no external assets."""


from collections.abc import Callable, Iterator
from importlib import resources
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from .. import __version__
from ..store import SQLiteStore, open_store
from . import urls, views

CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")


def create_app(db: str | None = None) -> FastAPI:
    app = FastAPI(title="rightsrecord", version=__version__, docs_url=None, redoc_url=None)
    web_dir = resources.files("rightsrecord").joinpath("web")
    templates = Jinja2Templates(directory=str(web_dir.joinpath("templates")))
    templates.env.globals["urls"] = urls
    templates.env.globals["app_version"] = __version__
    app.mount("/static", StaticFiles(directory=str(web_dir.joinpath("static"))), name="static")

    def get_store() -> Iterator[SQLiteStore]:
        store = open_store(db)
        try:
            yield store
        finally:
            store.close()

    StoreDep = Annotated[SQLiteStore, Depends(get_store)]

    def render(request: Request, template: str, build: Callable[[], dict[str, Any]],
               fmt: str) -> Response:
        try:
            context = build()
        except views.NotFound as exc:
            if fmt == "json":
                return JSONResponse({"error": str(exc)}, status_code=404)
            return templates.TemplateResponse(request, "error.html",
                                              {"title": "Not found", "message": str(exc)},
                                              status_code=404)
        if fmt == "json":
            return JSONResponse(context)
        return templates.TemplateResponse(request, template, context)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return RedirectResponse(urls.static("favicon.svg"), status_code=301)

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request, store: StoreDep) -> Response:
        return render(request, "home.html", lambda: views.home_context(store), "html")

    @app.get("/countries/{code}.json")
    def country_json(request: Request, code: str, store: StoreDep) -> Response:
        return render(request, "", lambda: views.country_context(store, code), "json")

    @app.get("/countries/{code}", response_class=HTMLResponse)
    def country(request: Request, code: str, store: StoreDep) -> Response:
        return render(request, "country.html", lambda: views.country_context(store, code),
                      "html")

    @app.get("/documents/{doc_id}.json")
    def document_json(request: Request, doc_id: int, store: StoreDep) -> Response:
        return render(request, "", lambda: views.document_context(store, doc_id), "json")

    @app.get("/documents/{doc_id}", response_class=HTMLResponse)
    def document(request: Request, doc_id: int, store: StoreDep) -> Response:
        return render(request, "document.html", lambda: views.document_context(store, doc_id),
                      "html")

    @app.get("/search.json")
    def search_json(request: Request, store: StoreDep, q: str = "") -> Response:
        return render(request, "", lambda: views.search_context(store, q), "json")

    @app.get("/search", response_class=HTMLResponse)
    def search(request: Request, store: StoreDep, q: str = "") -> Response:
        return render(request, "search.html", lambda: views.search_context(store, q), "html")

    return app
