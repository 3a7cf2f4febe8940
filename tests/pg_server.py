"""A real, throwaway PostgreSQL server for the test suite (no mocks).

`start_server(base_dir)` runs the installed PostgreSQL binaries (Debian's
/usr/lib/postgresql/NN/bin, the newest found) with a fresh data directory, on a free
loopback TCP port, listening on 127.0.0.1 only, with its unix socket in the same
throwaway directory, durability switched off for speed and trust authentication (the
default pg_hba.conf that `initdb -A trust` writes covers only the local socket and
loopback). `PgServer.stop()` kills it (`pg_ctl stop -m immediate`) and removes the
directory.

`initdb` refuses to run as root, so as root the directory is handed to the `postgres`
user and initdb/pg_ctl run through `runuser -u postgres --`; otherwise they run as the
current user. Either way the database superuser is called `postgres`.

`PgCluster(url)` wraps an already running server (for RIGHTSRECORD_TEST_PG) with the
same `url` / `create_database()` interface as `PgServer`.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

SUPERUSER = "postgres"
START_TIMEOUT_S = 60.0
_DEB_BINDIRS = "/usr/lib/postgresql/*/bin"


class PgServerError(RuntimeError):
    """The server could not be set up, started or reached."""


# ---------------------------------------------------------------- finding binaries


def _version_key(bindir: str) -> tuple[int, ...]:
    m = re.search(r"/postgresql/(\d+(?:\.\d+)*)/bin/?$", bindir)
    if m:
        return tuple(int(x) for x in m.group(1).split("."))
    try:
        out = subprocess.run([os.path.join(bindir, "postgres"), "--version"],
                             capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return (0,)
    m = re.search(r"(\d+)(?:\.(\d+))?", out)
    return tuple(int(x) for x in m.groups() if x) if m else (0,)


def _usable(bindir: str) -> bool:
    return all(os.access(os.path.join(bindir, exe), os.X_OK)
               for exe in ("initdb", "pg_ctl", "postgres"))


def find_bindir() -> Path | None:
    """The newest directory holding initdb, pg_ctl and postgres, or None.

    RIGHTSRECORD_PG_BINDIR wins if set; then Debian's /usr/lib/postgresql/*/bin,
    `pg_config --bindir` and the directory of an `initdb` on PATH, newest first.
    """
    forced = os.environ.get("RIGHTSRECORD_PG_BINDIR")
    if forced:
        return Path(forced) if _usable(forced) else None
    candidates = set(glob.glob(_DEB_BINDIRS))
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True,
                                 timeout=10).stdout.strip()
            if out:
                candidates.add(out)
        except (OSError, subprocess.SubprocessError):
            pass
    initdb = shutil.which("initdb")
    if initdb:
        candidates.add(os.path.dirname(os.path.realpath(initdb)))
    usable = sorted((c for c in candidates if _usable(c)), key=_version_key, reverse=True)
    return Path(usable[0]) if usable else None


# ---------------------------------------------------------------- URLs and clusters


def with_dbname(url: str, dbname: str) -> str:
    """`url` with its database (the path) replaced by `dbname`."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + dbname, parts.query, parts.fragment))


class PgCluster:
    """A running PostgreSQL server reached at `url` (its maintenance database)."""

    def __init__(self, url: str) -> None:
        self.url = url

    def url_for(self, dbname: str) -> str:
        return with_dbname(self.url, dbname)

    def _admin(self):  # -> psycopg.Connection
        import psycopg

        return psycopg.connect(self.url, autocommit=True, connect_timeout=10)

    def check(self) -> str:
        """Connect once; return `server_version`. Raises PgServerError if unreachable."""
        import psycopg

        try:
            with self._admin() as conn:
                return str(conn.execute("SHOW server_version").fetchone()[0])
        except psycopg.Error as exc:
            raise PgServerError(f"cannot connect to PostgreSQL at {self.url}: {exc}") from exc

    def create_database(self, name: str, template: str | None = None) -> str:
        """CREATE DATABASE `name` (copied from `template` if given); return its URL.

        Copying a template needs no other session connected to it: close yours first.
        (Sessions still connected to it after the server's own 5 s wait are terminated
        and the copy is retried once, so a leaked connection costs 5 s, not a failure.)
        """
        import psycopg
        from psycopg import sql

        stmt = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            stmt = sql.SQL("{} TEMPLATE {}").format(stmt, sql.Identifier(template))
        with self._admin() as conn:
            try:
                conn.execute(stmt)
            except psycopg.errors.ObjectInUse:
                # "source database is being accessed by other users": the server has
                # already waited 5 s for them to leave; end them and try once more.
                if not template:
                    raise
                conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                             " WHERE datname = %s AND pid <> pg_backend_pid()", (template,))
                conn.execute(stmt)
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        """DROP DATABASE IF EXISTS `name`, ending any session still connected to it."""
        from psycopg import sql

        with self._admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                         .format(sql.Identifier(name)))


# ---------------------------------------------------------------- a server of our own


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError as exc:
        return f"(no log at {path}: {exc})"
    return "\n".join(text.splitlines()[-lines:]) or "(log is empty)"


class PgServer(PgCluster):
    """A PostgreSQL server this process started; `stop()` ends it and removes its files."""

    def __init__(self, bindir: Path, root: Path, as_postgres: bool) -> None:
        self.bindir = bindir
        self.root = root                  # throwaway directory: data/, server.log, socket
        self.data_dir = root / "data"
        self.log_path = root / "server.log"
        self.as_postgres = as_postgres    # run the binaries through runuser -u postgres
        self.port = 0
        self.version = ""
        super().__init__("")
        self._stopped = False

    # -- helpers
    def _cmd(self, exe: str, *args: str) -> list[str]:
        cmd = [str(self.bindir / exe), *args]
        return ["runuser", "-u", "postgres", "--", *cmd] if self.as_postgres else cmd

    def _run(self, exe: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(LC_ALL="C", LANG="C")
        return subprocess.run(self._cmd(exe, *args), cwd=self.root, env=env,
                              capture_output=True, text=True, timeout=timeout)

    # -- life cycle
    def _initdb(self) -> None:
        res = self._run("initdb", "-D", str(self.data_dir), "-U", SUPERUSER, "-A", "trust",
                        "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions")
        if res.returncode != 0:
            raise PgServerError(f"initdb failed ({res.returncode}):\n{res.stdout}{res.stderr}")

    def _configure(self, port: int) -> None:
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(port),
            "unix_socket_directories": f"'{self.root}'",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_connections": "200",
            "logging_collector": "off",
            "log_min_messages": "warning",
        }
        # postgresql.auto.conf is read last and overrides postgresql.conf, so a restart
        # on another port only has to rewrite this one file.
        auto = self.data_dir / "postgresql.auto.conf"
        auto.write_text("# written by tests/pg_server.py\n"
                        + "".join(f"{k} = {v}\n" for k, v in settings.items()))
        if self.as_postgres:
            shutil.chown(auto, "postgres", "postgres")

    def _start_once(self, port: int) -> bool:
        """Try to start on `port`; True if it came up, False if it exited (port taken?)."""
        self._configure(port)
        self.port = port
        self.url = f"postgresql://{SUPERUSER}@127.0.0.1:{port}/postgres"
        self.log_path.unlink(missing_ok=True)
        res = self._run("pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_path),
                        "-w", "-t", str(int(START_TIMEOUT_S)), "start",
                        timeout=START_TIMEOUT_S + 30)
        return res.returncode == 0

    def _wait_ready(self) -> None:
        import psycopg

        deadline = time.monotonic() + START_TIMEOUT_S
        last: Exception | None = None
        while time.monotonic() < deadline:
            try:
                with psycopg.connect(self.url, connect_timeout=5) as conn:
                    self.version = str(conn.execute("SHOW server_version").fetchone()[0])
                    return
            except psycopg.OperationalError as exc:
                last = exc
                time.sleep(0.1)
        raise PgServerError(f"PostgreSQL at {self.url} not ready after {START_TIMEOUT_S:.0f}s:"
                            f" {last}\n--- {self.log_path} (tail) ---\n{_tail(self.log_path)}")

    def start(self) -> PgServer:
        self._initdb()
        for _attempt in range(5):
            if self._start_once(_free_port()):
                self._wait_ready()
                atexit.register(self.stop)
                return self
            log = _tail(self.log_path)
            if "Address already in use" not in log and "could not bind" not in log:
                break
        self._cleanup_files()
        raise PgServerError(f"PostgreSQL did not start (bin {self.bindir}, port {self.port})"
                            f"\n--- {self.log_path} (tail) ---\n{log}")

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        if (self.data_dir / "postmaster.pid").exists():
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w",
                          "stop", timeout=60)
        self._cleanup_files()

    def _cleanup_files(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PgServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _make_root(base_dir: Path, as_postgres: bool) -> Path:
    """A fresh directory for the server; as root, one the postgres user owns and reaches.

    The unix socket lives there too, so its path must stay short (sun_path is 108
    bytes); under a deep or (to the postgres user) unreachable base_dir a directory in
    the system temp folder is used instead.
    """
    base_dir = Path(base_dir)
    base_dir.mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="pg-", dir=base_dir))
    socket_path = root / ".s.PGSQL.65535"
    reachable = True
    if as_postgres:
        import pwd

        pw = pwd.getpwnam("postgres")
        os.chown(root, pw.pw_uid, pw.pw_gid)
        reachable = subprocess.run(["runuser", "-u", "postgres", "--", "test", "-w",
                                    str(root)], capture_output=True).returncode == 0
    if reachable and len(str(socket_path).encode()) < 100:
        return root
    os.rmdir(root)
    root = Path(tempfile.mkdtemp(prefix="rightsrecord-pg-"))
    if as_postgres:
        os.chown(root, pw.pw_uid, pw.pw_gid)
    return root


def start_server(base_dir: Path, bindir: Path | None = None) -> PgServer:
    """Start a throwaway PostgreSQL server with its files under `base_dir` (see module doc).

    Raises PgServerError with the server log's tail if it cannot be started.
    """
    bindir = bindir or find_bindir()
    if bindir is None:
        raise PgServerError("PostgreSQL binaries not found: apt-get install postgresql")
    as_postgres = _is_root()
    if as_postgres and shutil.which("runuser") is None:
        raise PgServerError("running as root but `runuser` is missing (util-linux)")
    if as_postgres:
        import pwd

        try:
            pwd.getpwnam("postgres")
        except KeyError as exc:
            raise PgServerError("running as root and there is no `postgres` user to run"
                                " initdb as (it comes with Debian's postgresql package)"
                                ) from exc
    server = PgServer(bindir, _make_root(base_dir, as_postgres), as_postgres)
    try:
        return server.start()
    except BaseException:
        server.stop()
        raise
