"""dateparser's month and weekday names of every language, saved once at install.

dateparser's loader builds a language's locale (its data module imported, then deep-copied) in ~1-1.5 ms, and
the date finder reads 11 of them on a process's first page, one more for each page language after: ~0.04
CPU-s a worker on 25 languages. `python -m pipeline.langid_build` saves the names the finder reads, for
every language dateparser knows, into one JSON file beside the builds, named by dateparser's version and
the keys read; a process reads it whole on first use (~2 ms). Without it (or for a language it lacks) the
loader is asked, as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.aot_builds import PACKAGE_DIR, remove_stale

PREFIX = "_date_names_"
MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july",
              "august", "september", "october", "november", "december")
WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# What is kept of a locale's info: its name (a known language's info is never empty) and the names read.
KEPT_KEYS = ("name", *MONTH_KEYS, *WEEKDAY_KEYS)


def names_path(folder: Path = PACKAGE_DIR) -> Path:
    """The saved file for the installed dateparser and the keys kept."""
    import dateparser

    key = f"{dateparser.__version__}|{'|'.join(KEPT_KEYS)}".encode()
    return folder / f"{PREFIX}{hashlib.blake2b(key, digest_size=6).hexdigest()}.json"


def loaded_info(lang: str) -> dict[str, Any]:
    """The kept part of the locale info dateparser's loader builds for `lang`; {} for a language it lacks."""
    from dateparser.languages.loader import default_loader

    try:
        info = default_loader.get_locale(lang).info
    except Exception:  # noqa: BLE001 - unknown language code: simply contributes no names
        return {}
    return {key: info[key] for key in KEPT_KEYS if key in info}


@cache
def _saved(folder: Path = PACKAGE_DIR) -> dict[str, dict[str, Any]]:
    with contextlib.suppress(OSError, ValueError):
        return json.loads(names_path(folder).read_text(encoding="utf-8"))
    return {}


def locale_info(lang: str, folder: Path = PACKAGE_DIR) -> dict[str, Any]:
    """`loaded_info(lang)`, read from the install when it holds `lang`."""
    saved = _saved(folder).get(lang)
    return loaded_info(lang) if saved is None else saved


def save(folder: Path = PACKAGE_DIR) -> Path:
    """Save the kept info of every language dateparser knows into `folder` (atomically); other versions there
    are removed."""
    from dateparser.data.languages_info import language_order

    infos = {lang: loaded_info(lang) for lang in language_order}
    path = names_path(folder)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps({lang: info for lang, info in infos.items() if info}, ensure_ascii=False),
                         encoding="utf-8")
    os.replace(temporary, path)
    remove_stale(folder, PREFIX, lambda saved: saved == path.name)
    return path
