"""What operators rely on: /healthz, /metrics and data retention."""

import re
import shlex
import stat
from pathlib import Path

from sqlalchemy.pool import NullPool

from helpcenter import create_app, services
from helpcenter.extensions import db
from helpcenter.models import ContactRequest, Delivery, PageView, SearchEvent, Visit, Vote
from helpcenter.reports import Period, ReportSettings, run_report
from helpcenter.staff_accounts import create_user
from tests.helpers import Activity, csrf_token, days_ago, log_in, make_app


def app_without_database(tmp_path, basic):
    """An app whose database cannot be reached: nothing listens on loopback port 1."""
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "ARTICLES_DIR": str(basic.root),
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "CONTENT_CHECK_INTERVAL": 0,
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none",
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}},
            "RATELIMIT_ENABLED": False,
        }
    )


def test_healthz_reports_database_index_and_content(app, client):
    client.get("/en/search?q=password")  # builds the indexes
    response = client.get("/healthz")
    data = response.get_json()
    assert response.status_code == 200 and data["status"] == "ok"
    assert data["database"]["ok"] is True
    assert data["index"]["en"] == {"ok": True, "documents": 3}
    assert data["content"]["articles"] > 0


def test_healthz_fails_when_the_database_is_unreachable(tmp_path, basic):
    app = app_without_database(tmp_path, basic)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    data = response.get_json()
    assert data["status"] == "failing" and data["database"]["ok"] is False


def test_prune_deletes_only_old_activity(app):
    activity = Activity(app)
    for age in (400, 10):
        activity.search("en", "refund", 1, at=days_ago(age))
        activity.view("en", "payments/methods", at=days_ago(age))
    with app.app_context():
        db.session.add(
            Vote(
                article_id="payments/methods",
                lang="en",
                visitor="o" * 32,
                helpful=True,
                updated_at=days_ago(400),
            )
        )
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["prune", "--older-than", "365"])
    assert result.exit_code == 0
    assert (
        "1 search_event rows, 1 page_view rows, 1 vote rows, 1 visit rows deleted." in result.output
    )
    with app.app_context():
        assert db.session.query(SearchEvent).count() == 1
        assert db.session.query(PageView).count() == 1
        assert db.session.query(Vote).count() == 0
        assert [v.day for v in db.session.query(Visit)] == [days_ago(10).date()]


DEPLOY = Path(__file__).resolve().parent.parent / "docs" / "deploy.md"


def test_the_documented_nightly_prune_keeps_what_the_docs_say(app):
    """docs/deploy.md's nightly prune: the rows that name a visitor or a network only past the
    learning window, the daily counts (naming nobody) longer, so that a report over a year
    still counts every search and view, and customers only while their rows are kept."""
    command = re.search(r"`helpcenter (prune --older-than [^`]*)`", DEPLOY.read_text()).group(1)
    args = shlex.split(command)
    days = int(args[args.index("--older-than") + 1])
    kept = int(args[args.index("--rollups-older-than") + 1])
    assert app.config["LEARN_WINDOW_DAYS"] <= days < kept  # learning loses nothing
    ages = {"fresh": 5, "edge": days - 2, "counted": (days + kept) // 2, "gone": kept + 5}
    activity = Activity(app)
    for word, age in ages.items():
        activity.search("en", f"zorb{word}", 0, visitor=word, at=days_ago(age))
        activity.view("en", "payments/methods", visitor=word, at=days_ago(age))
    runner = app.test_cli_runner()
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    with app.app_context():
        searched = {q for q in db.session.scalars(db.select(SearchEvent.query))}
        assert searched == {"zorbfresh", "zorbedge"}  # the raw rows of the learning window
        assert db.session.query(PageView).count() == db.session.query(Visit).count() == 2
    # Every search and view of the year is counted, its customers only within the rows kept;
    # and so after the roll-ups are rebuilt from what the raw log still holds.
    for rebuilt in (False, True):
        if rebuilt:
            assert runner.invoke(args=["rollup", "--rebuild"]).exit_code == 0
        with app.app_context():
            year = Period.from_dates(None, None, days=kept - 1)
            catalog = services.content_store(app).catalog()
            settings = ReportSettings.from_config(app.config)
            rows = run_report("zero-results", year, catalog, settings).tables[0].rows
            searches = {str(row[1]): (row[2], row[3]) for row in rows}  # (searches, visitors)
            views = run_report("articles", year, catalog, settings).tables[0].rows
        assert searches == {"zorbfresh": (1, 1), "zorbedge": (1, 1), "zorbcounted": (1, 0)}
        assert [row[3] for row in views if row[:2] == ["en", "payments/methods"]] == [3]


def test_prune_erases_personal_data_of_old_contact_requests_only(app):
    activity = Activity(app)
    activity.contact("pl", "payments/methods", at=days_ago(400), email="old@example.com")
    activity.contact("en", at=days_ago(10), email="new@example.com")
    with app.app_context():
        old = db.session.scalars(db.select(ContactRequest).filter_by(lang="pl")).one()
        db.session.add(Delivery(request=old, channel="support-email", state="pending"))
        for age in (400, 10):
            db.session.add(
                Vote(
                    article_id="payments/methods",
                    lang="pl",
                    visitor=f"{age}".ljust(32, "v"),
                    helpful=False,
                    reason="unclear",
                    comment=f"Written {age} days ago",
                    updated_at=days_ago(age),
                )
            )
        db.session.commit()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["prune"]).exit_code == 2  # nothing asked for
    result = runner.invoke(args=["prune", "--erase-requests-older-than", "365"])
    assert result.exit_code == 0 and "personal data of 1 contact request." in result.output
    with app.app_context():
        old, new = db.session.scalars(db.select(ContactRequest).order_by(ContactRequest.id))
        assert (old.email, old.name, old.message) == ("", "", "") and old.forgotten_at
        assert (old.lang, old.article_id) == ("pl", "payments/methods")  # context for reports
        assert [d.state for d in old.deliveries] == ["cancelled"]
        assert (new.email, new.message) == ("new@example.com", "Help me, please.")
        comments = db.session.scalars(db.select(Vote.comment).order_by(Vote.updated_at))
        assert list(comments) == [None, "Written 10 days ago"]
    again = runner.invoke(args=["prune", "--erase-requests-older-than", "365"])
    assert "personal data of 0 contact requests." in again.output


def test_with_the_database_down_articles_still_show_and_typing_is_kept(tmp_path, basic):
    app = app_without_database(tmp_path, basic)
    client = app.test_client()
    article = client.get("/en/account/reset-password")
    assert article.status_code == 200 and "Did this answer your question?" in article.get_data(
        as_text=True
    )
    assert client.get("/en/search?q=password").status_code == 200
    token = csrf_token(client, "/en/contact")
    response = client.post(
        "/en/contact",
        data={"csrf_token": token, "email": "a@example.com", "message": "My sofa is late"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "My sofa is late" in page and "send it again in a minute" in page
    vote = client.post(
        "/en/feedback/account/reset-password", data={"csrf_token": token, "helpful": "yes"}
    )
    assert vote.status_code == 503


def test_metrics_in_prometheus_format(app, client):
    client.get("/en/search?q=password")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'helpcenter_index_documents{lang="en"} 3' in text
    assert "helpcenter_database_up 1" in text
    assert "# TYPE helpcenter_deliveries gauge" in text


def read_only_twin(app, tmp_path):
    """A second app on the same database, through a connection that refuses every write (as a
    full disk or a read-only replica does)."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    options: dict = {"poolclass": NullPool}
    if uri.startswith("sqlite:///"):
        uri = f"sqlite:///file:{uri.removeprefix('sqlite:///')}?mode=ro&uri=true"
    else:
        options["connect_args"] = {"options": "-c default_transaction_read_only=on"}
    return create_app(
        {
            **{
                k: app.config[k] for k in ("TESTING", "SECRET_KEY", "ARTICLES_DIR", "INSTANCE_PATH")
            },
            "CONTENT_CHECK_INTERVAL": 0,
            "RATELIMIT_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": uri,
            "SQLALCHEMY_ENGINE_OPTIONS": options,
        }
    )


def test_healthz_fails_when_the_database_only_reads(app, tmp_path):
    client = app.test_client()
    client.get("/en/search?q=password")  # builds the indexes
    assert client.get("/healthz").status_code == 200
    response = read_only_twin(app, tmp_path).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"]["ok"] is False


def test_staff_login_on_a_read_only_database_explains_instead_of_failing(app, tmp_path):
    with app.app_context():
        create_user("lead@example.com", "correct horse battery")
    response = log_in(read_only_twin(app, tmp_path).test_client())
    assert response.status_code == 503
    assert "Logging in is not possible just now" in response.get_data(as_text=True)


def test_a_new_instance_folder_and_secret_key_are_readable_by_the_owner_only(tmp_path, basic):
    app = make_app(tmp_path, basic.root, SECRET_KEY=None)
    instance = Path(app.instance_path)
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
    key = instance / "secret_key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert app.config["SECRET_KEY"] == key.read_text().strip() != ""
    assert [path.name for path in instance.iterdir() if path.name.startswith(".")] == []
    # A second start (another worker) uses the same key.
    assert (
        make_app(tmp_path, basic.root, SECRET_KEY=None).config["SECRET_KEY"]
        == (app.config["SECRET_KEY"])
    )


def test_an_existing_instance_folder_keeps_the_mode_its_owner_gave_it(tmp_path, basic):
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o750)
    instance.chmod(0o750)
    make_app(tmp_path, basic.root, SECRET_KEY=None)
    assert stat.S_IMODE(instance.stat().st_mode) == 0o750
    assert stat.S_IMODE((instance / "secret_key").stat().st_mode) == 0o600
