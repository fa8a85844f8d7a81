import re
from html.parser import HTMLParser

import pytest

from helpcenter.content.markdown import ALLOWED_TAGS, render_markdown, sanitize_html


class ElementCollector(HTMLParser):
    """The elements and attributes a browser would build from the HTML."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))


def no_links(kind, target):
    return None


def test_tables_fenced_code_and_attribute_lists_render():
    html = render_markdown(
        "| A | B |\n|---|--:|\n| 1 | 2 |\n\n```\ncode <here>\n```\n\nText\n{: #note lang=pl }\n",
        no_links,
    ).html
    assert "<table>" in html and '<td align="right">2</td>' in html
    assert "<pre><code>code &lt;here&gt;" in html
    assert '<p id="user-content-note" lang="pl">Text</p>' in html
    assert "style=" not in html  # alignment uses attributes, the CSP forbids inline styles


def test_table_of_contents_has_unicode_anchors():
    rendered = render_markdown(
        "## Zmiana hasła\n\ntext\n\n### Krok & dwa\n\n## שינוי סיסמה\n", no_links
    )
    assert [(e.level, e.title) for e in rendered.toc] == [
        (2, "Zmiana hasła"),
        (3, "Krok & dwa"),
        (2, "שינוי סיסמה"),
    ]
    assert 'id="user-content-zmiana-hasła"' in rendered.html
    assert [e.anchor for e in rendered.toc] == re.findall(r'<h[23] id="([^"]+)"', rendered.html)


def test_relative_links_and_images_go_through_the_resolver():
    seen = []

    def resolve(kind, target):
        seen.append((kind, target))
        return f"/resolved/{kind}"

    html = render_markdown(
        "[a](other.md#part) [b](https://example.com/x) [c](#local) ![i](pic.png)", resolve
    ).html
    assert seen == [("link", "other.md#part"), ("image", "pic.png")]
    assert 'href="/resolved/link#user-content-part"' in html  # the other article's anchor
    assert 'href="https://example.com/x"' in html and 'href="#user-content-local"' in html
    assert 'src="/resolved/image"' in html and 'decoding="async"' in html


def test_broken_link_becomes_text_and_is_reported():
    rendered = render_markdown("See [the guide](missing.md).", no_links)
    assert rendered.broken_links == (("link", "missing.md"),)
    assert "<a" not in rendered.html and "the guide" in rendered.html


# A selection of classic vectors (OWASP XSS filter evasion cheat sheet and html5sec.org).
XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<img src=javascript:alert('XSS')>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    "[link](javascript:alert(1))",
    "[link](JAVASCRIPT:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '<svg onload="alert(1)"><circle/></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="evil.swf"></object>',
    '<embed src="evil.swf">',
    '<body onload="alert(1)">',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="behavior: url(x.htc)">x</p>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<form action="https://evil.example"><input name="p"></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<base href="https://evil.example/">',
    "<details open ontoggle=alert(1)>",
    '<a href="vbscript:msgbox(1)">x</a>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<img """><script>alert("XSS")</script>">',
    '<a href="#" onclick="alert(1)">x</a>',
    "<!--<img src=x onerror=alert(1)>-->",
]


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_sanitizer_removes_scripts_handlers_and_dangerous_urls(vector):
    html = render_markdown(f"Intro\n\n{vector}\n\nOutro", no_links).html
    for tag, attributes in ElementCollector(html).elements:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name)
            assert name != "style"
            if name in ("href", "src"):
                scheme = value.strip().split(":", 1)[0].lower() if ":" in value else ""
                assert scheme in ("", "http", "https", "mailto", "tel"), value
    assert html.startswith("<p>Intro</p>")  # the rest of the article survives


def test_sanitizer_keeps_the_allowed_structure():
    html = sanitize_html('<h2 id="x">T</h2><p><a href="https://ok.example" title="t">ok</a></p>')
    assert html == (
        '<h2 id="user-content-x">T</h2><p><a href="https://ok.example" title="t">ok</a></p>'
    )
    assert sanitize_html(html) == html  # prefixed once, however often it is cleaned


def test_article_ids_and_the_links_to_them_are_prefixed_and_classes_dropped():
    rendered = render_markdown(
        "[TOC]\n\n"
        "## Steps\n\nSee [the steps](#steps) or <a href='&#35;feedback'>tell us</a>.\n\n"
        '<h2 id="feedback">Did this answer your question?</h2>\n\n'
        '<p><span class="button primary">Yes</span> <a class="button" href="#a&amp;b">No</a></p>\n\n'
        "## Search {: #search .search-form }\n\nText\n{: .notice #main }\n\n"
        "```python\nx = 1\n```\n",
        no_links,
    )
    elements = ElementCollector(rendered.html).elements
    ids = [attributes["id"] for _tag, attributes in elements if "id" in attributes]
    assert ids == [
        "user-content-steps",
        "user-content-feedback",
        "user-content-search",
        "user-content-main",
    ]
    assert not any("class" in attributes for _tag, attributes in elements)
    links = [attributes["href"] for tag, attributes in elements if tag == "a"]
    # The [TOC] marker's list, the in-page link, the entity-written one, the one with `&`.
    assert links == [
        "#user-content-steps",
        "#user-content-search",
        "#user-content-steps",
        "#user-content-feedback",
        "#user-content-a&b",
    ]
    assert [entry.anchor for entry in rendered.toc] == ["user-content-steps", "user-content-search"]


def test_attributes_that_name_other_elements_never_reach_the_page():
    html = sanitize_html(
        '<a name="feedback" aria-describedby="feedback-title" aria-controls="main" '
        'data-contact-form href="/x">x</a><td headers="main">c</td><img usemap="#m" src="/i" '
        'alt="" aria-labelledby="toc-title"><span form="f" for="email" role="button" '
        'tabindex="0" popovertarget="p">s</span>'
    )
    for _tag, attributes in ElementCollector(html).elements:
        assert set(attributes) <= {"href", "src", "alt"}, attributes


def test_a_fragment_of_a_file_that_is_not_an_article_is_kept_as_written():
    html = render_markdown(
        "[manual](manual.pdf#page=2) [same](this.md#top)", lambda kind, target: "/f"
    ).html
    assert 'href="/f#page=2"' in html and 'href="/f#user-content-top"' in html


def test_images_get_their_size_and_only_the_first_loads_at_once():
    sizes = {"first.png": (800, 600), "second.png": (400, 300)}
    html = render_markdown(
        "![a](first.png)\n\nText.\n\n![b](second.png)\n\n![c](unknown.png)\n",
        lambda kind, target: f"/media/{target}",
        image_size=sizes.get,
    ).html
    images = re.findall(r"<img [^>]*>", html)
    assert len(images) == 3
    first, second, unknown = images
    # The first is usually in view when the page opens: fetched at once, its place reserved.
    assert 'width="800"' in first and 'height="600"' in first
    assert 'loading="lazy"' not in first and 'decoding="async"' in first
    assert 'width="400"' in second and 'height="300"' in second
    assert 'loading="lazy"' in second and 'decoding="async"' in second
    assert "width=" not in unknown and 'loading="lazy"' in unknown


def test_a_size_the_writer_gave_is_kept():
    html = render_markdown(
        "![a](pic.png){: width=200 }\n",
        lambda kind, target: "/media/pic.png",
        image_size=lambda target: (800, 600),
    ).html
    assert 'width="200"' in html and "height=" not in html


def test_the_preview_marks_a_broken_link_and_production_leaves_plain_text():
    body = "See [the old page](gone.md) and ![a pan](pan.png).\n"
    marked = render_markdown(body, no_links, mark_broken=True).html
    assert '<span class="broken-link" title="broken link: \'gone.md\' (link to another' in marked
    assert re.search(r'<img alt="a pan" class="broken-link"[^>]* title="image not found', marked)
    plain = render_markdown(body, no_links).html
    assert "<span>the old page</span>" in plain
    assert "class=" not in plain and "title=" not in plain


def test_only_the_preview_keeps_its_own_class_and_only_on_links_and_images():
    html = (
        '<span class="broken-link">x</span><p class="broken-link">y</p><span class="theme">z</span>'
    )
    assert sanitize_html(html) == "<span>x</span><p>y</p><span>z</span>"
    assert sanitize_html(html, preview=True) == (
        '<span class="broken-link">x</span><p>y</p><span>z</span>'
    )
