"""`python -m pipeline.langid_build [DIR] [--force]`: compile langid's kernels ahead of time into an extension module,
with the language model's arrays beside it (and the cleaner's page scans, pipeline/clean/word_kernels.py:
stop-word count, gate literals, and the site-chrome block fingerprints, pipeline/clean/fingerprint_kernels.py,
into others), and the tables the cleaning reads per language (stop lists, month names).

Run once at install (scripts/bootstrap.sh, the Dockerfile); it needs numba and a C compiler, the module it
writes needs neither. A process that finds it skips importing numba and loading the kernels from numba's
cache: ~0.7 CPU-s and ~135 MB less in every process, every worker and every Airflow task. The module's
name carries a digest of the kernels' source (pipeline.langid.aot_module_name), so editing them makes the
build unused, not wrong; builds under other names are removed.
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path
from types import ModuleType

from pipeline.aot_builds import PACKAGE_DIR, remove_stale


def build(output_dir: Path = PACKAGE_DIR) -> Path:
    """Compile the kernels into `output_dir`, and save the model's arrays beside them; returns the extension
    module's path."""
    from pipeline import langid, langid_kernels

    built = _compile(langid.aot_module_name(), langid_kernels, output_dir, "_langid_aot_")
    save_model(output_dir)
    return built


def save_model(output_dir: Path = PACKAGE_DIR) -> Path:
    """Save langid's model arrays into `output_dir`, where every process memory-maps them instead of reading
    its cache (~50 ms) or building the model (seconds); arrays of other versions there are removed."""
    from pipeline import langid

    paths = langid.model_paths(str(output_dir))
    langid.save_model(langid.build_model(), str(output_dir))
    remove_stale(output_dir, langid.MODEL_PREFIX, {os.path.basename(path) for path in paths.values()}.__contains__)
    return Path(paths["languages"]).parent


def build_words(output_dir: Path = PACKAGE_DIR) -> Path:
    """Compile the cleaner's page scans (pipeline.clean.word_kernels) into `output_dir`; its path."""
    from pipeline.clean import word_counts, word_kernels

    return _compile(word_counts.aot_module_name(), word_kernels, output_dir, "_words_aot_")


def build_fingerprints(output_dir: Path = PACKAGE_DIR) -> Path:
    """Compile the site-chrome block fingerprints (pipeline.clean.fingerprint_kernels) into `output_dir`, and
    save their Unicode tables beside them."""
    from pipeline.clean import fingerprint_kernels, fingerprints

    built = _compile(fingerprints.aot_module_name(), fingerprint_kernels, output_dir, "_fingerprints_aot_")
    fingerprints.save_tables(output_dir)
    return built


def _compile(name: str, kernels: ModuleType, output_dir: Path, prefix: str) -> Path:
    """Compile `kernels`' SIGNATURES functions as module `name`; other builds named `prefix*` are removed."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba.pycc announces its deprecation; it is still the AOT compiler
        from numba.pycc import CC

        compiler = CC(name)
        compiler.output_dir = str(output_dir)
        compiler.verbose = False
        for function, signature in kernels.SIGNATURES.items():
            compiler.export(function, signature)(getattr(kernels, function).py_func)
        compiler.compile()
    built = output_dir / compiler.output_file
    remove_stale(output_dir, prefix, lambda saved: saved.startswith(name + "."))
    return built


def main(argv: list[str]) -> int:
    """Build into DIR (default: the package); a build of the current source already there is kept, since
    the module's name is a digest of that source (`--force` builds again)."""
    force = "--force" in argv
    folders = [argument for argument in argv if argument != "--force"]
    output_dir = Path(folders[0]) if folders else PACKAGE_DIR
    from importlib.machinery import EXTENSION_SUFFIXES

    from pipeline import langid
    from pipeline.clean import fingerprints, word_counts

    for what, name, compile_into in (("langid kernels", langid.aot_module_name(), build),
                                      ("stop-word count", word_counts.aot_module_name(), build_words),
                                      ("block fingerprints", fingerprints.aot_module_name(), build_fingerprints)):
        built = output_dir / f"{name}{EXTENSION_SUFFIXES[0]}"
        if not force and built.is_file():
            print(f"{what} up to date: {built}")
            if compile_into is build_fingerprints and not (output_dir / fingerprints.tables_name()).is_file():
                print(f"{what}' tables saved: {fingerprints.save_tables(output_dir)}")  # a build made before them
            if compile_into is build and not all(map(os.path.isfile, langid.model_paths(str(output_dir)).values())):
                print(f"{what}' model saved: {save_model(output_dir)}")  # a build made before it
            continue
        print(f"{what} compiled: {compile_into(output_dir)}")
    print(f"character class tables saved: {save_character_classes(output_dir)}")
    print(f"language tables saved: {save_language_tables(output_dir)}")
    return 0


def save_language_tables(output_dir: Path = PACKAGE_DIR) -> Path:
    """Save what the cleaning loads per language on first use: jusText's stop lists with their stop-word
    tables (pipeline.clean.stop_tables) and dateparser's month and weekday names (pipeline.clean.date_names),
    ~7 ms a language in every process otherwise."""
    from pipeline.clean import date_names, stop_tables

    stop_tables.save(output_dir)
    date_names.save(output_dir)
    return output_dir


def save_character_classes(output_dir: Path = PACKAGE_DIR) -> Path:
    """Save the tables of the character classes the kernels read (pipeline.aot_builds.CHARACTER_CLASSES) and of
    `str.isprintable`, which every process memory-maps instead of marking them with `re` (~40 ms each) or
    calling `isprintable` (~10-20 ms); tables of other Pythons there are removed."""
    from pipeline import aot_builds

    names = (*aot_builds.CHARACTER_CLASSES, aot_builds.PRINTABLE)
    saved = {aot_builds.save_character_class_table(name, output_dir).name for name in names}
    remove_stale(output_dir, aot_builds.CHARACTER_CLASS_PREFIX, saved.__contains__)
    return output_dir


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
