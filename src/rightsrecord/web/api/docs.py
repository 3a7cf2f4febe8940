"""The API's description (`/openapi.json`, `/api/v1` routes only) and its interactive docs
(`/docs`): Swagger UI from fastapi-offline's packaged files, served by the app itself.

The site's CSP allows no script at all; the docs page alone gets `DOCS_CSP`, which lets it
run scripts from this host (Swagger UI and `swagger-init.js`, no inline script), fetch the
schema from this host and show the stylesheet's built-in `data:` icons.
"""

# No `from __future__ import annotations`: FastAPI reads these signatures at run time.

import html
from importlib import resources
from typing import Any

from fastapi import APIRouter, FastAPI, Request, routing
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, HTMLResponse, Response

from ...read.errors import NotFound
from .common import PREFIX

DOCS_URL = "/docs"
OPENAPI_URL = "/openapi.json"
ASSETS = DOCS_URL + "/assets"
DOCS_CSP = ("default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; "
            "img-src 'self' data:; form-action 'self'; base-uri 'none'; "
            "frame-ancestors 'none'")
PACKAGED = ("swagger-ui.css", "swagger-ui-bundle.js", "favicon.png")  # fastapi-offline's
READ = ["GET", "HEAD"]

DESCRIPTION = """The record as data: countries, documents, events, actors and search, each a
typed document with every fact's source and evidence. Lists are paged: pass a page's
`next_cursor` as `cursor` for the next. A date is `stated` only where a source states it;
`reported` is when it was reported, not when it happened. Errors are `{"error": "..."}`:
404 for no such thing, 422 for a request that cannot be answered as asked."""

# Starts Swagger UI; the page names the schema's address in `data-openapi-url`.
INIT_JS = """"use strict";
(function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
})();
"""

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} API</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css">
<link rel="icon" href="{assets}/favicon.png">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi}"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{assets}/swagger-init.js"></script>
</body>
</html>
"""

router = APIRouter(include_in_schema=False)


@router.api_route(DOCS_URL, methods=READ, response_class=HTMLResponse)
def docs_page(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return HTMLResponse(PAGE.format(title=html.escape(request.app.title),
                                    assets=html.escape(root + ASSETS),
                                    openapi=html.escape(root + OPENAPI_URL)))


@router.api_route(ASSETS + "/{name}", methods=READ)
def docs_asset(name: str) -> Response:
    if name == "swagger-init.js":
        return Response(INIT_JS, media_type="text/javascript")
    if name not in PACKAGED:
        raise NotFound(f"No docs asset {name[:40]!r}.")
    path = resources.files("fastapi_offline").joinpath("static", name)
    return FileResponse(str(path))


def openapi_schema(app: FastAPI) -> dict[str, Any]:
    """The schema of the JSON API alone: pages, feeds, exports and the docs are not in it."""
    routes = [r for r in routing.iter_route_contexts(app.routes)
              if r.path == PREFIX or (r.path or "").startswith(PREFIX + "/")]
    schema = get_openapi(title=f"{app.title} API", version=app.version,
                         description=DESCRIPTION, routes=routes)
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                _absent_not_null(parameter)
            _no_default_422(operation["responses"])
    for unused in ("HTTPValidationError", "ValidationError"):
        schema.get("components", {}).get("schemas", {}).pop(unused, None)
    return schema


def _no_default_422(responses: dict[str, Any]) -> None:
    """FastAPI documents a 422 of its own shape for any route with parameters; this app's
    422 is `ErrorBody`, documented where a route can give one, so drop FastAPI's."""
    schema = responses.get("422", {}).get("content", {}).get("application/json", {})
    if schema.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"):
        del responses["422"]


def _absent_not_null(parameter: dict[str, Any]) -> None:
    """An optional query parameter is left out, never null: drop the `null` branch FastAPI
    writes for `X | None`, keeping the value's own schema (and the enum beside it)."""
    schema = parameter.get("schema", {})
    branches = schema.get("anyOf")
    if parameter.get("in") != "query" or not branches:
        return
    kept = [b for b in branches if b != {"type": "null"}]
    if len(kept) == 1 and len(kept) < len(branches):
        del schema["anyOf"]
        schema.update(kept[0])
