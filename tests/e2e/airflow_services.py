"""Real Airflow services on loopback for end-to-end tests: api-server, scheduler, dag-processor."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.airflow_env import airflow_environment, migrate

START_TIMEOUT = 300
# The api-server builds its execution API (the one task processes call) on the first request to it: 8 s
# on an idle machine here, up to ~40 s under load. Made during start-up, so that no task's first call
# waits for it (past its client's timeout, once, in a test).
EXECUTION_WARM_UP_TIMEOUT = 180


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AirflowServices:
    """A running Airflow (LocalExecutor, SQLite) and a REST client for its API v2."""

    def __init__(self, home: Path, port: int, env: dict[str, str],
                 extra: dict[str, tuple[list[str], dict[str, str]]] | None = None) -> None:
        self.home = home
        self.extra = extra or {}
        self.port = port
        self.env = env
        self.base = f"http://127.0.0.1:{port}"
        self.client = httpx.Client(base_url=self.base, timeout=30)
        self.processes: list[subprocess.Popen] = []

    def start(self) -> None:
        airflow = str(Path(sys.executable).with_name("airflow"))
        commands = {
            "api-server": ([airflow, "api-server", "--host", "127.0.0.1", "--port", str(self.port)], {}),
            "scheduler": ([airflow, "scheduler"], {}),
            "dag-processor": ([airflow, "dag-processor"], {}),
            **{name: ([airflow, *args], env) for name, (args, env) in self.extra.items()},
        }
        for name, (command, env) in commands.items():
            log = open(self.home / f"{name}.log", "wb")  # noqa: SIM115 - lives as long as the process
            self.processes.append(subprocess.Popen(command, env={**self.env, **env}, stdout=log,
                                                   stderr=subprocess.STDOUT, start_new_session=True))
        self.wait_until(self._healthy, START_TIMEOUT, "Airflow services to become healthy")
        self.client.get("/execution/health", timeout=EXECUTION_WARM_UP_TIMEOUT).raise_for_status()
        self.wait_until(lambda: self.client.get("/api/v2/dags/news_etl").status_code == 200, START_TIMEOUT,
                        "news_etl to be parsed")

    def _healthy(self) -> bool:
        try:
            health = self.client.get("/api/v2/monitor/health").json()
        except (httpx.HTTPError, ValueError):
            return False
        return all(health.get(part, {}).get("status") == "healthy" for part in ("metadatabase", "scheduler",
                                                                                 "dag_processor"))

    def wait_for_run(self, run_id: str, timeout: float = 600) -> dict:
        """The news_etl run once it has finished, successfully or not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            run = self.client.get(f"/api/v2/dags/news_etl/dagRuns/{run_id}").json()
            if run["state"] in {"success", "failed"}:
                return run
            time.sleep(3)
        raise TimeoutError(f"run {run_id} did not finish in {timeout}s; logs in {self.home}")

    def wait_until(self, condition, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"an Airflow service exited ({process.args[1]}); logs in {self.home}")
            if condition():
                return
            time.sleep(2)
        raise TimeoutError(f"timed out waiting for {what}; logs in {self.home}")

    def stop(self) -> None:
        self.client.close()
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@contextlib.contextmanager
def airflow_services(home: Path, extra_services: dict[str, tuple[list[str], dict[str, str]]] | None = None,
                     **extra_env: str) -> Iterator[AirflowServices]:
    """Migrate, start the services (and `extra_services`: name -> (airflow sub-command, extra env)), wait
    until healthy and news_etl is parsed; stop them all on exit."""
    port = free_port()
    # Quicker than Airflow's defaults, for tests; `extra_env` may set them back (benchmarks do).
    quick = {"AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5", "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2"}
    env = airflow_environment(
        home,
        AIRFLOW__API__PORT=str(port),
        AIRFLOW__API__BASE_URL=f"http://127.0.0.1:{port}",
        AIRFLOW__CORE__EXECUTION_API_SERVER_URL=f"http://127.0.0.1:{port}/execution/",
        AIRFLOW__API_AUTH__JWT_SECRET=secrets.token_hex(32),
        AIRFLOW__API__SECRET_KEY=secrets.token_hex(32),
        **{**quick, **extra_env},
    )
    migrate(env)
    services = AirflowServices(home, port, env, extra_services)
    try:
        services.start()
        yield services
    finally:
        services.stop()
