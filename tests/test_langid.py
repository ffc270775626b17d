"""pipeline.langid must give seeded langdetect 1.0.9's answers, 'und' instead of its errors, in any process."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from langdetect import DetectorFactory
from langdetect.detector_factory import PROFILES_DIRECTORY
from langdetect.lang_detect_exception import LangDetectException

from pipeline.langid import UNDETERMINED, LanguageGuess, detect_language, language_probabilities

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "langid"
# Stock langdetect is the slow side (every item of all four levels takes ~5 minutes on the
# shared 2-core machine); these strides keep every language and the suite near a minute.
# All 14,226 items were checked once, bit for bit, while writing the module.
STRIDES = {"short": 5, "sentence": 5, "paragraph": 10, "article": 20}


@pytest.fixture(scope="module")
def reference() -> DetectorFactory:
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)
    return factory


def reference_probabilities(factory: DetectorFactory, text: str) -> tuple[dict[str, float], str]:
    """Full distribution and langdetect's top language ('' when it raises)."""
    detector = factory.create()
    detector.append(text)
    try:
        ranked = detector.get_probabilities()
    except LangDetectException:
        return {}, ""
    return dict(zip(factory.langlist, detector.langprob, strict=True)), ranked[0].lang


@pytest.mark.parametrize("level", STRIDES)
def test_matches_seeded_langdetect(reference: DetectorFactory, level: str) -> None:
    with (DATA / f"{level}.jsonl").open(encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in lines][:: STRIDES[level]]
    assert texts
    for text in texts:
        expected, top = reference_probabilities(reference, text)
        got = language_probabilities(text)
        assert got.keys() == expected.keys(), text
        worst = max((abs(got[lang] - p) for lang, p in expected.items()), default=0.0)
        assert worst <= 1e-6, text
        want = LanguageGuess(top, got[top]) if top else LanguageGuess(UNDETERMINED, 0.0)
        assert detect_language(text) == want, text


@pytest.mark.parametrize(
    "text",
    [
        # Vietnamese typed with combining marks: the one case where NGram.normalize_vi rewrites the text.
        unicodedata.normalize("NFD", "Hà Nội là thủ đô của nước Cộng hòa Xã hội chủ nghĩa Việt Nam."),
        "Tiếng Việt có dấu\u0301 rời và\u0323 chữ in HOA\u0300.",
        # Letters beyond the BMP (no normalization rule; their case still counts), runs of spaces, tabs.
        "𝐀𝐁𝐂 𐐀𐐁𐐂 𐐨𐐩  Deseret   and    mathematical\tletters   ÀÉ   𝔞𝔟𝔠 in an English sentence.",
        # Mostly another script: the Latin letters are dropped before the n-grams are taken.
        "Москва — столица России, ABC news и CNN сообщают   об этом   уже давно.",
        "http://example.com/ruta estas frases estan escritas en espanol, user@example.org lo confirma.",
    ],
)
def test_rewritten_texts_match_seeded_langdetect(reference: DetectorFactory, text: str) -> None:
    """Texts that take each rewriting path of Detector.append and cleaning_text give langdetect's numbers."""
    expected, top = reference_probabilities(reference, text)
    got = language_probabilities(text)
    assert expected and got.keys() == expected.keys()
    assert max(abs(got[lang] - p) for lang, p in expected.items()) <= 1e-6
    assert detect_language(text) == LanguageGuess(top, got[top])


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t ", "1234567890 42", "https://example.com/a?b=1&c=2", "!?.,;:-- ... ()[]{}", "user@example.org"],
)
def test_featureless_text_is_undetermined(reference: DetectorFactory, text: str) -> None:
    detector = reference.create()
    detector.append(text)
    with pytest.raises(LangDetectException):  # what the pipeline used to crash on
        detector.get_probabilities()
    assert language_probabilities(text) == {}
    assert detect_language(text) == LanguageGuess(UNDETERMINED, 0.0)


def test_same_answers_in_fresh_processes() -> None:
    with (DATA / "paragraph.jsonl").open(encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in lines][::300]
    script = (
        "import json, sys\n"
        "from pipeline.langid import language_probabilities\n"
        "print(json.dumps([language_probabilities(t) for t in json.load(sys.stdin)]))\n"
    )
    outputs = [
        subprocess.run(
            [sys.executable, "-c", script],
            input=json.dumps(texts),
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
        ).stdout
        for seed in ("1", "2")
    ]
    assert outputs[0] == outputs[1]
    assert len(json.loads(outputs[0])) == len(texts) and all(json.loads(outputs[0]))


def test_cached_model_arrays_are_the_built_ones(tmp_path: Path) -> None:
    """The arrays a process saves and the next one memory-maps hold exactly what building from the profiles
    gives; a process finding none installed beside the kernels caches them for the next."""
    import numpy as np

    from pipeline import langid

    built = langid.build_model()
    folder = tmp_path / "saved"
    langid.save_model(built, str(folder))
    loaded = langid._load_model(str(folder))
    assert loaded.languages == built.languages
    for name in langid._ARRAYS:
        assert getattr(loaded, name).dtype == getattr(built, name).dtype
        assert np.array_equal(getattr(loaded, name), getattr(built, name)), name
    assert not loaded.probs.flags.writeable  # mapped from the file, not read into this process

    package = tmp_path / "pipeline"
    package.mkdir()
    for source in [*(ROOT / "pipeline").glob("*.py"), *(ROOT / "pipeline").glob("_langid_aot_*")]:
        (package / source.name).write_bytes(source.read_bytes())  # the kernels' build, without the model
    script = (
        "import os, sys\n"
        "from pipeline import langid\n"
        "print(langid.detect_language(sys.stdin.read()))\n"
        "assert all(map(os.path.exists, langid.model_paths(os.environ['NUMBA_CACHE_DIR']).values()))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", script], input="Ceci est une phrase écrite en français.",
                           capture_output=True, text=True, check=True, cwd=tmp_path, env=env).stdout for _ in range(2)]
    assert runs[0] == runs[1] and "'fr'" in runs[0]
    assert not list(package.glob(langid.MODEL_PREFIX + "*"))


def test_ahead_of_time_kernels_equal_numba_jit(tmp_path: Path) -> None:
    """The extension `python -m pipeline.langid_build` writes computes bit for bit what numba's JIT does,
    and a process that loads it answers without importing numba."""
    import importlib.util

    import numpy as np

    from pipeline import langid, langid_build, langid_kernels

    built = langid_build.build(tmp_path)
    spec = importlib.util.spec_from_file_location(langid.aot_module_name(), built)
    assert spec is not None and spec.loader is not None
    aot = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(aot)
    model = langid._model()
    with (DATA / "paragraph.jsonl").open(encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in lines][::150]
    raw = langid._mt_outputs(1 << 15)
    for text in texts:
        chars = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.int64)
        upper = np.array([chr(c).isupper() for c in chars], dtype=bool)
        args = (chars, upper, model.slot_keys, model.slot_rows)
        rows = langid_kernels.extract(*args)
        assert np.array_equal(aot.extract(*args), rows), text
        cps = chars.astype(np.uint32)
        prepared = (cps, model.normalized, model.upper, model.slot_keys, model.slot_rows)
        assert np.array_equal(aot.ngram_rows(*prepared), langid_kernels.ngram_rows(*prepared)), text
        if len(rows):
            want = langid_kernels.trials(rows, model.probs, raw)
            assert aot.trials(rows, model.probs, raw).tobytes() == want.tobytes(), text
    keys = np.arange(1, 50_000, dtype=np.int64) * 7_919
    for got, want in zip(aot.hash_table(keys), langid_kernels.hash_table(keys), strict=True):
        assert np.array_equal(got, want)

    script = (
        "import sys\n"
        "from pipeline import langid\n"
        "print(langid.detect_language('Ceci est une phrase écrite en français.').language, 'numba' in sys.modules)\n"
    )
    package = tmp_path / "pipeline"
    package.mkdir()
    for source in (ROOT / "pipeline").glob("*.py"):
        (package / source.name).write_bytes(source.read_bytes())
    for stale in package.glob("_langid_aot_*"):
        stale.unlink()
    env = {"PATH": "/usr/bin:/bin", "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    jit = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path,
                         env=env).stdout
    built.rename(package / built.name)
    ahead = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path,
                           env=env).stdout
    assert (jit, ahead) == ("fr True\n", "fr False\n")
