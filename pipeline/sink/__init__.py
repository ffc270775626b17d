"""Writing: staged Parquet, the quarantine, the manifest, and the atomic publish of a date."""
