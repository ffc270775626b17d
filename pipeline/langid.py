"""Deterministic language detection with langdetect (reference implementation; a fast one replaces it)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from langdetect import DetectorFactory
from langdetect.detector_factory import init_factory
from langdetect.lang_detect_exception import LangDetectException

UNDETERMINED = "und"


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    language: str
    score: float


@cache
def _factory() -> DetectorFactory:
    init_factory()
    from langdetect import detector_factory

    factory = detector_factory._factory
    factory.set_seed(0)
    return factory


def detect_language(text: str) -> LanguageGuess:
    """The most probable language and its probability; 'und' when the text carries no evidence."""
    detector = _factory().create()
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return LanguageGuess(UNDETERMINED, 0.0)
    return LanguageGuess(best.lang, best.prob)
