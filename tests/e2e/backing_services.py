"""PostgreSQL and Redis from Debian's packages, started by the tests as unprivileged processes in temp dirs.

Postgres runs as the `postgres` user (initdb refuses root) in a fresh cluster under /tmp, trusting
loopback; Redis runs in the foreground without persistence. Both listen on free loopback ports and are
stopped (and their directories deleted) on exit.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from tests.e2e.airflow_services import free_port


def postgres_bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


def missing() -> str | None:
    """Why the Celery stack cannot run here, or None."""
    if postgres_bin() is None:
        return "PostgreSQL is not installed (apt-get install -y postgresql)"
    if shutil.which("redis-server") is None:
        return "Redis is not installed (apt-get install -y redis-server)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "runuser is missing"
    return None


def _wait_port(port: int, process: subprocess.Popen, what: str, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited; see {log}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.3)
    raise TimeoutError(f"{what} did not listen on {port}; see {log}")


def _stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def postgres(log_dir: Path) -> Iterator[str]:
    """A throw-away PostgreSQL cluster; yields the SQLAlchemy URL of its `postgres` database."""
    bindir = postgres_bin()
    assert bindir, missing()
    data = tempfile.mkdtemp(prefix="newsetl-pg-")
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(data, "postgres", "postgres")
    port = free_port()
    log = log_dir / "postgres.log"
    subprocess.run([*as_postgres, f"{bindir}/initdb", "-D", data, "-A", "trust", "-U", "postgres",
                    "--no-sync"], check=True, capture_output=True, timeout=120)
    with open(log, "wb") as handle:
        process = subprocess.Popen(
            [*as_postgres, f"{bindir}/postgres", "-D", data, "-p", str(port), "-k", data,
             "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=200"],
            stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_port(port, process, "postgres", log)
        yield f"postgresql+psycopg2://postgres@127.0.0.1:{port}/postgres"
    finally:
        _stop(process, signal.SIGINT)  # fast shutdown
        shutil.rmtree(data, ignore_errors=True)


@contextlib.contextmanager
def redis(log_dir: Path) -> Iterator[str]:
    """A Redis server; yields its URL."""
    port = free_port()
    log = log_dir / "redis.log"
    with open(log, "wb") as handle:
        process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                    "--appendonly", "no", "--daemonize", "no"],
                                   stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
                                   cwd=log_dir)
    try:
        _wait_port(port, process, "redis", log)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(process)
