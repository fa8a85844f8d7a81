"""Build step: the package carries the app's run-time files.

`static/`, `translations/` and `migrations/` stay at the top level of this repository (their
sources); every build (wheel, and the wheel pip builds from the sdist) copies them into
`helpcenter/_data/`, with the UI catalogs compiled from their .po files. An editable install
(`pip install -e .`) skips this: the app then reads the checkout's folders
(helpcenter/resources.py).
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def _catalogs_module():
    # Loaded by path: importing the package would need its dependencies, absent while building.
    spec = importlib.util.spec_from_file_location(
        "_catalogs", ROOT / "helpcenter" / "ui_catalogs.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        data = Path(self.build_lib) / "helpcenter" / "_data"
        shutil.rmtree(data, ignore_errors=True)
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
        shutil.copytree(ROOT / "static", data / "static", ignore=ignore)
        shutil.copytree(ROOT / "migrations", data / "migrations", ignore=ignore)
        _catalogs_module().compile_catalogs(ROOT / "translations", data / "translations")


setup(cmdclass={"build_py": BuildWithData})
