"""dateparser's month and weekday names saved at install: the same as its loader's, and the loader without them."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.clean import date_names, dates


def test_saved_names_equal_the_loaders(tmp_path: Path) -> None:
    path = date_names.save(tmp_path)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert {"en", "de", "fr", "pl", "ru", "ar", "zh"} <= saved.keys()
    for lang, info in saved.items():
        assert info == date_names.loaded_info(lang) and info
    assert date_names.locale_info("de", tmp_path) == date_names.loaded_info("de")
    assert date_names.locale_info("xx", tmp_path) == {}  # unknown to dateparser: no names


def test_without_the_file_the_loader_is_asked(tmp_path: Path) -> None:
    assert not date_names.names_path(tmp_path).exists()
    assert date_names.locale_info("fr", tmp_path) == date_names.loaded_info("fr")
    assert date_names.locale_info("fr", tmp_path)["january"]


def test_names_of_languages_keep_the_first_languages_reading() -> None:
    """`_names` merges per-language folded names; the result is the loader's names folded in language order."""
    langs = ("es", "en", "de", "fr", "it", "pt", "nl", "pl", "fi", "ru")
    months: dict[str, int] = {}
    weekdays: set[str] = set()
    for lang in langs:
        info = date_names.loaded_info(lang)
        for number, key in enumerate(date_names.MONTH_KEYS, 1):
            for name in info.get(key, ()):
                months.setdefault(name.casefold().rstrip("."), number)
        for key in date_names.WEEKDAY_KEYS:
            weekdays.update(w.casefold().rstrip(".") for w in info.get(key, ()) if len(w) > 1)
    got_months, got_weekdays = dates._names(langs)
    assert list(got_months.items()) == list(months.items())
    assert got_weekdays == weekdays
    assert got_months["mar"] == 3 and "lunes" in got_weekdays
