"""Writers' synonyms (articles/<lang>/_synonyms.txt): file -> check -> search, and its errors."""

import pytest

from helpcenter import services
from helpcenter.cli import main
from helpcenter.content.loader import load_catalog
from helpcenter.content.synonym_files import MAX_GROUP, MAX_GROUPS, parse_synonyms
from helpcenter.search.searcher import SearchService
from helpcenter.search.synonym_expansion import (
    MAX_LOOKUPS,
    MAX_WORD_EXPANSIONS,
    compile_synonyms,
    expand,
)
from tests.helpers import ALL, make_app


def _shop(tree):
    tree.category("en", "orders", "Orders")
    tree.article("en/orders/track.md", "Track your package", "Follow your package online.\n")
    tree.article("en/orders/gifts.md", "Vouchers", "A voucher never expires.\n")
    tree.article("en/orders/delivery.md", "Delivery times", "We deliver in two days.\n")
    tree.commit()


def test_synonyms_file_is_checked_and_then_searched_through_the_site(tmp_path, tree):
    _shop(tree)
    app = make_app(tmp_path, tree.root, SEARCH_MIN_SCORE_RATIO=0)
    client = app.test_client()
    assert "Track your package" not in client.get("/en/search?q=parcel").get_data(as_text=True)

    tree.write(
        "en/_synonyms.txt", "# customers' words first\nparcel, package\ngift certificate, voucher\n"
    )
    result = app.test_cli_runner().invoke(main, ["check", str(tree.root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "_synonyms.txt" not in result.output  # a good file is not a problem

    # The site picks the new file up (the content store's fingerprint), no restart.
    store = services.content_store(app)
    assert store.refresh() is True  # what the periodic content check does
    html = client.get("/en/search?q=parcels").get_data(as_text=True)
    assert "Track your package" in html and "Delivery times" not in html
    assert "Vouchers" in client.get("/en/search?q=gift+certificates").get_data(as_text=True)

    tree.write("en/_synonyms.txt", "gift certificate, voucher\n")
    assert store.refresh() is True
    assert "Track your package" not in client.get("/en/search?q=parcel").get_data(as_text=True)


def test_a_word_and_its_synonym_count_once(search):
    """Dismax: an article using both words of a group does not outrank one using the
    customer's own word twice as strongly."""
    tree = search.tree
    tree.category("en", "orders", "Orders")
    tree.article("en/orders/both.md", "Delivery", "A parcel or package arrives.\n")
    tree.article("en/orders/parcel.md", "Parcel", "Your parcel.\n")
    search.index()
    catalog_synonyms = {"en": (("parcel", "package"),)}
    service = SearchService(
        search.indexes, refresh_interval=0, min_score_ratio=0, synonyms=catalog_synonyms.get
    )

    def score(service, word):
        return {hit.id: hit.score for hit in service.search("en", word).hits}["orders/both"]

    alone = [score(search.service, "parcel"), score(search.service, "package")]
    assert score(service, "parcel") == pytest.approx(max(alone))
    assert score(service, "parcel") < sum(alone)


def test_synonym_mistakes_are_reported_with_line_numbers(runner, tree):
    _shop(tree)
    tree.write(
        "en/_synonyms.txt",
        "parcel, package\n"
        "\n"
        "lonely\n"  # a group of one
        "gift card, , voucher\n"  # an empty member
        ",,\n"  # an empty group
        "zorblax, quuxify\n",  # no article uses either word
    )
    tree.write("xx/_synonyms.txt", "a, b\n")
    tree.write("en/orders/_synonyms.txt", "a, b\n")
    result = runner.invoke(main, ["check", str(tree.root)], catch_exceptions=False)
    out = result.output
    assert "en/_synonyms.txt:3: warning: a synonym group needs at least two" in out
    assert "en/_synonyms.txt:4: warning: empty synonym" in out
    assert "en/_synonyms.txt:5: warning: a synonym group needs at least two" in out
    assert "en/_synonyms.txt:6: warning: no en article uses any of these words" in out
    assert "en/_synonyms.txt:1:" not in out
    assert "xx/_synonyms.txt:1: warning: synonyms for 'xx', which is not an enabled language" in out
    assert "en/orders/_synonyms.txt:1: warning: synonyms are not used here" in out
    catalog = load_catalog(tree.root, ALL)
    # The usable groups still work; a broken line is left out.
    assert catalog.synonyms["en"] == (
        ("parcel", "package"),
        ("gift card", "voucher"),
        ("zorblax", "quuxify"),
    )


def test_a_synonyms_file_over_the_limits_fails_check_with_its_lines(runner, tree):
    _shop(tree)
    full = ", ".join(f"word{n}" for n in range(MAX_GROUP - 1))
    tree.write(
        "en/_synonyms.txt",
        "refund, money back\n"  # 1
        f"parcel, {', '.join(f'box{n}' for n in range(MAX_GROUP))}\n"  # 2: one member too many
        "voucher, a gift card to spend in any of our shops\n"  # 3: a phrase too long
        + "".join(f"refund, {full.replace('word', f'g{g}w')}\n" for g in range(4)),  # 4-7
    )
    result = runner.invoke(main, ["check", str(tree.root)], catch_exceptions=False)
    out = result.output
    assert result.exit_code == 1, out
    assert f"en/_synonyms.txt:2: too many synonyms in one group ({MAX_GROUP + 1}; at most" in out
    assert "en/_synonyms.txt:3: synonym too long: 'a gift card to spend in any of our shops'" in out
    # "refund" reaches 1 + 3 × 11 words and phrases through lines 1-6; line 7 is one group more.
    assert "en/_synonyms.txt:7: 'refund' is in too many synonym groups" in out
    assert "en/_synonyms.txt:6: 'refund'" not in out


def test_a_word_in_a_thousand_synonym_groups_expands_within_the_bounds(search):
    """A file within the old limits (2,000 groups of 12, each with "refund") made one search for
    "refund" cost 1.5 s: now the word reaches a bounded number of groups, and the expansion of
    one query makes a bounded number of index lookups, however big the file."""
    tree = search.tree
    tree.category("en", "orders", "Orders")
    tree.article("en/orders/refunds.md", "Refunds", "Your refund arrives in five days.\n")
    search.index()
    bomb = "".join(
        "refund, " + ", ".join(f"g{g}m{m} alpha beta gamma" for m in range(MAX_GROUP - 1)) + "\n"
        for g in range(MAX_GROUPS)
    )
    groups, problems = parse_synonyms(tree.root / "en" / "_synonyms.txt", bomb)
    assert len(groups) == MAX_GROUPS and problems == []  # each line alone is fine
    table = compile_synonyms("en", groups)
    reached = sum(len(table.groups[m.group]) - 1 for m in table.by_first["refund"])
    assert reached <= MAX_WORD_EXPANSIONS
    lookups = []

    def known(field, form):
        lookups.append(form)
        return False

    text, loose = [["refund"]], [["refund"]]
    expand(table, text, loose, known)
    assert 0 < len(lookups) <= MAX_LOOKUPS
    assert (text, loose) == ([["refund"]], [["refund"]])
    service = SearchService(
        search.indexes, refresh_interval=0, min_score_ratio=0, synonyms={"en": groups}.get
    )
    assert [hit.id for hit in service.search("en", "refund").hits] == ["orders/refunds"]
