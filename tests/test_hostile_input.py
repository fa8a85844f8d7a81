"""Arbitrary text (Hypothesis) thrown at every endpoint that takes input, and at the front-matter
parser: never a 500, never the input echoed unescaped, nothing stored from a rejected post."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from helpcenter import services
from helpcenter.content.frontmatter import parse_front_matter
from helpcenter.extensions import db
from helpcenter.models import ContactRequest, Vote
from helpcenter.typed_text import without_control_characters
from tests.articletree import ArticleTree
from tests.helpers import SAMPLE_CONFIG, SUPPORT, SmtpServer, csrf_token, free_port, make_app

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MARKUP = st.sampled_from(
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "javascript:alert(1)",
        "{{7*7}}",
        "%(x)s",
        "' OR 1=1 --",
    ]
)
HOSTILE = st.one_of(
    st.text(max_size=300),
    MARKUP,
    st.builds("".join, st.lists(MARKUP | st.text(max_size=20), max_size=4)),
)


@pytest.fixture(scope="module")
def site(tmp_path_factory, basic_tree_template):
    root = tmp_path_factory.mktemp("hostile")
    app = make_app(root, ArticleTree.copy_of(basic_tree_template, root / "articles").root)
    client = app.test_client()
    token = csrf_token(client, "/en/contact")
    return app, client, token


def _no_raw_markup(page: str, text: str) -> None:
    for dangerous in ("<script>alert(1)", "<img src=x onerror"):
        if dangerous in text:
            assert dangerous not in page


@SETTINGS
@given(query=HOSTILE, category=HOSTILE, lang=st.sampled_from(["en", "pl", "he"]))
@example(query="pass\x00word", category="account\x00" + "x" * 300, lang="en")
def test_search_page_and_suggestions_take_anything(site, query, category, lang):
    app, client, _ = site
    page = client.get(
        f"/{lang}/search", query_string={"q": query, "page": query[:5], "category": category}
    )
    assert page.status_code == 200
    _no_raw_markup(page.get_data(as_text=True), query + category)
    api = client.get(
        "/api/search", query_string={"lang": query[:3], "q": query, "limit": query[:4]}
    )
    assert api.status_code == 200 and isinstance(api.get_json()["results"], list)
    # The search was logged for the gap reports, and nothing in it made the database refuse
    # the batch (which would lose other customers' searches written with it).
    search_log = services.search_log(app)
    assert search_log.flush() and search_log.dropped == 0


@SETTINGS
@given(helpful=HOSTILE, reason=HOSTILE, comment=HOSTILE, article=HOSTILE)
@example(helpful="no", reason="outdated", comment="\x00 old screenshots", article="account/a\x00")
@example(helpful="yes", reason="", comment="", article="/0")
def test_votes_take_anything_and_store_only_valid_votes(site, helpful, reason, comment, article):
    app, client, token = site
    with app.app_context():
        before = db.session.query(Vote).count()
    response = client.post(
        f"/en/feedback/{article or 'x'}",
        data={"csrf_token": token, "helpful": helpful, "reason": reason, "comment": comment},
    )
    # 308: Werkzeug's redirect from a path with "//" in it to the merged one (nothing stored).
    assert response.status_code in (303, 308, 400, 404, 405)
    with app.app_context():
        after = db.session.query(Vote).count()
    if response.status_code != 303:
        assert after == before


@SETTINGS
@given(email=HOSTILE | st.emails(), name=HOSTILE, message=HOSTILE, about=HOSTILE, q=HOSTILE)
@example(
    email="ann@example.com\x00",
    name="A\x00nn",
    message="My order\x00 is late\x01",
    about="\x00",
    q="late\x00order",
)
@example(email="0@0.A", name="", message="\x00", about="", q="")
def test_contact_form_takes_anything_and_keeps_it_escaped(site, email, name, message, about, q):
    app, client, token = site
    with app.app_context():
        before = db.session.query(ContactRequest).count()
    response = client.post(
        "/en/contact",
        data={
            "csrf_token": token,
            "email": email,
            "name": name,
            "message": message,
            "about": about,
            "q": q,
            "article": about[:50],
        },
    )
    assert response.status_code in (303, 400)
    with app.app_context():
        stored = db.session.query(ContactRequest).order_by(ContactRequest.id.desc()).first()
        after = db.session.query(ContactRequest).count()
    if response.status_code == 303:
        # Control characters (a NUL cannot even be stored in PostgreSQL) are all that is removed.
        assert after == before + 1
        assert stored.message == without_control_characters(message).strip()
    else:
        assert after == before
        _no_raw_markup(response.get_data(as_text=True), message + name + about)


# Names and addresses built to end a header or to be decoded into another address.
HEADER_TRICKS = st.sampled_from(
    [
        "<",
        ">",
        ",",
        '"',
        "'",
        "\\",
        "\r",
        "\n",
        "\r\n",
        "\u2028",
        "\x85",
        "@",
        ";",
        ":",
        "(",
        ")",
        "ö",
        "Ζ",
        "ł",
        "=?",
        "?=",
        "=?utf-8?q?",
        "=?utf-8?q?a=40evil.example=3E?=",
        "=?us-ascii?q?a=2C_b?=",
        "attacker@evil.example",
        "Bcc: victim@example.com",
        " ",
    ]
)
NAMES = st.builds("".join, st.lists(HEADER_TRICKS | st.text(max_size=8), max_size=8))
LOCAL_PARTS = st.builds(
    "".join, st.lists(HEADER_TRICKS | st.text("ab.=?_", max_size=4), max_size=5)
)
ADDRESSES = st.emails() | st.builds("{}@example.com".format, LOCAL_PARTS)
MAIL_SETTINGS = settings(SETTINGS, max_examples=25)


@pytest.fixture(scope="module")
def mail_site(tmp_path_factory, basic_tree_template):
    """The site with a real SMTP server on loopback receiving what it sends."""
    smtp = SmtpServer(free_port())
    smtp.start()
    root = tmp_path_factory.mktemp("hostile-mail")
    app = make_app(
        root,
        ArticleTree.copy_of(basic_tree_template, root / "articles").root,
        CONFIG_FILE=SAMPLE_CONFIG,
        MAIL_SERVER="127.0.0.1",
        MAIL_FROM="help-center@brightwood.example",
        MAIL_PORT=smtp.port,
        MAIL_TIMEOUT=3,
        SUPPORT_EMAIL=SUPPORT,
        # Examples repeat addresses; the daily cap of acknowledgements is tested on its own.
        ACKNOWLEDGEMENTS_PER_ADDRESS_PER_DAY=1_000_000,
    )
    client = app.test_client()
    token = csrf_token(client, "/en/contact")
    yield app, client, token, smtp.mailbox
    smtp.stop()


@MAIL_SETTINGS
@given(name=NAMES, email=ADDRESSES)
@example(name="Jörg <attacker@evil.example>", email="ana@example.com")
@example(name="Ann\r\nBcc: victim@example.com", email="ana@example.com")
@example(name="Ana", email="=?utf-8?q?attacker=40evil.example=3E?=@example.com")
@example(name="Ana", email="=?us-ascii?q?a=2C_b?=@example.com")
def test_no_name_or_address_can_redirect_replies(mail_site, name, email):
    """Refused with a field error, or the support team's reply goes to the customer alone."""
    app, client, token, mailbox = mail_site
    response = client.post(
        "/en/contact",
        data={"csrf_token": token, "email": email, "name": name, "message": "Hello"},
    )
    event(f"status {response.status_code}")
    if response.status_code == 400:
        page = response.get_data(as_text=True)
        assert 'id="email-error"' in page or 'id="name-error"' in page
        return
    assert response.status_code == 303
    services.kicker(app).wait()
    reference = response.headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        customer = db.session.query(ContactRequest).filter_by(reference=reference).one().email
    mails = {str(m["To"]) == SUPPORT: m for m in mailbox.messages if reference in m["Subject"]}
    assert len(mails) == 2  # to the support team, and the acknowledgement
    assert [a.addr_spec for a in mails[True]["Reply-To"].addresses] == [customer]
    ack = mails[False]
    assert [a.addr_spec for a in ack["To"].addresses] == [customer]
    assert ack["To"].addresses[0].display_name == ""


@SETTINGS
@given(email=HOSTILE | st.emails(), password=HOSTILE)
@example(email="lead@example.com\x00", password="\x00")
def test_login_takes_anything_and_lets_nobody_in(site, email, password):
    _, client, token = site
    response = client.post(
        "/login", data={"csrf_token": token, "email": email, "password": password}
    )
    assert response.status_code == 400
    _no_raw_markup(response.get_data(as_text=True), email)


@SETTINGS
@given(text=HOSTILE)
@example(text="\x00")
@example(text="HC-2345-\x00")
@example(text="/0")
def test_a_reference_in_the_url_can_be_anything(site, text):
    _, client, _ = site
    # 308: Werkzeug's redirect for a path with "//" in it (a text starting with "/").
    assert client.get(f"/en/contact/sent/{quote(text, safe='')}").status_code in (308, 404)


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(max_size=500)
    | st.builds(lambda a, b: f"---\n{a}\n---\n{b}", st.text(max_size=200), st.text(max_size=50))
)
def test_front_matter_parser_never_raises(text):
    parsed = parse_front_matter(text)
    assert isinstance(parsed.values, dict)
    assert all(
        isinstance(line, int) and isinstance(message, str) for line, message in parsed.problems
    )
