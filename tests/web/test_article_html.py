"""An article's HTML shares the page with the site's own: it cannot take the page's ids (the
feedback form, the contents, what scripts and labels look up) nor dress up in its classes
(buttons, notices), and its own anchors and contents links still work."""

from __future__ import annotations

from html.parser import HTMLParser

from helpcenter.content.markdown import ANCHOR_PREFIX
from tests.helpers import customer_pages, make_app

VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Page(HTMLParser):
    """The page's elements, each marked as inside the article body or not."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str], bool]] = []
        self._open: list[bool] = []  # per open element: is it (or an ancestor) the article body
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        inside = (
            bool(self._open and self._open[-1])
            or "article-body" in attributes.get("class", "").split()
        )
        self.elements.append(
            (tag, attributes, inside and "article-body" not in attributes.get("class", ""))
        )
        if tag not in VOID:
            self._open.append(inside)

    def handle_endtag(self, tag):
        if tag not in VOID and self._open:
            self._open.pop()

    def article(self) -> list[tuple[str, dict[str, str]]]:
        return [(tag, attributes) for tag, attributes, inside in self.elements if inside]

    def outside(self) -> list[tuple[str, dict[str, str]]]:
        return [(tag, attributes) for tag, attributes, inside in self.elements if not inside]


def hostile_body(ids: set[str], classes: set[str]) -> str:
    """Every id and class the page itself uses, in raw HTML and in Markdown attribute lists,
    beside headings for a table of contents and links to them."""
    raw_ids = "\n".join(
        f'<p id="{name}">Same id as the page: {name}</p>'
        for name in sorted(ids - {"feedback-title"})  # that one comes from an attribute list
    )
    raw_classes = " ".join(f'<span class="{name}">{name}</span>' for name in sorted(classes))
    listed = " ".join(f".{name}" for name in sorted(classes))
    return (
        "Jump to [the steps](#first-steps) or [the search](#search).\n\n"
        "## First steps\n\nText.\n\n"
        f"## Search {{: #search {listed} }}\n\nText.\n{{: #feedback-title {listed} }}\n\n"
        "## Last words\n\nText.\n\n"
        f"{raw_ids}\n\n<p>{raw_classes}</p>\n\n"
        '<p><a name="feedback" aria-labelledby="feedback-title" class="button primary" '
        'href="#feedback">Yes</a></p>\n'
    )


def test_an_article_cannot_reuse_the_pages_ids_or_classes_and_its_contents_still_jump(
    tmp_path, basic
):
    # What the site's pages use, read from every customer page (not a list kept here).
    app = make_app(tmp_path / "a", basic.root)
    client = app.test_client()
    pages = [
        Page(html) for lang in ("en", "pl") for html in customer_pages(client, app, lang).values()
    ]
    page_ids = {a["id"] for page in pages for _tag, a in page.outside() if "id" in a}
    page_classes = {
        name for page in pages for _tag, a in page.outside() for name in a.get("class", "").split()
    }
    assert {"feedback", "feedback-title", "main", "toc-title", "email"} <= page_ids
    assert not any(name.startswith(ANCHOR_PREFIX) for name in page_ids)
    assert {"toc", "notice", "button--secondary", "article-body"} <= page_classes

    basic.article("en/account/hostile.md", "Hostile", hostile_body(page_ids, page_classes))
    basic.commit("hostile")
    html = make_app(tmp_path / "b", basic.root).test_client().get("/en/account/hostile")
    page = Page(html.get_data(as_text=True))
    article = page.article()
    assert len(article) > 3 * len(page_ids)

    ids = [attributes["id"] for _tag, attributes, _inside in page.elements if "id" in attributes]
    assert len(ids) == len(set(ids)), [name for name in ids if ids.count(name) > 1]
    article_ids = {attributes["id"] for _tag, attributes in article if "id" in attributes}
    assert article_ids and all(name.startswith(ANCHOR_PREFIX) for name in article_ids)
    for _tag, attributes in article:
        assert "class" not in attributes, attributes
        assert not {"name", "form", "for"} & set(attributes), attributes
        assert not any(name.startswith(("aria-", "data-")) for name in attributes), attributes

    # The contents (inline on phones, beside the article otherwise) point at its headings.
    headings = [a["id"] for tag, a in article if tag == "h2"][:3]
    assert headings == [
        f"{ANCHOR_PREFIX}first-steps",
        f"{ANCHOR_PREFIX}search",
        f"{ANCHOR_PREFIX}last-words",
    ]
    toc_links = [
        a["href"] for tag, a in page.outside() if tag == "a" and a.get("href", "").startswith("#")
    ]
    toc_links = [href for href in toc_links if href != "#main"]  # the skip link
    assert toc_links == [f"#{name}" for name in headings] * 2
    # The article's own links land on its own anchors; one to a page id lands nowhere.
    in_page = [a["href"] for tag, a in article if tag == "a" and a.get("href", "").startswith("#")]
    assert in_page[:2] == [f"#{headings[0]}", f"#{headings[1]}"]
    assert all(href[1:] not in page_ids for href in in_page)
