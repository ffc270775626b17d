"""Find and parse the publication time of a page.

Why own regexes in front of dateparser: dateparser is slow and liberal (it turns
"Olympia 2022" or "2 hours ago" into dates, and relative forms depend on "now").
So the month/weekday names and time-zone abbreviations come from dateparser's own
locale data, but the date *shapes* are a small set of strict regexes that are
cheap to run over every short block; dateparser itself (absolute parsers only,
fixed settings) is just the fallback for single strings none of the shapes fit.

Conventions (deterministic, never relative to "now"):
- a date without a time is midnight UTC;
- a time without a zone is taken as UTC (pages rarely say, and the UTC reading
  keeps the calendar day as written);
- numeric dates are day-first unless the text is English and the context says
  US (an ``en-US`` language tag, an unambiguous month-first date such as
  10/18/2020, or "May 16, 2020"-style dates on the same page);
- years outside 1990..2100 are rejected.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from pipeline.clean.date_names import MONTH_KEYS, WEEKDAY_KEYS, locale_info

__all__ = ["Dateline", "PageDates", "find_dateline", "parse_published_at"]

MIN_YEAR, MAX_YEAR = 1990, 2100
MAX_BLOCK_CHARS = 160
"""Longer blocks are body prose; a dateline is short (some carry a byline and tags)."""
OPENING_DATE_CHARS = 40
"""How much of a long block is read for a date opening it."""

_DEFAULT_LANGS = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "fi", "ru")
_DMY_TLDS = (".uk", ".ie", ".au", ".nz", ".in", ".za", ".sg", ".ng", ".ke", ".pk")


@dataclass(frozen=True, slots=True)
class Dateline:
    index: int  # index of the block holding the date; -1 when it is no dateline of its own (URL, a paragraph)
    published_at: datetime  # timezone-aware, converted to UTC
    as_written: str  # the date text as it appears in the block


# --------------------------------------------------------------------------- names


def _base(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()


@lru_cache(maxsize=64)
def _locale_info(lang: str) -> dict[str, Any]:
    """Its month and weekday names (dateparser's, saved at install: see pipeline.clean.date_names); {} when
    dateparser lacks the language."""
    return locale_info(lang)


@lru_cache(maxsize=128)
def _language_names(lang: str) -> tuple[tuple[tuple[str, int], ...], tuple[str, ...]]:
    """One language's casefolded month names with their numbers, in dateparser's order, and its weekday names:
    folded once per language, not again in every tuple of languages `_names` is asked for."""
    info = _locale_info(lang)
    months = tuple((name.casefold().rstrip("."), number)
                   for number, key in enumerate(MONTH_KEYS, 1) for name in info.get(key, ()))
    weekdays = tuple(w.casefold().rstrip(".") for key in WEEKDAY_KEYS for w in info.get(key, ()) if len(w) > 1)
    return months, weekdays


@lru_cache(maxsize=64)
def _names(langs: tuple[str, ...]) -> tuple[dict[str, int], frozenset[str]]:
    """Month-name -> number map and the set of weekday names for these languages.

    Earlier languages win name clashes, so the page language decides e.g. "mar".
    Dictionary look-ups of captured words beat one regex alternation of ~300 names.
    """
    months: dict[str, int] = {}
    weekdays: set[str] = set()
    for lang in langs:
        language_months, language_weekdays = _language_names(lang)
        for name, number in language_months:
            months.setdefault(name, number)
        weekdays.update(language_weekdays)
    return months, frozenset(weekdays)


def warm_up() -> None:
    """Load the names every page reads (the default languages'), e.g. once in a process that forks workers."""
    _names(_langs(None))


@lru_cache(maxsize=1)
def _tz_offsets() -> dict[str, int]:
    """Abbreviation -> UTC offset in seconds, from dateparser's table (MEZ, CEST, EST...)."""
    from dateparser.timezones import timezone_info_list

    table: dict[str, int] = {}
    for group in timezone_info_list:
        for name, offset in group["timezones"]:
            if re.fullmatch(r"[A-Z]{2,5}", name):
                table.setdefault(name, offset)
    return table


@lru_cache(maxsize=1)
def _tz_re() -> str:
    names = sorted(_tz_offsets(), key=len, reverse=True)
    return rf"(?:(?:GMT|UTC)\s?[+-]\d{{1,2}}(?::?\d{{2}})?|[+-]\d{{2}}:?\d{{2}}|Z|(?:{'|'.join(names)}))"


# --------------------------------------------------------------------------- shapes

_Y = r"(?P<y>(?:19|20|21)\d{2})"
"""No digit guard after a spelled-out date's year: dumps glue blocks ("7. Januar 20220 comments")."""
_NUMERIC = re.compile(
    r"(?<![\d.,/])(?P<a>\d{1,2})\s?(?P<sep>[./-]|\s\|\s)\s?(?P<b>\d{1,2})\s?(?P=sep)\s?"
    r"(?P<y>(?:19|20|21)\d{2}|\d{2})(?!\.\d|/\d|\d(?!\d?:\d\d))"  # time may be glued on
)
_YMD = re.compile(r"(?<![\d.])(?P<y>(?:19|20|21)\d{2})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)")
_TIME_TAIL = (
    r"(?:T|\s?[,|·/–-]?\s?(?:(?P<kw>um|at|à|a las|a la|às|alle|ore|om|klo|kl\.?|o godz\.|godz\.|o|в|@)\s?)?)"
    r"(?P<H>\d{1,2})(?:(?:(?P<c>[:h])|\.(?=\d{2}(?!\.\d)))(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?)?"
    r"(?:\s?(?P<ampm>[ap]\.?\s?m\.?)(?![^\W\d_]))?(?:\s?(?P<uhr>Uhr|h)(?![^\W\d_]))?"
)
"""A time right after a date: 00:19, 9.46 Uhr (with a keyword), 10h30, 5pm, T00:19:00.000."""


_WORD = r"(?P<mon>[^\W\d_]{2,})"
_TEXT_DMY = re.compile(
    rf"(?<!\d)(?P<d>\d{{1,2}})(?:\.|er|º|st|nd|rd|th)?\s?(?:de\s|of\s)?{_WORD}\.?,?\s?(?:de\s)?{_Y}")
_TEXT_MDY = re.compile(rf"(?<![^\W\d_]){_WORD}\.?\s?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?!\d),?\s?{_Y}")
"""Spelled-out dates; the captured word must be a month name of one of the languages."""
_WEEKDAY_BEFORE = re.compile(r"(?<![^\W\d_])([^\W\d_]{2,}(?:-[^\W\d_]+)?)\.?,?\s?$")


@lru_cache(maxsize=1)
def _time_tail_re() -> re.Pattern[str]:
    # zone names are case-sensitive: German "ist" is not Israel time
    return re.compile(_TIME_TAIL + rf"(?:\s?\(?(?P<tz>(?-i:{_tz_re()}))\)?(?![^\W\d_]))?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    year: int
    month: int | None  # None: numeric a/b whose order the caller decides
    day: int | None
    a: int = 0
    b: int = 0
    mdy_style: bool = False  # written "May 16, 2020": evidence for US order


def _year(raw: str) -> int:
    y = int(raw)
    if y >= 100:
        return y
    return y + (1900 if y >= 70 else 2000)  # "19.10.19" is 2019, "12.05.98" is 1998


def _hits(text: str, langs: tuple[str, ...]) -> list[_Hit]:
    """All date-shaped spans in text, left to right, non-overlapping."""
    months, _ = _names(langs)
    found: list[_Hit] = []
    for m in _YMD.finditer(text):
        found.append(_Hit(m.start(), m.end(), int(m["y"]), int(m["m"]), int(m["d"])))
    for m in _NUMERIC.finditer(text):
        if len(m["y"]) == 2 and (m["sep"] not in "./" or len(m["b"]) != 2):
            continue  # "2.6.29" is a version number, "19.10.19" a date
        found.append(_Hit(m.start(), m.end(), _year(m["y"]), None, None, int(m["a"]), int(m["b"])))
    for m in _TEXT_DMY.finditer(text):
        mon = months.get(m["mon"].casefold().rstrip("."))
        if mon:
            found.append(_Hit(m.start(), m.end(), int(m["y"]), mon, int(m["d"])))
    for m in _TEXT_MDY.finditer(text):
        mon = months.get(m["mon"].casefold().rstrip("."))
        if mon:
            found.append(_Hit(m.start(), m.end(), int(m["y"]), mon, int(m["d"]), mdy_style=True))
    found.sort(key=lambda h: (h.start, -(h.end - h.start)))
    out: list[_Hit] = []
    for h in found:
        if not out or h.start >= out[-1].end:
            out.append(h)
    return out


def _resolve(h: _Hit, mdy: bool) -> tuple[int, int] | None:
    """(month, day) of a hit; numeric a/b ordered by the unambiguous reading or `mdy`."""
    if h.month is not None and h.day is not None:
        return h.month, h.day
    a, b = h.a, h.b
    if a > 12 >= b:
        return b, a
    if b > 12 >= a:
        return a, b
    return (a, b) if mdy else (b, a)


def _build(text: str, h: _Hit, mdy: bool) -> tuple[datetime, str] | None:
    """Datetime (UTC) and as-written span: the date plus a leading weekday and trailing time/zone."""
    md = _resolve(h, mdy)
    if md is None or not MIN_YEAR <= h.year <= MAX_YEAR:
        return None
    start, end = h.start, h.end
    hh = mm = ss = offset = 0
    t = _time_tail_re().match(text, h.end)
    if t is not None and _is_time(t):
        hh, mm, ss = int(t["H"]), int(t["M"] or 0), int(t["S"] or 0)
        if t["ampm"]:
            hh = hh % 12 + (12 if t["ampm"].lower().startswith("p") else 0)
        if hh < 24 and mm < 60 and ss < 60:
            offset = _offset(t["tz"])
            end = t.end()
        else:
            hh = mm = ss = 0
    try:
        local = datetime(h.year, md[0], md[1], hh, mm, ss, tzinfo=timezone(timedelta(seconds=offset)))
    except ValueError:
        return None
    # a weekday right before the date belongs to it ("Monday 10 January 2022")
    w = _WEEKDAY_BEFORE.search(text, max(0, start - 30), start)
    if w is not None and w[1].casefold() in _names(_DEFAULT_LANGS)[1]:
        start = w.start()
    return local.astimezone(UTC), text[start:end].strip(" ,|·")


def _is_time(t: re.Match[str]) -> bool:
    """Digits after a date are a time only with a clear marker (':' 'h' am/pm Uhr or a keyword)."""
    if t["ampm"] or (t["uhr"] and (t["M"] or t["kw"])):
        return True
    return bool(t["M"]) and bool(t["c"] or t["kw"] or t[0].startswith("T"))


def _offset(tz: str | None) -> int:
    """Seconds east of UTC for 'EST', '+02:00', '+0200', 'GMT+1', 'Z'; unknown/none -> 0."""
    if not tz:
        return 0
    tz = tz.strip()
    m = re.fullmatch(r"(?:GMT|UTC)?\s?([+-])(\d{1,2}):?(\d{2})?", tz, re.IGNORECASE)
    if m:
        sign = -1 if m[1] == "-" else 1
        return sign * (int(m[2]) * 3600 + int(m[3] or 0) * 60)
    return _tz_offsets().get(tz.upper(), 0)


# --------------------------------------------------------------------------- languages / order


def _langs(languages: Sequence[str] | None) -> tuple[str, ...]:
    """Requested languages first (they win name clashes), then the default set."""
    first = [_base(x) for x in (languages or ()) if x]
    return tuple(dict.fromkeys([*first, *_DEFAULT_LANGS]))


def _us_tagged(languages: Sequence[str] | None) -> bool | None:
    """True for en-US, False for another English region, None when the tag does not say."""
    for tag in languages or ():
        parts = tag.replace("_", "-").lower().split("-")
        if parts[0] == "en" and len(parts) > 1:
            return parts[-1] == "us"
    return None


def _prefer_mdy(texts: Iterable[str], languages: Sequence[str] | None, url: str | None,
                langs: tuple[str, ...]) -> bool:
    """Month-first only for English with US context; otherwise day-first."""
    settled = _settled_order(languages, url, langs)
    if settled is not None:
        return settled
    return sum(_mdy_vote(text, langs) for text in texts) > 0


def _settled_order(languages: Sequence[str] | None, url: str | None, langs: tuple[str, ...]) -> bool | None:
    """Month-first (True) or day-first (False) when the language, its tag or the URL's host says; None
    when the dates written on the page must vote."""
    if langs[0] != "en":
        return False
    tagged = _us_tagged(languages)
    if tagged is not None:
        return tagged
    host = (urlsplit(url).hostname or "") if url else ""
    if host.endswith(_DMY_TLDS):
        return False
    return None


def _mdy_vote(text: str, langs: tuple[str, ...]) -> int:
    """A short block's say on the order: + for month-first dates written in it, - for day-first ones."""
    if len(text) > MAX_BLOCK_CHARS or not _may_hold_date(text):
        return 0
    vote = 0
    for h in _hits(text, langs):
        if h.month is None:
            vote += (h.b > 12 >= h.a) - (h.a > 12 >= h.b)
        elif h.mdy_style:
            vote += 1
        elif not _YMD.match(text, h.start):
            vote -= 1
    return vote


# --------------------------------------------------------------------------- public: one string

_PREFILTER = re.compile(r"(?<!\d)(?:19|20|21)\d{2}|\d{1,2}[./-]\d{1,2}[./-]\d{2}(?!\d)")
_DIGIT = re.compile(r"\d")


def _may_hold_date(text: str) -> bool:
    """`_PREFILTER` finds a year or a numeric date. Every match holds a digit, which most blocks lack: `re`
    finds that one character class ~6x faster than it tries the prefilter's branches at every position."""
    return _DIGIT.search(text) is not None and _PREFILTER.search(text) is not None


@lru_cache(maxsize=32)
def _fallback_parser(langs: tuple[str, ...], mdy: bool) -> Any:
    """One cached strict DateDataParser per (languages, order): absolute forms only."""
    from dateparser.date import DateDataParser

    settings = {
        "PARSERS": ["custom-formats", "absolute-time"],
        "RETURN_AS_TIMEZONE_AWARE": True,
        "TIMEZONE": "UTC",
        "TO_TIMEZONE": "UTC",
        "PREFER_DAY_OF_MONTH": "first",
        "PREFER_DATES_FROM": "past",
        "DATE_ORDER": "MDY" if mdy else "DMY",
        "REQUIRE_PARTS": ["day", "month", "year"],
        "RELATIVE_BASE": datetime(2000, 1, 1),  # never "now", even if a parser peeks
        "STRICT_PARSING": True,
    }
    known = [lang for lang in langs if _locale_info(lang)]
    return DateDataParser(languages=known, settings=settings, try_previous_locales=False)


def _fallback(text: str, langs: tuple[str, ...], mdy: bool) -> datetime | None:
    if len(text) > MAX_BLOCK_CHARS or not _may_hold_date(text):
        return None
    try:
        got = _fallback_parser(langs[:4], mdy).get_date_data(text).date_obj
    except Exception:  # noqa: BLE001 - dateparser raises many kinds on odd input
        return None
    if got is None or not MIN_YEAR <= got.year <= MAX_YEAR:
        return None
    if got.tzinfo is None:
        got = got.replace(tzinfo=UTC)
    return got.astimezone(UTC)


def _first(text: str, langs: tuple[str, ...], mdy: bool) -> tuple[datetime, str, int] | None:
    for h in _hits(text, langs):
        built = _build(text, h, mdy)
        if built is not None:
            return built[0], built[1], h.start
    return None


def parse_published_at(text: str, languages: Sequence[str] | None = None) -> datetime | None:
    """First absolute date in `text` as an aware UTC datetime, else None; never raises."""
    try:
        if not isinstance(text, str) or not text.strip():
            return None
        text = " ".join(text.split())
        langs = _langs(languages)
        mdy = _prefer_mdy([text], languages, None, langs)
        got = _first(text, langs, mdy)
        if got is not None:
            return got[0]
        return _fallback(text, langs, mdy)
    except Exception:  # noqa: BLE001 - a date parser must not take the pipeline down
        return None


# --------------------------------------------------------------------------- public: a page

_PUBLISHED = re.compile(
    r"(?<![^\W\d_])(?:published|posted|publi[ée]e?|publicad[oa]|pubblicato|publiziert|veröffentlicht|"
    r"erschienen|erstellt|gespeichert|gepostet|gepubliceerd|geplaatst|opublikowano|julkaistu|"
    r"опубликовано|dodano|date|datum|data|fecha|stand|created|originally)(?![^\W\d_])", re.IGNORECASE)
_UPDATED = re.compile(
    r"(?<![^\W\d_])(?:updated?|aktualisiert|zuletzt|letzte|mis à jour|actualizado|atualizado|"
    r"aggiornato|bijgewerkt|zaktualizowano|päivitetty|обновлено|modified|geändert|bearbeitet)(?![^\W\d_])",
    re.IGNORECASE)
_BYLINE = re.compile(r"(?<![^\W\d_])(?:by|von|par|por|di|door|przez|autor|author|av|af):?\s+(?P<n>[^\W\d_])",
                     re.IGNORECASE)
_EMBED = re.compile(r"\(@\w+\)|post shared by|@\w+\s+(?:on\s+)?$", re.IGNORECASE)
"""Embedded tweets/posts carry their own dates: "— Jane (@jane) May 4, 2021"."""

_FOOTER = re.compile(r"©|\(c\)|copyright|all rights|alle rechte|tous droits|derechos reservados|"
                     r"direitos reservados|diritti riservati", re.IGNORECASE)
_URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[/_-](0?[1-9]|1[0-2])[/_-](0?[1-9]|[12]\d|3[01])(?!\d)")
_URL_DATE_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d{2})-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])(?=[/_.-])")


def _byline(text: str, anchored: bool) -> bool:
    """ "By Jane"/"von Anna": a byline word followed by a capitalised name (not "Di, 18. Okt")."""
    m = _BYLINE.match(text) if anchored else _BYLINE.search(text)
    return m is not None and m["n"].isupper()


def _url_date(url: str | None) -> datetime | None:
    """Date in the path of the URL (/2022/01/10/ or 2022-01-10), as midnight UTC."""
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url, flags=re.IGNORECASE)
    path = re.sub(r"^/web/\d{8,14}(?:[a-z_]+)?/", "/", path)  # web-archive capture stamp
    for pattern in (_URL_DATE, _URL_DATE_COMPACT):
        for m in pattern.finditer(path):
            try:
                got = datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=UTC)
            except ValueError:
                continue
            if MIN_YEAR <= got.year <= MAX_YEAR:
                return got
    return None


@dataclass(frozen=True, slots=True)
class _Candidate:
    index: int
    when: datetime
    as_written: str
    score: float


def _score(blocks: Sequence[str], i: int, start: int, written: str, when: datetime,
           url_day: datetime | None, dated: dict[int, datetime], repeats: Counter[str]) -> float:
    """Higher is likelier the publication date; weights are deliberately few and coarse."""
    block = blocks[i]
    before = block[max(0, start - 40):start]
    s = 0.0
    if len(block) >= 40 and repeats[block] > 1:
        s -= 1.5  # a sentence repeated verbatim is template text (price boxes, widgets)
    if _PUBLISHED.search(before):
        s += 3.0
    elif _UPDATED.search(before):
        s += 1.5
    near = (blocks[j] for j in (i - 2, i - 1, i + 1, i + 2) if 0 <= j < len(blocks))
    if _byline(before, False) or any(len(b) < 60 and _byline(b, True) for b in near):
        s += 1.5  # "By Jane Doe" in or next to the block (a headline may sit in between)
    s += 0.5 * len(written) / max(len(block), 1)  # a block that is just the date is a dateline
    # other dates close by: a teaser list, an archive or comments (repeats of the same day are not)
    day = when.date()
    s -= 0.6 * sum(1 for j in range(i - 4, i + 5) if j != i and j in dated and dated[j].date() != day)
    s -= 1.5 * i / max(len(blocks), 1)  # the dateline sits with the headline, above the body
    if url_day is not None:  # exact day, or one off when the time zone moved it
        gap = abs((when.date() - url_day.date()).days)
        s += 6.0 if gap == 0 else 3.0 if gap == 1 else -2.0
    return s


def find_dateline(blocks: Sequence[str], languages: Sequence[str] | None = None,
                  url: str | None = None) -> Dateline | None:
    """The block most likely holding the article's publication date; None if none.

    Candidates are short blocks whose first date parses; footers and embedded posts
    are skipped. The score rewards "Published"-like prefixes, bylines and date-only
    blocks, and punishes dates packed among other dated blocks (related lists,
    archives, comments), verbatim-repeated template text and late positions; ties
    go to the earliest block. Dateparser is not called here: blocks no shape fits
    are almost always "Olympia 2022"-like noise, not worth its cost. A date in the URL
    (/2022/01/10/) outweighs the rest; when no block agrees with it, the URL date
    itself is returned with index -1 and its ISO date as `as_written`.
    """
    return PageDates(blocks, languages, url).find(range(len(blocks)))


class PageDates:
    """`find_dateline` over zones of one page (near the header, after the body, anywhere): each block's
    text and its date are read once, however many zones show it.

    `find(shown)` answers what `find_dateline` answers on the page with every other block blanked.
    """

    __slots__ = ("blocks", "languages", "url", "langs", "_collapsed", "_order", "_url_day", "_texts", "_votes",
                 "_reads")

    def __init__(self, blocks: Sequence[str], languages: Sequence[str] | None = None, url: str | None = None,
                 collapsed: bool = False) -> None:
        """`collapsed`: the blocks have no whitespace to collapse (those of `normalize.split_blocks` and
        `stored_blocks`), so each is read as it is."""
        self.blocks, self.languages, self.url = blocks, languages, url
        self._collapsed = collapsed
        self.langs: tuple[str, ...] = ()  # none: the page cannot be read, no block is looked at
        self._order: bool | None = None
        self._url_day: datetime | None = None
        self._texts: dict[int, str] = {}
        self._votes: dict[int, int] = {}
        self._reads: dict[tuple[int, bool], tuple[datetime, str, int, bool] | None] = {}
        try:
            langs = _langs(languages)
            self._order = _settled_order(languages, url, langs)
            self._url_day = _url_date(url)
            self.langs = langs
        except Exception:  # noqa: BLE001 - never take the pipeline down over a date
            pass

    def find(self, shown: Iterable[int]) -> Dateline | None:
        """The dateline among the `shown` blocks (indices in page order), as `find_dateline` scores it."""
        try:
            return self._find(list(shown))
        except Exception:  # noqa: BLE001 - never take the pipeline down over a date
            return None

    def _find(self, shown: list[int]) -> Dateline | None:
        if not self.langs:
            return None
        mdy = self._order if self._order is not None else sum(map(self._vote, shown)) > 0
        found = [(i, read) for i in shown if (read := self._read(i, mdy)) is not None]
        url_day = self._url_day
        best: _Candidate | None = None
        if found:
            texts = [""] * len(self.blocks)
            for i in shown:
                texts[i] = self._text(i)
            dated = {i: read[0] for i, read in found}
            repeats = Counter(texts)
            for i, (when, written, start, _opening) in found:
                score = _score(texts, i, start, written, when, url_day, dated, repeats)
                if best is None or score > best.score:
                    best = _Candidate(i, when, written, score)
        agrees = best is not None and (
            url_day is None or abs((best.when.date() - url_day.date()).days) <= 1)
        if best is not None and agrees:
            index = -1 if self._reads[best.index, mdy][3] else best.index
            return Dateline(index, best.when, _original(self.blocks[best.index], best.as_written))
        if url_day is not None:  # the URL beats dates that contradict it
            return Dateline(-1, url_day, url_day.date().isoformat())
        return None

    def _text(self, i: int) -> str:
        if self._collapsed:
            return self.blocks[i]
        text = self._texts.get(i)
        if text is None:
            block = self.blocks[i]
            text = self._texts[i] = _collapsed(block) if isinstance(block, str) else ""
        return text

    def _vote(self, i: int) -> int:
        vote = self._votes.get(i)
        if vote is None:
            vote = self._votes[i] = _mdy_vote(self._text(i), self.langs) if self._has_digit(i) else 0
        return vote

    def _has_digit(self, i: int) -> bool:
        """Whether the part of block i that is read for a date holds a digit at all. Collapsing spaces adds no
        digit, so a short block is ruled out before it is collapsed; of a long one only the opening counts."""
        block = self.blocks[i]
        if not isinstance(block, str):
            return False
        if len(block) > MAX_BLOCK_CHARS and len(text := self._text(i)) > MAX_BLOCK_CHARS:
            return _DIGIT.search(text, 0, OPENING_DATE_CHARS) is not None
        return _DIGIT.search(block) is not None

    def _read(self, i: int, mdy: bool) -> tuple[datetime, str, int, bool] | None:
        """The block's candidate date (when, as written, where, whether it opens a paragraph), or None."""
        key = (i, mdy)
        if key not in self._reads:
            self._reads[key] = self._candidate(self._text(i), mdy) if self._has_digit(i) else None
        return self._reads[key]

    def _candidate(self, text: str, mdy: bool) -> tuple[datetime, str, int, bool] | None:
        # A long block is prose, unless a date opens it: a press release's first paragraph
        # ('01.02.2022 „Der Arbeitsmarkt ist gut ...'): then it is the article's text, not its dateline.
        opening = len(text) > MAX_BLOCK_CHARS
        if opening:
            text = text[:OPENING_DATE_CHARS]
        if not text or not _may_hold_date(text) or _FOOTER.search(text):
            return None
        got = _first(text, self.langs, mdy)
        if got is None or (opening and got[2] > 0) or _EMBED.search(text, max(0, got[2] - 40), got[2]):
            return None
        return got[0], got[1], got[2], opening


def _collapsed(block: str) -> str:
    """`" ".join(block.split())`: the block itself when it has no whitespace to collapse, as the blocks of
    a stored page have (only printable characters, so no whitespace but the space; no run of spaces and
    none at an edge), without splitting it into words and joining them again."""
    if block.isprintable() and "  " not in block and not block.startswith(" ") and not block.endswith(" "):
        return block
    return " ".join(block.split())


def _original(block: str, written: str) -> str:
    """The span as it appears in the raw block (blocks may hold runs of spaces we collapsed)."""
    if written in block:
        return written
    pattern = r"\s+".join(re.escape(part) for part in written.split())
    m = re.search(pattern, block)
    return m[0] if m else written
