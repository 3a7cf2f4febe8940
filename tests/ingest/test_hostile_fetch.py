"""Hostile URLs and servers: SSRF in every spelling, redirects, slow drips, credentials."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from rightsrecord.errors import RejectedInput
from rightsrecord.ingest.fetch import fetch_url, redact_url

LOCAL = frozenset({"127.0.0.1"})
PAGE = b"Kazakhstan: a court in Almaty fined a journalist on Monday."
DRIP_BYTES, DRIP_GAP = 60, 0.3  # a whole drip lasts 18 s


BOMB_BYTES = 200 * 1024 * 1024  # decompressed; about 600 bytes on the wire


def _gzip(data: bytes | None = None, zeros: int = 0) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    out = [packer.compress(data)] if data else []
    block = bytes(1 << 20)
    for _ in range(zeros >> 20):
        out.append(packer.compress(block))
    return b"".join(out) + packer.flush()


@cache
def _encoded(kind: str) -> tuple[bytes, str]:
    """A body and its Content-Encoding header."""
    if kind == "gzip":
        return _gzip(PAGE), "gzip"
    if kind == "deflate":
        return zlib.compress(PAGE), "deflate"
    if kind == "raw-deflate":
        packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        return packer.compress(PAGE) + packer.flush(), "deflate"
    if kind == "gzip-gzip":
        return _gzip(_gzip(PAGE)), "gzip, gzip"
    if kind == "br":
        return PAGE, "br"
    return _gzip(_gzip(zeros=BOMB_BYTES)), "gzip, gzip"


class Server:
    """A real HTTP server on loopback that notes every request it gets."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.requests: list[tuple[str, str]] = []  # (path, Host header)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - the http.server name
                server.requests.append((self.path, self.headers.get("Host", "")))
                path, query = urlsplit(self.path).path, parse_qs(urlsplit(self.path).query)
                if path == "/redirect":
                    self.send_response(302)
                    self.send_header("Location", query["to"][0])
                    self.end_headers()
                elif path == "/loop":
                    self.send_response(302)
                    self.send_header("Location", "/loop")
                    self.end_headers()
                elif path == "/drip":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(DRIP_BYTES))
                    self.end_headers()
                    self._drip()
                elif path in ("/gzip", "/deflate", "/raw-deflate", "/gzip-gzip", "/bomb",
                              "/br"):
                    body, encoding = _encoded(path[1:])
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain; charset=utf-8")
                    self.send_header("Content-Encoding", encoding)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                elif path == "/drip-headers":
                    self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                    self._drip()
                else:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain; charset=utf-8")
                    self.send_header("Content-Length", str(len(PAGE)))
                    self.end_headers()
                    self.wfile.write(PAGE)

            def _drip(self) -> None:
                for _ in range(DRIP_BYTES):
                    try:
                        self.wfile.write(b"a")
                        self.wfile.flush()
                    except OSError:
                        return  # the client gave up
                    time.sleep(DRIP_GAP)

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls is not None:
            self.http.socket = tls.wrap_socket(self.http.socket, server_side=True)
        self.port = self.http.server_address[1]
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/page.txt", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    yield s
    s.close()


@pytest.fixture
def other_server() -> Iterator[Server]:
    s = Server()
    yield s
    s.close()


def _refusal(url: str, **kwargs: object) -> str:
    with pytest.raises(RejectedInput) as caught:
        fetch_url(url, 100_000, 3, **kwargs)
    return str(caught.value)


@pytest.mark.parametrize("host,reason", [
    ("127.0.0.1", "127.0.0.1 is a loopback address"),
    ("localhost", "localhost resolves to 127.0.0.1, a loopback address"),
    ("[::1]", "::1 is a loopback address"),
    ("2130706433", "2130706433 resolves to 127.0.0.1, a loopback address"),
    ("0x7f000001", "0x7f000001 resolves to 127.0.0.1, a loopback address"),
    ("127.1", "127.1 resolves to 127.0.0.1, a loopback address"),
    ("0.0.0.0", "0.0.0.0 is an unspecified address"),
    ("[::ffff:127.0.0.1]", "::ffff:127.0.0.1 is a loopback address"),
    ("10.20.30.40", "10.20.30.40 is a private address"),
    ("192.168.1.1", "192.168.1.1 is a private address"),
    ("169.254.169.254", "169.254.169.254 is a link-local address"),
    ("[fe80::1]", "fe80::1 is a link-local address"),
    ("224.0.0.1", "224.0.0.1 is a multicast address"),
    ("240.0.0.1", "240.0.0.1 is a reserved address"),
    ("[fec0::1]", "fec0::1 is a site-local address"),
    ("[feff::1]", "feff::1 is a site-local address"),
    ("192.88.99.1", "192.88.99.1 is a reserved address"),
    ("[2002:c058:6301::1]", "2002:c058:6301::1 is a reserved address"),
])
def test_local_and_private_addresses_are_refused_in_every_spelling(server, host, reason):
    refusal = _refusal(server.url(host=host))
    assert refusal == (f"refused: {reason}; pass --allow-host {host.strip('[]')} to fetch "
                       "from an intranet host")
    assert server.requests == []


def test_redirect_from_an_allowed_host_to_another_local_port_is_refused(server, other_server):
    target = other_server.url(host="localhost")
    refusal = _refusal(server.url(f"/redirect?to={target}"), allow_hosts=LOCAL)
    assert refusal.startswith(
        "refused: redirected to localhost, which resolves to 127.0.0.1, a loopback address")
    assert [p for p, _ in server.requests] == [f"/redirect?to={target}"]
    assert other_server.requests == []


def test_redirects_are_followed_hop_by_hop_up_to_ten(server):
    fetched = fetch_url(server.url("/redirect?to=/final.txt"), 100_000, 3, allow_hosts=LOCAL)
    assert fetched.data == PAGE and fetched.url == server.url("/final.txt")
    assert "too many redirects" in _refusal(server.url("/loop"), allow_hosts=LOCAL)
    assert len([p for p, _ in server.requests if p == "/loop"]) == 11


def test_a_redirect_off_http_is_refused(server):
    refusal = _refusal(server.url("/redirect?to=file:///etc/passwd"), allow_hosts=LOCAL)
    assert refusal == "refused: redirected to a file: URL"


def test_hosts_may_be_allowed_by_option_or_environment(server, monkeypatch):
    assert fetch_url(server.url(), 100_000, 3, allow_hosts=LOCAL).data == PAGE
    monkeypatch.setenv("RIGHTSRECORD_ALLOW_HOSTS", "wiki.example.org, LOCALHOST")
    fetched = fetch_url(server.url(host="localhost"), 100_000, 3)
    assert fetched.data == PAGE and fetched.source == "localhost"


def test_the_connection_goes_to_the_address_that_was_checked(server, monkeypatch):
    """The host is looked up once, by the check; the request then goes to that address with
    the name in its Host header, so a second, different DNS answer is never asked for."""
    lookups: list[str] = []
    real = socket.getaddrinfo

    def counting(host, *args, **kwargs):
        lookups.append(host)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", counting)
    fetched = fetch_url(server.url(host="localhost"), 100_000, 3,
                        allow_hosts=frozenset({"localhost"}))
    assert fetched.data == PAGE
    assert lookups.count("localhost") == 1
    assert server.requests == [("/page.txt", f"localhost:{server.port}")]


@pytest.fixture
def tls_server(tmp_path, monkeypatch) -> Iterator[Server]:
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a certificate for the HTTPS test server")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost"], check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust this certificate, as a CA
    s = Server(tls=context)
    yield s
    s.close()


def test_https_to_the_checked_address_still_verifies_the_host_name(tls_server):
    url = f"https://localhost:{tls_server.port}/page.txt"
    assert fetch_url(url, 100_000, 3, allow_hosts=frozenset({"localhost"})).data == PAGE
    # the certificate names localhost, not the address: verification uses the name
    wrong = _refusal(f"https://127.0.0.1:{tls_server.port}/page.txt", allow_hosts=LOCAL)
    assert "certificate" in wrong


@pytest.mark.parametrize("path", ["/drip", "/drip-headers"])
def test_timeout_bounds_the_whole_fetch_not_each_read(server, path):
    start = time.monotonic()
    with pytest.raises(RejectedInput) as caught:
        fetch_url(server.url(path), 100_000, 1, allow_hosts=LOCAL)
    elapsed = time.monotonic() - start
    assert str(caught.value) == "timed out after 1s"
    # every read came in time, yet the fetch ended long before the drip would have
    assert elapsed < DRIP_BYTES * DRIP_GAP / 4, f"held for {elapsed:.1f}s"


def test_redact_url_drops_only_the_credentials():
    assert redact_url("http://user:pw@example.org:8080/a?b=c#d") == (
        "http://example.org:8080/a?b=c#d")
    assert redact_url("https://a%40b:p@ss@example.org/x@y") == "https://example.org/x@y"
    assert redact_url("http://example.org/path@x") == "http://example.org/path@x"


SECRET = "hunter2pw"


def test_credentials_are_not_stored_sent_or_printed(cli, server):
    url = server.url().replace("http://", f"http://reader:{SECRET}@")
    fetched = fetch_url(url, 100_000, 3, allow_hosts=LOCAL)
    assert fetched.url == server.url() and SECRET not in repr(fetched)
    result = cli("ingest", url, "--allow-host", "127.0.0.1")
    assert result.code == 0, result.err
    assert result.out.startswith(f"stored {server.url()} ")
    assert SECRET not in result.out + result.err
    hits = cli("search", "journalist", "--format", "json").out
    assert server.url() in hits and SECRET not in hits
    refused = cli("ingest", url.replace("/page.txt", "/missing"), "--timeout", "0.5")
    assert refused.code == 1 and "refused: 127.0.0.1 is a loopback address" in refused.err
    assert SECRET not in refused.out + refused.err


def test_cli_refuses_loopback_unless_the_host_is_allowed(cli, server):
    refused = cli("ingest", server.url())
    assert refused.code == 1
    assert refused.err.strip() == (
        f"rejected {server.url()}: refused: 127.0.0.1 is a loopback address; pass "
        "--allow-host 127.0.0.1 to fetch from an intranet host")
    allowed = cli("ingest", server.url(), "--allow-host", "127.0.0.1")
    assert allowed.code == 0 and allowed.out.startswith(f"stored {server.url()} ")
    extracted = cli("extract", server.url(), "--allow-host", "127.0.0.1", db=False)
    assert extracted.code == 0 and "Almaty" in extracted.out


@pytest.mark.parametrize("path", ["/gzip", "/deflate", "/raw-deflate", "/gzip-gzip"])
def test_compressed_bodies_are_read(server, path):
    assert fetch_url(server.url(path), 100_000, 3, allow_hosts=LOCAL).data == PAGE


def test_an_unsupported_content_encoding_is_a_rejection(server):
    assert _refusal(server.url("/br"), allow_hosts=LOCAL) == "unsupported content encoding: br"


def test_the_size_limit_holds_while_decompressing_every_layer(server):
    """Stacked gzip that expands to 200 MB: stopped at the limit, never held in memory."""
    _encoded("bomb")  # built before measuring
    tracemalloc.start()
    try:
        refusal = _refusal(server.url("/bomb"), allow_hosts=LOCAL)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refusal == "too large: over the 100,000-byte limit once decompressed"
    assert peak < 20 * 1024 * 1024, f"held {peak:,} bytes"


def test_the_cli_rejects_a_compression_bomb_and_goes_on(cli, server):
    result = cli("extract", server.url("/bomb"), server.url(), "--allow-host", "127.0.0.1",
                 "--max-bytes", "1000000", db=False)
    assert result.err.strip() == (f"rejected {server.url('/bomb')}: too large: over the "
                                  "1,000,000-byte limit once decompressed")
    assert "Almaty" in result.out
