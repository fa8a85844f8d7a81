"""Staff accounts: nothing under /reports/ and no personal data without logging in."""

import uuid

import pytest

from helpcenter.reports import REPORTS
from helpcenter.web.visitor import COOKIE
from tests.helpers import csrf_token, make_app

REPORT_URLS = ["/reports/"] + [
    url
    for name in REPORTS
    for url in (f"/reports/{name}", f"/reports/{name}.csv", f"/reports/{name}.json")
]


@pytest.mark.parametrize("url", REPORT_URLS)
def test_every_report_url_needs_a_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_logged_in_staff_see_every_report_and_download_csv(staff_client, activity):
    activity.contact("en", "payments/methods", email="dana@example.com")
    dashboard = staff_client.get("/reports/")
    page = dashboard.get_data(as_text=True)
    assert dashboard.status_code == 200 and dashboard.headers["Cache-Control"] == "no-store"
    assert '<svg class="chart"' in page and 'role="img"' in page
    for name in REPORTS:
        assert staff_client.get(f"/reports/{name}").status_code == 200
    requests = staff_client.get("/reports/requests").get_data(as_text=True)
    assert "dana@example.com" in requests
    csv = staff_client.get("/reports/requests.csv")
    assert csv.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in csv.headers["Content-Disposition"]
    assert "dana@example.com" in csv.get_data(as_text=True)


def test_wrong_password_and_unknown_user_get_the_same_answer(app, client):
    from helpcenter.staff_accounts import create_user

    with app.app_context():
        create_user("lead@example.com", "correct horse battery")
    answers = []
    for email, password in (("lead@example.com", "wrong password!"), ("nobody@example.com", "x")):
        token = csrf_token(client, "/login")
        response = client.post(
            "/login", data={"csrf_token": token, "email": email, "password": password}
        )
        answers.append((response.status_code, "not right" in response.get_data(as_text=True)))
    assert answers == [(400, True), (400, True)]
    assert client.get("/reports/").status_code == 302


def test_login_is_rate_limited(tmp_path, basic):
    app = make_app(tmp_path, basic.root, RATELIMIT_ENABLED=True)
    client = app.test_client()
    codes = []
    for number in range(11):
        client.set_cookie(COOKIE, uuid.uuid4().hex)  # a made-up visitor buys no more guesses
        # Each at another account: the address's own limit (one account's: web/test_staff_login.py).
        email = f"lead{number}@example.com"
        data = {"csrf_token": csrf_token(client, "/login"), "email": email, "password": "x"}
        response = client.post("/login", data=data)
        codes.append(response.status_code)
    assert codes[:10] == [400] * 10 and codes[10] == 429
    # Refused on the login page itself, which says why and keeps the address typed.
    page = response.get_data(as_text=True)
    assert "Too many login attempts from your network" in page
    assert 'value="lead10@example.com"' in page and 'name="password"' in page
    assert int(response.headers["Retry-After"]) > 0


def test_logout_needs_the_token_and_ends_the_session(staff_client):
    assert staff_client.get("/login").status_code == 302  # logged in already: no form
    page = staff_client.get("/reports/").get_data(as_text=True)
    logout_token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert staff_client.post("/logout", data={}).status_code == 400  # no token: refused
    assert staff_client.post("/logout", data={"csrf_token": logout_token}).status_code == 303
    assert staff_client.get("/reports/").status_code == 302


def test_login_sets_a_hardened_session_cookie_and_refuses_open_redirects(app):
    from helpcenter.staff_accounts import create_user

    with app.app_context():
        create_user("lead@example.com", "correct horse battery")
    client = app.test_client()
    site = "https://help.example.com"
    page = client.get("/login", base_url=site).get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/login?next=//evil.example/",
        base_url=site,
        headers={"Referer": f"{site}/login"},
        data={
            "csrf_token": token,
            "email": "LEAD@example.com",
            "password": "correct horse battery",
        },
    )
    assert response.headers["Location"] == "/reports/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_create_user_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-user", "lead@example.com", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0 and "Created staff account lead@example.com." in result.output
    again = runner.invoke(
        args=["create-user", "lead@example.com", "--password-stdin"],
        input="a long enough password\n",
    )
    assert again.exit_code == 1 and "already has an account" in again.output
    short = runner.invoke(
        args=["create-user", "b@example.com", "--password-stdin"], input="short\n"
    )
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    with app.app_context():
        from helpcenter.extensions import db
        from helpcenter.models import User

        stored = db.session.scalar(db.select(User))
        # Hashed the way the site says (scrypt unless the operator chose:
        # tests/web/test_staff_login.py).
        assert stored.password_hash.startswith(app.config["STAFF_PASSWORD_HASH"] + "$")
        assert "a long enough password" not in stored.password_hash


def test_report_command_outputs(app, activity):
    activity.search("en", "gift wrap", 0)
    runner = app.test_cli_runner()
    text = runner.invoke(args=["report", "zero-results"]).output
    assert "gift wrap" in text
    csv = runner.invoke(args=["report", "zero-results", "--format", "csv", "--lang", "pl"]).output
    assert csv.splitlines() == [
        "language,query,searches,visitors,first seen,last seen,previous period,trend,spellings"
    ]
    assert (
        '"searches": 1' in runner.invoke(args=["report", "zero-results", "--format", "json"]).output
    )
    assert runner.invoke(args=["report", "nonsense"]).exit_code == 2


def test_report_pages_speak_the_readers_language_and_downloads_stay_english(
    app, staff_client, activity
):
    from helpcenter.extensions import db
    from helpcenter.models import ContactRequest, Delivery

    activity.contact("pl", email="ola@example.com")  # not from an article, nothing delivered
    activity.contact("pl", "payments/methods", email="jan@example.com")
    with app.app_context():
        request = db.session.scalars(
            db.select(ContactRequest).filter_by(email="jan@example.com")
        ).one()
        db.session.add(Delivery(request=request, channel="webhook", state="pending", attempts=2))
        db.session.add(Delivery(request=request, channel="email", state="pending", attempts=1))
        db.session.commit()
    polish = {"Accept-Language": "pl"}
    page = staff_client.get("/reports/requests", headers=polish).get_data(as_text=True)
    assert "zapisano (bez wysyłki)" in page and "webhook: oczekuje (2 próby)" in page
    assert "email: oczekuje (1 próba)" in page
    assert "stored only" not in page and "attempts" not in page
    escalations = staff_client.get("/reports/escalations", headers=polish).get_data(as_text=True)
    assert "(nie z artykułu)" in escalations
    download = staff_client.get("/reports/requests.csv", headers=polish).get_data(as_text=True)
    assert "stored only" in download and "webhook: pending (2 attempts)" in download
    assert "email: pending (1 attempt)\r\n" in download
    assert "zapisano" not in download


def _references(app) -> dict[str, str]:
    from helpcenter.extensions import db
    from helpcenter.models import ContactRequest

    with app.app_context():
        return {r.email: r.reference for r in db.session.scalars(db.select(ContactRequest))}


def test_a_contact_request_has_its_own_page_for_staff_only(app, client, staff_client, activity):
    activity.contact("he", "account/reset-password", email="dana@example.com")
    reference = _references(app)["dana@example.com"]
    for anonymous in (
        client.get(f"/reports/requests/{reference}"),
        client.post(f"/reports/requests/{reference}/erase"),
    ):
        assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    listing = staff_client.get("/reports/requests").get_data(as_text=True)
    assert f'<a href="/reports/requests/{reference}">{reference}</a>' in listing
    response = staff_client.get(f"/reports/requests/{reference}")
    assert response.headers["Cache-Control"] == "no-store"  # personal data
    page = response.get_data(as_text=True)
    assert "dana@example.com" in page and "Help" in page
    assert 'href="/he/account/reset-password"' in page  # the article she came from
    assert staff_client.get("/reports/requests/HC-NOPE-NOPE").status_code == 404


def test_staff_erase_a_customers_personal_data_from_the_request_page(app, staff_client, activity):
    from helpcenter.extensions import db
    from helpcenter.models import ContactRequest

    activity.contact("en", "payments/methods", email="Erin@Example.com")
    activity.contact("pl", email="erin@example.com")
    activity.contact("en", email="frank@example.com")
    reference = _references(app)["Erin@Example.com"]
    page = staff_client.get(f"/reports/requests/{reference}").get_data(as_text=True)
    assert "message of all 2 requests from Erin@Example.com" in page
    forged = staff_client.post(f"/reports/requests/{reference}/erase")  # no CSRF token
    assert forged.status_code == 400 and "erin" in str(_references(app)).lower()
    response = staff_client.post(
        f"/reports/requests/{reference}/erase",
        data={"csrf_token": csrf_token(staff_client, f"/reports/requests/{reference}")},
    )
    assert response.status_code == 303
    with app.app_context():
        rows = {
            r.lang + (r.article_id or ""): r for r in db.session.scalars(db.select(ContactRequest))
        }
        assert rows["enpayments/methods"].email == rows["pl"].email == ""
        assert rows["en"].email == "frank@example.com"
    after = staff_client.get(f"/reports/requests/{reference}", headers={"Accept-Language": "pl"})
    text = after.get_data(as_text=True)
    assert "Dane osobowe tego zgłoszenia usunięto" in text and "Erin" not in text


def test_staff_find_a_request_by_reference_as_read_out_or_by_e_mail(
    app, client, staff_client, activity
):
    activity.contact("en", email="Gina@Example.com")
    activity.contact("hr", email="gina@example.com")
    references = _references(app)
    reference = references["Gina@Example.com"]
    anonymous = client.get("/reports/requests/find?q=gina@example.com")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert 'action="/reports/requests/find"' in staff_client.get("/reports/requests").get_data(
        as_text=True
    )
    read_out = " ".join(reference.lower().split("-"))  # "hc 7kq2 mx4p"
    found = staff_client.get("/reports/requests/find", query_string={"q": read_out})
    assert (
        found.status_code == 302 and found.headers["Location"] == f"/reports/requests/{reference}"
    )
    listing = staff_client.get("/reports/requests/find?q=GINA@example.com")
    assert listing.status_code == 200
    assert all(f">{ref}</a>" in listing.get_data(as_text=True) for ref in references.values())
    missing = staff_client.get("/reports/requests/find?q=HC-2345-6789")
    assert missing.status_code == 404 and "HC-2345-6789" in missing.get_data(as_text=True)
    assert staff_client.get("/reports/requests/find?q=nobody@example.com").status_code == 404
    assert staff_client.get("/reports/requests/find?q=<script>").status_code == 400


def test_report_pages_write_numbers_dates_and_times_the_readers_way(tmp_path, basic):
    import re

    from tests.helpers import Activity, logged_in_staff

    basic.article("en/payments/old.md", "Old terms", "Text.\n", review_by="2026-01-02")
    basic.commit()
    app = make_app(tmp_path, basic.root, TIME_ZONE="Europe/Zagreb")
    activity, staff = Activity(app), logged_in_staff(app)
    for visitor in "abc":
        activity.view("hr", "payments/methods", visitor=visitor)
    activity.contact("hr", "payments/methods", visitor="a")

    croatian = staff.get("/reports/escalations", headers={"Accept-Language": "hr"})
    page = croatian.get_data(as_text=True)
    assert "<bdi>66,7\xa0%</bdi>" in page and "66.7" not in page  # self-service rate 2 of 3
    stale = staff.get("/reports/stale", headers={"Accept-Language": "lt"}).get_data(as_text=True)
    assert "patikrinimo data 2026 m. sausio 2 d. praėjo" in stale and "2026-01-02 " not in stale
    [reference] = _references(app).values()
    request_page = staff.get(f"/reports/requests/{reference}", headers={"Accept-Language": "hr"})
    # In the configured zone and saying which one, since staff compare it with their own clock.
    assert re.search(r"<dd>[^<]*\d{2}:\d{2}:\d{2} CES?T</dd>", request_page.get_data(as_text=True))
