"""Proof from outside the checkout: the package as a content team installs it.

Builds the sdist and, from it, the wheel (`python -m build`), installs the wheel with its
dependencies into a fresh virtualenv in a temporary folder, and runs a new help center there
the way the README says: `helpcenter new`, `check`, `index`, `db upgrade`, `serve`. Nothing of
this repository's checkout is on that interpreter's path, so a file the package forgot to carry
(stylesheet, compiled catalogs, migrations) fails here.

The slow tests of the suite (a build and a pip install from the package index, about 25 s
on a quiet machine, then the commands): `-m "not packaging"` leaves them out while iterating.
"""

from __future__ import annotations

import fcntl
import http.cookiejar
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
import venv
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.helpers import fetch, free_port

CHECKOUT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.packaging


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> str:
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def _clean_env(home: Path) -> dict[str, str]:
    """No setting, config file or Python path of the checkout's test run leaks in."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("HELPCENTER_", "PYTHON", "VIRTUAL_ENV"))
    }
    env["HOME"] = str(home)  # no git identity of this machine either: `new` must cope
    return env


@dataclass
class Installed:
    """The wheel, built from this checkout, installed into a fresh virtualenv."""

    wheel: Path
    bin_dir: Path
    env: dict[str, str]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    """One build and install for the whole run (the slow part), made by whichever pytest-xdist
    worker asks first; a worker that asks meanwhile waits for it rather than build another."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # every worker's
    folder = shared / "installed"
    env = _clean_env(folder / "home")
    with (shared / "installed.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "done").exists():
            _build_and_install(folder, env)
            (folder / "done").touch()
    [wheel] = (folder / "dist").glob("helpcenter-*.whl")
    return Installed(wheel, folder / "venv" / "bin", env)


def _build_and_install(folder: Path, env: dict[str, str]) -> None:
    (folder / "home").mkdir(parents=True, exist_ok=True)  # a failed first try leaves it
    dist = folder / "dist"
    _run([sys.executable, "-m", "build", "--outdir", str(dist), str(CHECKOUT)], folder, env)
    [wheel] = dist.glob("helpcenter-*.whl")
    venv.create(folder / "venv", with_pip=True)  # the new site's CI workflow runs its pip
    # Not compiled to bytecode ahead (Python compiles what it imports): half the install's time.
    pip = [str(folder / "venv" / "bin" / "python"), "-m", "pip", "install", "-q", "--no-compile"]
    _run([*pip, str(wheel)], folder, env)


def test_wheel_installed_outside_the_checkout_serves_a_new_help_center(installed, tmp_path):
    bin_dir, env = installed.bin_dir, installed.env
    where = _run(
        [str(bin_dir / "python"), "-c", "import helpcenter; print(helpcenter.__file__)"],
        tmp_path,
        env,
    )
    assert where.startswith(str(bin_dir.parent)) and str(CHECKOUT) not in where
    # The built-in everyday thesaurus (search/thesaurus/*.txt) is package data: without it
    # search silently loses "pics" -> "photos" in every language.
    groups = _run(
        [
            str(bin_dir / "python"),
            "-c",
            "from helpcenter.search.synonym_expansion import builtin_thesaurus as t; "
            "print(*(len(t(lang)) for lang in ('en', 'pl', 'he', 'lt', 'el', 'hr')))",
        ],
        tmp_path,
        env,
    )
    assert all(int(count) >= 80 for count in groups.split()), groups

    helpcenter = str(bin_dir / "helpcenter")
    _run([helpcenter, "new", "site", "--languages", "en,pl"], tmp_path, env)
    site = tmp_path / "site"
    _run([helpcenter, "check"], site, env)
    assert "en: rebuilt — 2 added" in _run([helpcenter, "index"], site, env)
    _run([helpcenter, "db", "upgrade"], site, env)

    port = free_port()
    server = subprocess.Popen(
        [helpcenter, "serve", "--port", str(port)],
        cwd=site,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        home = fetch(f"{base}/pl/")
        assert '<html lang="pl"' in home
        assert re.search(r"<title>[^<]*· Centrum pomocy</title>", home)
        assert "Skontaktuj się z nami" in home  # the compiled Polish catalog is in the wheel

        stylesheet = re.search(r'href="(/static/css/site\.css[^"]*)"', home).group(1)
        with urllib.request.urlopen(base + stylesheet.replace("&amp;", "&"), timeout=5) as css:
            assert css.status == 200 and "--accent" in css.read().decode()
        with urllib.request.urlopen(f"{base}/favicon.ico", timeout=5) as icon:
            assert icon.status == 200 and icon.read()[:4] == b"\x00\x00\x01\x00"

        article = fetch(f"{base}/en/getting-started/welcome")
        assert "Welcome to your help center" in article
        results = fetch(f"{base}/en/search?q=preview+changes")
        assert 'class="search-result"' in results and "Welcome to your help center" in results

        browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        with browser.open(f"{base}/pl/contact", timeout=5) as form:
            token = re.search(
                r'name="csrf_token" type="hidden" value="([^"]+)"', form.read().decode()
            )
        data = urllib.parse.urlencode(
            {"csrf_token": token.group(1), "email": "ala@example.com", "message": "Pomocy!"}
        ).encode()
        with browser.open(f"{base}/pl/contact", data=data, timeout=5) as sent:
            page = sent.read().decode()
            assert sent.status == 200 and "/pl/contact/sent/" in sent.url
            assert "Twój numer zgłoszenia:" in page
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0].decode()
    assert "Traceback" not in output, output


def test_the_ci_workflow_of_a_new_site_runs_as_generated(installed, tmp_path):
    """The commands of `.github/workflows/check.yml` as `helpcenter new` writes it, run as the
    runner would run them (each `run:` with bash, in the checkout, the setup-python step's
    interpreter first on PATH): the install names the package `new` came from (here the wheel
    file, from this machine's package index for nothing else) and the check passes."""
    env = {**installed.env, "PATH": f"{installed.bin_dir}:{installed.env['PATH']}"}
    _run([str(installed.bin_dir / "helpcenter"), "new", "site", "--languages", "pl"], tmp_path, env)
    site = tmp_path / "site"
    workflow = yaml.safe_load((site / ".github/workflows/check.yml").read_text())
    runs = [step["run"] for step in workflow["jobs"]["check"]["steps"] if "run" in step]
    assert len(runs) == 2 and str(installed.wheel) in runs[0]
    outputs = [_run(["bash", "-e", "-c", command], site, env) for command in runs]
    # No problem in the new site: nothing annotated, nothing failed.
    assert not [line for line in outputs[1].splitlines() if line.startswith("::")]
    assert "0 error(s), 0 warning(s)" in outputs[1]
