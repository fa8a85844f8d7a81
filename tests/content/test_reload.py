"""Reloading only what changed (content/loader.py: TreeLoader) gives the catalog a full load
of the same tree gives, and keeps the last good version of a file a writer broke."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

from helpcenter.content import tree as content_tree
from helpcenter.content.catalog import Catalog, PlainUrls
from helpcenter.content.cost_limits import MarkdownLimits
from helpcenter.content.loader import KEPT_MESSAGE, TreeLoader
from helpcenter.content.notify import TreeWatch
from helpcenter.languages import resolve_languages

LANGUAGES = resolve_languages(["en", "pl", "he"], "en")
PLACEHOLDERS = {"en": {"hours": "9 to 5"}, "pl": {"hours": "9-17"}}
LIMITS = MarkdownLimits(max_bytes=1_500)  # so that some random edits break a limit


def loader(root: Path, **options) -> TreeLoader:
    return TreeLoader(root, LANGUAGES, limits=LIMITS, placeholders=PLACEHOLDERS, **options)


def full_load(root: Path) -> Catalog:
    return loader(root).load()


def assert_same_catalog(incremental: Catalog, full: Catalog) -> None:
    """Field by field, then everything derived across articles, as the pages use it."""
    assert list(incremental.articles.items()) == list(full.articles.items())
    assert list(incremental.categories.items()) == list(full.categories.items())
    assert list(incremental.assets.items()) == list(full.assets.items())
    assert incremental.synonyms == full.synonyms
    assert incremental.problems == full.problems
    assert incremental.show_drafts == full.show_drafts
    urls = PlainUrls()
    for lang in incremental.language_codes:
        assert incremental.category_list(lang) == full.category_list(lang)
        views = incremental.all_articles(lang)
        assert views == full.all_articles(lang)
        for view in views:
            article_id = view.article.id
            assert incremental.translations(article_id) == full.translations(article_id)
            assert incremental.is_outdated(view.article) == full.is_outdated(view.article)
            assert incremental.related(view, 5) == full.related(view, 5)
            for alias in view.article.aliases:
                found = incremental.find_alias(lang, view.article.category, alias)
                assert found == full.find_alias(lang, view.article.category, alias)
            # Rendered HTML may come from the previous catalog's cache: it must still be right.
            assert incremental.render(view.article, lang, urls) == full.render(
                view.article, lang, urls
            )


class RandomWriter:
    """Edits a writer (or a pull) makes: articles added, changed, moved and deleted,
    translations added and removed, category files, synonyms, images, commits, and files
    broken and fixed again."""

    CATEGORIES = ("account", "payments", "shipping")
    SLUGS = ("reset-password", "declined", "methods", "refunds", "returns", "tracking", "wallets")

    def __init__(self, tree, seed: int) -> None:
        self.tree = tree
        self.rng = random.Random(seed)
        self.broken: set[Path] = set()
        self.commits = 0

    def articles(self) -> list[Path]:
        return sorted(
            path for path in self.tree.root.glob("*/*/*.md") if path.name != "_category.md"
        )

    def folders(self) -> list[Path]:
        """Category folders (never git's own)."""
        return sorted(p for p in self.tree.root.glob("[!.]*/*") if p.is_dir())

    def step(self) -> str:
        actions = [
            self.add,
            self.change,
            self.change,
            self.move,
            self.delete,
            self.translate,
            self.untranslate,
            self.category,
            self.synonyms,
            self.image,
            self.commit,
            self.touch,
            self.break_one,
            self.fix,
            self.move_folder,
            self.delete_folder,
        ]
        action = self.rng.choice(actions)
        return f"{action.__name__}: {action()}"

    def _body(self) -> str:
        rng = self.rng
        parts = [f"Paragraph {rng.randint(1, 1000)} about {rng.choice(self.SLUGS)}."]
        if rng.random() < 0.5:
            category, slug = rng.choice(self.CATEGORIES), rng.choice(self.SLUGS)
            parts.append(f"See [this](../{category}/{slug}.md).")
        if rng.random() < 0.3:
            parts.append("![A padlock](padlock.svg)")
        if rng.random() < 0.3:
            parts.append("Open {{ hours }}, closed {{ unknown }}.")
        if rng.random() < 0.1:
            parts.append("x" * 2_000)  # over LIMITS.max_bytes: listed, never rendered
        return "\n\n".join(parts) + "\n"

    def _write_article(self, relative: str) -> None:
        rng = self.rng
        meta: dict[str, object] = {}
        if rng.random() < 0.5:
            meta["tags"] = f"[{', '.join(rng.sample(['card', 'login', 'money', 'parcel'], 2))}]"
        if rng.random() < 0.3:
            meta["aliases"] = f"[{rng.choice(self.SLUGS)}-old]"
        if rng.random() < 0.5:
            meta["order"] = rng.randint(1, 5)
        if rng.random() < 0.1:
            meta["draft"] = "true"
        self.tree.article(relative, f"Title {rng.randint(1, 99)}", self._body(), **meta)

    def add(self) -> str:
        lang = self.rng.choice(["en", "en", "pl", "he"])
        relative = (
            f"{lang}/{self.rng.choice(self.CATEGORIES)}/{self.rng.choice(self.SLUGS)}"
            f"{self.rng.choice(['', '-2'])}.md"
        )
        self._write_article(relative)
        return relative

    def _pick(self) -> Path | None:
        articles = self.articles()
        return self.rng.choice(articles) if articles else None

    def change(self) -> str:
        path = self._pick()
        if path is None:
            return "nothing"
        self._write_article(path.relative_to(self.tree.root).as_posix())
        self.broken.discard(path)
        return str(path)

    def move(self) -> str:
        path = self._pick()
        if path is None:
            return "nothing"
        lang = path.parts[-3]
        target = (
            self.tree.root
            / lang
            / self.rng.choice(self.CATEGORIES)
            / f"{self.rng.choice(self.SLUGS)}.md"
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        path.rename(target)
        if path in self.broken:
            self.broken.discard(path)
            self.broken.add(target)
        return f"{path} -> {target}"

    def delete(self) -> str:
        path = self._pick()
        if path is None:
            return "nothing"
        path.unlink()
        self.broken.discard(path)
        return str(path)

    def translate(self) -> str:
        sources = [p for p in self.articles() if p.parts[-3] == "en"]
        if not sources:
            return "nothing"
        source = self.rng.choice(sources)
        relative = source.relative_to(self.tree.root / "en").as_posix()
        lang = self.rng.choice(["pl", "he"])
        self._write_article(f"{lang}/{relative}")
        return f"{lang}/{relative}"

    def untranslate(self) -> str:
        translations = [p for p in self.articles() if p.parts[-3] != "en"]
        if not translations:
            return "nothing"
        path = self.rng.choice(translations)
        path.unlink()
        self.broken.discard(path)
        return str(path)

    def category(self) -> str:
        lang, slug = self.rng.choice(["en", "pl", "he"]), self.rng.choice(self.CATEGORIES)
        path = self.tree.root / lang / slug / "_category.md"
        if path.exists() and self.rng.random() < 0.3:
            path.unlink()
            return f"deleted {path}"
        self.tree.category(
            lang, slug, f"Category {self.rng.randint(1, 99)}", self.rng.randint(1, 4)
        )
        return str(path)

    def synonyms(self) -> str:
        path = self.tree.root / self.rng.choice(["en", "pl"]) / "_synonyms.txt"
        if path.exists() and self.rng.random() < 0.3:
            path.unlink()
            return f"deleted {path}"
        words = self.rng.sample(["card", "debit", "login", "sign in", "parcel", "package"], 3)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(", ".join(words) + "\n", encoding="utf-8")
        return str(path)

    def image(self) -> str:
        lang, slug = self.rng.choice(["en", "pl"]), self.rng.choice(self.CATEGORIES)
        path = self.tree.root / lang / slug / "padlock.svg"
        if path.exists() and self.rng.random() < 0.4:
            path.unlink()
            return f"deleted {path}"
        path.parent.mkdir(parents=True, exist_ok=True)
        size = self.rng.randint(1, 9)
        path.write_text(f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}"/>')
        return str(path)

    def commit(self) -> str:
        self.commits += 1
        day = 16 + self.commits % 10
        self.tree._git("add", "-A")
        self.tree._git(
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            f"edit {self.commits}",
            date=f"2026-01-{day:02d}T10:00:00+00:00",
        )
        return f"commit {self.commits}"

    def touch(self) -> str:
        path = self._pick()
        if path is None:
            return "nothing"
        path.write_bytes(path.read_bytes())  # saved again, unchanged
        return str(path)

    def break_one(self) -> str:
        path = self._pick()
        if path is None:
            return "nothing"
        path.write_text(self.rng.choice(["---\ntitle: [unclosed\n---\nBody\n", "no front matter"]))
        self.broken.add(path)
        return str(path)

    def move_folder(self) -> str:
        folders = self.folders()
        if not folders:
            return "nothing"
        folder = self.rng.choice(folders)
        target = folder.parent / self.rng.choice(self.CATEGORIES)
        if target.exists():
            return "nothing"
        folder.rename(target)
        self.broken = {
            target / p.relative_to(folder) if folder in p.parents else p for p in self.broken
        }
        return f"{folder} -> {target}"

    def delete_folder(self) -> str:
        if self.rng.random() < 0.5:  # rarely: a writer seldom deletes a whole category
            return "nothing"
        folders = self.folders()
        if not folders:
            return "nothing"
        folder = self.rng.choice(folders)
        shutil.rmtree(folder)
        self.broken = {p for p in self.broken if folder not in p.parents}
        return f"deleted {folder}"

    def fix(self) -> str:
        if not self.broken:
            return "nothing"
        path = self.rng.choice(sorted(self.broken))
        self.broken.discard(path)
        self._write_article(path.relative_to(self.tree.root).as_posix())
        return str(path)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edits_reload_into_the_catalog_a_full_load_gives(basic, seed):
    incremental = loader(basic.root)
    incremental.load()
    writer = RandomWriter(basic, seed)
    for number in range(40):
        done = writer.step()
        catalog = incremental.load()
        try:
            assert_same_catalog(catalog, full_load(basic.root))
        except AssertionError as error:
            raise AssertionError(f"after step {number} ({done})") from error


@pytest.mark.parametrize("seed", [6, 7])
def test_random_edits_seen_by_the_kernel_reload_into_the_catalog_a_full_load_gives(basic, seed):
    """`helpcenter serve` on Linux: only the paths inotify names are looked at."""
    watch = TreeWatch.open(basic.root)
    if watch is None:
        pytest.skip("inotify is not available here")
    incremental = loader(basic.root)
    incremental.load()
    writer = RandomWriter(basic, seed)
    try:
        for number in range(40):
            done = writer.step()
            changed = watch.wait(0.01)
            catalog = (
                incremental.load(changed_paths=changed)
                if changed is not None
                else incremental.load()
            )
            try:
                assert_same_catalog(catalog, full_load(basic.root))
            except AssertionError as error:
                raise AssertionError(f"after step {number} ({done}, saw {changed})") from error
    finally:
        watch.close()


@pytest.mark.parametrize("seed", [4, 5])
def test_random_edits_keep_last_good_versions_and_then_match_a_full_load(basic, seed):
    """The serving site's loader: while a file is broken it keeps the last good version, so it
    differs from a full load there; once every broken file is fixed, it matches again."""
    incremental = loader(basic.root, keep_last_good=True)
    incremental.load()
    writer = RandomWriter(basic, seed)
    for number in range(40):
        done = writer.step()
        catalog = incremental.load()
        if not writer.broken:
            try:
                assert_same_catalog(catalog, full_load(basic.root))
            except AssertionError as error:
                raise AssertionError(f"after step {number} ({done})") from error


def test_a_history_rewrite_gives_the_dates_a_full_load_gives(basic):
    incremental = loader(basic.root)
    incremental.load()
    basic.article("en/payments/declined.md", "My payment was declined", "Changed.\n")
    basic.commit("edit", date="2026-03-02T12:00:00+00:00")
    assert_same_catalog(incremental.load(), full_load(basic.root))
    basic._git("commit", "-q", "--amend", "-m", "edit", date="2026-02-20T12:00:00+00:00")
    assert_same_catalog(incremental.load(), full_load(basic.root))
    basic._git("reset", "-q", "--hard", "HEAD~1")
    assert_same_catalog(incremental.load(), full_load(basic.root))


def test_a_commit_alone_updates_the_dates(basic):
    """A commit changes "last updated" (and so which translations are outdated) without
    changing any file."""
    incremental = loader(basic.root)
    before = incremental.load()
    basic.article("en/account/reset-password.md", "Reset your password", "New steps.\n")
    incremental.load()
    basic.commit("rewrite source", date="2026-02-01T08:00:00+00:00")
    catalog = incremental.load()
    assert catalog.articles[("en", "account/reset-password")].updated.month == 2
    assert catalog.is_outdated(catalog.articles[("pl", "account/reset-password")])
    assert not before.is_outdated(before.articles[("pl", "account/reset-password")])


def _settled(root: Path) -> None:
    """Every file of the tree as a tree that has been sitting there: modified long enough ago
    that the loader trusts its key. (The session's template tree is copied with its files'
    times: a test run right after it was built would otherwise see every file as just
    written, which the loader reads again at the next load, as it should.)"""
    for path in root.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            stat = path.stat()
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - 60_000_000_000))


def test_an_edit_reads_only_the_edited_file_and_keeps_every_other_article(basic, monkeypatch):
    _settled(basic.root)
    incremental = loader(basic.root)
    before = incremental.load()
    basic.article("en/payments/declined.md", "My payment was declined", "Call your bank.\n")
    read: list[Path] = []
    real_read = content_tree.read_bytes
    monkeypatch.setattr(
        content_tree, "read_bytes", lambda path: read.append(path) or real_read(path)
    )
    after = incremental.load()
    assert read == [basic.root / "en/payments/declined.md"]
    assert "Call your bank." in after.articles[("en", "payments/declined")].body
    assert "Call your bank." not in before.articles[("en", "payments/declined")].body
    for key, article in after.articles.items():
        if key != ("en", "payments/declined"):
            assert article is before.articles[key]
    assert after.languages_changed_since(before) == {"en"}


def test_nothing_changed_gives_the_same_catalog(basic):
    incremental = loader(basic.root)
    catalog = incremental.load()
    path = basic.root / "en/payments/declined.md"
    path.write_bytes(path.read_bytes())  # saved again without a change
    assert incremental.load() is catalog


def test_a_rewrite_within_one_clock_tick_is_not_missed(basic):
    """Same size, same inode and (on a coarse file-system clock) the same modification time:
    only reading the file tells the two versions apart."""
    incremental = loader(basic.root)
    path = basic.article("en/payments/declined.md", "My payment was declined", "Version A.\n")
    stat = path.stat()
    incremental.load()
    basic.article("en/payments/declined.md", "My payment was declined", "Version B.\n")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert "Version B." in incremental.load().articles[("en", "payments/declined")].body


def test_rendered_pages_of_unchanged_articles_are_kept(basic):
    incremental = loader(basic.root)
    before = incremental.load()
    urls = PlainUrls()
    methods = before.articles[("en", "payments/methods")]
    rendered = before.render(methods, "en", urls)
    basic.article("en/payments/declined.md", "My payment was declined", "Call your bank.\n")
    after = incremental.load()
    assert after.render(after.articles[("en", "payments/methods")], "en", urls) is rendered


def test_a_new_article_renders_the_links_to_it_again(basic):
    """A link to a missing article is plain text; once the article exists, it is a link."""
    basic.article("en/payments/methods.md", "Payment methods", "See [refunds](refunds.md).\n")
    incremental = loader(basic.root)
    before = incremental.load()
    urls = PlainUrls()
    assert (
        "/en/payments/refunds"
        not in before.render(before.articles[("en", "payments/methods")], "en", urls).html
    )
    basic.article("en/payments/refunds.md", "Refunds", "Money back.\n")
    after = incremental.load()
    html = after.render(after.articles[("en", "payments/methods")], "en", urls).html
    assert 'href="/en/payments/refunds"' in html


def test_a_broken_edit_keeps_the_last_good_version_and_reports_it(basic):
    incremental = loader(basic.root, keep_last_good=True)
    before = incremental.load()
    path = basic.write("en/payments/declined.md", "---\ntitle: [unclosed\n---\nBody\n")
    after = incremental.load()
    assert (
        after.articles[("en", "payments/declined")] is before.articles[("en", "payments/declined")]
    )
    messages = [p.message for p in after.problems if p.path == path]
    assert any("invalid YAML" in message for message in messages)
    assert KEPT_MESSAGE in messages
    for key, article in after.articles.items():
        assert article is before.articles[key]  # nothing else was reloaded
    basic.article("en/payments/declined.md", "My payment was declined", "Fixed.\n")
    fixed = incremental.load()
    assert "Fixed." in fixed.articles[("en", "payments/declined")].body
    assert not [p for p in fixed.problems if p.path == path]


def test_a_broken_category_file_keeps_its_last_good_title(basic):
    incremental = loader(basic.root, keep_last_good=True)
    incremental.load()
    basic.write("en/payments/_category.md", "---\ntitle: [unclosed\n---\n")
    assert incremental.load().category("en", "payments").title == "Payments"


def test_a_removed_tree_and_a_new_one_are_followed(basic, tmp_path):
    incremental = loader(basic.root)
    incremental.load()
    saved = tmp_path / "saved"
    shutil.move(basic.root, saved)
    catalog = incremental.load()
    assert not catalog.articles
    assert catalog.problems == full_load(basic.root).problems
    shutil.move(saved, basic.root)
    assert_same_catalog(incremental.load(), full_load(basic.root))


def test_a_category_that_asks_for_translations_is_heeded_at_the_next_reload(tree):
    tree.category("en", "payments", "Payments")
    tree.article("en/payments/cards.md", "Cards")
    tree.article("pl/payments/cards.md", "Karty")
    tree.article("en/payments/refunds.md", "Refunds")
    tree.commit()
    loading = loader(tree.root)
    assert loading.load().problems == []
    category = tree.write(
        "en/payments/_category.md", "---\ntitle: Payments\ntranslate: required\n---\n"
    )
    reloaded = loading.load(changed_paths=[str(category)])
    required = "translate: required in en/payments/_category.md"
    assert [(p.path.name, p.message) for p in reloaded.problems] == [
        ("cards.md", f"not translated into he ({required}): write he/payments/cards.md"),
        (
            "refunds.md",
            f"not translated into pl, he ({required}): "
            "write pl/payments/refunds.md, he/payments/refunds.md",
        ),
    ]
    assert_same_catalog(reloaded, full_load(tree.root))
