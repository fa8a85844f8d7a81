"""A private PostgreSQL server for the test run: Debian's binaries, a throw-away cluster in a
temporary folder, listening on loopback only. `pytest --database postgresql` uses it."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from tests.helpers import free_port

BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)


def _as_postgres(args: list[str]) -> list[str]:
    """initdb refuses to run as root: run the server as the `postgres` user then."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class PostgresServer:
    def __init__(self) -> None:
        if BIN is None:
            raise RuntimeError("PostgreSQL is not installed (Debian package `postgresql`)")
        self.folder = Path(tempfile.mkdtemp(prefix="hc-postgres-"))
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self.port = free_port()
        self.data = self.folder / "data"
        # Each option beside its value, as on a command line (one item a line would split the pairs).
        subprocess.run(
            _as_postgres([str(BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U",
                          "postgres", "-E", "UTF8", "--no-sync"]),
            check=True, capture_output=True,
        )  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300 "
            "-c timezone=UTC"
        )
        # Each option beside its value, as on a command line (one item a line would split the pairs).
        subprocess.run(
            _as_postgres([str(BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-w",
                          "-l", str(self.folder / "server.log"), "start"]),
            check=True, capture_output=True,
        )  # fmt: skip
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}"

    def new_database(self, template: str | None = None) -> str:
        """The URL of a new database: empty, or a copy of the database named `template` (which
        nobody may be connected to)."""
        import psycopg

        name = f"hc_{uuid.uuid4().hex[:12]}"
        # FILE_COPY copies the template's files: 0.04 s of the server's processor a database,
        # where the default (WAL_LOG, which writes every block to the WAL) took 0.15 s, for
        # each of the PostgreSQL pass's ~330 tests. Its checkpoints cost nothing with fsync off.
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as connection:
            connection.execute(
                f"CREATE DATABASE {name} TEMPLATE {template or 'template1'} STRATEGY FILE_COPY"
            )
        return f"{self.url}/{name}"

    def stop(self) -> None:
        subprocess.run(
            _as_postgres([str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(self.folder, ignore_errors=True)
