"""Topics: the spellings of one thing customers looked for, typos included, counted together,
and two different words one letter apart kept apart."""

from __future__ import annotations


def _zero_results(staff_client) -> dict[tuple[str, str], dict]:
    data = staff_client.get("/reports/zero-results.json").get_json()
    return {(row["language"], row["query"]): row for row in data["tables"][0]["rows"]}


def test_typos_of_one_word_are_one_topic_with_every_customer_counted(activity, staff_client):
    """Issue 26: "klarna — 1 visitor" where three customers asked, in three spellings."""
    for visitor in "abc":
        activity.search("en", "klarna", 0, visitor=visitor)
    activity.search("en", "klarma", 0, visitor="d")
    activity.search("en", "klanra", 0, visitor="e")
    activity.search("en", "klarma", 0, visitor="a")  # one customer, two spellings: once
    rows = _zero_results(staff_client)
    assert list(rows) == [("en", "klarna")]
    klarna = rows[("en", "klarna")]
    assert (klarna["searches"], klarna["visitors"]) == (6, 5)
    assert klarna["spellings"] == "klarna | klarma | klanra"


def test_two_words_of_the_language_one_letter_apart_stay_two_topics(activity, staff_client):
    """Polish "macie" (you have) and "mycie" (washing): one edit apart, both words."""
    activity.search("pl", "macie", 0, visitor="a")
    activity.search("pl", "mycie", 0, visitor="b")
    # Short words must be spelled the same: "blik" and "blok" are not one topic either.
    activity.search("en", "blik", 0, visitor="c")
    activity.search("en", "blok", 0, visitor="d")
    assert set(_zero_results(staff_client)) == {
        ("pl", "macie"),
        ("pl", "mycie"),
        ("en", "blik"),
        ("en", "blok"),
    }
