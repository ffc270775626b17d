"""`python -m pipeline.langid_build [DIR] [--force]`: compile langid's kernels ahead of time into an extension module.

Run once at install (scripts/bootstrap.sh, the Dockerfile); it needs numba and a C compiler, the module it
writes needs neither. A process that finds it skips importing numba and loading the kernels from numba's
cache: ~0.7 CPU-s and ~135 MB less in every process, every worker and every Airflow task. The module's
name carries a digest of the kernels' source (pipeline.langid.aot_module_name), so editing them makes the
build unused, not wrong; builds under other names are removed.
"""

from __future__ import annotations

import glob
import os
import sys
import warnings
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def build(output_dir: Path = PACKAGE_DIR) -> Path:
    """Compile the kernels into `output_dir`; returns the extension module's path."""
    from pipeline import langid, langid_kernels

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba.pycc announces its deprecation; it is still the AOT compiler
        from numba.pycc import CC

        name = langid.aot_module_name()
        compiler = CC(name)
        compiler.output_dir = str(output_dir)
        compiler.verbose = False
        for function, signature in langid_kernels.SIGNATURES.items():
            compiler.export(function, signature)(getattr(langid_kernels, function).py_func)
        compiler.compile()
    built = output_dir / compiler.output_file
    for stale in glob.glob(str(output_dir / "_langid_aot_*")):
        if not os.path.basename(stale).startswith(name + "."):
            os.remove(stale)
    return built


def main(argv: list[str]) -> int:
    """Build into DIR (default: the package); a build of the current source already there is kept, since
    the module's name is a digest of that source (`--force` builds again)."""
    force = "--force" in argv
    folders = [argument for argument in argv if argument != "--force"]
    output_dir = Path(folders[0]) if folders else PACKAGE_DIR
    if not force:
        from importlib.machinery import EXTENSION_SUFFIXES

        from pipeline import langid

        built = output_dir / f"{langid.aot_module_name()}{EXTENSION_SUFFIXES[0]}"
        if built.is_file():
            print(f"langid kernels up to date: {built}")
            return 0
    path = build(output_dir)
    print(f"langid kernels compiled: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
