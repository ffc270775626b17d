"""`[core] hostname_callable` for the Celery test: two workers on one machine report distinct hostnames."""

from __future__ import annotations

import os
import socket


def worker_hostname() -> str:
    return os.environ.get("NEWSETL_TEST_HOSTNAME") or socket.getfqdn()
