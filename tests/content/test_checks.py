import re

from tests.helpers import run_check

from ..articletree import ArticleTree


def test_clean_tree_passes(runner, basic):
    result = run_check(runner, basic.root)
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output


def test_every_kind_of_mistake_is_reported_with_file_and_line(runner, tmp_path):
    tree = ArticleTree(tmp_path / "mistakes")
    tree.category("en", "account", "Account")
    tree.category("pl", "account", "Konto")
    tree.write("en/account/bad-yaml.md", "---\ntitle: Fine\nsummary: [oops\n---\nBody\n")
    tree.write("en/account/no-title.md", "---\nsummary: Nothing else\n---\nBody\n")
    tree.write("en/account/unknown-key.md", "---\ntitle: T\nauthor: me\n---\nBody\n")
    tree.write(
        "en/account/links.md",
        "---\ntitle: Links\n---\nIntro\n\nSee [x](missing.md).\n\n![pic](nope.png)\n",
    )
    tree.write("en/account/reset.md", "---\ntitle: Reset\n---\nBody\n")
    tree.category("en", "billing", "Billing")
    tree.write("en/billing/reset.md", "---\ntitle: Also reset\n---\nBody\n")
    tree.write("pl/account/orphan.md", "---\ntitle: Sierota\n---\nBez źródła\n")
    tree.write("xx/account/lost.md", "---\ntitle: Lost\n---\nBody\n")
    tree.write("en/loose.md", "---\ntitle: Loose\n---\nBody\n")
    tree.write("en/account/Bad_Name.md", "---\ntitle: Bad\n---\nBody\n")
    tree.commit()

    result = run_check(runner, tree.root)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if re.match(r"^\S+:\d+: ", line)]
    root = tree.root

    def reported(path: str, line: int, text: str) -> bool:
        prefix = f"{root / path}:{line}: "
        return any(entry.startswith(prefix) and text in entry for entry in lines)

    assert reported("en/account/bad-yaml.md", 4, "invalid YAML") or reported(
        "en/account/bad-yaml.md", 3, "invalid YAML"
    )
    assert reported("en/account/no-title.md", 1, "missing 'title'")
    assert reported("en/account/unknown-key.md", 3, "unknown front-matter key 'author'")
    assert reported("en/account/links.md", 6, "broken link: 'missing.md'")
    assert reported("en/account/links.md", 8, "image not found: 'nope.png'")
    assert reported("en/billing/reset.md", 1, "duplicate slug 'reset'")
    assert reported("pl/account/orphan.md", 1, "translation has no source")
    assert reported("xx", 1, "unknown language folder 'xx'")
    assert reported("en/loose.md", 1, "belong in a category folder")
    assert reported("en/account/Bad_Name.md", 1, "not a valid URL name")


def test_warnings_alone_do_not_fail(runner, tmp_path):
    tree = ArticleTree(tmp_path / "warn")
    tree.write("en/faq/hello.md", "---\ntitle: Hello\n---\nHi\n")
    result = run_check(runner, tree.root)
    assert result.exit_code == 0
    assert "warning: category 'faq' has no _category.md" in result.output
