"""The compiled loop of a page's block fingerprints (pipeline.clean.block_fingerprints), in numba.

A fingerprint is blake2b (8 bytes) of the block casefolded with every run of decimal digits made "0". In
Python that is a casefolding of the page, a regex scan (`re` tests every position against the digit
category: ~40% of the cost) and a hashlib object per block: ~200 us a page of 5 KB. Here one loop walks
the page's UTF-8 once, folding each code point through a table made from Python's own `str.casefold`,
rewriting digit runs as it copies each block, and hashes each block with BLAKE2b (RFC 7693) as it ends:
the values are hashlib's, bit for bit. Compiled ahead of time with langid's kernels
(`python -m pipeline.langid_build`); without that build the fingerprints are computed in Python.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# Numba signatures of the kernels, for the ahead-of-time build: the argument types block_fingerprints passes.
SIGNATURES = {
    "line_fingerprints": "i8[:](u1[:], b1[:], i4[:], i4[:], i4[:], i8)",
}

_IV = np.array([0x6A09E667F3BCC908, 0xBB67AE8584CAA73B, 0x3C6EF372FE94F82B, 0xA54FF53A5F1D36F1,
                0x510E527FADE682D1, 0x9B05688C2B3E6C1F, 0x1F83D9ABFB41BD6B, 0x5BE0CD19137E2179], dtype=np.uint64)
_SIGMA = np.array([
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
    [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
    [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
    [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
    [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
    [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
    [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
    [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
    [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
], dtype=np.int64)
# Parameter block of an unkeyed 8-byte digest: depth 1, fanout 1, key length 0, digest length 8.
_PARAMS = np.uint64(0x01010008)
_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)
_ZERO = ord("0")
_NEWLINE = ord("\n")


@njit(cache=True, nogil=True)
def _rotr(x: np.uint64, n: int) -> np.uint64:
    return (x >> np.uint64(n)) | (x << np.uint64(64 - n))


@njit(cache=True, nogil=True)
def _mix(a: np.uint64, b: np.uint64, c: np.uint64, d: np.uint64, x: np.uint64,
         y: np.uint64) -> tuple[np.uint64, np.uint64, np.uint64, np.uint64]:
    """BLAKE2b's G."""
    a = a + b + x
    d = _rotr(d ^ a, 32)
    c = c + d
    b = _rotr(b ^ c, 24)
    a = a + b + y
    d = _rotr(d ^ a, 16)
    c = c + d
    b = _rotr(b ^ c, 63)
    return a, b, c, d


@njit(cache=True, nogil=True)
def _compress(h: np.ndarray, m: np.ndarray, counter: int, last: bool) -> None:
    """BLAKE2b's compression of the 16 message words `m` into the state `h`; the state's working copy
    lives in sixteen locals, which the compiler keeps in registers."""
    v0, v1, v2, v3, v4, v5, v6, v7 = h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]
    v8, v9, v10, v11 = _IV[0], _IV[1], _IV[2], _IV[3]
    v12 = _IV[4] ^ np.uint64(counter)
    v13 = _IV[5]
    v14 = _IV[6] ^ _MASK if last else _IV[6]
    v15 = _IV[7]
    for r in range(12):
        s = _SIGMA[r % 10]
        v0, v4, v8, v12 = _mix(v0, v4, v8, v12, m[s[0]], m[s[1]])
        v1, v5, v9, v13 = _mix(v1, v5, v9, v13, m[s[2]], m[s[3]])
        v2, v6, v10, v14 = _mix(v2, v6, v10, v14, m[s[4]], m[s[5]])
        v3, v7, v11, v15 = _mix(v3, v7, v11, v15, m[s[6]], m[s[7]])
        v0, v5, v10, v15 = _mix(v0, v5, v10, v15, m[s[8]], m[s[9]])
        v1, v6, v11, v12 = _mix(v1, v6, v11, v12, m[s[10]], m[s[11]])
        v2, v7, v8, v13 = _mix(v2, v7, v8, v13, m[s[12]], m[s[13]])
        v3, v4, v9, v14 = _mix(v3, v4, v9, v14, m[s[14]], m[s[15]])
    h[0] ^= v0 ^ v8
    h[1] ^= v1 ^ v9
    h[2] ^= v2 ^ v10
    h[3] ^= v3 ^ v11
    h[4] ^= v4 ^ v12
    h[5] ^= v5 ^ v13
    h[6] ^= v6 ^ v14
    h[7] ^= v7 ^ v15


@njit(cache=True, nogil=True)
def _blake2b_8(words: np.ndarray, size: int, h: np.ndarray) -> np.uint64:
    """The 8-byte BLAKE2b digest of the first `size` bytes of `words` (read as bytes), as an integer read
    little-endian. The bytes of the last 128-byte block past `size` must be zero."""
    for i in range(8):
        h[i] = _IV[i]
    h[0] ^= _PARAMS
    start = 0
    while size - start > 128:
        _compress(h, words[start // 8:start // 8 + 16], start + 128, False)
        start += 128
    _compress(h, words[start // 8:start // 8 + 16], size, True)
    return h[0]


@njit(cache=True, nogil=True, inline="always")
def _emit(key: np.ndarray, size: int, cp: int, digit: np.ndarray, in_digits: bool) -> tuple[int, bool]:
    """Append the folded code point `cp` to `key` as UTF-8, a run of digits as one "0"; the new size, and
    whether `cp` was a digit."""
    if digit[cp]:
        if not in_digits:
            key[size] = _ZERO
            size += 1
        return size, True
    if cp < 0x80:
        key[size] = cp
        return size + 1, False
    if cp < 0x800:
        key[size] = 0xC0 | (cp >> 6)
        key[size + 1] = 0x80 | (cp & 0x3F)
        return size + 2, False
    if cp < 0x10000:
        key[size] = 0xE0 | (cp >> 12)
        key[size + 1] = 0x80 | ((cp >> 6) & 0x3F)
        key[size + 2] = 0x80 | (cp & 0x3F)
        return size + 3, False
    key[size] = 0xF0 | (cp >> 18)
    key[size + 1] = 0x80 | ((cp >> 12) & 0x3F)
    key[size + 2] = 0x80 | ((cp >> 6) & 0x3F)
    key[size + 3] = 0x80 | (cp & 0x3F)
    return size + 4, False


@njit(cache=True, nogil=True)
def line_fingerprints(text: np.ndarray, digit: np.ndarray, fold: np.ndarray, expansion_starts: np.ndarray,
                      expansions: np.ndarray, lines: int) -> np.ndarray:
    """The fingerprint of every line of `text` (UTF-8 of the blocks joined by newlines), as
    site_chrome.block_fingerprint computes it: each code point casefolded (`fold`: the one it folds to, or
    -1 - j for the j-th of the longer foldings, expansions[expansion_starts[j]:expansion_starts[j + 1]]),
    runs of folded code points that `digit` marks made one "0", and the line's UTF-8 hashed. Empty when
    `text` has not `lines` lines."""
    out = np.zeros(lines, dtype=np.int64)
    # A line's key (casefolding makes at most three bytes of one), and room for its last block's padding.
    words = np.zeros(len(text) * 3 // 8 + 17, dtype=np.uint64)
    key = words.view(np.uint8)
    h = np.empty(8, dtype=np.uint64)
    line = 0
    size = 0
    in_digits = False
    i = 0
    n = len(text)
    while i <= n:
        if i == n or text[i] == _NEWLINE:
            if line == lines:
                return np.zeros(0, dtype=np.int64)
            padded = size + (-size) % 128 if size else 128
            key[size:padded] = 0  # what an earlier, longer line left there
            value = _blake2b_8(words, size, h) >> np.uint64(1)
            out[line] = np.int64(value) if value else 1
            line += 1
            size = 0
            in_digits = False
            i += 1
            continue
        lead = text[i]
        if lead < 0x80:
            width = 1
            cp = np.int64(lead)
        elif lead < 0xE0:
            width = 2
            cp = (np.int64(lead & 0x1F) << 6) | np.int64(text[i + 1] & 0x3F)
        elif lead < 0xF0:
            width = 3
            cp = (np.int64(lead & 0x0F) << 12) | (np.int64(text[i + 1] & 0x3F) << 6) | np.int64(text[i + 2] & 0x3F)
        else:
            width = 4
            cp = ((np.int64(lead & 0x07) << 18) | (np.int64(text[i + 1] & 0x3F) << 12)
                  | (np.int64(text[i + 2] & 0x3F) << 6) | np.int64(text[i + 3] & 0x3F))
        folded = np.int64(fold[cp])
        if folded >= 0:
            size, in_digits = _emit(key, size, folded, digit, in_digits)
        else:
            j = -1 - folded
            for k in range(expansion_starts[j], expansion_starts[j + 1]):
                size, in_digits = _emit(key, size, np.int64(expansions[k]), digit, in_digits)
        i += width
    if line != lines:
        return np.zeros(0, dtype=np.int64)
    return out
