"""The compiled loops of pipeline.langid: n-gram lookup and langdetect's random trials, in numba.

They live apart from the rest of langid so that they can be compiled two ways from one source: ahead of
time into a small extension module (`python -m pipeline.langid_build`, run at install), which a process
loads in a millisecond without importing numba; or, when that module is missing or was built from other
source, just in time by numba from its on-disk cache (~0.7 CPU-s and ~135 MB per process). Import through
pipeline.langid, which sets NUMBA_CACHE_DIR first.
"""

from __future__ import annotations

import math

import numpy as np
from langdetect.detector import Detector
from numba import njit

_N_TRIAL = 7  # Detector().n_trial
_SPACE = 0x20
_BMP = 0x10000
_LATIN_FIRST, _LATIN_LAST = 0x41, 0x7A  # 'A' <= ch <= 'z' in Detector.cleaning_text
_NON_LATIN_FROM = 0x300  # Detector.cleaning_text counts every char from U+0300 as non-Latin
_SLOT_BITS = 18  # hash table of 262,144 slots for langdetect's 87,598 n-grams
# Read from Detector so a patched langdetect cannot silently drift from these copies.
_ALPHA, _ALPHA_WIDTH, _BASE_FREQ = Detector.ALPHA_DEFAULT, Detector.ALPHA_WIDTH, Detector.BASE_FREQ
_CONV_THRESHOLD, _ITERATION_LIMIT = Detector.CONV_THRESHOLD, Detector.ITERATION_LIMIT

# Numba signatures of the kernels, for the ahead-of-time build: the argument types langid passes.
SIGNATURES = {
    "hash_table": "Tuple((i8[:], i8[:]))(i8[:])",
    "extract": "i8[:](i8[:], b1[:], i8[:], i8[:])",
    "ngram_rows": "i8[:](u4[:], i8[:], b1[:], i8[:], i8[:])",
    "trials": "f8[:](i8[:], f8[:, :], i8[:])",
}


@njit(cache=True, nogil=True)
def _slot(key: int) -> int:
    """Fibonacci hash of a key into a table of 2**_SLOT_BITS slots."""
    return np.int64((np.uint64(key) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - _SLOT_BITS))


@njit(cache=True, nogil=True)
def hash_table(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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
def extract(chars: np.ndarray, upper: np.ndarray, slot_keys: np.ndarray, slot_rows: np.ndarray) -> np.ndarray:
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
def ngram_rows(cps: np.ndarray, normalized: np.ndarray, upper: np.ndarray, slot_keys: np.ndarray,
               slot_rows: np.ndarray) -> np.ndarray:
    """The rest of Detector.append (space runs to one space), Detector.cleaning_text, NGram.normalize and
    str.isupper, then extract: one compiled pass over the code points instead of a regex and numpy temporaries.

    `cps` is the text after langdetect's URL and e-mail removal, normalize_vi and its length cut; `normalized`
    maps every BMP code point (non-BMP ones have no rule), `upper` every code point of Unicode.
    """
    kept = np.empty(len(cps), dtype=np.int64)
    count = 0
    latin = 0
    non_latin = 0
    previous = -1
    for i in range(len(cps)):
        ch = np.int64(cps[i])
        if ch == _SPACE and previous == _SPACE:
            continue
        previous = ch
        kept[count] = ch
        count += 1
        if _LATIN_FIRST <= ch <= _LATIN_LAST:
            latin += 1
        elif ch >= _NON_LATIN_FROM:
            non_latin += 1
    drop_latin = 2 * latin < non_latin  # a text mostly in another script loses its Latin letters
    chars = np.empty(count, dtype=np.int64)
    uppers = np.empty(count, dtype=np.bool_)
    size = 0
    for i in range(count):
        ch = kept[i]
        if drop_latin and _LATIN_FIRST <= ch <= _LATIN_LAST:
            continue
        if ch < _BMP:
            ch = normalized[ch]
        chars[size] = ch
        uppers[size] = upper[ch]
        size += 1
    return extract(chars[:size], uppers[:size], slot_keys, slot_rows)


@njit(cache=True, nogil=True)
def trials(rows: np.ndarray, probs: np.ndarray, raw: np.ndarray) -> np.ndarray:
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
