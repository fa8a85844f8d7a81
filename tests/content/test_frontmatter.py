import datetime as dt

from helpcenter.content.frontmatter import CATEGORY_KEYS, parse_front_matter


def test_valid_front_matter_gives_values_and_body_line():
    parsed = parse_front_matter(
        "---\ntitle: Reset your password\ntags: [password, login]\norder: 2\n"
        "review_by: 2027-01-31\n---\nBody text\n"
    )
    assert parsed.problems == []
    assert parsed.values == {
        "title": "Reset your password",
        "tags": ["password", "login"],
        "order": 2,
        "review_by": dt.date(2027, 1, 31),
    }
    assert parsed.body == "Body text\n"
    assert parsed.body_line == 7


def test_invalid_yaml_is_reported_on_its_line():
    parsed = parse_front_matter("---\ntitle: Fine\nsummary: [unclosed\n---\nBody\n")
    [(line, message)] = parsed.problems
    assert message.startswith("invalid YAML")
    assert line in (3, 4)  # the parser notices at the broken value or the line after
    assert not parsed.usable


def test_missing_and_empty_title_are_errors():
    missing = parse_front_matter("---\nsummary: No title here\n---\nBody\n")
    assert (1, "missing 'title' in front matter") in missing.problems
    empty = parse_front_matter("---\ntitle: '  '\n---\nBody\n")
    assert empty.problems == [(2, "'title' is empty: give the article a title")]
    assert not missing.usable and not empty.usable


def test_unknown_key_names_the_line_and_suggests_the_right_key():
    parsed = parse_front_matter("---\ntitle: T\ntagz: [a]\n---\n")
    [(line, message)] = parsed.problems
    assert line == 3
    assert "unknown front-matter key 'tagz'" in message
    assert "did you mean 'tags'" in message
    assert parsed.usable  # an unknown key does not make the article unusable


def test_wrong_types_are_explained():
    parsed = parse_front_matter("---\ntitle: T\norder: first\ndraft: maybe\nreview_by: soon\n---\n")
    messages = dict(parsed.problems)
    assert "'order' must be a whole number" in messages[3]
    assert "'draft' must be true or false" in messages[4]
    assert "'review_by' must be a date" in messages[5]


def test_boolean_is_not_accepted_as_order():
    parsed = parse_front_matter("---\ntitle: T\norder: yes\n---\n")
    assert parsed.problems and "whole number" in parsed.problems[0][1]


def test_file_without_front_matter_or_closing_fence():
    assert "missing front matter" in parse_front_matter("# Just markdown\n").problems[0][1]
    assert "not closed" in parse_front_matter("---\ntitle: T\nBody\n").problems[0][1]


def test_category_files_allow_only_category_keys():
    parsed = parse_front_matter("---\ntitle: Payments\ntags: [x]\n---\n", CATEGORY_KEYS)
    assert "unknown front-matter key 'tags'" in parsed.problems[0][1]


def test_byte_order_mark_is_ignored():
    assert parse_front_matter("\ufeff---\ntitle: T\n---\n").problems == []
