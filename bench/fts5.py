"""The baseline: the same articles in SQLite FTS5 (stdlib sqlite3), searched the plain way.

One FTS5 table per language, `unicode61 remove_diacritics 2` tokenizer (case and accent
folding, no stemming), bm25 ranking with the title weighted 5x, snippets from FTS5's own
snippet(). This is what one gets from SQLite with no search-specific work.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from helpcenter.content.catalog import Catalog
from helpcenter.content.plaintext import markdown_to_text

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class Fts5Hit:
    id: str
    title: str
    snippet: str


class Fts5Baseline:
    def __init__(self, path: Path | str = ":memory:") -> None:
        self.path = path
        self.connection = sqlite3.connect(str(path), check_same_thread=False)

    def build(self, catalog: Catalog) -> None:
        for lang in catalog.language_codes:
            table = f"articles_{lang}"
            self.connection.execute(f"DROP TABLE IF EXISTS {table}")
            self.connection.execute(
                f"CREATE VIRTUAL TABLE {table} USING fts5(id UNINDEXED, title, body, "
                "tokenize='unicode61 remove_diacritics 2')"
            )
            rows = [
                _row(article) for (code, _), article in catalog.articles.items() if code == lang
            ]
            self.connection.executemany(f"INSERT INTO {table} VALUES (?, ?, ?)", rows)
        self.connection.commit()

    def replace(self, article) -> None:
        """Re-indexes one article (the baseline's incremental update)."""
        table = f"articles_{article.lang}"
        self.connection.execute(f"DELETE FROM {table} WHERE id = ?", (article.id,))
        self.connection.execute(f"INSERT INTO {table} VALUES (?, ?, ?)", _row(article))
        self.connection.commit()

    def search(self, lang: str, text: str, limit: int = 10) -> list[Fts5Hit]:
        words = _WORD.findall(text.lower())[:12]
        if not words:
            return []
        match = " OR ".join('"' + word.replace('"', '""') + '"' for word in words)
        rows = self.connection.execute(
            f"SELECT id, title, snippet(articles_{lang}, 2, '<mark>', '</mark>', ' … ', 24) "
            f"FROM articles_{lang} WHERE articles_{lang} MATCH ? "
            f"ORDER BY bm25(articles_{lang}, 0.0, 5.0, 1.0) LIMIT ?",
            (match, limit),
        ).fetchall()
        return [Fts5Hit(*row) for row in rows]

    def close(self) -> None:
        self.connection.close()


def _row(article) -> tuple[str, str, str]:
    plain = markdown_to_text(article.body)
    text = " ".join([article.summary, " ".join(article.tags), " ".join(plain.headings), plain.text])
    return article.id, article.title, text
