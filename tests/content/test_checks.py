import re

from click.testing import CliRunner, Result

from helpcenter.cli import main
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
    assert reported("xx", 1, "unknown language folder 'xx'")
    assert reported("en/loose.md", 1, "belong in a category folder")
    assert reported("en/account/Bad_Name.md", 1, "not a valid URL name")


def test_warnings_alone_do_not_fail(runner, tmp_path):
    tree = ArticleTree(tmp_path / "warn")
    tree.write("en/faq/hello.md", "---\ntitle: Hello\n---\nHi\n")
    result = run_check(runner, tree.root)
    assert result.exit_code == 0
    assert "warning: category 'faq' has no _category.md" in result.output


def problem_lines(result) -> list[str]:
    return [line for line in result.output.splitlines() if re.match(r"^\S+:\d+: ", line)]


def check_as_configured(root) -> Result:
    """`helpcenter check ROOT` with a new app, configured from the environment."""
    return CliRunner().invoke(main, ["check", str(root)], catch_exceptions=False)


def test_an_article_in_one_language_only_is_no_problem(runner, tmp_path):
    """A Polish team's article about BLIK needs no English twin (it used to be an error:
    "translation has no source")."""
    tree = ArticleTree(tmp_path / "local")
    tree.category("en", "payments", "Payments")
    tree.category("pl", "payments", "Płatności")
    tree.category("pl", "lokalne", "Tylko w Polsce")
    tree.article("en/payments/cards.md", "Cards")
    tree.article("pl/payments/cards.md", "Karty")
    tree.article("pl/payments/blik.md", "Płatność BLIK", "Wpisz kod z aplikacji banku.\n")
    tree.article("pl/lokalne/kurier.md", "Kurier lokalny", "Dowozimy w Warszawie.\n")
    tree.commit()
    result = run_check(runner, tree.root)
    assert result.exit_code == 0, result.output
    assert problem_lines(result) == []


def test_a_category_in_one_language_without_a_name_is_a_warning(runner, tmp_path):
    tree = ArticleTree(tmp_path / "unnamed")
    tree.category("en", "payments", "Payments")
    tree.article("en/payments/cards.md", "Cards")
    tree.article("pl/payments/cards.md", "Karty")  # named by the English _category.md
    tree.article("pl/lokalne/kurier.md", "Kurier lokalny")
    result = run_check(runner, tree.root)
    assert result.exit_code == 0
    assert [line.removeprefix(str(tree.root) + "/") for line in problem_lines(result)] == [
        "pl/lokalne/_category.md:1: warning: category 'lokalne' has no _category.md: add one "
        "with a 'title:' to name it"
    ]


def translated_tree(tmp_path, payments_translate: str | None = None) -> ArticleTree:
    tree = ArticleTree(tmp_path / "translate")
    extra = f"translate: {payments_translate}\n" if payments_translate else ""
    tree.write("en/payments/_category.md", f"---\ntitle: Payments\n{extra}---\n")
    tree.category("en", "account", "Account")
    tree.article("en/payments/cards.md", "Cards")
    tree.article("pl/payments/cards.md", "Karty")
    tree.article("en/payments/refunds.md", "Refunds")
    tree.article("pl/payments/blik.md", "BLIK")
    tree.article("en/account/password.md", "Password")
    tree.commit()
    return tree


def test_translate_required_in_a_category_warns_about_its_missing_translations(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("HELPCENTER_LANGUAGES", "en,pl")
    tree = translated_tree(tmp_path, "required")
    result = check_as_configured(tree.root)
    assert result.exit_code == 0, result.output  # warnings: the site still builds
    lines = [line.removeprefix(str(tree.root) + "/") for line in problem_lines(result)]
    assert lines == [
        "en/payments/refunds.md:1: warning: not translated into pl (translate: required in "
        "en/payments/_category.md): write pl/payments/refunds.md",
        # A one-language article is missing in the other languages too, where they are asked for.
        "pl/payments/blik.md:1: warning: not translated into en (translate: required in "
        "en/payments/_category.md): write en/payments/blik.md",
    ]


def test_translate_required_for_the_site_and_optional_in_a_category(tmp_path, monkeypatch):
    monkeypatch.setenv("HELPCENTER_LANGUAGES", "en,pl")
    monkeypatch.setenv("HELPCENTER_TRANSLATE", "required")
    tree = translated_tree(tmp_path, "optional")
    lines = [
        line.removeprefix(str(tree.root) + "/")
        for line in problem_lines(check_as_configured(tree.root))
    ]
    assert lines == [
        'en/account/password.md:1: warning: not translated into pl (translate = "required" in '
        "helpcenter.toml): write pl/account/password.md"
    ]


def test_a_translate_value_other_than_required_or_optional_is_an_error(runner, tmp_path):
    tree = translated_tree(tmp_path, "always")
    result = run_check(runner, tree.root)
    assert result.exit_code == 1
    assert any(
        line.startswith(f"{tree.root}/en/payments/_category.md:3: 'translate' must be required")
        for line in problem_lines(result)
    )


def test_an_image_over_the_size_limit_is_a_warning_with_its_file(tmp_path, monkeypatch):
    monkeypatch.setenv("HELPCENTER_IMAGE_MAX_BYTES", "2000")
    tree = ArticleTree(tmp_path / "images")
    tree.category("en", "care", "Care")
    tree.article("en/care/pans.md", "Pans", "![A pan](pan.png)\n\n![A lid](lid.svg)\n")
    tree.write("en/care/pan.png", b"\x89PNG\r\n\x1a\n" + bytes(3000))
    tree.write("en/care/lid.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    tree.commit()
    result = check_as_configured(tree.root)
    assert result.exit_code == 0
    assert problem_lines(result) == [
        f"{tree.root}/en/care/pan.png:1: warning: image is 3 KB, more than the 2 KB allowed "
        "(IMAGE_MAX_BYTES): every reader downloads it, on a phone too; save it smaller (fewer "
        "pixels, or JPEG/WebP for a photo)"
    ]


def parse_annotation(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command as GitHub's runner reads it: `::command key=value,…::message`, each
    part unescaped after splitting (actions/runner, ActionCommand.cs)."""

    def unescape(text: str, escapes: dict[str, str]) -> str:
        for escaped, plain in escapes.items():
            text = text.replace(escaped, plain)
        return text

    data = {"%0D": "\r", "%0A": "\n", "%25": "%"}
    match = re.fullmatch(r"::(\w+) ([^:]*)::(.*)", line)
    assert match, line
    command, properties, message = match.groups()
    fields = {}
    for pair in properties.split(","):
        key, value = pair.split("=", 1)
        fields[key] = unescape(value, {"%3A": ":", "%2C": ",", **data})
    return command, fields, unescape(message, data)


def test_check_can_print_github_annotations_relative_to_the_repository(tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site).mkdir()
    (site / "helpcenter.toml").write_text('languages = ["en", "pl"]\n')
    tree = ArticleTree(site / "articles")
    tree.category("en", "faq", "FAQ")
    # A file name with a comma: it would end the `file=` property if it were not escaped.
    tree.write("en/faq/tips,tricks.md", "---\ntitle: Tips\n---\nSee [100% off](sale.md).\n")
    tree.write("en/faq/hours.md", "---\ntitle: Hours\n---\nWe answer 9:00–17:00.\n")
    tree.commit()
    monkeypatch.setenv("HELPCENTER_CONFIG", str(site / "helpcenter.toml"))
    monkeypatch.chdir(tmp_path)  # not the repository's root: paths are still relative to it
    result = CliRunner().invoke(main, ["check", "--format", "github"])
    assert result.exit_code == 1, result.output
    annotations = [parse_annotation(line) for line in result.stdout.splitlines()]
    tips = [
        (command, fields["line"], message)
        for command, fields, message in annotations
        if fields["file"] == "articles/en/faq/tips,tricks.md"
    ]
    assert [(command, line) for command, line, _ in tips] == [("error", "1"), ("error", "4")]
    assert "'tips,tricks' is not a valid URL name" in tips[0][2]
    assert tips[1][2].startswith("broken link: 'sale.md'")
    [(command, fields, message)] = [
        a for a in annotations if a[1]["file"] == "articles/en/faq/hours.md"
    ]
    assert (command, fields["line"]) == ("warning", "4")
    assert "9:00–17:00" in message
    # Nothing else on standard output, where the runner reads commands; the count on stderr.
    assert len(annotations) == 3
    assert "2 error(s), 1 warning(s)" in result.stderr
