"""Language identification that gives seeded langdetect 1.0.9's answers, much faster.

langdetect (with ``DetectorFactory.seed = 0``) is the reference: records tagged
before and after this module must agree.  Its cost is pure-Python loops: one per
character to extract n-grams and one per language for each of a few hundred
random n-gram updates.  Here text cleaning is regex/numpy work and the n-gram
walk and the random trials are numba-compiled loops that replay the
exact Mersenne Twister stream of ``random.Random(0)``, so every floating-point
operation happens in langdetect's order and the probabilities match bit for bit.
"""

from __future__ import annotations

import contextlib
import math
import os
import random
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version

import numpy as np

# Compiled kernels are cached on disk so that each new worker process (every Airflow task is one)
# loads them instead of compiling again; the cache must live somewhere writable even when the code
# folder is read-only, as in a container image.
os.environ.setdefault("NUMBA_CACHE_DIR", os.path.join(tempfile.gettempdir(), "newsetl-numba-cache"))
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.utils.ngram import NGram
from numba import njit  # noqa: E402 - must see NUMBA_CACHE_DIR

UNDETERMINED = "und"


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    language: str  # langdetect code ('en', 'de', 'zh-cn', ...) or 'und'
    score: float  # probability of the top language, 0.0 for 'und'


_SEED = 0  # DetectorFactory.seed that the reference runs use
_N_TRIAL = 7  # Detector().n_trial
_MAX_TEXT_LENGTH = 10000  # Detector().max_text_length
_BMP = 0x10000
_SPACE = 0x20
_SPACE_RUN = re.compile(" {2,}")
_SLOT_BITS = 18  # hash table of 262,144 slots for langdetect's 87,598 n-grams
# Read from Detector so a patched langdetect cannot silently drift from these copies.
_ALPHA, _ALPHA_WIDTH, _BASE_FREQ = Detector.ALPHA_DEFAULT, Detector.ALPHA_WIDTH, Detector.BASE_FREQ
_CONV_THRESHOLD, _ITERATION_LIMIT = Detector.CONV_THRESHOLD, Detector.ITERATION_LIMIT


@dataclass(frozen=True, slots=True)
class _Model:
    """langdetect's profiles as arrays, built once per process."""

    languages: tuple[str, ...]  # in langdetect's own (directory listing) order
    probs: np.ndarray  # float64 [n-gram, language]
    normalized: np.ndarray  # uint32 NGram.normalize of every BMP code point
    upper: np.ndarray  # bool str.isupper of every BMP code point
    slot_keys: np.ndarray  # int64 hash table of keys (-1: empty) ...
    slot_rows: np.ndarray  # ... and the probs row of each


# Bump when _Model's arrays change meaning, so an old cache is never read as the new layout.
_MODEL_FORMAT = 1
_ARRAYS = ("probs", "normalized", "upper", "slot_keys", "slot_rows")


@cache
def _model() -> _Model:
    """The model, from its cached arrays when they exist: building it means parsing 55 JSON profiles
    and normalizing every BMP code point in Python, seconds that every new process (every worker,
    every Airflow task) would pay again."""
    path = _model_cache_path()
    with contextlib.suppress(OSError, ValueError, KeyError), np.load(path, allow_pickle=False) as cached:
        return _Model(tuple(str(code) for code in cached["languages"]), *(cached[name] for name in _ARRAYS))
    model = _build_model()
    _save_model(model, path)
    return model


def _model_cache_path() -> str:
    """Next to numba's cache; keyed by what the arrays derive from: langdetect's version (its profiles and
    NGram.normalize) and the Unicode database (str.isupper), plus the layout's own format number."""
    key = f"{version('langdetect')}-unicode{unicodedata.unidata_version}-v{_MODEL_FORMAT}"
    return os.path.join(os.environ["NUMBA_CACHE_DIR"], f"langid-model-{key}.npz")


def _save_model(model: _Model, path: str) -> None:
    """Write atomically (a concurrent reader sees the whole file or none); a read-only place is no error."""
    with contextlib.suppress(OSError):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temporary = f"{path}.{os.getpid()}.tmp.npz"
        np.savez(temporary, languages=np.array(model.languages), **{name: getattr(model, name) for name in _ARRAYS})
        os.replace(temporary, path)


def _build_model() -> _Model:
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    words = list(factory.word_lang_prob_map)
    bmp = [chr(cp) for cp in range(_BMP)]
    slot_keys, slot_rows = _hash_table(np.array([_word_key(w) for w in words], dtype=np.int64))
    return _Model(
        languages=tuple(factory.langlist),
        probs=np.array([factory.word_lang_prob_map[w] for w in words], dtype=np.float64),
        normalized=np.array([ord(NGram.normalize(ch)) for ch in bmp], dtype=np.int64),
        upper=np.array([ch.isupper() for ch in bmp], dtype=bool),
        slot_keys=slot_keys,
        slot_rows=slot_rows,
    )


def _word_key(word: str) -> int:
    """Same packing as _extract: 21 bits per code point, newest lowest; no key is 0 or -1."""
    return sum(ord(ch) << (21 * i) for i, ch in enumerate(reversed(word)))


@cache
def _mt_outputs(count: int) -> np.ndarray:
    """The first `count` 32-bit outputs of random.Random(_SEED): every detection reseeds, so all share them."""
    bits = random.Random(_SEED).getrandbits(32 * count)  # words come out least significant first
    return np.frombuffer(bits.to_bytes(4 * count, "little"), dtype="<u4").astype(np.int64)


def _ngram_rows(text: str, model: _Model) -> np.ndarray:
    """Profile rows of the n-grams langdetect's Detector would feed to random.choice, in its order."""
    # Detector.append; the guards skip regex scans that cannot match.
    if "://" in text:
        text = Detector.URL_RE.sub(" ", text)
    if "@" in text:
        text = Detector.MAIL_RE.sub(" ", text)
    text = _SPACE_RUN.sub(" ", NGram.normalize_vi(text)[:_MAX_TEXT_LENGTH])
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")

    # Detector.cleaning_text.  Its Latin Extended Additional exception compares a block
    # number to a block name and so never applies: every char from U+0300 counts as non-Latin.
    latin = (cps >= ord("A")) & (cps <= ord("z"))
    if 2 * np.count_nonzero(latin) < np.count_nonzero(cps >= 0x300):
        cps = cps[~latin]

    # NGram.normalize via a table (non-BMP chars have no rule), and str.isupper of the result.
    in_bmp = cps < _BMP
    chars = np.where(in_bmp, model.normalized[np.where(in_bmp, cps, 0)], cps).astype(np.int64)
    upper = model.upper[np.where(chars < _BMP, chars, 0)]
    for i in np.flatnonzero(chars >= _BMP):
        upper[i] = chr(chars[i]).isupper()
    return _extract(chars, upper, model.slot_keys, model.slot_rows)


@njit(cache=True, nogil=True)
def _slot(key: int) -> int:
    """Fibonacci hash of a key into a table of 2**_SLOT_BITS slots."""
    return np.int64((np.uint64(key) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - _SLOT_BITS))


@njit(cache=True, nogil=True)
def _hash_table(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Open-addressing table from n-gram key to profile row: far faster than a binary search over 88k keys."""
    slot_keys = np.full(1 << _SLOT_BITS, -1, dtype=np.int64)
    slot_rows = np.zeros(1 << _SLOT_BITS, dtype=np.int64)
    mask = (1 << _SLOT_BITS) - 1
    for row in range(len(keys)):
        slot = _slot(keys[row])
        while slot_keys[slot] != -1:
            slot = (slot + 1) & mask
        slot_keys[slot] = keys[row]
        slot_rows[slot] = row
    return slot_keys, slot_rows


@njit(cache=True, nogil=True)
def _extract(chars: np.ndarray, upper: np.ndarray, slot_keys: np.ndarray, slot_rows: np.ndarray) -> np.ndarray:
    """NGram.add_char and Detector._extract_ngrams on normalized code points; returns profile rows."""
    mask = (1 << _SLOT_BITS) - 1
    rows = np.empty(3 * len(chars), dtype=np.int64)
    count = 0
    g1, g2, g3 = 0, 0, _SPACE  # the last three chars of NGram.grams; g3 is the newest
    length = 1
    last_upper = False
    for i in range(len(chars)):
        ch = chars[i]
        if g3 == _SPACE:  # a word ends: grams restarts as a single space
            length = 1
            last_upper = False
            if ch == _SPACE:
                continue
        elif length == 3:
            length = 2
        g1, g2, g3 = g2, g3, ch
        length += 1
        capital = upper[i] and last_upper  # NGram.capitalword
        last_upper = upper[i]
        if capital:
            continue
        key = 0
        for n in range(1, length + 1):
            key |= (g1 if n == 3 else g2 if n == 2 else g3) << (21 * (n - 1))
            if n == 1 and ch == _SPACE:
                continue
            slot = _slot(key)
            while slot_keys[slot] != -1:
                if slot_keys[slot] == key:
                    rows[count] = slot_rows[slot]
                    count += 1
                    break
                slot = (slot + 1) & mask
    return rows[:count]


@njit(cache=True, nogil=True)
def _trials(rows: np.ndarray, probs: np.ndarray, raw: np.ndarray) -> np.ndarray:
    """Detector._detect_block with random.Random replayed from its raw outputs.

    Returns an empty array when `raw` runs out, so the caller can retry with more.
    """
    n = len(rows)
    shift = 32
    while n >> (32 - shift):  # shift = 32 - n.bit_length(), as getrandbits(k) keeps the top k bits
        shift -= 1
    n_lang = probs.shape[1]
    total = np.zeros(n_lang)
    pos = 0
    gauss_next = 0.0
    has_gauss_next = False
    for _ in range(_N_TRIAL):
        if has_gauss_next:  # random.gauss: every other call uses the cached second value
            z = gauss_next
            has_gauss_next = False
        else:
            if pos + 4 > len(raw):
                return np.empty(0)
            u1 = ((raw[pos] >> 5) * 67108864.0 + (raw[pos + 1] >> 6)) * (1.0 / 9007199254740992.0)
            u2 = ((raw[pos + 2] >> 5) * 67108864.0 + (raw[pos + 3] >> 6)) * (1.0 / 9007199254740992.0)
            pos += 4
            x2pi = u1 * (2.0 * math.pi)
            g2rad = math.sqrt(-2.0 * math.log(1.0 - u2))
            z = math.cos(x2pi) * g2rad
            gauss_next = math.sin(x2pi) * g2rad
            has_gauss_next = True
        alpha = _ALPHA + z * _ALPHA_WIDTH
        weight = alpha / _BASE_FREQ

        prob = np.full(n_lang, 1.0 / n_lang)
        i = 0
        while True:
            while True:  # random.choice: rejection sampling on the top bits
                if pos >= len(raw):
                    return np.empty(0)
                r = raw[pos] >> shift
                pos += 1
                if r < n:
                    break
            row = rows[r]
            for j in range(n_lang):
                prob[j] *= weight + probs[row, j]
            if i % 5 == 0:
                s = 0.0
                for j in range(n_lang):
                    s += prob[j]
                maxp = 0.0
                for j in range(n_lang):
                    p = prob[j] / s
                    if maxp < p:
                        maxp = p
                    prob[j] = p
                if maxp > _CONV_THRESHOLD or i >= _ITERATION_LIMIT:
                    break
            i += 1
        for j in range(n_lang):
            total[j] += prob[j] / _N_TRIAL
    return total


def language_probabilities(text: str) -> dict[str, float]:
    """langdetect's full distribution (Detector.langprob) over its 55 languages; empty if no n-gram is known."""
    model = _model()
    rows = _ngram_rows(text, model)
    if not len(rows):
        return {}
    count = 1 << 15
    while not len(probs := _trials(rows, model.probs, _mt_outputs(count))):
        count *= 2
    return dict(zip(model.languages, probs.tolist(), strict=True))


def detect_language(text: str) -> LanguageGuess:
    """Top language as seeded langdetect ranks it, or 'und' where langdetect would find none."""
    probs = language_probabilities(text)
    if not probs:
        return LanguageGuess(UNDETERMINED, 0.0)
    language = max(probs, key=probs.__getitem__)  # first of equals, as langdetect's stable sort
    if probs[language] <= Detector.PROB_THRESHOLD:
        return LanguageGuess(UNDETERMINED, 0.0)
    return LanguageGuess(language, probs[language])


def warm_up() -> None:
    """Load the model and the compiled kernels now (seconds, once per process), not on the first article."""
    detect_language("warm up the language model")
