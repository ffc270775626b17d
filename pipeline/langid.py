"""Language identification that gives seeded langdetect 1.0.9's answers, much faster.

langdetect (with ``DetectorFactory.seed = 0``) is the reference: records tagged
before and after this module must agree.  Its cost is pure-Python loops: one per
character to extract n-grams and one per language for each of a few hundred
random n-gram updates.  Here the text's cleaning, the n-gram walk and the random
trials are compiled loops (pipeline/langid_kernels.py), the trials replaying the
exact Mersenne Twister stream of ``random.Random(0)``, so every floating-point
operation happens in langdetect's order and the probabilities match bit for bit.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.resources
import os
import random
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path
from types import ModuleType

import numpy as np

from pipeline.aot_builds import PACKAGE_DIR, build_name, code_points, load_build, save_array

# Compiled kernels are cached on disk so that each new worker process (every Airflow task is one)
# loads them instead of compiling again; the cache must live somewhere writable even when the code
# folder is read-only, as in a container image.
os.environ.setdefault("NUMBA_CACHE_DIR", os.path.join(tempfile.gettempdir(), "newsetl-numba-cache"))
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.utils.ngram import NGram

UNDETERMINED = "und"


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    language: str  # langdetect code ('en', 'de', 'zh-cn', ...) or 'und'
    score: float  # probability of the top language, 0.0 for 'und'


_SEED = 0  # DetectorFactory.seed that the reference runs use
_MAX_TEXT_LENGTH = 10000  # Detector().max_text_length
_BMP = 0x10000


@dataclass(frozen=True, slots=True)
class _Model:
    """langdetect's profiles as arrays, built once per process."""

    languages: tuple[str, ...]  # in langdetect's own (directory listing) order
    probs: np.ndarray  # float64 [n-gram, language]
    normalized: np.ndarray  # uint32 NGram.normalize of every BMP code point
    upper: np.ndarray  # bool str.isupper of every code point of Unicode
    slot_keys: np.ndarray  # int64 hash table of keys (-1: empty) ...
    slot_rows: np.ndarray  # ... and the probs row of each


# Bump when _Model's arrays change meaning, so that saved arrays of an old layout are never read as the new one.
_MODEL_FORMAT = 3
_ARRAYS = ("probs", "normalized", "upper", "slot_keys", "slot_rows")
MODEL_PREFIX = "_langid_model_"


@cache
def _model() -> _Model:
    """The model from its saved arrays: those installed beside the kernels' build, else those an earlier
    process cached. Building it means parsing 55 JSON profiles and normalizing every BMP code point in
    Python, seconds that every new process (every worker, every Airflow task) would pay again."""
    for folder in (str(PACKAGE_DIR), os.environ["NUMBA_CACHE_DIR"]):  # where langid_build installs them, or a cache
        with contextlib.suppress(OSError, ValueError):
            return _load_model(folder)
    model = build_model()
    with contextlib.suppress(OSError):  # a read-only place is no error
        save_model(model, os.environ["NUMBA_CACHE_DIR"])
    return model


def model_paths(folder: str) -> dict[str, str]:
    """The model's files in `folder`, one .npy per array (`languages` too), named by what the arrays derive
    from: langdetect's version (its profiles and NGram.normalize), the Unicode database (str.isupper) and
    the layout's own format number."""
    key = f"{version('langdetect')}-unicode{unicodedata.unidata_version}-v{_MODEL_FORMAT}"
    return {name: os.path.join(folder, f"{MODEL_PREFIX}{key}.{name}.npy") for name in ("languages", *_ARRAYS)}


def _load_model(folder: str) -> _Model:
    """Memory-mapped, read-only: ~2 ms instead of reading 44 MB (~50 ms, and as many private megabytes in
    every process); the processes of a run, and of every run, share the file's pages."""
    paths = model_paths(folder)
    languages = np.load(paths["languages"], allow_pickle=False)
    return _Model(tuple(str(code) for code in languages),
                  *(np.load(paths[name], mmap_mode="r", allow_pickle=False) for name in _ARRAYS))


def save_model(model: _Model, folder: str) -> None:
    """Write the model's files into `folder`, each atomically (a concurrent reader sees a whole file or none)."""
    os.makedirs(folder, exist_ok=True)
    arrays = {"languages": np.array(model.languages), **{name: getattr(model, name) for name in _ARRAYS}}
    for name, path in model_paths(folder).items():
        save_array(Path(path), arrays[name])


def build_model() -> _Model:
    """The model from langdetect's profiles (seconds): what `langid_build` installs and a process caches."""
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    words = list(factory.word_lang_prob_map)
    bmp = [chr(cp) for cp in range(_BMP)]
    slot_keys, slot_rows = _kernels().hash_table(np.array([_word_key(w) for w in words], dtype=np.int64))
    return _Model(
        languages=tuple(factory.langlist),
        probs=np.array([factory.word_lang_prob_map[w] for w in words], dtype=np.float64),
        normalized=np.array([ord(NGram.normalize(ch)) for ch in bmp], dtype=np.int64),
        upper=np.array([chr(cp).isupper() for cp in range(sys.maxunicode + 1)], dtype=bool),
        slot_keys=slot_keys,
        slot_rows=slot_rows,
    )


def _word_key(word: str) -> int:
    """Same packing as langid_kernels.extract: 21 bits per code point, newest lowest; no key is 0 or -1."""
    return sum(ord(ch) << (21 * i) for i, ch in enumerate(reversed(word)))


@cache
def _mt_outputs(count: int) -> np.ndarray:
    """The first `count` 32-bit outputs of random.Random(_SEED): every detection reseeds, so all share them."""
    bits = random.Random(_SEED).getrandbits(32 * count)  # words come out least significant first
    return np.frombuffer(bits.to_bytes(4 * count, "little"), dtype="<u4").astype(np.int64)


@cache
def _kernels() -> ModuleType:
    """The compiled loops: the ahead-of-time build of langid_kernels when one matches its source (no numba
    in the process), else numba's just-in-time compilation of the same source."""
    return load_build(aot_module_name()) or importlib.import_module("pipeline.langid_kernels")


def aot_module_name() -> str:
    """Name of the ahead-of-time build that matches the kernels' source and the langdetect constants they
    bake in: a stale build is never loaded, it simply goes unused until rebuilt."""
    return build_name("_langid_aot_", "pipeline", ("langid_kernels.py",), version("langdetect").encode())


def _ngram_rows(text: str, model: _Model) -> np.ndarray:
    """Profile rows of the n-grams langdetect's Detector would feed to random.choice, in its order."""
    # Detector.append; the guards skip regex scans that cannot match (normalize_vi needs one of its marks).
    if "://" in text:
        text = Detector.URL_RE.sub(" ", text)
    if "@" in text:
        text = Detector.MAIL_RE.sub(" ", text)
    if any(mark in text for mark in NGram.DMARK_CLASS):
        text = NGram.normalize_vi(text)
    return _kernels().ngram_rows(code_points(text[:_MAX_TEXT_LENGTH]), model.normalized, model.upper,
                                 model.slot_keys, model.slot_rows)


def _probabilities(text: str) -> np.ndarray:
    """Detector.langprob in langdetect's language order; empty if no n-gram of the text is known."""
    model = _model()
    rows = _ngram_rows(text, model)
    if not len(rows):
        return rows.astype(np.float64)
    count = 1 << 15
    while not len(probs := _kernels().trials(rows, model.probs, _mt_outputs(count))):
        count *= 2
    return probs


def language_probabilities(text: str) -> dict[str, float]:
    """langdetect's full distribution (Detector.langprob) over its 55 languages; empty if no n-gram is known."""
    probs = _probabilities(text)
    return dict(zip(_model().languages, probs.tolist(), strict=True)) if len(probs) else {}


def detect_language(text: str) -> LanguageGuess:
    """Top language as seeded langdetect ranks it, or 'und' where langdetect would find none."""
    probs = _probabilities(text)
    if not len(probs):
        return LanguageGuess(UNDETERMINED, 0.0)
    top = int(np.argmax(probs))  # first of equals, as langdetect's stable sort
    score = float(probs[top])
    if score <= Detector.PROB_THRESHOLD:
        return LanguageGuess(UNDETERMINED, 0.0)
    return LanguageGuess(_model().languages[top], score)


def warm_up() -> None:
    """Load the model and the compiled kernels now (seconds, once per process), not on the first article."""
    detect_language("warm up the language model")
