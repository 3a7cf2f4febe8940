"""`rightsrecord serve`: the web app under uvicorn, with the security headers on every
response, uvicorn's own included.

The app sets the headers on whatever it answers (`app.SecurityHeaders`). A request uvicorn
cannot parse (a malformed request line or header) never reaches the app: uvicorn answers it
with a 400 of its own, so its HTTP protocol is the one that adds them there. WebSocket
support is off: the app serves none, and an upgrade request is answered as plain HTTP, by
the app.
"""

from __future__ import annotations

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from .app import SECURITY_HEADERS, create_app

ENCODED_HEADERS = [(name.lower().encode("latin-1"), value.encode("latin-1"))
                   for name, value in SECURITY_HEADERS.items()]


class SecuredH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, its 400 for a request it cannot parse carrying the security
    headers (and the date and server headers its other responses carry)."""

    def send_400_response(self, msg: str) -> None:
        headers = [*self.server_state.default_headers, *ENCODED_HEADERS,
                   (b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]
        for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
                      h11.Data(data=msg.encode("ascii")), h11.EndOfMessage()):
            output = self.conn.send(event)
            if output:
                self.transport.write(output)
        self.transport.close()


def serve(db: str | None, host: str, port: int) -> None:
    """Serve the web UI over the store `db` until interrupted."""
    import uvicorn

    uvicorn.run(create_app(db), host=host, port=port, log_level="warning",
                http=SecuredH11Protocol, ws="none")
