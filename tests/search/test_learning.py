"""Search that learns its customers' words (issue 13), through the real site: customers search,
open a result and vote from the page, each with a visitor cookie of their own;
then a round of the learning task runs (as the site's background thread does every few
minutes) and the next customer's search finds the article by the words the others used."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from helpcenter import services
from helpcenter.activity.learned_terms import LearningSettings, learn
from helpcenter.content.loader import load_catalog
from helpcenter.extensions import db
from helpcenter.models import LearnedTerm, PageView, SearchEvent, TermVeto, Vote
from helpcenter.web import request_limits as web_limits
from tests.helpers import (
    ALL,
    NOW,
    SAME_ORIGIN,
    beacon,
    csrf_token,
    logged_in_staff,
    make_app,
    search_as_browser,
)

RESET = "account/reset-password"
DECLINED = "payments/declined"


@pytest.fixture
def app(tmp_path, basic):
    app = make_app(tmp_path, basic.root)
    # Searchers see a new index generation at once (the site checks once a second).
    services.search_service(app).refresh_interval = 0
    return app


class Customer:
    """One person on the site: a test client of their own, so a visitor cookie of their own,
    and an address of their own in a network of their own (unless `address` says otherwise)."""

    count = 0

    def __init__(self, app, address: str | None = None) -> None:
        Customer.count += 1
        self.app = app
        self.client = app.test_client()
        self.client.environ_base["REMOTE_ADDR"] = address or f"198.51.{Customer.count % 250}.7"
        # The first page's beacon gives them their visitor cookie (web/beacon.py).
        assert beacon(self.client, "en").status_code == 200

    def search(self, lang: str, query: str) -> dict[str, str]:
        """Article id -> the result link the page shows for it (through the click log)."""
        found = {}
        for link in search_as_browser(self.client, lang, query).links:
            found[re.search(r"[?&]a=([^&]+)", link).group(1)] = link
        return found

    def open_result(self, lang: str, query: str, article_id: str) -> None:
        results = self.search(lang, query)
        assert article_id in results, f"{query!r} does not list {article_id}: {list(results)}"
        assert self.client.get(results[article_id], follow_redirects=True).status_code == 200
        assert beacon(self.client, lang, article_id).json["counted"]  # the article's view

    def vote(self, lang: str, article_id: str, helpful: bool) -> None:
        response = self.client.post(
            f"/{lang}/feedback/{article_id}",
            data={"helpful": "yes" if helpful else "no"},
            headers=SAME_ORIGIN,
        )
        assert response.status_code == 303

    def found_it(
        self,
        lang: str,
        first_words: str,
        official_words: str,
        article_id: str,
        *,
        helpful: bool | None = True,
    ) -> None:
        """Searches in their own words, then in the article's, opens it and votes (unless
        `helpful` is None)."""
        self.search(lang, first_words)
        self.open_result(lang, official_words, article_id)
        if helpful is not None:
            self.vote(lang, article_id, helpful)


def customers(app, count: int) -> list[Customer]:
    return [Customer(app) for _ in range(count)]


def learning_round(app) -> None:
    """What the site's background thread does every LEARN_INTERVAL seconds."""
    services.search_log(app).flush()
    services.learning(app).run_once(force=True)


def learned(app) -> set[tuple[str, str, str]]:
    with app.app_context():
        return {
            (row.lang, row.article_id, row.term) for row in db.session.scalars(select(LearnedTerm))
        }


def hits(app, lang: str, query: str) -> list[str]:
    return list(Customer(app).search(lang, query))


def test_a_reformulation_chain_teaches_the_article_the_customers_own_words(app):
    assert hits(app, "en", "zorblax") == []
    for customer in customers(app, 3):
        customer.found_it("en", "my zorblax vanished", "reset password", RESET)
    learning_round(app)
    assert {("en", RESET, "zorblax"), ("en", RESET, "vanish")} <= learned(app)
    assert hits(app, "en", "zorblax") == [RESET]
    # Words the article contains teach nothing: they find it already.
    assert not {term for _, _, term in learned(app)} & {"reset", "password", "my"}


def test_two_visitors_with_a_made_up_word_change_nothing_the_third_makes_it_appear(app):
    two = customers(app, 2)
    for customer in two:
        customer.found_it("en", "quuxify", "payment declined", DECLINED)
    learning_round(app)
    assert learned(app) == set()
    assert hits(app, "en", "quuxify") == []

    # One of them coming back changes nothing: they are still the same visitor.
    for _ in range(2):  # (the article page asks for one vote only)
        two[0].found_it("en", "quuxify", "payment declined", DECLINED, helpful=None)
    learning_round(app)
    assert ("en", DECLINED, "quuxifi") not in learned(app)

    Customer(app).found_it("en", "quuxify", "payment declined", DECLINED)
    learning_round(app)
    assert ("en", DECLINED, "quuxifi") in learned(app)
    assert hits(app, "en", "quuxify") == [DECLINED]


def test_many_cookies_from_one_address_are_one_teacher(app):
    """A client that drops its cookie for every search still comes from one address."""
    for _ in range(4):
        Customer(app, address="203.0.113.7").found_it("en", "zorblax", "reset password", RESET)
    learning_round(app)
    assert learned(app) == set()
    for customer in customers(app, 2):  # two more addresses make three clients
        customer.found_it("en", "zorblax", "reset password", RESET)
    learning_round(app)
    assert learned(app) == {("en", RESET, "zorblax")}
    with app.app_context():
        assert db.session.scalar(select(LearnedTerm.visitors)) == 3  # not 6 cookies
        networks = set(db.session.scalars(select(SearchEvent.network)))
        assert len(networks) == 3 and all(len(network) == 5 for network in networks)


def test_three_addresses_of_one_network_are_one_teacher(app):
    """Three cookies from three addresses of one /24 (an attacker's block, or one office)."""
    for n in (7, 8, 9):
        Customer(app, address=f"203.0.113.{n}").found_it("en", "zorblax", "reset password", RESET)
    learning_round(app)
    assert learned(app) == set()
    # The same three addresses mapped into IPv6, and three of one IPv6 /48: still one each.
    for n in (7, 8, 9):
        Customer(app, address=f"::ffff:203.0.113.{n}").found_it(
            "en", "zorblax", "reset password", RESET
        )
        Customer(app, address=f"2001:db8:7:{n}::1").found_it(
            "en", "zorblax", "reset password", RESET
        )
    learning_round(app)
    assert learned(app) == set()
    Customer(app).found_it("en", "zorblax", "reset password", RESET)
    learning_round(app)
    assert learned(app) == {("en", RESET, "zorblax")}  # three networks: three teachers


def test_one_address_coming_back_on_three_days_is_one_teacher(app, monkeypatch):
    """A new cookie each day from one address: the key teachers are counted by does not
    change with the date (a key that did made one client three teachers in three days)."""
    for days in (2, 1, 0):
        monkeypatch.setattr(web_limits, "utcnow", lambda days=days: NOW - dt.timedelta(days=days))
        Customer(app, address="203.0.113.7").found_it("en", "zorblax", "reset password", RESET)
    learning_round(app)
    assert learned(app) == set()


def test_a_no_vote_or_a_contact_request_teaches_nothing(app):
    for customer in customers(app, 3):
        customer.found_it("en", "zorblax", "reset password", RESET, helpful=False)
    for customer in customers(app, 3):
        customer.search("en", "glimble")
        customer.open_result("en", "reset password", RESET)
        token = csrf_token(customer.client, "/en/contact")
        response = customer.client.post(
            "/en/contact",
            data={
                "csrf_token": token,
                "email": "someone@example.com",
                "name": "Someone",
                "message": "The reset link never arrives.",
                "article": RESET,
            },
        )
        assert response.status_code in (302, 303)
    learning_round(app)
    assert learned(app) == set()


def test_words_that_look_personal_or_accidental_are_never_learned(app):
    for customer in customers(app, 3):
        customer.found_it(
            "en",
            "zorblax jan.kowalski@example.com 48601234567 order77 www.example.org "
            "https://shop.example.com/orders supercalifragilisticexpialidociousness",
            "reset password",
            RESET,
        )
    learning_round(app)
    assert {term for _, _, term in learned(app)} == {"zorblax"}


def test_a_visit_ends_well_without_a_vote_when_nothing_follows(app):
    """No vote: the visit counts once ten minutes passed without another search, a "No" or a
    contact request (and while that cannot be known yet, it counts for nothing)."""
    for customer in customers(app, 3):
        customer.search("en", "zorblax")
        customer.open_result("en", "reset password", RESET)
    restless = customers(app, 1)[0]  # searched again: the article did not answer them
    restless.search("en", "glimble")
    restless.open_result("en", "reset password", RESET)
    restless.search("en", "password still not working")
    services.search_log(app).flush()
    settings = LearningSettings()
    with app.app_context():
        catalog = services.content_store().catalog()
        learn(catalog, settings)
        assert db.session.scalars(select(LearnedTerm.term)).all() == []
        learn(catalog, settings, now=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))
        assert db.session.scalars(select(LearnedTerm.term)).all() == ["zorblax"]


def test_a_veto_removes_the_word_for_good_and_records_who_and_when(app):
    for customer in customers(app, 3):
        customer.found_it("en", "zorblax", "reset password", RESET)
    learning_round(app)
    staff = logged_in_staff(app)
    page = staff.get("/reports/learned-words").get_data(as_text=True)
    assert "zorblax" in page and "en/account/reset-password.md" in page
    assert "tags: [password, login, zorblax]" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    veto = {"lang": "en", "article": RESET, "term": "zorblax"}

    assert Customer(app).client.post("/reports/learned-words/veto", data=veto).status_code == 302
    assert staff.post("/reports/learned-words/veto", data=veto).status_code == 400  # no token
    assert learned(app) == {("en", RESET, "zorblax")}

    response = staff.post("/reports/learned-words/veto", data={**veto, "csrf_token": token})
    assert response.status_code == 303
    assert learned(app) == set()
    with app.app_context():
        [vetoed] = db.session.scalars(select(TermVeto)).all()
        assert vetoed.user.email == "lead@example.com"
        assert dt.datetime.now(dt.UTC) - vetoed.created_at < dt.timedelta(hours=1)

    Customer(app).found_it("en", "zorblax", "reset password", RESET)  # a fourth teaches again
    learning_round(app)
    assert learned(app) == set()
    assert hits(app, "en", "zorblax") == []
    assert "zorblax" not in staff.get("/reports/learned-words").get_data(as_text=True)


def test_prune_shrinks_the_learned_words_with_the_log(app):
    for customer in customers(app, 3):
        customer.found_it("en", "zorblax", "reset password", RESET)
    learning_round(app)
    assert learned(app) == {("en", RESET, "zorblax")}
    long_ago = dt.timedelta(days=40)
    with app.app_context():  # the visits of two of the three were 40 days ago
        first_two = sorted(set(db.session.scalars(select(SearchEvent.visitor))))[:2]
        for model, columns in (
            (SearchEvent, ("created_at", "clicked_at")),
            (PageView, ("created_at",)),
            (Vote, ("updated_at",)),
        ):
            for row in db.session.scalars(select(model).where(model.visitor.in_(first_two))):
                for column in columns:
                    if getattr(row, column) is not None:
                        setattr(row, column, getattr(row, column) - long_ago)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["prune", "--older-than", "30"])
    assert result.exit_code == 0, result.output
    assert "0 learned terms remain." in result.output
    assert learned(app) == set()


def test_the_index_command_learns_and_indexes(app):
    for customer in customers(app, 3):
        customer.found_it("en", "zorblax", "reset password", RESET)
    services.search_log(app).flush()
    assert hits(app, "en", "zorblax") == []
    result = app.test_cli_runner().invoke(args=["index"])
    assert result.exit_code == 0, result.output
    assert "1 learned terms from customers' searches." in result.output
    assert hits(app, "en", "zorblax") == [RESET]


def test_learned_words_are_shown_nowhere_to_customers(app):
    for customer in customers(app, 3):
        customer.found_it("en", "zorblax", "reset password", RESET)
    learning_round(app)
    client = Customer(app).client
    for url in (
        "/en/search?q=reset+password",
        "/en/account/reset-password",
        "/api/search?lang=en&q=reset",
        "/en/search?q=password",
    ):
        response = client.get(url)
        page = response.get_data(as_text=True)
        # The page that shows the article (a result or the article itself), not an error.
        assert response.status_code == 200 and RESET in page, url
        assert "zorblax" not in page.lower()


def test_a_running_site_stops_finding_an_article_by_words_it_lost(search):
    """An article indexed again in place (edited, or its learned words vetoed) is found by its
    new words only, by a search service that was already running (Whoosh's searcher refresh
    kept the old segment's readers and so the old document)."""
    search.tree.category("en", "faq", "FAQ")
    search.tree.article("en/faq/a.md", "Alpha", "Grumpkin here.\n")
    search.tree.article("en/faq/b.md", "Beta", "Other text.\n")
    search.index()
    assert search.ids("en", "grumpkin") == ["faq/a"]
    search.tree.article("en/faq/a.md", "Alpha", "Quokka here.\n")
    assert search.index()["en"].updated == 1
    assert search.ids("en", "grumpkin") == []
    assert search.ids("en", "quokka") == ["faq/a"]


def test_a_learned_word_finds_its_article_below_what_writers_wrote(search):
    """The learned section weighs less than a title, a tag or a heading: an article a writer
    wrote the word into ranks above one that only learned it."""
    tree = search.tree
    tree.category("en", "home", "Home")
    tree.article("en/home/titled.md", "Gift wrapping", "We pack presents in paper.\n")
    tree.article("en/home/tagged.md", "Presents", "Paper and ribbon.\n", tags="[wrapping]")
    tree.article("en/home/headed.md", "Parcels", "## Wrapping\n\nBoxes and tape.\n")
    tree.article("en/home/learner.md", "Ribbons", "Colours and lengths of ribbon.\n")
    for n in range(6):
        tree.article(f"en/home/other{n}.md", f"Other {n}", "Unrelated words about furniture.\n")
    catalog = load_catalog(tree.root, ALL)
    search.indexes.update(catalog, "en", learned={"home/learner": ["wrap"]})
    ranked = search.ids("en", "wrapping")
    assert ranked[-1] == "home/learner"
    assert set(ranked[:3]) == {"home/titled", "home/tagged", "home/headed"}
    assert search.ids("en", "ribbon wrapping")[0] == "home/learner"  # its own word, and learned

    search.indexes.update(catalog, "en", learned={})  # vetoed
    assert "home/learner" not in search.ids("en", "wrapping")


def test_an_article_found_through_the_categories_after_a_search_teaches_too(app):
    """The results did not help, so the customer browsed: category page, then the article."""
    for customer in customers(app, 3):
        assert customer.search("en", "zorblax") == {}
        assert customer.client.get("/en/account/").status_code == 200
        assert customer.client.get(f"/en/{RESET}").status_code == 200
        assert beacon(customer.client, "en", RESET).json["counted"]
        customer.vote("en", RESET, True)
    learning_round(app)
    assert learned(app) == {("en", RESET, "zorblax")}


def test_one_process_of_all_recomputes_in_each_interval(app):
    """Every worker runs the learning round; the shared heartbeat row gives one the turn."""
    from helpcenter.activity.learned_sync import _take_turn

    with app.app_context():
        assert _take_turn(300) is True
        assert _take_turn(300) is False  # another worker, a moment later
        assert _take_turn(0) is True  # the interval has passed


SIGNATURE = "mail/outlook-signature"
RULES = "mail/outlook-rules"


def test_a_brand_one_article_learned_in_hebrew_letters_still_finds_the_others(app, basic):
    """Customers write "Outlook" in Hebrew letters (אאוטלוק); transliteration finds every
    Outlook article by it. Once one of them learns that spelling, the word is in the index,
    but only for that article: the others must still be found by the transliteration."""
    basic.category("en", "mail", "Mail")
    basic.article(f"en/{SIGNATURE}.md", "Signatures in Outlook", "Add a signature.\n")
    basic.article(f"en/{RULES}.md", "Rules in Outlook", "Sort mail into folders.\n")
    basic.category("he", "mail", "דואר")
    basic.article(f"he/{SIGNATURE}.md", "חתימה ב-Outlook", "הוספת חתימה להודעות.\n")
    basic.article(f"he/{RULES}.md", "כללים ב-Outlook", "מיון הודעות לתיקיות באופן אוטומטי.\n")
    assert set(hits(app, "he", "אאוטלוק")) == {SIGNATURE, RULES}
    for customer in customers(app, 3):
        customer.found_it("he", "אאוטלוק", "חתימה ב-Outlook", SIGNATURE)
    learning_round(app)
    assert ("he", SIGNATURE, "אאוטלוק") in learned(app)
    assert set(hits(app, "he", "אאוטלוק")) == {SIGNATURE, RULES}
    assert RULES in hits(app, "he", "כללים אאוטלוק")[:1]
