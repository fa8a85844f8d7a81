"""`{{ support_hours }}` and friends: articles show the configured text of their language."""

import re

from helpcenter.cli import main
from tests.helpers import make_app

from ..articletree import ArticleTree

HOURS = {"en": "Mon–Thu, 7:00–15:00 UTC", "pl": "pon.–czw., 7:00–15:00 UTC"}
BODY = """
We reply {{ response_time }} ({{ support_hours }}).

```
Write {{ support_hours }} in an article.
```
"""


def hours_tree(tmp_path) -> ArticleTree:
    tree = ArticleTree(tmp_path / "articles")
    for lang in ("en", "pl"):
        tree.category(lang, "help", "Help")
        tree.article(f"{lang}/help/contact.md", "Contact", BODY)
    tree.commit()
    return tree


def test_each_language_gets_its_configured_hours_and_code_blocks_keep_the_syntax(tmp_path):
    tree = hours_tree(tmp_path)
    app = make_app(tmp_path, tree.root, SUPPORT_HOURS=HOURS, RESPONSE_TIME={"en": "in a day"})
    client = app.test_client()
    english = client.get("/en/help/contact").get_data(as_text=True)
    polish = client.get("/pl/help/contact").get_data(as_text=True)
    assert "We reply in a day (Mon–Thu, 7:00–15:00 UTC)." in english
    # Polish has its own hours; a language without its own response time gets the default's.
    assert "We reply in a day (pon.–czw., 7:00–15:00 UTC)." in polish
    assert "Write {{ support_hours }} in an article." in polish
    # Search reads the filled-in text too.
    found = client.get("/api/search?lang=pl&q=czw").get_json()
    assert [hit["id"] for hit in found["results"]] == ["help/contact"]


def test_unknown_placeholder_is_an_error_with_its_line(tmp_path):
    tree = hours_tree(tmp_path)
    tree.article("en/help/typo.md", "Typo", "Fine.\n\nWe answer {{ suport_hours }}.\n")
    tree.commit()
    runner = make_app(tmp_path, tree.root).test_cli_runner()
    result = runner.invoke(main, ["check", str(tree.root)], catch_exceptions=False)
    assert result.exit_code == 1
    assert (
        f"{tree.root}/en/help/typo.md:6: unknown placeholder '{{{{ suport_hours }}}}' "
        "(known: {{ response_time }}, {{ support_email }}, {{ support_hours }})"
    ) in result.output


def test_hours_written_out_are_a_warning_naming_the_configured_hours(tmp_path):
    tree = hours_tree(tmp_path)
    tree.article("en/help/old.md", "Old", "Intro.\n\nWe answer Mon–Fri, 9:00–17:00.\n")
    tree.commit()
    runner = make_app(tmp_path, tree.root, SUPPORT_HOURS=HOURS).test_cli_runner()
    result = runner.invoke(main, ["check", str(tree.root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if re.match(r"^\S+:\d+: ", line)]
    assert lines == [
        f"{tree.root}/en/help/old.md:6: warning: states the hours 9:00–17:00, but the "
        "configured support hours are 'Mon–Thu, 7:00–15:00 UTC'; write {{ support_hours }} "
        "to show the configured ones"
    ]
