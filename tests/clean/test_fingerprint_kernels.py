"""The compiled block fingerprints: hashlib's blake2b of Python's casefold and digit rewrite, bit for bit."""

from __future__ import annotations

import hashlib
import importlib.util
import random
import re
import sys
from pathlib import Path

import numpy as np

from pipeline.clean import fingerprint_kernels, fingerprints
from tests.support import output_without_and_with_build

# Case that folds to several code points ('ß', 'ﬃ', 'ΐ', 'ŉ', U+0345), to another length of UTF-8 ('ẞ', 'İ',
# Deseret), final sigma, digits of other scripts and planes, CJK, an emoji, a euro sign and spaces.
ALPHABET = [*"aB0123456789٠١٢٣ \u0966\u0967éÉ€𝟎𝟗中ßẞﬃΐİΣσςŉǰ𐐀𐐨ꭰᏸ\u0345Ω😀", "Nov 2024 ", "Straße "]


def _python(joined: str) -> list[int]:
    """The fingerprints as site_chrome computes them without the kernel."""
    keys = re.sub(r"\d+", "0", joined.casefold()).encode("utf-8").split(b"\n")
    return [(int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "little") >> 1) or 1 for key in keys]


def _kernel(kernel, joined: str, lines: int) -> list[int]:  # noqa: ANN001
    data = np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)
    return kernel(data, fingerprints.digit_characters(), *fingerprints.casefoldings(), lines).tolist()


def _pages(seed: int, count: int) -> list[list[str]]:
    """Blocks of 0 to ~300 characters: around BLAKE2b's 128-byte blocks, and lines of one or none."""
    rng = random.Random(seed)
    return [["".join(rng.choice(ALPHABET) for _ in range(rng.choice([0, 1, 7, 40, 60, 127, 128, 129, 300])))
             for _ in range(rng.randint(1, 6))] for _ in range(count)]


def test_digit_characters_are_those_of_the_regex() -> None:
    everything = np.arange(sys.maxunicode + 1, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")
    expected = np.zeros(sys.maxunicode + 1, dtype=np.bool_)
    expected[[match.start() for match in re.finditer(r"\d", everything)]] = True
    assert np.array_equal(fingerprints.digit_characters(), expected)


def test_casefoldings_are_str_casefold_of_every_code_point() -> None:
    fold, starts, expansions = fingerprints.casefoldings()
    for code in range(sys.maxunicode + 1):
        folded = chr(code).casefold()
        value = int(fold[code])
        if value >= 0:
            assert folded == chr(value), code
        else:
            assert folded == "".join(map(chr, expansions[starts[-1 - value]:starts[-value]])), code


def test_the_kernel_fingerprints_as_python() -> None:
    for blocks in _pages(7, 1500):
        joined = "\n".join(blocks)
        assert _kernel(fingerprint_kernels.line_fingerprints, joined, len(blocks)) == _python(joined), blocks


def test_the_kernel_answers_nothing_for_another_number_of_lines() -> None:
    assert _kernel(fingerprint_kernels.line_fingerprints, "Menu\nHome\nNews", 2) == []
    assert _kernel(fingerprint_kernels.line_fingerprints, "Menu\nHome", 3) == []
    assert _kernel(fingerprint_kernels.line_fingerprints, "", 1) == _python("")


def test_ahead_of_time_build_fingerprints_as_the_jit_and_loads_without_numba(tmp_path: Path) -> None:
    """`python -m pipeline.langid_build` compiles the fingerprints into a module that gives numba's answers
    and that a process loads without importing numba; without the module, the same fingerprints."""
    from pipeline import langid_build

    built = langid_build.build_fingerprints(tmp_path)
    spec = importlib.util.spec_from_file_location(fingerprints.aot_module_name(), built)
    assert spec is not None and spec.loader is not None
    aot = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(aot)
    for blocks in _pages(8, 300):
        joined = "\n".join(blocks)
        assert _kernel(aot.line_fingerprints, joined, len(blocks)) == _python(joined), blocks
    with np.load(tmp_path / fingerprints.tables_name()) as saved:  # the tables, saved with the build
        assert np.array_equal(saved["digit"], fingerprints.digit_characters())
        for name, table in zip(("fold", "starts", "expansions"), fingerprints.casefoldings(), strict=True):
            assert np.array_equal(saved[name], table), name

    script = ("import sys\nfrom pipeline.clean import fingerprints, site_chrome\n"
              "print(fingerprints.available(), site_chrome.page_fingerprints(['Straße 12', 'ΣΑΣ ١٢']),"
              " 'numba' in sys.modules)\n")
    python, compiled = output_without_and_with_build(tmp_path, script,
                                                     [built, tmp_path / fingerprints.tables_name()])
    expected = _python("Straße 12\nΣΑΣ ١٢")
    assert python == f"False {expected} False\n"
    assert compiled == f"True {expected} False\n"
