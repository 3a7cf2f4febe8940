"""Delivering alerts to webhooks: signed JSON POSTs, at least once, retried with backoff.

An alert is stored, with its delivery pending, before any attempt; the state of every
delivery lives in the store, so a delivery survives a crash (a runner that dies mid-attempt
leaves it due again after its lease). Each attempt is logged with its answer's status code or
why there was none. A 2xx answer delivers; anything else (no connection, a timeout, a 3xx,
4xx or 5xx) is retried after `backoff * 2**(n-1)` seconds (at most `cap`) until
`max_attempts`, then the delivery is `failed`, kept, and sent again on request.

Each POST carries the alert's JSON (the same bytes every attempt) and three headers:

* `X-Rightsrecord-Delivery`: the alert's id. A receiver may see an alert more than once
  (at-least-once delivery) and drops the ones it has seen by this id.
* `X-Rightsrecord-Timestamp`: when the attempt was signed, in Unix seconds.
* `X-Rightsrecord-Signature`: `sha256=` and the hex HMAC-SHA256, keyed with the watchlist's
  secret, of the timestamp, a `.`, and the body. `verify` checks one.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx

from .. import __version__
from ..store.base import Store

SIGNATURE = "X-Rightsrecord-Signature"
TIMESTAMP = "X-Rightsrecord-Timestamp"
DELIVERY = "X-Rightsrecord-Delivery"

MAX_ATTEMPTS = 8
BACKOFF = 30.0  # seconds before the second attempt; doubled for each one after
BACKOFF_CAP = 3600.0
TIMEOUT = 10.0  # seconds to connect, and again to send and to hear the answer
LEASE_MARGIN = 30.0  # beyond the timeouts, how long a claimed delivery is left to its runner
ERROR_CHARS = 300


def stamp(at: datetime | None = None) -> str:
    """A time as the deliveries keep it: UTC, to the microsecond, in one fixed form (so that
    the text orders as the time)."""
    return (at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds")


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header's value for a body sent at `timestamp`."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body,
                   hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str,
           tolerance: float | None = None, now: float | None = None) -> bool:
    """Whether `signature` (the `X-Rightsrecord-Signature` header) signs `body` as sent at
    `timestamp` (the `X-Rightsrecord-Timestamp` header) with `secret`. With `tolerance`,
    a timestamp more than that many seconds away from `now` (default: the clock) fails too,
    so that a captured request cannot be replayed later."""
    try:
        expected = sign(secret, timestamp, body)
    except (UnicodeError, AttributeError, TypeError):
        return False
    if not isinstance(signature, str) or not hmac.compare_digest(
            expected.encode("ascii"), signature.strip().encode("utf-8", "replace")):
        return False
    if tolerance is not None:
        try:
            sent = float(timestamp)
        except ValueError:
            return False
        return abs((time.time() if now is None else now) - sent) <= tolerance
    return True


def delay(attempts: int, backoff: float = BACKOFF, cap: float = BACKOFF_CAP) -> float:
    """Seconds to wait after the `attempts`-th failed attempt: backoff doubling, capped."""
    return min(cap, backoff * 2 ** min(max(attempts - 1, 0), 60))


@dataclass
class Policy:
    """How deliveries are tried: attempts allowed, backoff and its cap, timeout."""

    max_attempts: int = MAX_ATTEMPTS
    backoff: float = BACKOFF
    cap: float = BACKOFF_CAP
    timeout: float = TIMEOUT


@dataclass
class Tally:
    """What one pass of deliveries did."""

    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def attempts(self) -> int:
        return self.delivered + self.retrying + self.failed


def deliver_due(store: Store, policy: Policy | None = None,
                alert_ids: list[int] | None = None, limit: int = 100) -> Tally:
    """One attempt at each delivery due when the pass begins (of these alerts, if given),
    oldest due first. An attempt leaves its delivery delivered, failed or due after the pass
    began, so none is tried twice in a pass."""
    policy = policy or Policy()
    tally = Tally()
    began = stamp()
    due = store.due_deliveries(began, limit, alert_ids)
    if not due:
        return tally
    with httpx.Client(timeout=httpx.Timeout(policy.timeout), follow_redirects=False,
                      headers={"User-Agent": f"rightsrecord/{__version__} (webhook)"}) as client:
        while due:
            for d in due:
                lease = datetime.now(UTC) + timedelta(seconds=3 * policy.timeout
                                                      + LEASE_MARGIN)
                if store.claim_delivery(int(d["alert_id"]), d["next_attempt_at"],
                                        stamp(lease)):
                    _attempt(store, client, d, policy, tally)
                # else another runner took it: its lease moved it past the pass's start
            due = store.due_deliveries(began, limit, alert_ids)
    return tally


def _attempt(store: Store, client: httpx.Client, d: dict, policy: Policy, tally: Tally
             ) -> None:
    alert_id = int(d["alert_id"])
    body = str(d["payload"]).encode("utf-8")
    timestamp = str(int(time.time()))
    headers = {"Content-Type": "application/json", DELIVERY: str(alert_id),
               TIMESTAMP: timestamp, SIGNATURE: sign(str(d["secret"] or ""), timestamp, body)}
    started = time.monotonic()
    code, error = None, None
    try:
        with client.stream("POST", str(d["webhook_url"]), content=body,
                           headers=headers) as response:
            code = response.status_code  # the answer's body is never read
    except httpx.TimeoutException as exc:
        error = f"timed out after {policy.timeout:g} s ({type(exc).__name__})"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"[:ERROR_CHARS] or type(exc).__name__
    elapsed = int((time.monotonic() - started) * 1000)
    now = datetime.now(UTC)
    attempts = int(d["attempts"]) + 1
    if code is not None and 200 <= code < 300:
        status, next_at = "delivered", now
        tally.delivered += 1
    else:
        error = error or f"HTTP {code}"
        if attempts >= policy.max_attempts:
            status, next_at = "failed", now
            tally.failed += 1
        else:
            status = "pending"
            next_at = now + timedelta(seconds=delay(attempts, policy.backoff, policy.cap))
            tally.retrying += 1
        tally.errors.append(f"alert {alert_id}: {error}")
    store.record_attempt(alert_id, attempted_at=stamp(now), status_code=code, error=error,
                         elapsed_ms=elapsed, status=status, next_attempt_at=stamp(next_at))


def next_due(store: Store) -> datetime | None:
    """When the next pending delivery is due; None when nothing is pending."""
    at = store.next_delivery_at()
    if not at:
        return None
    moment = datetime.fromisoformat(at)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
