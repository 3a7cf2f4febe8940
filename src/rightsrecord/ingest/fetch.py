"""Reading inputs: files with a size limit, URLs over HTTP(S) with a size limit and timeouts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx

from .. import __version__
from ..errors import RejectedInput

USER_AGENT = f"rightsrecord/{__version__}"


@dataclass
class Fetched:
    data: bytes
    url: str  # canonical: file:// URI or the final HTTP URL after redirects
    source: str  # the folder or the host
    media_type: str | None = None
    charset: str | None = None


def read_file(path: Path, max_bytes: int) -> Fetched:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise RejectedInput(f"too large: {size:,} bytes, over the {max_bytes:,}-byte limit")
        data = path.read_bytes()
    except OSError as exc:
        raise RejectedInput(f"cannot read: {exc.strerror or exc}") from None
    resolved = path.resolve()
    return Fetched(data=data, url=resolved.as_uri(), source=str(resolved.parent))


def fetch_url(url: str, max_bytes: int, timeout: float) -> Fetched:
    try:
        with httpx.Client(follow_redirects=True, timeout=timeout,
                          headers={"User-Agent": USER_AGENT}) as client, \
                client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise RejectedInput(f"HTTP {response.status_code} {response.reason_phrase}")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise RejectedInput(
                    f"too large: {int(declared):,} bytes, over the {max_bytes:,}-byte limit")
            chunks, total = [], 0
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > max_bytes:
                    raise RejectedInput(f"too large: over the {max_bytes:,}-byte limit")
                chunks.append(chunk)
            content_type = response.headers.get("content-type", "")
            final = str(response.url)
    except httpx.TimeoutException:
        raise RejectedInput(f"unreachable: timed out after {timeout:g}s") from None
    except httpx.HTTPError as exc:
        raise RejectedInput(f"unreachable: {exc.__class__.__name__}: {exc}") from None
    media, _, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip('"').lower()
    return Fetched(data=b"".join(chunks), url=final, source=httpx.URL(final).host,
                   media_type=media.strip() or None, charset=charset)
