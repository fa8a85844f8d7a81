"""Small article trees in a real temporary git repository, so dates come from real commits."""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from pathlib import Path


class ArticleTree:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self._git("init", "-q", "-b", "main")
        self._git("config", "user.email", "writer@example.com")
        self._git("config", "user.name", "Writer")

    @classmethod
    def copy_of(cls, source: ArticleTree, root: Path) -> ArticleTree:
        """A copy of `source` in `root`, its git history included: what building the same tree
        again would give (the same commits, so the same dates), without its git commands."""
        shutil.copytree(source.root, root, symlinks=True)
        tree = cls.__new__(cls)
        tree.root = root
        return tree

    def replace_with(self, source: ArticleTree) -> None:
        """Makes this tree a copy of `source` (as copy_of), where it stands."""
        shutil.rmtree(self.root)
        shutil.copytree(source.root, self.root, symlinks=True)

    def _git(self, *args: str, date: str | None = None) -> None:
        env = dict(os.environ)
        if date:
            env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
        subprocess.run(["git", *args], cwd=self.root, check=True, env=env, capture_output=True)

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def article(self, relative: str, title: str, body: str = "Some text.", **meta: object) -> Path:
        lines = [f"title: {title}"] + [f"{key}: {value}" for key, value in meta.items()]
        return self.write(relative, "---\n" + "\n".join(lines) + "\n---\n" + textwrap.dedent(body))

    def category(self, lang: str, slug: str, title: str, order: int = 1) -> Path:
        return self.write(
            f"{lang}/{slug}/_category.md", f"---\ntitle: {title}\norder: {order}\n---\n"
        )

    def commit(self, message: str = "edit", date: str = "2026-01-15T10:00:00+00:00") -> None:
        self._git("add", "-A")
        self._git("commit", "-q", "-m", message, date=date)


def basic_tree(tree: ArticleTree) -> ArticleTree:
    """English and Polish, one Hebrew article, one untranslated article, a link and an image."""
    for lang, (account, payments) in {
        "en": ("Account and password", "Payments"),
        "pl": ("Konto i hasło", "Płatności"),
        "he": ("חשבון וסיסמה", "תשלומים"),
    }.items():
        tree.category(lang, "account", account, order=1)
        tree.category(lang, "payments", payments, order=2)
    tree.article(
        "en/account/reset-password.md",
        "Reset your password",
        """
        Forgot it? Request a new one.

        ## Request a reset link

        Open the sign-in page and choose **Forgot password**.

        ## Check your inbox

        The link is valid for 60 minutes. See [payment methods](../payments/methods.md).

        ## Choose a new password

        Use at least 10 characters.

        ![A padlock](padlock.svg)
        """,
        summary="Get a new password when you forgot yours.",
        tags="[password, login]",
        order=1,
    )
    tree.write(
        "en/account/padlock.svg", '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'
    )
    tree.article(
        "pl/account/reset-password.md",
        "Zresetuj hasło",
        "Nie pamiętasz hasła? Poproś o nowe.\n\nZobacz [metody płatności](../payments/methods.md).\n\n"
        "![Kłódka](padlock.svg)\n",
        tags="[hasło, logowanie]",
    )
    tree.article(
        "he/account/reset-password.md",
        "איפוס סיסמה",
        "שכחתם את הסיסמה? בקשו קישור חדש.\n",
    )
    tree.article(
        "en/payments/methods.md",
        "Payment methods",
        "We accept cards and PayPal.\n\n| Method | Fee |\n|---|--:|\n| Card | 0 |\n",
        tags="[payment, card]",
        order=1,
    )
    tree.article(
        "en/payments/declined.md", "My payment was declined", "Check the card number.\n", order=2
    )
    tree.article("pl/payments/methods.md", "Metody płatności", "Przyjmujemy karty i PayPal.\n")
    tree.commit("initial articles", date="2026-01-10T09:00:00+00:00")
    return tree
