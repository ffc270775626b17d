"""Stop-word lists per language, from jusText's bundled stoplists (jusText 3.0.2, pinned).

The lists are read as files from the installed package, without importing jusText itself (which would
pull lxml into every worker for nothing), or from their copy saved at install (pipeline.clean.stop_tables).
A language without a list falls back to the union of the major European ones, which still tells prose from
menus on a page whose language is unknown.
"""

from __future__ import annotations

import importlib.util
import os
from functools import cache

from pipeline.clean import stop_tables

# ISO 639-1 (as the language detector answers) to the name of jusText's stoplist file.
STOPLIST_NAMES = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "cy": "Welsh",
    "da": "Danish", "de": "German", "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian",
    "fa": "Persian", "fi": "Finnish", "fr": "French", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian",
    "hu": "Hungarian", "id": "Indonesian", "it": "Italian", "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian",
    "mk": "Macedonian", "nl": "Dutch", "no": "Norwegian_Bokmal", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian", "sv": "Swedish",
    "sw": "Swahili", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
}
# The fallback for an unknown language: the major European languages.
FALLBACK_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "pl")


def _stoplist_dir() -> str:
    """The folder of jusText's stoplist files."""
    spec = importlib.util.find_spec("justext")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("justext is not installed: it provides the stop-word lists (see requirements.txt)")
    return os.path.join(list(spec.submodule_search_locations)[0], "stoplists")


# jusText's lists run from the most frequent word down: their head is function words only (articles,
# prepositions), while further down come frequent names ('John' in English).
FUNCTION_WORDS = 100


def read_lines(name: str) -> tuple[str, ...]:
    """The casefolded lines of jusText's list `name`, read from its file (~1.5-2 ms)."""
    with open(os.path.join(_stoplist_dir(), f"{name}.txt"), encoding="utf-8") as handle:
        return tuple(line.strip().casefold() for line in handle if line.strip())


@cache
def _lines(name: str) -> tuple[str, ...]:
    saved = stop_tables.saved_lines(name)
    return read_lines(name) if saved is None else saved


# Which jusText list each set `_read` made is, so that its stop-word table can be read from the install.
_LIST_NAMES: dict[frozenset[str], str] = {}


@cache
def _read(name: str) -> frozenset[str]:
    words = frozenset(_lines(name))
    _LIST_NAMES.setdefault(words, name)
    return words


def list_name(stops: frozenset[str]) -> str | None:
    """The name of the jusText list `stops` is, if `stopwords` returned it for a language with one."""
    return _LIST_NAMES.get(stops)


@cache
def function_words(language: str | None) -> frozenset[str]:
    """The most frequent stop words of `language`: words no person's name is made of."""
    name = STOPLIST_NAMES.get((language or "").split("-")[0])
    names = [name] if name else [STOPLIST_NAMES[code] for code in FALLBACK_LANGUAGES]
    return frozenset().union(*(_lines(n)[:FUNCTION_WORDS] for n in names))


@cache
def stopwords(language: str | None) -> frozenset[str]:
    """The stop words of `language` (ISO 639-1), casefolded; the European fallback when it has no list."""
    name = STOPLIST_NAMES.get((language or "").split("-")[0])
    if name:
        return _read(name)
    return frozenset().union(*(_read(STOPLIST_NAMES[code]) for code in FALLBACK_LANGUAGES))


def has_stoplist(language: str | None) -> bool:
    return (language or "").split("-")[0] in STOPLIST_NAMES
