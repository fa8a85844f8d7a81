"""A content repository of its own: `helpcenter new`, its helpcenter.toml found like .git, the
site's identity from it, errors in it as path:line, and quiet commands run inside it."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from helpcenter import cli, create_app
from helpcenter.cli import main
from helpcenter.config_file import CONFIG_ENV
from helpcenter.scaffold import package_source

HELPCENTER = Path(sys.executable).with_name("helpcenter")


@pytest.fixture
def inside(tmp_path, monkeypatch):
    """Commands run from a folder without the test-wide "no config file" override, as a writer
    runs them; git dates pinned so "last updated" can be checked."""
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(name, "2024-03-05T12:00:00+00:00")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELPCENTER_")}
    return subprocess.run(
        [str(HELPCENTER), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow  # runs every command as a process of its own
def test_new_makes_a_content_repo_that_every_command_works_in(inside):
    result = CliRunner().invoke(main, ["new", "site", "--languages", "en,pl"])
    assert result.exit_code == 0, result.output
    site = inside / "site"
    for relative in (
        "helpcenter.toml",
        "articles/en/getting-started/_category.md",
        "articles/en/getting-started/welcome.md",
        "articles/en/getting-started/write-an-article.md",
        ".gitignore",
        ".github/workflows/check.yml",
    ):
        assert (site / relative).is_file(), relative
    assert "instance/" in (site / ".gitignore").read_text()
    assert "helpcenter check" in (site / ".github/workflows/check.yml").read_text()
    log = subprocess.run(["git", "log", "--oneline"], cwd=site, capture_output=True, text=True)
    assert len(log.stdout.splitlines()) == 1

    # From a subfolder, as git finds .git: the site's config, its instance folder inside it.
    (site / "articles" / "en").mkdir(exist_ok=True)
    os.chdir(site / "articles" / "en")
    app = create_app({"TESTING": True})
    assert Path(app.instance_path) == site / "instance"
    assert Path(app.config["ARTICLES_DIR"]) == site / "articles"
    client = app.test_client()
    home = client.get("/pl/").get_data(as_text=True)
    assert "<title>" in home and "Centrum pomocy</title>" in home
    article = client.get("/en/getting-started/welcome").get_data(as_text=True)
    assert "Welcome to your help center" in article
    assert "March 5, 2024" in article  # from the first commit, not the file's time

    assert run("check", cwd=site).returncode == 0
    indexed = run("index", cwd=site)
    assert indexed.returncode == 0 and "en: rebuilt — 2 added" in indexed.stdout
    assert run("db", "upgrade", cwd=site).returncode == 0
    report = run("report", "zero-results", cwd=site)
    assert report.returncode == 0 and "Searches with no results" in report.stdout
    # Quiet: no alembic chatter, no INFO log lines, no traceback.
    assert "Context impl" not in report.stderr and " INFO " not in report.stderr, report.stderr
    evaluated = run("eval", "search-queries.tsv", cwd=site)
    assert evaluated.returncode == 0 and "MRR@10" in evaluated.stdout
    assert (site / "instance" / "helpcenter.sqlite3").is_file()


def test_new_refuses_a_folder_with_files(inside):
    (inside / "site").mkdir()
    (inside / "site" / "notes.txt").write_text("mine")
    result = CliRunner().invoke(main, ["new", "site"])
    assert result.exit_code == 1
    assert "not an empty folder" in result.output
    assert sorted(p.name for p in (inside / "site").iterdir()) == ["notes.txt"]


def test_settings_show_each_value_and_where_it_came_from(inside, monkeypatch):
    (inside / "helpcenter.toml").write_text(
        'support_email = "help@example.com"\n\n[site_name]\nen = "Acme Help"\npl = "Pomoc Acme"\n'
    )
    monkeypatch.setenv("HELPCENTER_SEARCH_RESULTS_PER_PAGE", "20")
    monkeypatch.setenv("HELPCENTER_SUPPORT_EMAIL", '"override@example.com"')
    result = CliRunner().invoke(main, ["settings"])
    assert result.exit_code == 0, result.output
    lines = {line.split(" = ")[0]: line for line in result.output.splitlines()}
    config = inside / "helpcenter.toml"
    assert lines["SITE_NAME"].endswith(f"[{config}:3]")
    assert '"Pomoc Acme"' in lines["SITE_NAME"]
    # The environment overrides the file, and says so.
    assert '"override@example.com"' in lines["SUPPORT_EMAIL"]
    assert lines["SUPPORT_EMAIL"].endswith("[environment HELPCENTER_SUPPORT_EMAIL]")
    assert lines["SEARCH_RESULTS_PER_PAGE"] == (
        "SEARCH_RESULTS_PER_PAGE = 20  [environment HELPCENTER_SEARCH_RESULTS_PER_PAGE]"
    )
    assert lines["TOC_MIN_HEADINGS"].endswith("[default]")


def test_config_file_mistakes_are_reported_as_path_line_messages(inside):
    config = inside / "helpcenter.toml"
    config.write_text(
        'languages = ["en", "pl"]\n'
        'site_nme = "Acme"\n'
        'accent_color = "#999999"\n'
        'secret_key = "hunter2"\n'
        "\n"
        "[support_hours]\n"
        'en = "9–17"\n'
        'xx = "9–17"\n'
    )
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    output = result.output
    assert f"{config}:2: unknown setting 'site_nme' (did you mean 'site_name'?)" in output
    assert f"{config}:3: accent_color: #999999 has a contrast of 2.85:1 against white" in output
    assert f"{config}:4: secret_key is a secret" in output
    assert f"{config}:8: support_hours: 'xx' is not a language code" in output
    assert "Traceback" not in output

    config.write_text('languages = ["en"]\nsupport_email = "not an address"\nlogo = "logo.txt"\n')
    output = CliRunner().invoke(main, ["check"]).output
    assert f"{config}:2: support_email: 'not an address' is not a plain e-mail address" in output
    assert f"{config}:3: logo: 'logo.txt': a logo must be one of" in output

    config.write_text('languages = ["en"\ndefault_language = "en"\n')
    output = CliRunner().invoke(main, ["check"]).output
    assert output.startswith(f"{config}:2: ")


def test_an_accent_colour_below_aa_is_refused_from_the_environment_too(inside, monkeypatch):
    (inside / "helpcenter.toml").write_text('languages = ["en"]\n')
    monkeypatch.setenv("HELPCENTER_ACCENT_COLOR", "#ffcc00")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    assert "environment HELPCENTER_ACCENT_COLOR: accent_color: #ffcc00 has a contrast" in (
        result.output
    )


def test_config_named_by_option_or_environment(inside, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "helpcenter.toml").write_text('[site_name]\nen = "Elsewhere Help"\n')
    result = CliRunner().invoke(main, ["--config", str(elsewhere / "helpcenter.toml"), "settings"])
    assert "Elsewhere Help" in result.output
    result = CliRunner().invoke(main, ["settings"], env={CONFIG_ENV: str(elsewhere)})
    assert "Elsewhere Help" in result.output
    result = CliRunner().invoke(main, ["--config", str(inside / "missing.toml"), "settings"])
    assert result.exit_code == 2 and "missing.toml: no such config file" in result.output


def new_site(inside, *args: str, **invoke) -> Path:
    result = CliRunner().invoke(main, ["new", "site", *args], **invoke)
    assert result.exit_code == 0, result.output
    return inside / "site"


def app_in(site: Path):
    os.chdir(site)
    return create_app({"TESTING": True})


def test_new_without_languages_makes_a_site_in_english_alone(inside):
    site = new_site(inside)  # not at a terminal: nobody to ask
    assert 'languages = ["en"]\ndefault_language = "en"' in (site / "helpcenter.toml").read_text()
    assert sorted(p.name for p in (site / "articles").iterdir()) == ["en"]
    client = app_in(site).test_client()
    assert client.get("/pl/").status_code == 404
    page = client.get("/en/getting-started/welcome").get_data(as_text=True)
    assert "not been translated" not in page and "(not translated yet)" not in page


def test_new_in_polish_serves_polish_articles_with_no_missing_translation_notice(inside):
    site = new_site(inside, "--languages", "pl")
    config = (site / "helpcenter.toml").read_text()
    assert 'languages = ["pl"]\ndefault_language = "pl"' in config
    assert sorted(p.name for p in (site / "articles").iterdir()) == ["pl"]
    app = app_in(site)
    client = app.test_client()
    home = client.get("/pl/").get_data(as_text=True)
    assert "Pierwsze kroki" in home and "Czym jest to centrum pomocy" in home
    for slug in ("welcome", "write-an-article"):
        page = client.get(f"/pl/getting-started/{slug}").get_data(as_text=True)
        assert "nie został jeszcze przetłumaczony" not in page  # the fallback notice
        assert "(nie przetłumaczono" not in page and "untranslated" not in page
    assert "Witaj w swoim centrum pomocy" in client.get("/pl/getting-started/welcome").get_data(
        as_text=True
    )
    assert client.get("/en/").status_code == 404
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0 and "0 error(s), 0 warning(s)" in result.output, result.output


def test_new_takes_the_first_language_as_the_default_and_writes_each_its_own_text(inside):
    site = new_site(inside, "--languages", "pl,en,he")
    assert (
        'languages = ["pl", "en", "he"]\ndefault_language = "pl"'
        in (site / "helpcenter.toml").read_text()
    )
    client = app_in(site).test_client()
    for lang in ("pl", "en", "he"):
        page = client.get(f"/{lang}/getting-started/welcome").get_data(as_text=True)
        assert "translated" not in page and "przetłumaczony" not in page
    # The Hebrew example is written in Hebrew, so its full stop ends the sentence on the left
    # of a right-to-left page (an English sentence there put it on the wrong side).
    summary = re.search(
        r"^summary: (.*)$",
        (site / "articles/he/getting-started/_category.md").read_text(encoding="utf-8"),
        re.M,
    ).group(1)
    assert summary.endswith(".") and not re.search(r"[A-Za-z]", summary)
    home = client.get("/he/").get_data(as_text=True)
    assert summary in home and 'dir="rtl"' in home
    # Each language's example says where its translation lives, in a language of the site.
    write = (site / "articles/en/getting-started/write-an-article.md").read_text()
    assert "`articles/pl/getting-started/write-an-article.md`" in write


def test_new_asks_for_the_languages_at_a_terminal(inside, monkeypatch):
    monkeypatch.setattr(cli, "_interactive", lambda: True)
    result = CliRunner().invoke(main, ["new", "site"], input="xx\nlt, en\n")
    assert result.exit_code == 0, result.output
    assert "unknown language code(s) xx" in result.output  # asked again
    config = (inside / "site" / "helpcenter.toml").read_text()
    assert 'languages = ["lt", "en"]\ndefault_language = "lt"' in config
    welcome = (inside / "site/articles/lt/getting-started/welcome.md").read_text()
    assert "Sveiki atvykę" in welcome


def test_the_workflow_installs_the_same_package_new_ran_from():
    index = package_source(recorded="", version="1.4.0")
    assert index[0] == "helpcenter==1.4.0" and "PyPI" in index[1]
    vcs = package_source(
        recorded=json.dumps(
            {
                "url": "https://git.example.com/helpcenter.git",
                "vcs_info": {"vcs": "git", "commit_id": "abc123"},
            }
        )
    )
    assert vcs[0] == "helpcenter @ git+https://git.example.com/helpcenter.git@abc123"
    archive = package_source(
        recorded=json.dumps(
            {"url": "https://example.com/helpcenter-1.4.0.tar.gz", "archive_info": {}}
        )
    )
    assert archive[0] == "helpcenter @ https://example.com/helpcenter-1.4.0.tar.gz"
    local = package_source(
        recorded=json.dumps(
            {"url": "file:///home/me/src/helpcenter", "dir_info": {"editable": True}}
        )
    )
    assert local[0] == "/home/me/src/helpcenter"
    assert "self-hosted" in local[1] and "GitHub's own runners" in local[1]


def test_the_generated_workflow_checks_with_github_annotations(inside):
    site = new_site(inside)
    workflow = yaml.safe_load((site / ".github/workflows/check.yml").read_text())
    runs = [step["run"] for step in workflow["jobs"]["check"]["steps"] if "run" in step]
    install, check = runs
    requirement, _ = package_source()
    assert shlex.split(install) == ["python", "-m", "pip", "install", requirement]
    assert check == "helpcenter check --format github"


def test_a_content_repo_may_ask_for_every_translation_and_nothing_else(inside):
    config = inside / "helpcenter.toml"
    config.write_text('languages = ["en", "pl"]\ntranslate = "required"\n')
    (inside / "articles/en/faq").mkdir(parents=True)
    (inside / "articles/en/faq/hello.md").write_text("---\ntitle: Hello\n---\nHi.\n")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert "not translated into pl" in result.output
    config.write_text('languages = ["en", "pl"]\ntranslate = "always"\n')
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    assert f"{config}:2: translate: must be 'required' or 'optional', not 'always'" in result.output
