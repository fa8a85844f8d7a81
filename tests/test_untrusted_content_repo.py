"""The content repository is untrusted input: a pull request to it may change what customers
read, never what the server runs, where it keeps its secrets or how it protects itself.

Each test is a hostile content repository: a helpcenter.toml naming paths and operational
settings, a committed instance folder with Python settings and a secret key, a crafted search
index, a logo outside the tree, identity values of megabytes."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from whoosh import index as whoosh_index
from whoosh.fields import ID, STORED, Schema

from helpcenter import create_app
from helpcenter.cli import main
from helpcenter.config_file import CONFIG_ENV, ConfigFileError
from helpcenter.content.loader import load_catalog
from helpcenter.languages import KNOWN_LANGUAGES
from helpcenter.search.indexer import SCHEMA_VERSION, IndexStore
from helpcenter.search.searcher import SearchService
from tests.helpers import make_app

GIT = ["git", "-c", "user.name=Writer", "-c", "user.email=writer@example.com"]


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A content repository in git, the current folder, as the scaffolded CI job runs in."""
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    monkeypatch.delenv("HELPCENTER_INSTANCE_PATH", raising=False)
    root = tmp_path / "content"
    (root / "articles" / "en" / "start").mkdir(parents=True)
    (root / "articles" / "en" / "start" / "welcome.md").write_text(
        "---\ntitle: Welcome\n---\nHow to return a parcel.\n"
    )
    (root / "helpcenter.toml").write_text('languages = ["en"]\n')
    (root / ".gitignore").write_text("instance/\n")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    monkeypatch.chdir(root)
    return root


def commit(root: Path, *paths: str) -> None:
    subprocess.run([*GIT, "-C", str(root), "add", "-f", *paths], check=True)
    subprocess.run([*GIT, "-C", str(root), "commit", "-q", "-m", "pull request"], check=True)


class Planted(STORED):
    """A schema field whose unpickling touches `marker`: proof that a file from the repository
    ran code."""

    def __init__(self, marker: Path) -> None:
        super().__init__()
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_content_repository_sets_only_what_customers_read(repo):
    config = repo / "helpcenter.toml"
    config.write_text(
        'languages = ["en"]\n'
        'index_dir = "search-data"\n'
        'instance_path = "state"\n'
        'mail_server = "smtp.attacker.example"\n'
        "proxy_count = 5\n"
        'support_webhook_url = "https://attacker.example/hook"\n'
        "article_max_bytes = 100000000\n"
        'articles_dir = "/etc"\n'
        'mail_from = "ceo@example.com"\n'
        'site_name = "Acme Help"\n'
        'widget_origins = ["https://attacker.example"]\n'
    )
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    output = result.output
    assert f"{config}:2: unknown setting 'index_dir'" in output
    for line, key in ((3, "instance_path"), (4, "mail_server"), (5, "proxy_count"),
                      (6, "support_webhook_url"), (7, "article_max_bytes"), (9, "mail_from"),
                      (11, "widget_origins")):  # fmt: skip
        assert f"{config}:{line}: {key} is an operator setting" in output, key
        assert f"HELPCENTER_{key.upper()} in the environment" in output
    assert f"{config}:8: articles_dir cannot be set here" in output
    assert "site_name" not in output  # identity is the repository's to set
    assert not (repo / "state").exists()


def test_a_committed_instance_folder_is_refused_and_never_runs(repo, tmp_path):
    marker = tmp_path / "ran"
    instance = repo / "instance"
    instance.mkdir()
    (instance / "helpcenter.cfg").write_text(f"open({str(marker)!r}, 'w').close()\n")
    (instance / "secret_key").write_text("known-to-the-attacker\n")
    commit(repo, "instance/helpcenter.cfg", "instance/secret_key")

    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    assert f"{instance}: git tracks files in the instance folder" in result.output
    assert "instance/secret_key" in result.output
    with pytest.raises(ConfigFileError):
        create_app({"TESTING": True})
    assert not marker.exists()


def test_a_committed_symlink_as_the_instance_folder_is_refused(repo, tmp_path):
    elsewhere = tmp_path / "planted"
    elsewhere.mkdir()
    (elsewhere / "secret_key").write_text("known-to-the-attacker\n")
    (repo / "instance").symlink_to(elsewhere)
    commit(repo, "instance")
    with pytest.raises(ConfigFileError, match="git tracks files in the instance folder"):
        create_app({"TESTING": True})


def test_python_settings_in_the_instance_folder_are_never_executed(tmp_path, monkeypatch):
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    marker = tmp_path / "ran"
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "helpcenter.cfg").write_text(f"open({str(marker)!r}, 'w').close()\n")
    with pytest.raises(ConfigFileError, match="settings in Python are no longer read"):
        create_app({"TESTING": True, "CONFIG_FILE": "", "INSTANCE_PATH": str(instance)})
    assert not marker.exists()


def test_production_refuses_an_instance_folder_inside_the_content_repository(repo, tmp_path):
    with pytest.raises(ConfigFileError, match="inside the content repository"):
        create_app({"TESTING": True}, production=True)
    outside = tmp_path / "var-lib-helpcenter"
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(outside)}, production=True)
    assert Path(app.instance_path) == outside
    # A writer's checkout keeps its git-ignored instance folder beside the articles.
    assert Path(create_app({"TESTING": True}).instance_path) == repo / "instance"


def test_the_operator_settings_file_is_toml_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    instance = tmp_path / "instance"
    instance.mkdir()
    settings = instance / "settings.toml"
    settings.write_text(
        'mail_server = "127.0.0.1"\nmail_from = "help@example.com"\nproxy_count = 1\n'
    )
    app = create_app({"TESTING": True, "CONFIG_FILE": "", "INSTANCE_PATH": str(instance)})
    assert app.config["MAIL_SERVER"] == "127.0.0.1" and app.config["PROXY_COUNT"] == 1

    settings.write_text('mail_port = "25"\n')
    with pytest.raises(ConfigFileError, match=f"{settings}:1: mail_port: must be a whole number"):
        create_app({"TESTING": True, "CONFIG_FILE": "", "INSTANCE_PATH": str(instance)})


def test_the_operator_settings_file_can_be_named_and_place_the_instance(tmp_path, monkeypatch):
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    named = tmp_path / "etc" / "helpcenter.toml"
    named.parent.mkdir()
    named.write_text('instance_path = "../state"\nsecret_key = "from-the-operator"\n')
    monkeypatch.setenv("HELPCENTER_SETTINGS_FILE", str(named))
    app = create_app({"TESTING": True, "CONFIG_FILE": ""})
    assert Path(app.instance_path) == tmp_path / "state"
    assert app.config["SECRET_KEY"] == "from-the-operator"


def crafted_index(folder: Path, marker: Path) -> None:
    """A Whoosh index whose table of contents runs code when it is opened."""
    folder.mkdir(parents=True, exist_ok=True)
    whoosh_index.create_in(str(folder), Schema(id=ID(stored=True), planted=Planted(marker)))


def test_an_index_folder_the_site_did_not_build_is_never_opened(tmp_path, basic_tree_template):
    marker = tmp_path / "ran"
    app = make_app(tmp_path, basic_tree_template.root)
    index_dir = Path(app.instance_path) / "index"
    build = index_dir / "en.planted"
    crafted_index(build, marker)
    for folder in (index_dir, build):
        folder.chmod(0o700)
    (index_dir / "en").unlink(missing_ok=True)
    (index_dir / "en").symlink_to("en.planted")
    # Even its version file is there: only the seal (keyed with the secret) is wrong.
    (build / "helpcenter-build").write_text(f"{SCHEMA_VERSION}\nforged\n")
    # Opening it runs the planted code: proof that the test can fail.
    whoosh_index.exists_in(str(build))
    assert marker.exists()
    marker.unlink()

    # The site searches (rebuilding the index beside the planted one) and never opens it.
    assert app.test_client().get("/en/search?q=parcel").status_code == 200
    result = app.test_cli_runner().invoke(args=["index", "--full"])
    assert result.exit_code == 0, result.output
    assert "en: rebuilt" in result.output
    assert not marker.exists()
    assert os.readlink(index_dir / "en") != "en.planted"


def test_an_index_sealed_by_another_key_or_readable_by_others_is_rebuilt(
    tmp_path, basic_tree_template
):
    catalog = load_catalog(basic_tree_template.root, [KNOWN_LANGUAGES["en"]])
    index_dir = tmp_path / "index"
    ours = IndexStore(index_dir, secret="ours")
    ours.update(catalog, "en")
    assert ours.exists("en")
    assert not IndexStore(index_dir, secret="theirs").exists("en")
    index_dir.chmod(0o755)  # as a git checkout would make a committed folder
    assert not ours.exists("en")
    assert SearchService(ours).search("en", "parcel").hits == []
    assert ours.update(catalog, "en").full  # rebuilt, and the folder closed again
    assert ours.exists("en") and (index_dir.stat().st_mode & 0o777) == 0o700


def test_a_failed_full_rebuild_leaves_no_partial_folder(tmp_path, basic_tree_template, monkeypatch):
    catalog = load_catalog(basic_tree_template.root, [KNOWN_LANGUAGES["en"]])
    index_dir = tmp_path / "index"
    store = IndexStore(index_dir, secret="ours")
    store.update(catalog, "en")
    before = sorted(path.name for path in index_dir.iterdir())

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(IndexStore, "_swap", disk_full)
    with pytest.raises(OSError):
        store.update(catalog, "en", full=True)
    assert sorted(path.name for path in index_dir.iterdir()) == before
    assert store.exists("en")


def test_a_killed_rebuild_is_cleaned_up_by_the_next(tmp_path, basic_tree_template):
    catalog = load_catalog(basic_tree_template.root, [KNOWN_LANGUAGES["en"]])
    index_dir = tmp_path / "index"
    store = IndexStore(index_dir, secret="ours")
    store.update(catalog, "en")
    left = index_dir / "en.20240101000000.killed"
    left.mkdir()
    hours_ago = time.time() - 2 * 3600
    os.utime(left, (hours_ago, hours_ago))
    store.update(catalog, "en", full=True)
    assert not left.exists()
    assert len(list(index_dir.glob("en.*"))) == 1


def test_the_logo_must_be_a_real_file_inside_the_repository(repo, tmp_path):
    outside = tmp_path / "private.png"
    outside.write_bytes(b"\x89PNG\r\n\x1a\n secret")
    (repo / "logo.png").symlink_to(outside)
    config = repo / "helpcenter.toml"
    for line in ('logo = "logo.png"', f'logo = "{outside}"', 'logo = "../private.png"'):
        config.write_text(f'languages = ["en"]\n{line}\n')
        result = CliRunner().invoke(main, ["check"])
        assert result.exit_code == 2, line
        assert f"{config}:2: logo:" in result.output and "inside the content repository" in (
            result.output
        )
    (repo / "logo.png").unlink()
    (repo / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n ours")
    config.write_text('languages = ["en"]\nlogo = "logo.png"\n')
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance")})
    assert app.test_client().get("/logo").data.endswith(b"ours")


def test_identity_values_have_a_size_limit(repo):
    config = repo / "helpcenter.toml"
    config.write_text('languages = ["en"]\n[site_name]\nen = "' + "A" * 2_000_000 + '"\n')
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    assert f"{config}:1: the file is larger than 64 KB" in result.output
    config.write_text('languages = ["en"]\n[site_name]\nen = "' + "A" * 500 + '"\n')
    result = CliRunner().invoke(main, ["check"])
    assert f"{config}:3: site_name: the en text is 500 characters long; at most 80" in (
        result.output
    )
    config.write_text('languages = ["en"]\nsupport_hours = "' + "9" * 300 + '"\n')
    result = CliRunner().invoke(main, ["check"])
    assert f"{config}:2: support_hours: is 300 characters long; at most 200" in result.output
