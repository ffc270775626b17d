#!/usr/bin/env bash
# Install everything, then run the news_etl DAG once through Airflow (embedded SQLite) on the bundled
# sample, and print where the records are and what the run did. Usage: scripts/run_sample.sh [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$(realpath -m "${1:-$ROOT/out}")
DATE=2022-03-16
bash scripts/bootstrap.sh requirements.txt

export AIRFLOW_HOME="$ROOT/.airflow"
export AIRFLOW__CORE__DAGS_FOLDER="$ROOT/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__PARALLELISM=4
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
mkdir -p "$AIRFLOW_HOME"
echo "migrating the Airflow database in $AIRFLOW_HOME ..."
.venv/bin/airflow db migrate > "$AIRFLOW_HOME/migrate.log" 2>&1
echo "running news_etl on $ROOT/sample (log: $AIRFLOW_HOME/dags-test.log) ..."
CONF=$(printf '{"input_path": "%s", "output_path": "%s", "ingest_date": "%s"}' "$ROOT/sample" "$OUT" "$DATE")
if ! .venv/bin/airflow dags test news_etl -c "$CONF" > "$AIRFLOW_HOME/dags-test.log" 2>&1; then
    tail -n 40 "$AIRFLOW_HOME/dags-test.log"
    echo "news_etl failed; full log: $AIRFLOW_HOME/dags-test.log" >&2
    exit 1
fi
.venv/bin/python -m pipeline summary "$OUT" --date "$DATE"
