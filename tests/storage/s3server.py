"""A real S3-compatible server for tests: moto's, over HTTP on loopback, in its own process."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow.fs as pafs

from tests.e2e.airflow_services import free_port

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "newsetl-test", "AWS_SECRET_ACCESS_KEY": "newsetl-test-secret",
               "AWS_REGION": "us-east-1"}


@contextlib.contextmanager
def s3_server(log_dir: Path, buckets: tuple[str, ...] = ("newsetl",)) -> Iterator[dict[str, str]]:
    """Start `moto_server` on a free loopback port, create `buckets`; yields the AWS_* environment to use."""
    port = free_port()
    log = open(log_dir / "moto.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen([str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)],
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    env = {**CREDENTIALS, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}"}
    try:
        fs = pafs.S3FileSystem(endpoint_override=f"127.0.0.1:{port}", scheme="http", region="us-east-1",
                               access_key=env["AWS_ACCESS_KEY_ID"], secret_key=env["AWS_SECRET_ACCESS_KEY"],
                               allow_bucket_creation=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                for bucket in buckets:
                    fs.create_dir(bucket)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"moto_server did not start; see {log_dir / 'moto.log'}") from None
                time.sleep(0.3)
        yield env
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
