"""Pathological Markdown (finding 8 of issue 10): refused before Python-Markdown reads it,
reported by `check` at the line where the trouble starts, and shown as a clear notice while
the rest of the site keeps working."""

from pathlib import Path

import pytest

from helpcenter import services
from helpcenter.cli import main
from helpcenter.content.catalog import PlainUrls
from tests.helpers import make_app

PATHOLOGICAL = {
    # 20 KB of `[`: about a minute of CPU in Python-Markdown's link processors.
    "brackets": ("Before the trouble.\n\n" + "[" * 20_000 + "\n", 6, "unclosed or deeply nested"),
    # 1,000 nested lists: hundreds of MB, then RecursionError.
    "nested": ("".join("  " * depth + "- item\n" for depth in range(1000)), 4, "too large"),
    # `- ` x 10,000 on one line: RecursionError on every view.
    "dashes": ("Intro.\n\n" + "- " * 10_000 + "item\n", 6, "nested 10000 levels deep"),
}


@pytest.fixture
def tree_with_pathological_articles(basic):
    for slug, (body, _, _) in PATHOLOGICAL.items():
        basic.article(f"en/payments/{slug}.md", f"Careless {slug}", body)
    basic.commit("careless commit")
    return basic


def test_check_reports_each_pathological_article_at_its_line(tree_with_pathological_articles):
    root = tree_with_pathological_articles.root
    runner = make_app(root.parent, root).test_cli_runner()
    result = runner.invoke(main, ["check", str(root)], catch_exceptions=False)
    assert result.exit_code == 1
    for slug, (_, line, message) in PATHOLOGICAL.items():
        prefix = f"{root}/en/payments/{slug}.md:{line}: "
        assert any(
            entry.startswith(prefix) and message in entry for entry in result.output.splitlines()
        ), (slug, result.output)


def test_a_pathological_article_shows_a_notice_and_the_rest_of_the_site_works(
    tree_with_pathological_articles,
):
    root = tree_with_pathological_articles.root
    client = make_app(root.parent, root).test_client()
    normal = client.get("/en/payments/methods")
    for slug in PATHOLOGICAL:
        response = client.get(f"/en/payments/{slug}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert f"Careless {slug}" in html
        assert "This article cannot be shown right now." in html
        assert 'href="/en/contact"' in html
        assert response.headers.get("Cache-Control") == normal.headers.get("Cache-Control")
    polish = client.get("/pl/payments/brackets").get_data(as_text=True)
    assert "Tego artykułu nie można teraz wyświetlić." in polish

    assert "We accept cards and PayPal." in normal.get_data(as_text=True)
    assert "Careless brackets" in client.get("/en/payments/").get_data(as_text=True)
    found = client.get("/en/search?q=paypal").get_data(as_text=True)
    assert "Payment methods" in found
    # Only the title of a refused article is searchable: its body never reaches the index.
    assert "Careless" in client.get("/en/search?q=careless").get_data(as_text=True)
    body_only = client.get("/en/search?q=trouble").get_data(as_text=True)
    assert 'class="no-results"' in body_only


def test_rendering_happens_once_per_content_version(app):
    with app.test_request_context():
        catalog = services.content_store(app).catalog()
        article = catalog.articles[("en", "account/reset-password")]
        first = catalog.render(article, "en", PlainUrls())
        assert first is not None
        assert catalog.render(article, "en", PlainUrls()) is first


def test_limits_are_settings(tmp_path: Path, basic):
    basic.article("en/payments/long.md", "Long", "Words. " * 200)
    basic.commit()
    runner = make_app(tmp_path, basic.root, ARTICLE_MAX_BYTES=1000).test_cli_runner()
    result = runner.invoke(main, ["check", str(basic.root)], catch_exceptions=False)
    assert result.exit_code == 1
    assert f"{basic.root}/en/payments/long.md:4: article is too large to show" in result.output
