"""Snippets read like the article: a passage starts at its sentence or list item, and a table
is not flattened into word soup (its matches are used only when nothing else matches, as
"first cell: other cells")."""

from helpcenter.content.plaintext import markdown_to_text
from helpcenter.search.snippets import make_snippet
from tests.helpers import terms

BODY = """
Refunds are quick. We send the money back to the card you paid with, and the bank usually
shows it within five working days after the parcel is back with us.

| Method | Refund time |
|---|--:|
| Card | 5 days |
| Bank transfer | 10 days |

- Shipping costs are refunded only when the item was faulty.
- A gift card is refunded as a new gift card.
"""


def snippet(query: str) -> str:
    return make_snippet("en", markdown_to_text(BODY).text, terms("en", query))


def test_a_passage_starts_at_its_sentence():
    assert snippet("working days").startswith("We send the money back")


def test_a_passage_starts_at_its_list_item():
    assert snippet("faulty").startswith("Shipping costs are")


def test_table_cells_are_skipped_when_the_text_matches():
    found = snippet("bank")
    assert "<mark>bank</mark> usually" in found
    assert "10 days" not in found and "Refund time" not in found


def test_a_match_only_in_a_table_reads_as_row_and_cells():
    assert snippet("transfer") == "Bank <mark>transfer</mark>: 10 days"


def test_a_passage_does_not_run_on_into_a_table():
    found = snippet("parcel")
    assert "the <mark>parcel</mark> is back with us" in found  # the passage that matched
    assert "Method" not in found
