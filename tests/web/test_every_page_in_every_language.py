"""Every customer and staff page, rendered in every language, reads as that language: no
English UI text left on a translated page, and no ".." where a sentence ends in a date whose
format already ends with a full stop (Lithuanian "2026 m. lapkričio 23 d.", Croatian
"23. studenoga 2026.")."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from helpcenter import services
from helpcenter.extensions import db
from helpcenter.models import ContactRequest, Delivery
from helpcenter.reports import REPORTS
from helpcenter.support.requests import forget
from tests.reports.conftest import Activity, logged_in_staff
from tests.support.conftest import csrf_token
from tests.test_translations import catalog

LANGUAGES = ["en", "pl", "he", "lt", "el", "hr"]
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
_DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")


class _VisibleText(HTMLParser):
    """The text a reader sees, one entry per text node, leaving out parts marked as written
    in another language (an untranslated article shown in English is content, not UI)."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []  # (tag, inside another language)
        self.lang = lang
        self.nodes: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "input", "meta", "link", "hr", "source", "wbr"):
            return
        outside = bool(self.stack and self.stack[-1][1])
        marked = dict(attrs).get("lang")
        foreign = outside or (marked is not None and marked.split("-")[0] != self.lang)
        self.stack.append((tag, foreign or tag in ("script", "style")))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not (self.stack and self.stack[-1][1]):
            self.nodes.append(text)


def visible_text(page: str, lang: str) -> list[str]:
    parser = _VisibleText(lang)
    parser.feed(page)
    return parser.nodes


def english_phrases(lang: str) -> list[str]:
    """What an untranslated UI string would show: each msgid whose translation differs, as
    its longest stretch of literal text (placeholders are filled in on the page)."""
    phrases = set()
    for message in catalog(lang):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not message.id or ids[0] in strings:
            continue
        for text in ids:
            longest = max((part.strip(" :;,.()") for part in _PLACEHOLDER.split(text)), key=len)
            if len(longest) >= 3:
                phrases.add(longest)
    return sorted(phrases)


def untranslated(nodes: list[str], phrases: list[str]) -> list[str]:
    # One word must be the whole text of a node (a button, a column heading): as part of a
    # sentence it may be a name or a customer's words. Longer phrases count anywhere.
    words = {node for node in nodes}
    found = [p for p in phrases if " " not in p and p in words]
    joined = "\n".join(nodes)
    return found + [p for p in phrases if " " in p and p in joined]


@pytest.fixture
def site(app, basic):
    """The basic articles, a stale one, and activity behind every staff page: searches with
    and without results, votes, a request with pending deliveries and an erased one."""
    basic.article("en/payments/old.md", "Old terms", "Text.\n", review_by="2026-01-02")
    basic.commit()
    activity = Activity(app)
    for lang in LANGUAGES:
        activity.search(lang, "password", 2, clicked="account/reset-password")
        activity.search(lang, "sofa legs", 0, visitor="v2")
        activity.view(lang, "account/reset-password")
        activity.contact(lang, "account/reset-password", email=f"{lang}@example.com")
    activity.votes("en", "account/reset-password", yes=1, no=2, reason="unclear",
                   comment="The link had expired")  # fmt: skip
    activity.contact("pl", "payments/methods", email="erased@example.com")
    with app.app_context():
        request = db.session.scalars(
            db.select(ContactRequest).filter_by(email="pl@example.com")
        ).one()
        db.session.add(Delivery(request=request, channel="webhook", state="pending", attempts=1))
        db.session.add(Delivery(request=request, channel="email", state="pending", attempts=3))
        db.session.commit()
        forget("erased@example.com")
        references = [r.reference for r in db.session.scalars(db.select(ContactRequest))]
    return app, references


def customer_pages(client, app, lang: str) -> dict[str, str]:
    catalog_now = services.content_store(app).catalog()
    urls = [f"/{lang}/", f"/{lang}/search?q=password", f"/{lang}/search?q=zzqxv", f"/{lang}/contact",
            f"/{lang}/contact?article=account/reset-password&reason=unclear", f"/{lang}/payments/nowhere"]  # fmt: skip
    urls += [f"/{lang}/{category.slug}/" for category in catalog_now.category_list(lang)]
    urls += [f"/{lang}/{view.article.id}" for view in catalog_now.all_articles(lang)]
    pages = {url: client.get(url).get_data(as_text=True) for url in urls}
    # The feedback box after "No", and the confirmation after sending a request.
    article = f"/{lang}/account/reset-password"
    token = csrf_token(client, article)
    client.post(
        f"/{lang}/feedback/account/reset-password", data={"csrf_token": token, "helpful": "no"}
    )
    pages[article + " (after No)"] = client.get(article).get_data(as_text=True)
    url = f"/{lang}/contact"
    data = {"csrf_token": csrf_token(client, url), "email": "a@example.com", "message": "?"}
    sent = client.post(url, data=data).headers["Location"]
    pages[sent] = client.get(sent).get_data(as_text=True)
    return pages


def staff_pages(staff, lang: str, references: list[str]) -> dict[str, str]:
    urls = ["/reports/", "/reports/requests/find?q=pl@example.com"]
    urls += [f"/reports/{name}" for name in REPORTS]
    urls += [f"/reports/requests/{reference}" for reference in references]
    urls += ["/reports/article/account/reset-password"]  # votes and comments of one article
    headers = {"Accept-Language": lang}
    return {url: staff.get(url, headers=headers).get_data(as_text=True) for url in urls}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_reads_as_its_language(site, lang):
    app, references = site
    staff = logged_in_staff(app)
    pages = {**customer_pages(app.test_client(), app, lang), **staff_pages(staff, lang, references)}
    login = app.test_client().get("/login", headers={"Accept-Language": lang})
    pages["/login"] = login.get_data(as_text=True)
    phrases = english_phrases(lang) if lang != "en" else []
    problems = []
    for url, page in pages.items():
        assert f'<html lang="{lang}"' in page, url
        # No SITE_NAME here: the site calls itself "Help Center" in the page's language.
        nodes = visible_text(page, lang)
        problems += [f"{url}: '..' in {node!r}" for node in nodes if _DOUBLE_STOP.search(node)]
        problems += [f"{url}: English {phrase!r}" for phrase in untranslated(nodes, phrases)]
    assert problems == []
