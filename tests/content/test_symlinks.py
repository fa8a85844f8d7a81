"""A symlink committed to the content repository must not leak anything: not served, not
indexed, not linked, and reported by `check` (finding 1 of issue 10)."""

import os
from pathlib import Path

from helpcenter.cli import main
from tests.helpers import make_app

from ..articletree import ArticleTree, basic_tree

SECRET = "s3cr3t-key-material-never-served"
OUTSIDE_WORD = "quixoticzebra"


def symlinked_tree(tmp_path: Path) -> tuple[ArticleTree, list[Path]]:
    """The basic tree plus symlinks to files and folders, inside and outside the tree."""
    tree = basic_tree(ArticleTree(tmp_path / "articles"))
    (tmp_path / "secret_key").write_text(SECRET)
    (tmp_path / "outside.md").write_text(f"---\ntitle: Outside\n---\nThe {OUTSIDE_WORD} file.\n")
    outside_dir = tmp_path / "outside-folder"
    outside_dir.mkdir()
    (outside_dir / "leak.md").write_text(f"---\ntitle: Leak\n---\nA {OUTSIDE_WORD} leak.\n")
    (outside_dir / "leak.png").write_text(SECRET)
    account = tree.root / "en" / "account"
    links = {
        account / "secret.png": tmp_path / "secret_key",  # file, outside
        account / "inside.svg": Path("padlock.svg"),  # file, inside
        account / "outside.md": tmp_path / "outside.md",  # Markdown, outside
        tree.root / "en" / "leaked": outside_dir,  # folder, outside
        tree.root / "en" / "mirror": Path("account"),  # folder, inside
        tree.root / "pl" / "payments" / "_category.md": Path("../account/_category.md"),
    }
    (tree.root / "pl" / "payments" / "_category.md").unlink()
    for link, target in links.items():
        os.symlink(target, link)
    tree.article(
        "en/account/uses-links.md",
        "Uses links",
        "![key](secret.png) ![pad](inside.svg) [out](outside.md) [leak](../leaked/leak.md)\n",
    )
    tree.commit("symlinks")
    return tree, sorted(links)


def test_nothing_behind_a_symlink_is_served_indexed_or_linked(tmp_path):
    tree, _ = symlinked_tree(tmp_path)
    client = make_app(tmp_path, tree.root).test_client()

    for url in [
        "/media/en/account/secret.png",
        "/media/en/account/inside.svg",
        "/media/en/leaked/leak.png",
        "/en/account/outside",
        "/en/leaked/leak",
        "/en/mirror/reset-password",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert SECRET not in response.get_data(as_text=True)
    assert client.get("/media/en/account/padlock.svg").status_code == 200  # real files still are

    page = client.get("/en/account/uses-links").get_data(as_text=True)
    for name in ["secret.png", "inside.svg", "outside.md", "leak.md"]:
        assert f'="{name}"' not in page and f"/{name.removesuffix('.md')}" not in page
    assert "/media/" not in page and 'href="/en/account/outside"' not in page

    results = client.get("/en/search", query_string={"q": OUTSIDE_WORD}).get_data(as_text=True)
    assert "Outside" not in results and "Leak" not in results
    assert 'class="no-results"' in results
    # A symlinked _category.md (to the Polish account category) names nothing: English fallback.
    assert "<h1>Payments</h1>" in client.get("/pl/payments/").get_data(as_text=True)


def test_check_reports_every_symlink_by_its_own_path(tmp_path):
    tree, links = symlinked_tree(tmp_path)
    runner = make_app(tmp_path, tree.root).test_cli_runner()
    result = runner.invoke(main, ["check", str(tree.root)], catch_exceptions=False)
    assert result.exit_code == 1
    for link in links:
        assert f"{link}:1: symbolic link refused" in result.output, link
    assert str(tmp_path / "secret_key") not in result.output


def test_an_image_swapped_for_a_symlink_after_loading_is_not_served(tmp_path, basic):
    (tmp_path / "secret_key").write_text(SECRET)
    client = make_app(tmp_path, basic.root).test_client()  # content is loaded once, not rechecked
    assert client.get("/media/en/account/padlock.svg").status_code == 200
    image = basic.root / "en" / "account" / "padlock.svg"
    image.unlink()
    image.symlink_to(tmp_path / "secret_key")
    response = client.get("/media/en/account/padlock.svg")
    assert response.status_code == 404
    assert SECRET not in response.get_data(as_text=True)
