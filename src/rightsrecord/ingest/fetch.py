"""Reading inputs: files with a size limit, URLs over HTTP(S) with a size limit, a deadline for
the whole fetch, and no requests to loopback, private or other non-public addresses unless a
host is allowed by name."""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import socket
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

import httpx

from .. import __version__
from ..errors import RejectedInput

USER_AGENT = f"rightsrecord/{__version__}"
ALLOW_HOSTS_ENV = "RIGHTSRECORD_ALLOW_HOSTS"
MAX_REDIRECTS = 10
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*://)[^/?#]*@")
_IP = ipaddress.IPv4Address | ipaddress.IPv6Address
# Ranges the address properties below let through: the deprecated IPv6 site-local block (an
# intranet's) and the 6to4 relay anycast block (any nearby relay answers it).
_REFUSED_NETWORKS = (
    (ipaddress.ip_network("fec0::/10"), "a site-local"),
    (ipaddress.ip_network("192.88.99.0/24"), "a reserved"),
)
# Content encodings read, outermost last as a server lists them; each is undone with its
# output counted against the size limit as it comes.
ACCEPT_ENCODING = "gzip, deflate"
MAX_ENCODINGS = 4
_PIECE = 64 * 1024


@dataclass
class Fetched:
    data: bytes
    url: str  # canonical: file:// URI or the final HTTP URL after redirects, no credentials
    source: str  # the host; "" for a local file (a document never names a local path)
    media_type: str | None = None
    charset: str | None = None


def redact_url(url: str) -> str:
    """The URL without its credentials (`user:password@`), fit to store, show and print."""
    return _USERINFO.sub(r"\1", url, count=1)


def allowed_hosts(extra: frozenset[str] = frozenset()) -> frozenset[str]:
    """Hosts that may be private: `extra` and $RIGHTSRECORD_ALLOW_HOSTS (comma-separated)."""
    names = [*extra, *os.environ.get(ALLOW_HOSTS_ENV, "").split(",")]
    return frozenset(n.strip().strip("[]").lower() for n in names if n.strip())


def read_file(path: Path, max_bytes: int) -> Fetched:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise RejectedInput(f"too large: {size:,} bytes, over the {max_bytes:,}-byte limit")
        data = path.read_bytes()
    except OSError as exc:
        raise RejectedInput(f"cannot read: {exc.strerror or exc}") from None
    # as_uri() percent-encodes: the address is ASCII whatever bytes the name holds
    return Fetched(data=data, url=path.resolve().as_uri(), source="")


def _read_file_uri(url: str, max_bytes: int) -> Fetched:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise RejectedInput("refused: a file:// URI naming another host")
    path = Path(os.fsdecode(unquote_to_bytes(parts.path)))
    if not path.exists():
        raise RejectedInput("no such file or folder")
    return read_file(path, max_bytes)


def _embedded_v4(ip: _IP) -> _IP:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, Teredo), else the address."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is not None:
            return inner
    return ip


def _kind(ip: _IP) -> str | None:
    """What makes an address off limits ("a loopback"), or None for a public address."""
    ip = _embedded_v4(ip)
    for network, kind in _REFUSED_NETWORKS:
        if ip in network:
            return kind
    for test, kind in (("is_loopback", "a loopback"), ("is_unspecified", "an unspecified"),
                       ("is_link_local", "a link-local"), ("is_multicast", "a multicast"),
                       ("is_reserved", "a reserved"), ("is_private", "a private")):
        if getattr(ip, test):
            return kind
    return None if ip.is_global else "a non-public"


def _resolve(host: str, port: int, deadline: float, timeout: float) -> list[str]:
    """Every address `host` resolves to, within the deadline (getaddrinfo has no timeout of
    its own, so it runs in a thread that is left behind if it hangs)."""
    answer: dict[str, object] = {}

    def lookup() -> None:
        try:
            answer["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            answer["error"] = exc

    worker = threading.Thread(target=lookup, daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()))
    if worker.is_alive():
        raise RejectedInput(f"timed out after {timeout:g}s (looking up {host})")
    if "error" in answer:
        raise RejectedInput(f"unreachable: cannot resolve {host}: {answer['error']}")
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in answer["infos"]:  # type: ignore[union-attr]
        if sockaddr[0] not in addresses:
            addresses.append(sockaddr[0])
    return addresses


def _checked(url: httpx.URL, allowed: frozenset[str], hop: int, deadline: float,
             timeout: float) -> list[str]:
    """The addresses to connect to for `url`, each one checked; raises RejectedInput."""
    if url.scheme not in ("http", "https"):
        raise RejectedInput(f"refused: redirected to a {url.scheme or 'relative'}: URL"
                            if hop else f"refused: not an HTTP(S) URL: {url}")
    host = url.raw_host.decode("ascii").lower()
    addresses = _resolve(host, url.port or (443 if url.scheme == "https" else 80), deadline,
                         timeout)
    if host in allowed:
        return addresses
    for address in addresses:
        kind = _kind(ipaddress.ip_address(address))
        if kind:
            if address == host:
                what = f"redirected to {host}, {kind}" if hop else f"{host} is {kind}"
            else:
                what = (f"redirected to {host}, which resolves to {address}, {kind}" if hop
                        else f"{host} resolves to {address}, {kind}")
            raise RejectedInput(f"refused: {what} address; pass --allow-host {host} to fetch "
                                "from an intranet host")
    return addresses


def _pinned(client: httpx.Client, url: httpx.URL, address: str, deadline: _Deadline
            ) -> httpx.Request:
    """A GET for `url` sent to the checked `address`: the Host header and the TLS server name
    stay the URL's host, so no second DNS answer (rebinding) can change where it goes."""
    host = url.raw_host.decode("ascii")
    extensions: dict[str, Any] = {"trace": deadline.trace}
    if address != host and url.scheme == "https":
        extensions["sni_hostname"] = host
    return client.build_request(
        "GET", url.copy_with(host=address), headers={"Host": url.netloc.decode("ascii")},
        timeout=deadline.left(), extensions=extensions)


class _Deadline:
    """One deadline for a whole fetch. Every read also waits only for what is left of it, but a
    server can answer each read in time and still never finish (a byte every few seconds), so
    at the deadline every connection the fetch opened is shut, which ends any read at once."""

    def __init__(self, timeout: float) -> None:
        self.at = time.monotonic() + timeout
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._passed = False
        self._timer = threading.Timer(timeout, self._cut)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        return max(0.001, self.at - time.monotonic())

    def passed(self) -> bool:
        return time.monotonic() >= self.at

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace extension: note each connection as it opens."""
        if event not in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            return
        sock = info["return_value"].get_extra_info("socket")
        with self._lock:
            self._sockets.append(sock)
            if self._passed:
                self._shut(sock)

    def _cut(self) -> None:
        with self._lock:
            self._passed = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        # the plain socket method, also on a TLS socket: its SSL state stays for the reader
        with contextlib.suppress(OSError):  # already closed
            socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


def fetch_url(url: str, max_bytes: int, timeout: float,
              allow_hosts: frozenset[str] = frozenset()) -> Fetched:
    """GET `url` (or read a file:// URI), following at most 10 redirects, all within `timeout`
    seconds. Every host is resolved here and each address checked before connecting: loopback,
    private, link-local, unspecified, multicast and reserved addresses are refused unless the
    host, as the URL names it, is in `allow_hosts` or $RIGHTSRECORD_ALLOW_HOSTS. Credentials
    in the URL are dropped: never sent, stored or shown. Only for inputs a user names: a
    file:// URI reads a local file."""
    url = redact_url(url)
    if url[:7].lower() == "file://":
        return _read_file_uri(url, max_bytes)
    allowed = allowed_hosts(allow_hosts)
    deadline = _Deadline(timeout)
    try:
        current = httpx.URL(url)
        with httpx.Client(follow_redirects=False, headers={
                "User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING}) as client:
            for hop in range(MAX_REDIRECTS + 1):
                response = _connect(client, current, allowed, hop, deadline, timeout)
                if not response.is_redirect:
                    break
                location = response.headers["location"]
                response.close()
                current = current.join(redact_url(location))
            else:
                response.close()
                raise RejectedInput(f"too many redirects: over {MAX_REDIRECTS}")
            try:
                data, content_type = _body(response, max_bytes, deadline, timeout)
            finally:
                response.close()
    except httpx.TimeoutException:
        raise RejectedInput(f"timed out after {timeout:g}s") from None
    except httpx.HTTPError as exc:
        if deadline.passed():
            raise RejectedInput(f"timed out after {timeout:g}s") from None
        raise RejectedInput(f"unreachable: {exc.__class__.__name__}: {exc}") from None
    except httpx.InvalidURL as exc:
        raise RejectedInput(f"not a valid URL: {exc}") from None
    finally:
        deadline.cancel()
    media, _, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip('"').lower()
    final = str(current)
    return Fetched(data=data, url=final, source=current.host, media_type=media.strip() or None,
                   charset=charset)


def _connect(client: httpx.Client, url: httpx.URL, allowed: frozenset[str], hop: int,
             deadline: _Deadline, timeout: float) -> httpx.Response:
    """The response headers for `url`, from the first checked address that answers."""
    addresses = _checked(url, allowed, hop, deadline.at, timeout)
    for n, address in enumerate(addresses):
        try:
            return client.send(_pinned(client, url, address, deadline), stream=True)
        except httpx.ConnectError:
            if n == len(addresses) - 1 or deadline.passed():
                raise
    raise RejectedInput(f"unreachable: {url.host} has no address")


def _body(response: httpx.Response, max_bytes: int, deadline: _Deadline, timeout: float
          ) -> tuple[bytes, str]:
    if response.status_code >= 400:
        raise RejectedInput(f"HTTP {response.status_code} {response.reason_phrase}")
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise RejectedInput(
            f"too large: {int(declared):,} bytes, over the {max_bytes:,}-byte limit")
    encodings = [e.lower() for e in response.headers.get_list("content-encoding",
                                                               split_commas=True)
                 if e and e.lower() != "identity"]
    chunks, total = [], 0
    for chunk in _decoded(_raw(response, deadline, timeout), encodings):
        total += len(chunk)
        if total > max_bytes:
            raise RejectedInput(f"too large: over the {max_bytes:,}-byte limit"
                                + (" once decompressed" if encodings else ""))
        chunks.append(chunk)
    return b"".join(chunks), response.headers.get("content-type", "")


def _raw(response: httpx.Response, deadline: _Deadline, timeout: float) -> Iterator[bytes]:
    """The body as sent, still encoded, within the deadline."""
    for chunk in response.iter_raw():
        yield chunk
        if deadline.passed():
            raise RejectedInput(f"timed out after {timeout:g}s")


class _Inflater:
    """One gzip or deflate layer, undone a bounded piece at a time."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.first = True
        self.inflater = self._new()

    def _new(self, raw: bool = False) -> Any:
        if self.encoding in ("gzip", "x-gzip"):
            return zlib.decompressobj(zlib.MAX_WBITS | 16)
        return zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The decompressed bytes of `data`, in pieces of at most 64 KiB."""
        while data:
            try:
                out = self.inflater.decompress(data, _PIECE)
            except zlib.error as exc:
                if self.first and self.encoding == "deflate":  # deflate sent without its header
                    self.first, self.inflater = False, self._new(raw=True)
                    continue
                raise RejectedInput(f"damaged {self.encoding} content: {exc}") from None
            self.first = False
            data = self.inflater.unconsumed_tail
            if self.inflater.eof:
                rest = self.inflater.unused_data
                data = b""
                if self.encoding != "deflate" and rest.strip(b"\0"):  # another gzip member
                    self.inflater, data = self._new(), rest
            if out:
                yield out

    def flush(self) -> bytes:
        try:
            return self.inflater.flush()
        except zlib.error as exc:
            raise RejectedInput(f"damaged {self.encoding} content: {exc}") from None


def _decoded(raw: Iterable[bytes], encodings: list[str]) -> Iterator[bytes]:
    """The body with every content encoding undone, in bounded pieces, so that the caller can
    stop at its size limit however much the content would expand."""
    if len(encodings) > MAX_ENCODINGS:
        raise RejectedInput(f"refused: {len(encodings)} content encodings, over {MAX_ENCODINGS}")
    unknown = [e for e in encodings if e not in ("gzip", "x-gzip", "deflate")]
    if unknown:
        raise RejectedInput(f"unsupported content encoding: {unknown[0]}")
    layers = [_Inflater(e) for e in reversed(encodings)]  # the last one listed was applied last

    def through(data: bytes, at: int) -> Iterator[bytes]:
        if at == len(layers):
            yield data
            return
        for piece in layers[at].feed(data):
            yield from through(piece, at + 1)

    for chunk in raw:
        yield from through(chunk, 0)
    for at, layer in enumerate(layers):
        yield from through(layer.flush(), at + 1)
