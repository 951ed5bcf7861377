"""A throwaway PostgreSQL 15 cluster from Debian's packages, for tests that run the relational DB on PostgreSQL.

`initdb` refuses to run as root, and the `postgres` user cannot enter root's home directory, so the cluster's
data and socket directories live under /tmp, owned by `postgres`, and the server commands run through
`runuser -u postgres --` when the tests run as root. The server listens on a free loopback port with trust
authentication; `PgCluster.create_database()` gives each test (or module) its own database.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from tests.support.live import free_port

PG_BIN = Path(os.environ.get("LEH_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _run(args: list[str]) -> None:
    done = subprocess.run(_as_postgres(args), capture_output=True, text=True, cwd="/tmp", timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{Path(args[0]).name} failed ({done.returncode}): {done.stderr[-2000:] or done.stdout[-2000:]}")


@dataclass
class PgCluster:
    root: Path
    port: int

    @property
    def admin_dsn(self) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"

    def url(self, dbname: str) -> str:
        """The `LEH_DATABASE_URL` of one database in this cluster."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, prefix: str = "leh") -> str:
        """A new empty database; returns its LEH_DATABASE_URL."""
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin_dsn, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(self.admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def postgres_cluster() -> Iterator[PgCluster]:
    """initdb + pg_ctl start on a free loopback port; stopped and deleted on exit."""
    root = Path(tempfile.mkdtemp(prefix="leh-pg-", dir="/tmp"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        shutil.chown(sock, "postgres", "postgres")
    port = free_port()
    log = root / "server.log"
    ctl = str(PG_BIN / "pg_ctl")
    try:
        _run([str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8",
              "--locale=C.UTF-8"])
        # fsync off: a test cluster that dies is thrown away anyway, and it makes CREATE DATABASE fast.
        opts = (f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
                "-c full_page_writes=off -c max_connections=200")
        try:
            _run([ctl, "-D", str(data), "-l", str(log), "-o", opts, "-w", "-t", "60", "start"])
        except RuntimeError as e:
            raise RuntimeError(f"{e}\n{log.read_text()[-2000:] if log.exists() else ''}") from None
        yield PgCluster(root=root, port=port)
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(_as_postgres([ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]),
                           capture_output=True, cwd="/tmp")
        shutil.rmtree(root, ignore_errors=True)
