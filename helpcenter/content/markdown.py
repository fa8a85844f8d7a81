"""Markdown -> safe HTML: Python-Markdown, link and image rewriting, and the one bleach allowlist.

Article HTML is sanitized even though it comes from git: a compromised or careless commit must
not be able to put script on the customer's page.
"""

from __future__ import annotations

import html
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import bleach
import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

# Several tags a line (`fmt: skip`): the formatter would list the 46 tags one a line.
ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt",
        "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
        "kbd", "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary",
        "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
# No `style` anywhere: the Content-Security-Policy forbids inline styles; the stylesheet owns the look.
_COMMON_ATTRIBUTES = ["id", "class", "title", "lang", "dir"]
ALLOWED_ATTRIBUTES: dict[str, list[str]] = {
    "*": _COMMON_ATTRIBUTES,
    "a": [*_COMMON_ATTRIBUTES, "href", "hreflang"],
    "img": [*_COMMON_ATTRIBUTES, "src", "alt", "width", "height", "loading"],
    "ol": [*_COMMON_ATTRIBUTES, "start"],
    "td": [*_COMMON_ATTRIBUTES, "align", "colspan", "rowspan"],
    "th": [*_COMMON_ATTRIBUTES, "align", "colspan", "rowspan", "scope"],
    "abbr": [*_COMMON_ATTRIBUTES],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})

LINK = "link"
IMAGE = "image"

# (kind, target without fragment) -> URL, or None when the target does not exist.
LinkResolver = Callable[[str, str], str | None]


@dataclass(frozen=True)
class TocEntry:
    level: int
    anchor: str
    title: str


@dataclass(frozen=True)
class RenderedArticle:
    html: str
    toc: tuple[TocEntry, ...]
    broken_links: tuple[tuple[str, str], ...]  # (kind, target) pairs that did not resolve


def sanitize_html(html: str) -> str:
    """The single sanitizer policy of the project."""
    return bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )


def is_relative_target(target: str) -> bool:
    """True for `other.md`, `../cat/x.md#part`, `image.png`: paths a writer means inside the tree."""
    parts = urlsplit(target)
    return not (parts.scheme or parts.netloc or target.startswith(("/", "#")) or not parts.path)


def resolve_relative(base_dir: str, target: str) -> str | None:
    """`base_dir` + relative `target` -> a normalized path inside the language tree, or None."""
    path = posixpath.normpath(posixpath.join(base_dir, urlsplit(target).path))
    if path.startswith("../") or path in ("..", "."):
        return None
    return path


class _LinkRewriter(Treeprocessor):
    def __init__(self, md: markdown.Markdown, resolve: LinkResolver) -> None:
        super().__init__(md)
        self.resolve = resolve
        self.broken: list[tuple[str, str]] = []

    def run(self, root: etree.Element) -> None:
        for element in list(root.iter()):
            if element.tag == "a" and is_relative_target(element.get("href", "")):
                self._rewrite(element, "href", LINK)
            elif element.tag == "img":
                if is_relative_target(element.get("src", "")):
                    self._rewrite(element, "src", IMAGE)
                element.set("loading", "lazy")

    def _rewrite(self, element: etree.Element, attribute: str, kind: str) -> None:
        target = element.get(attribute, "")
        fragment = urlsplit(target).fragment
        url = self.resolve(kind, target)
        if url is None:
            self.broken.append((kind, target))
            # A broken link becomes plain text rather than a link to a 404.
            del element.attrib[attribute]
            if kind == LINK:
                element.tag = "span"
            return
        element.set(attribute, f"{url}#{fragment}" if fragment and kind == LINK else url)


class _LinkRewriterExtension(Extension):
    def __init__(self, resolve: LinkResolver) -> None:
        super().__init__()
        self.processor: _LinkRewriter | None = None
        self.resolve = resolve

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        self.processor = _LinkRewriter(md, self.resolve)
        # After inline patterns (priority 20) have turned [text](target) into <a> elements.
        md.treeprocessors.register(self.processor, "helpcenter_links", 4)


def render_markdown(body: str, resolve: LinkResolver) -> RenderedArticle:
    links = _LinkRewriterExtension(resolve)
    md = markdown.Markdown(
        extensions=["tables", "fenced_code", "toc", "attr_list", "sane_lists", "def_list", links],
        extension_configs={
            "tables": {"use_align_attribute": True},
            "toc": {"slugify": slugify_unicode, "toc_depth": "2-3"},
        },
        output_format="html",
    )
    html = sanitize_html(md.convert(body))
    toc = tuple(_flatten_toc(md.toc_tokens))  # type: ignore[attr-defined]
    assert links.processor is not None
    return RenderedArticle(html=html, toc=toc, broken_links=tuple(links.processor.broken))


def _flatten_toc(tokens: list[dict]) -> list[TocEntry]:
    entries: list[TocEntry] = []
    for token in tokens:
        entries.append(TocEntry(token["level"], token["id"], _plain(token["name"])))
        entries.extend(_flatten_toc(token.get("children", [])))
    return entries


def _plain(html_fragment: str) -> str:
    """Heading text for the table of contents; the template escapes it again."""
    return html.unescape(re.sub(r"<[^>]*>", "", html_fragment))
