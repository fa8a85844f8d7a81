"""The writer's preview (`helpcenter serve`): the page's problems in a banner and its broken
links marked, a long poll that answers when the articles change, pages a browser never keeps;
and none of it in production."""

from __future__ import annotations

import html
import logging
import threading
from pathlib import Path

import pytest

from helpcenter import create_app, services
from helpcenter.content.checks import check_tree
from helpcenter.web import preview as preview_view
from helpcenter.web import writer_preview
from tests.helpers import make_app

DECLINED = "en/payments/declined.md"


@pytest.fixture
def broken(basic):
    """The basic tree with a broken link and a missing image in one article."""
    basic.article(
        DECLINED,
        "My payment was declined",
        "Check the card number.\n\nRead [the card rules](card-rules.md).\n\n![A card](card.png)\n",
    )
    basic.commit()
    return basic


@pytest.fixture
def preview(tmp_path, broken):
    app = make_app(tmp_path / "preview", broken.root)
    writer_preview.enable(app)
    return app


@pytest.fixture
def production(tmp_path, broken):
    return make_app(tmp_path / "production", broken.root)


def banner_lines(page: str) -> list[str]:
    section = page.split('<section class="preview-problems"', 1)[1].split("</section>", 1)[0]
    return [html.unescape(line) for line in _codes(section)]


def _codes(section: str) -> list[str]:
    return [part.split("</code>", 1)[0] for part in section.split("<code>")[1:]]


def test_the_banner_lists_the_pages_problems_as_check_prints_them(preview, broken):
    page = preview.test_client().get("/en/payments/declined").get_data(as_text=True)
    root = Path(preview.config["CONTENT_ROOT"])
    expected = [
        problem.format(root)
        for problem in check_tree(broken.root, preview.config["HELPCENTER_LANGUAGES"])
        if problem.path == broken.root / DECLINED
    ]
    assert len(expected) == 2  # the link and the image, each with its line
    assert banner_lines(page) == expected
    assert expected[0].endswith(
        "declined.md:6: broken link: 'card-rules.md' (link to another article's .md file by "
        "its relative path, e.g. ../account/reset-password.md)"
    )
    assert "Problems on this page" in page


def test_the_preview_marks_the_broken_link_where_it_is(preview):
    page = preview.test_client().get("/en/payments/declined").get_data(as_text=True)
    assert '<span class="broken-link" title="broken link: \'card-rules.md\' (link to' in page
    assert 'class="broken-link"' in page.split('alt="A card"', 1)[1].split(">", 1)[0]


def test_production_shows_no_banner_no_mark_and_no_preview_script(production):
    page = production.test_client().get("/en/payments/declined").get_data(as_text=True)
    assert "preview-problems" not in page and "broken-link" not in page
    assert "preview.js" not in page and "preview.css" not in page
    assert "<span>the card rules</span>" in page


def test_the_banner_is_shown_in_the_readers_language_around_the_checks_words(preview):
    page = preview.test_client().get("/pl/payments/declined").get_data(as_text=True)
    assert "Problemy na tej stronie" in page
    # The problems themselves are check's lines: English, left to right.
    assert '<ul lang="en" dir="ltr">' in page and "broken link: 'card-rules.md'" in html.unescape(
        page
    )


def test_a_page_without_problems_has_no_banner(preview):
    page = preview.test_client().get("/en/account/reset-password").get_data(as_text=True)
    assert "preview-problems" not in page
    assert "preview.js" in page  # but it still reloads itself


def test_a_file_saved_broken_says_why_its_page_is_missing(preview, broken):
    broken.write("en/payments/wallets.md", "---\nsummary: Phone wallets\n---\nText.\n")
    services.content_store(preview).refresh()
    response = preview.test_client().get("/en/payments/wallets")
    assert response.status_code == 404
    lines = banner_lines(response.get_data(as_text=True))
    assert any(line.endswith("wallets.md:1: missing 'title' in front matter") for line in lines)


def test_preview_pages_are_never_kept_by_a_browser_and_production_pages_are_shared(
    preview, production
):
    shown = preview.test_client().get("/en/payments/declined")
    assert shown.headers["Cache-Control"] == "no-store" and "ETag" not in shown.headers
    shared = production.test_client().get("/en/payments/declined")
    assert "public" in shared.headers["Cache-Control"] and shared.headers["ETag"]


def generation_of(page: str) -> int:
    return int(page.split('data-generation="', 1)[1].split('"', 1)[0])


def test_the_long_poll_answers_when_the_articles_change(preview, broken, monkeypatch):
    client = preview.test_client()
    shown = generation_of(client.get("/en/").get_data(as_text=True))
    answers = []
    waiting = threading.Thread(
        target=lambda: answers.append(client.get(f"/_preview/changes?since={shown}"))
    )
    waiting.start()
    broken.article(DECLINED, "My payment was declined", "Try another card.\n")
    services.content_store(preview).refresh()
    waiting.join()
    [answer] = answers
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.get_json() == {"generation": shown + 1}
    # The page made now carries the new generation (and the new text).
    page = client.get("/en/payments/declined").get_data(as_text=True)
    assert generation_of(page) == shown + 1 and "Try another card." in page


def test_the_long_poll_answers_unchanged_after_its_wait(preview, monkeypatch):
    monkeypatch.setattr(preview_view, "WAIT_SECONDS", 0.01)
    client = preview.test_client()
    shown = generation_of(client.get("/en/").get_data(as_text=True))
    assert client.get(f"/_preview/changes?since={shown}").get_json() == {"generation": shown}


def test_production_has_no_long_poll(production):
    assert production.test_client().get("/_preview/changes?since=1").status_code == 404


def test_each_problem_is_logged_once_per_generation(preview, broken, caplog):
    client = preview.test_client()
    with caplog.at_level(logging.WARNING, logger="helpcenter.content.store"):
        client.get("/en/payments/declined")
        client.get("/en/payments/declined")
        client.get("/pl/payments/declined")  # the same file, in Polish: the same problems
    logged = [r.getMessage() for r in caplog.records if "card-rules.md" in r.getMessage()]
    assert len(logged) == 1 and logged[0].startswith("articles: ")
    caplog.clear()
    broken.article("en/payments/methods.md", "Payment methods", "Cards only.\n")
    services.content_store(preview).refresh()
    with caplog.at_level(logging.WARNING, logger="helpcenter.content.store"):
        client.get("/en/payments/declined")
    assert [r for r in caplog.records if "card-rules.md" in r.getMessage()]
    # An error the reload itself logged is not logged again when its page is shown.
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="helpcenter.content.store"):
        broken.write("en/payments/wallets.md", "---\nsummary: Phone wallets\n---\nText.\n")
        services.content_store(preview).refresh()
        assert client.get("/en/payments/wallets").status_code == 404
    logged = [r.getMessage() for r in caplog.records if "missing 'title'" in r.getMessage()]
    assert logged == ["articles: en/payments/wallets.md:1: missing 'title' in front matter"]


def test_production_never_turns_the_preview_on(tmp_path, broken, monkeypatch):
    monkeypatch.setenv("HELPCENTER_WRITER_PREVIEW", "true")
    app = create_app(
        {
            "SECRET_KEY": "test-secret",
            "ARTICLES_DIR": str(broken.root),
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "WRITER_PREVIEW": True,
        },
        production=True,
    )
    assert app.config["WRITER_PREVIEW"] is False
    with pytest.raises(RuntimeError):
        writer_preview.enable(app)
