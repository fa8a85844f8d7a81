"""Speed: from a writer's save to the page and the search showing it, on 10,000 articles.

    .venv/bin/python bench/reload.py                  # 10,000 articles, lexical and semantic
    .venv/bin/python bench/reload.py --rounds 9 --no-semantic

The tree is the one bench/search.py makes (the real corpus topped up to 10,000 articles over
six languages), committed to a git repository as a content repo is. Each mode runs in a fresh
process that does what `helpcenter serve` does (and a staging site with CONTENT_CHECK_INTERVAL)
after a save, with the real code: the content store reloads the changed file into a new
catalog (content/loader.py), the index sync re-indexes the languages whose articles changed
(search/sync.py), and the article's page renders. Each round edits the same English article,
as a writer does, adding a word no other article has, and checks that the rendered page and
a search for the word both show it. Median and worst over the rounds. Two ways of finding the
save: a walk (one stat per file: where inotify is missing), and the kernel's events
(content/notify.py, Linux) as `serve` reads them (after the short quiet moment a save is given
to finish) and as a site worker's check reads them (what is queued, no wait).

Baseline in the same run and process: a full load of the same tree (every file read and
parsed, the git log read), which is what every reload cost before issue 24.

Semantic mode: an index with passage embeddings needs every passage of 10,000 articles
embedded, hours on this machine. So the bench fills a scratch embedding cache with stand-in
vectors for the unedited text (a hash of the text, not the model: relevance is not measured
here) and re-indexes with the real model, which embeds the edited article's changed passages
as it would on a real site. The cache is the bench's own, never a real one.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from search import LANGUAGES, SECRET, in_child, make_tree  # noqa: E402

from helpcenter.content.catalog import PlainUrls  # noqa: E402
from helpcenter.content.loader import TreeLoader  # noqa: E402
from helpcenter.content.notify import TreeWatch  # noqa: E402
from helpcenter.content.store import ContentStore  # noqa: E402
from helpcenter.search.hybrid import semantic_search  # noqa: E402
from helpcenter.search.indexer import IndexStore  # noqa: E402
from helpcenter.search.searcher import SearchService  # noqa: E402
from helpcenter.search.semantic import (  # noqa: E402
    DIMENSIONS,
    MODEL_NAME,
    PassageEmbedder,
    shared_encoder,
)
from helpcenter.search.sync import IndexSync, update_indexes  # noqa: E402

EDITED = "insights/problem-resetting-password"


class StandInEncoder:
    """Fills the scratch cache under the real model's name: a vector from the text's hash."""

    name = MODEL_NAME

    def passages(self, texts) -> np.ndarray:
        return np.stack([self._vector(text) for text in texts])

    def query(self, text: str) -> np.ndarray:
        return self._vector(text)

    @staticmethod
    def _vector(text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
        vector = np.random.default_rng(seed).standard_normal(DIMENSIONS).astype(np.float32)
        return vector / np.linalg.norm(vector)


def _edited_path(articles: Path) -> Path:
    path = articles / "en" / f"{EDITED}.md"
    return path if path.exists() else next((articles / "en" / "insights").glob("[!_]*.md"))


def _save(path: Path, word: str) -> None:
    """A writer's save: one sentence more at the top of the body, with a word of its own."""
    text = path.read_text(encoding="utf-8")
    end = text.index("\n---", 3) + len("\n---\n")
    path.write_text(text[:end] + f"The writer adds {word} here.\n\n" + text[end:], "utf-8")


def run_mode(articles: Path, work: Path, semantic: bool, rounds: int, full_rounds: int) -> dict:
    """One process as `helpcenter serve` runs: build, then save → reload → re-index → visible."""
    full = []
    for _ in range(full_rounds):
        started = time.perf_counter()
        TreeLoader(articles, LANGUAGES).load()
        full.append(time.perf_counter() - started)

    store = ContentStore(articles, LANGUAGES, check_interval=0)
    catalog = store.catalog()
    folder = work / ("index-semantic" if semantic else "index-lexical")
    cache = work / "embedding-cache"
    if semantic:
        seeding = IndexStore(
            folder, secret=SECRET, embedder=PassageEmbedder(StandInEncoder(), cache)
        )
        update_indexes(seeding, catalog, full=True)
        encoder = shared_encoder()
        encoder.passages(["warm-up"])  # the model is loaded once per process, before any save
        embedder = PassageEmbedder(encoder, cache)
        indexes = IndexStore(folder, secret=SECRET, embedder=embedder)
    else:
        embedder = None
        indexes = IndexStore(folder, secret=SECRET)
        update_indexes(indexes, catalog, full=True)
    sync = IndexSync(indexes)
    sync.ensure_current(catalog)
    service = SearchService(
        indexes,
        refresh_interval=0,
        semantic=semantic_search(indexes) if semantic else None,
    )

    path = _edited_path(articles)
    article_id = f"{path.parent.name}/{path.stem}"
    watch = TreeWatch.open(articles)  # `helpcenter serve`'s way on Linux; None elsewhere
    how = ["walk", "events", "poll"] if watch is not None else ["walk"]
    rows = []
    for number in range(rounds):
        for way in how:
            word = f"reloadmark{number}{way}x{time.time_ns() % 10**6}"
            embedded_before = embedder.embedded if embedder else 0
            _save(path, word)
            saved = time.perf_counter()
            if way == "events":
                assert watch is not None
                changed = watch.wait(1.0)  # includes the quiet moment a save is given to end
                store.refresh(changed_paths=changed)
            elif way == "poll":
                assert watch is not None
                store.refresh(changed_paths=watch.poll())  # a site worker's check: no wait
            else:
                store.refresh()  # one stat per file: the serving site's check
            catalog = store.catalog()
            reloaded = time.perf_counter()
            sync.ensure_current(catalog)
            indexed = time.perf_counter()
            rendered = catalog.render(catalog.articles[("en", article_id)], "en", PlainUrls())
            shown = time.perf_counter()
            hits = service.search("en", word).hits
            searched = time.perf_counter()
            assert rendered is not None and word in rendered.html, "the page misses the save"
            assert article_id in [hit.id for hit in hits], "the search misses the save"
            if watch is not None and way == "walk":
                watch.wait(0.05)  # this save's events, already handled by the walk
            rows.append(
                {
                    "way": way,
                    "reload": reloaded - saved,
                    "reindex": indexed - reloaded,
                    "render": shown - indexed,
                    "search": searched - shown,
                    "visible": shown - saved,
                    "embedded": (embedder.embedded if embedder else 0) - embedded_before,
                }
            )
    if watch is not None:
        watch.close()
    return {"full": full, "rounds": rows, "articles": len(catalog.articles)}


def _git_commit(articles: Path) -> None:
    for args in (
        ["init", "-q", "-b", "main"],
        ["add", "-A"],
        [
            "-c",
            "user.name=Bench",
            "-c",
            "user.email=bench@example.com",
            "commit",
            "-q",
            "-m",
            "content",
        ],
    ):
        subprocess.run(["git", *args], cwd=articles, check=True, capture_output=True)


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:>8.0f} ms ({max(values) * 1000:>5.0f} worst)"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=10_000, help="total articles")
    parser.add_argument("--rounds", type=int, default=7, help="saves timed per mode and way")
    parser.add_argument("--full-rounds", type=int, default=3, help="full loads timed")
    parser.add_argument("--no-semantic", action="store_true", help="lexical only")
    parser.add_argument("--no-git", action="store_true", help="a plain folder, not a git repo")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="hc-reload-") as scratch:
        work = Path(scratch)
        articles = work / "articles"
        counts = make_tree(articles, args.articles)
        if not args.no_git:
            _git_commit(articles)
        print(f"corpus: {sum(counts.values())} articles" + ("" if args.no_git else ", in git"))
        modes = [("lexical only", False)] + ([] if args.no_semantic else [("semantic", True)])
        results = {
            label: in_child(run_mode, articles, work, semantic, args.rounds, args.full_rounds)
            for label, semantic in modes
        }

    print(f"one English article saved {args.rounds} times each way; median (worst)\n")
    for label, result in results.items():
        rows = result["rounds"]
        full = result["full"]
        print(f"{label}  ({result['articles']} articles)")
        print(f"  full load of the tree (before)        {_ms(full)}")
        for way, name in (
            ("walk", "found by a walk (no inotify)"),
            ("events", "found by inotify, serve (waits for the save to end)"),
            ("poll", "found by inotify, a site worker's check"),
        ):
            mine = [row for row in rows if row["way"] == way]
            if not mine:
                continue
            column = {key: [row[key] for row in mine] for key in mine[0] if key != "way"}
            print(f"  {name}")
            print(f"    reload the catalog                  {_ms(column['reload'])}")
            print(f"    re-index what changed               {_ms(column['reindex'])}")
            print(f"    render the page                     {_ms(column['render'])}")
            print(f"    save -> page and index show it      {_ms(column['visible'])}")
            print(f"    + first search finding it           {_ms(column['search'])}")
            speedup = statistics.median(full) / statistics.median(column["reload"])
            embedded = statistics.median(column["embedded"])
            print(
                f"    reload {speedup:.0f}x faster than a full load; passages embedded: {embedded:.0f}"
            )
        print()


if __name__ == "__main__":
    main()
