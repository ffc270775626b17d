# syntax=docker/dockerfile:1
# newsetl on the official Airflow image. Dependencies are baked in at build
# time (never _PIP_ADDITIONAL_REQUIREMENTS) so every container of the stack
# -- api-server, scheduler, dag-processor, triggerer, each scaled worker --
# runs exactly the same pinned environment.
FROM apache/airflow:3.3.2-python3.11 AS runtime

# Celery stack: the executor provider, the Postgres driver behind
# sql_alchemy_conn / the Celery result backend, and the Redis client behind the
# broker. Checked to resolve together with apache-airflow==3.3.2 and
# requirements.txt on Python 3.11.
ARG CELERY_PROVIDER_VERSION=3.26.0
ARG PSYCOPG2_VERSION=2.9.13
ARG REDIS_PY_VERSION=8.1.0

# constraints.txt is optional: when the repo has one, it pins the whole tree.
COPY --chown=airflow:0 requirements.txt constraints.tx[t] /opt/newsetl/

USER airflow
# AIRFLOW_VERSION comes from the base image; pinning it stops pip from
# silently up/downgrading Airflow itself while resolving requirements.txt.
RUN set -eux; \
    if [ -f /opt/newsetl/constraints.txt ]; then set -- -c /opt/newsetl/constraints.txt; fi; \
    pip install --no-cache-dir "$@" \
        "apache-airflow==${AIRFLOW_VERSION}" \
        -r /opt/newsetl/requirements.txt \
        "apache-airflow-providers-celery==${CELERY_PROVIDER_VERSION}" \
        "psycopg2-binary==${PSYCOPG2_VERSION}" \
        "redis==${REDIS_PY_VERSION}"; \
    python -c "import airflow, celery, psycopg2, redis, pyarrow, langdetect; print('airflow', airflow.__version__)"

# The pipeline library lives outside the DAGs folder so the DAG processor does
# not try to parse it; PYTHONPATH makes `import pipeline` and
# `python -m pipeline` work in every container.
COPY --chown=airflow:0 pipeline/ /opt/newsetl/pipeline/
ENV PYTHONPATH=/opt/newsetl

# langid's kernels compiled ahead of time (pipeline/langid_build.py), so that no task process imports numba
# or loads its kernels (~0.7 CPU-s and ~135 MB each). Compiling needs a C compiler, which stays in this
# throw-away stage; the module needs only numpy at run time.
FROM runtime AS kernels
USER root
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev && rm -rf /var/lib/apt/lists/*
USER airflow
RUN python -m pipeline.langid_build /tmp/kernels

FROM runtime
COPY --from=kernels --chown=airflow:0 /tmp/kernels/ /opt/newsetl/pipeline/
# Bytecode compiled once here, not by every task's process; pip already compiled the libraries'.
RUN python -m compileall -q /opt/newsetl/pipeline
