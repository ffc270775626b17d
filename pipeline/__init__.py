"""newsetl: news text dumps to clean, language-tagged Parquet."""
