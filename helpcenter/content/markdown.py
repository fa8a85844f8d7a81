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
from bleach import html5lib_shim
from bleach.html5lib_shim import Filter
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
# No `style` anywhere: the Content-Security-Policy forbids inline styles; the stylesheet owns the
# look. No `class` either: the article shares the page with the theme's buttons and notices, and
# the stylesheet styles articles by element. Nor any attribute that names an element by its id
# (`for`, `form`, `headers`, `name`, `aria-labelledby`…): the article's ids are prefixed (see
# ANCHOR_PREFIX), so such a name could only point at one of the page's own elements.
_COMMON_ATTRIBUTES = ["id", "title", "lang", "dir"]
ALLOWED_ATTRIBUTES: dict[str, list[str]] = {
    "*": _COMMON_ATTRIBUTES,
    "a": [*_COMMON_ATTRIBUTES, "href", "hreflang"],
    "img": [*_COMMON_ATTRIBUTES, "src", "alt", "width", "height", "loading", "decoding"],
    "ol": [*_COMMON_ATTRIBUTES, "start"],
    "td": [*_COMMON_ATTRIBUTES, "align", "colspan", "rowspan"],
    "th": [*_COMMON_ATTRIBUTES, "align", "colspan", "rowspan", "scope"],
    "abbr": [*_COMMON_ATTRIBUTES],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})

# Every id from an article starts with this (as on GitHub), and no id of the page does: an
# article's `<h2 id="feedback">` cannot stand in for the page's feedback form, nor take a
# script's getElementById or a label's target from it. Links to the article's own anchors (`#x`,
# `other.md#x`, the table of contents) get the same prefix, so they keep working.
ANCHOR_PREFIX = "user-content-"

LINK = "link"
IMAGE = "image"

# The writer's preview (`helpcenter serve`) marks a broken link or image with this class and
# says why in its title; the only class an article's HTML may carry, and only there.
BROKEN_CLASS = "broken-link"

# (kind, target without fragment) -> URL, or None when the target does not exist.
LinkResolver = Callable[[str, str], str | None]
# An image's target -> its (width, height) in pixels, or None when unknown.
ImageSizer = Callable[[str], tuple[int, int] | None]


def broken_target_message(kind: str, target: str) -> str:
    """What `check` says about a link or image that does not resolve, and the preview too."""
    if kind == IMAGE:
        return (
            f"image not found: '{target}' (put the image beside the article "
            "(or beside the default-language article))"
        )
    return (
        f"broken link: '{target}' (link to another article's .md file by its relative path, "
        "e.g. ../account/reset-password.md)"
    )


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


def anchor_id(name: str) -> str:
    """The id an article's anchor `name` gets on the page (already prefixed: unchanged)."""
    return name if name.startswith(ANCHOR_PREFIX) else ANCHOR_PREFIX + name


class _PrefixedAnchors(Filter):
    """Runs after bleach's allowlist: every id prefixed, and every in-page link to match."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag"):
                attributes = token["data"]
                if (None, "id") in attributes:
                    attributes[(None, "id")] = _encoded(
                        anchor_id(_decoded(attributes[(None, "id")]))
                    )
                href = _decoded(attributes.get((None, "href"), ""))
                if href.startswith("#") and len(href) > 1:
                    attributes[(None, "href")] = _encoded("#" + anchor_id(href[1:]))
            yield token


def _decoded(value: str) -> str:
    # Attribute values reach the filter with their character references as written, so that
    # `&#35;feedback` is seen to be `#feedback`.
    return html5lib_shim.convert_entities(value)


def _encoded(value: str) -> str:
    # The serializer keeps `&…;` as written and escapes quotes itself.
    return html.escape(value, quote=False)


def _preview_attributes(tag: str, name: str, value: str) -> bool:
    """The allowlist, plus the preview's mark on a broken link or image (BROKEN_CLASS)."""
    if name == "class":
        return tag in ("span", "img") and value == BROKEN_CLASS
    return name in ALLOWED_ATTRIBUTES.get(tag, ALLOWED_ATTRIBUTES["*"])


def sanitize_html(html: str, *, preview: bool = False) -> str:
    """The single sanitizer policy of the project. `preview` (the writer's preview only) also
    keeps the class that marks a broken link."""
    cleaner = bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=_preview_attributes if preview else ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[_PrefixedAnchors],
    )
    return cleaner.clean(html)


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
    def __init__(
        self,
        md: markdown.Markdown,
        resolve: LinkResolver,
        image_size: ImageSizer | None,
        mark_broken: bool,
    ) -> None:
        super().__init__(md)
        self.resolve = resolve
        self.image_size = image_size
        self.mark_broken = mark_broken
        self.broken: list[tuple[str, str]] = []

    def run(self, root: etree.Element) -> None:
        images = 0
        for element in list(root.iter()):
            if element.tag == "a" and is_relative_target(element.get("href", "")):
                self._rewrite(element, "href", LINK)
            elif element.tag == "img":
                target = element.get("src", "")
                if is_relative_target(target) and self._rewrite(element, "src", IMAGE):
                    self._set_size(element, target)
                # The first image is usually in view when the page opens: loading it lazily
                # would only delay it. The others wait until the reader scrolls near them.
                if images:
                    element.set("loading", "lazy")
                element.set("decoding", "async")
                images += 1

    def _set_size(self, element: etree.Element, target: str) -> None:
        """width and height from the file, so the page does not jump when the image arrives;
        a size the writer gave (`{: width=… }`) is kept."""
        size = self.image_size(target) if self.image_size else None
        if size is None or element.get("width") or element.get("height"):
            return
        element.set("width", str(size[0]))
        element.set("height", str(size[1]))

    def _rewrite(self, element: etree.Element, attribute: str, kind: str) -> bool:
        """Points the link or image at its URL; False when its target does not exist."""
        target = element.get(attribute, "")
        fragment = urlsplit(target).fragment
        url = self.resolve(kind, target)
        if url is None:
            self.broken.append((kind, target))
            # A broken link becomes plain text rather than a link to a 404.
            del element.attrib[attribute]
            if kind == LINK:
                element.tag = "span"
            if self.mark_broken:
                element.set("class", BROKEN_CLASS)
                element.set("title", broken_target_message(kind, target))
            return False
        if fragment and kind == LINK:
            # An anchor in another article (or this one, by its file name) is prefixed like the
            # ids it names; a fragment of another file (`guide.pdf#page=2`) is not.
            is_article = urlsplit(target).path.endswith(".md")
            url = f"{url}#{anchor_id(fragment) if is_article else fragment}"
        element.set(attribute, url)
        return True


class _LinkRewriterExtension(Extension):
    def __init__(
        self, resolve: LinkResolver, image_size: ImageSizer | None, mark_broken: bool
    ) -> None:
        super().__init__()
        self.processor: _LinkRewriter | None = None
        self.resolve = resolve
        self.image_size = image_size
        self.mark_broken = mark_broken

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        self.processor = _LinkRewriter(md, self.resolve, self.image_size, self.mark_broken)
        # After inline patterns (priority 20) have turned [text](target) into <a> elements.
        md.treeprocessors.register(self.processor, "helpcenter_links", 4)


def render_markdown(
    body: str,
    resolve: LinkResolver,
    *,
    image_size: ImageSizer | None = None,
    mark_broken: bool = False,
) -> RenderedArticle:
    """`image_size` gives images their width and height; `mark_broken` (the writer's preview
    only) marks each broken link or image with BROKEN_CLASS and its problem as the title."""
    links = _LinkRewriterExtension(resolve, image_size, mark_broken)
    md = markdown.Markdown(
        extensions=["tables", "fenced_code", "toc", "attr_list", "sane_lists", "def_list", links],
        extension_configs={
            "tables": {"use_align_attribute": True},
            "toc": {"slugify": slugify_unicode, "toc_depth": "2-3"},
        },
        output_format="html",
    )
    html = sanitize_html(md.convert(body), preview=mark_broken)
    toc = tuple(_flatten_toc(md.toc_tokens))  # type: ignore[attr-defined]
    assert links.processor is not None
    return RenderedArticle(html=html, toc=toc, broken_links=tuple(links.processor.broken))


def _flatten_toc(tokens: list[dict]) -> list[TocEntry]:
    entries: list[TocEntry] = []
    for token in tokens:
        entries.append(TocEntry(token["level"], anchor_id(token["id"]), _plain(token["name"])))
        entries.extend(_flatten_toc(token.get("children", [])))
    return entries


def _plain(html_fragment: str) -> str:
    """Heading text for the table of contents; the template escapes it again."""
    return html.unescape(re.sub(r"<[^>]*>", "", html_fragment))
