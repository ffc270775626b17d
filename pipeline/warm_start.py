"""Imported once by a process that forks the stages' processes, so that each fork starts warm.

Airflow's LocalExecutor forks every task process from a fork server (`[scheduler] mp_start_method =
forkserver`); the modules its `mp_forkserver_preload` names are imported there once and inherited by
every task. Importing `pipeline.run` gives the code but not what the stages load on first use: the
language model and its compiled kernels (~0.1 CPU-s in each clean and detect_language task), the block
fingerprints' kernel and tables (each ingest task) and the readers that the first staged-file read
imports (pyarrow.dataset, dateparser's date and time-zone tables), the printable table, the saved stop
lists' files and the month names of the default languages. Importing this module loads them, so no task
process loads them again. Each language's stop list and names are left to first use (~1 ms a language
with the tables saved at install): a run meets a few of the ~55, and the main process would load them serially.
"""

from __future__ import annotations

import dateparser.date  # noqa: F401 - the cleaning's date parser, imported on its first date
import dateparser.languages.loader  # noqa: F401 - month and weekday names, imported on the first page
import dateparser.timezones  # noqa: F401 - time-zone abbreviations, imported on the first dateline
import pyarrow.dataset  # noqa: F401 - pyarrow.parquet.read_table imports it on its first call

import pipeline.clean.extract  # noqa: F401 - the cleaning, which the stages import on their first page
import pipeline.cli  # noqa: F401 - the summary that news_etl's report task logs
import pipeline.ingest.readers  # noqa: F401 - the readers, which ingest_shard imports on its first file
import pipeline.run  # noqa: F401 - every stage's code
from pipeline.clean import dates, fingerprints, normalize, stop_tables
from pipeline.langid import warm_up

warm_up()
fingerprints.warm_up()
normalize.warm_up()
stop_tables.warm_up()
dates.warm_up()
