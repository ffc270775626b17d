"""newsetl: news text dumps to clean, language-tagged Parquet."""

from pipeline import memory  # noqa: F401  (chooses Arrow's memory pool before pyarrow is imported)
