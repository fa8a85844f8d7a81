"""The built-in everyday thesaurus (helpcenter/search/thesaurus/<lang>.txt): a customer's
everyday word finds the article that says it otherwise, the exact word still ranks first, and
writers' synonyms win."""

import pytest

from helpcenter.content.synonym_files import parse_synonyms
from helpcenter.search.searcher import SearchService
from helpcenter.search.synonym_expansion import THESAURUS_DIR, over_expanded
from tests.helpers import ALL


def test_an_everyday_word_finds_the_article_written_otherwise(search):
    tree = search.tree
    tree.category("en", "files", "Files")
    tree.article("en/files/photos.md", "Recover deleted photos", "Open the recycle bin.\n")
    tree.article("en/files/music.md", "Play music", "Open the player.\n")
    tree.category("he", "mail", "דואר")
    tree.article("he/mail/junk.md", "הודעות דואר אלקטרוני בתיקיית הזבל", "פתחו את התיקייה.\n")
    tree.article("he/mail/music.md", "השמעת מוזיקה", "פתחו את הנגן.\n")
    tree.commit()
    search.index()

    assert search.ids("en", "my pics are gone") == ["files/photos"]
    assert search.ids("he", "המיילים שלי") == ["mail/junk"]


def test_the_exact_word_ranks_above_its_everyday_alternative(search):
    tree = search.tree
    tree.category("en", "files", "Files")
    tree.article("en/files/photos.md", "Back up your photos", "Copy them to the cloud.\n")
    tree.article("en/files/pics.md", "Back up your pics", "Copy them to the cloud.\n")
    tree.commit()
    search.index()

    assert search.ids("en", "pics") == ["files/pics", "files/photos"]
    assert search.ids("en", "photos") == ["files/photos", "files/pics"]


def test_writers_synonyms_win_over_the_thesaurus(search):
    """A writers' group makes the alternative a full form of the word: both articles score
    alike, as writers asked."""
    tree = search.tree
    tree.category("en", "files", "Files")
    tree.article("en/files/photos.md", "Back up your photos", "Copy them to the cloud.\n")
    tree.article("en/files/pics.md", "Back up your pics", "Copy them to the cloud.\n")
    tree.commit()
    search.index()
    writers = {"en": (("pics", "photos"),)}
    service = SearchService(
        search.indexes, refresh_interval=0, min_score_ratio=0, synonyms=writers.get
    )

    scores = {hit.id: hit.score for hit in service.search("en", "pics").hits}
    assert scores["files/photos"] == pytest.approx(scores["files/pics"])


@pytest.mark.parametrize("lang", [language.code for language in ALL])
def test_every_language_has_a_clean_thesaurus(lang):
    path = THESAURUS_DIR / f"{lang}.txt"
    groups, problems = parse_synonyms(path, path.read_text(encoding="utf-8"))
    assert problems == []
    assert over_expanded(lang, list(groups)) == []  # every group is used for every word
    assert 80 <= len(groups) <= 200
