#!/usr/bin/env bash
# Debian packages the tests use: docker-compose (validates docker-compose.yml without an engine),
# PostgreSQL and Redis (the CeleryExecutor test starts its own servers), Chromium (the trigger-form
# test drives the Airflow UI through Playwright).
# Installs only what is missing; needs root (CI and the dev machines run as root).
set -euo pipefail
missing=()
command -v docker-compose > /dev/null || missing+=(docker-compose)
ls /usr/lib/postgresql/*/bin/initdb > /dev/null 2>&1 || missing+=(postgresql)
command -v redis-server > /dev/null || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "missing Debian packages: ${missing[*]} (run as root or install them)" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" > /dev/null
fi
