import time

from helpcenter import services
from tests.helpers import make_app


def test_edited_article_is_shown_without_a_restart(basic, tmp_path):
    client = make_app(tmp_path, basic.root, CONTENT_CHECK_INTERVAL=0.01).test_client()
    assert "Check the card number." in client.get("/en/payments/declined").get_data(as_text=True)
    basic.article("en/payments/declined.md", "My payment was declined", "Call your bank first.\n")
    time.sleep(0.05)
    html = client.get("/en/payments/declined").get_data(as_text=True)
    assert "Call your bank first." in html and "Check the card number." not in html


def test_new_and_deleted_articles_appear_and_disappear(basic, tmp_path):
    client = make_app(tmp_path, basic.root, CONTENT_CHECK_INTERVAL=0.01).test_client()
    assert client.get("/en/payments/refunds").status_code == 404
    path = basic.article("en/payments/refunds.md", "Refunds", "Money back.\n")
    time.sleep(0.05)
    assert client.get("/en/payments/refunds").status_code == 200
    path.unlink()
    time.sleep(0.05)
    assert client.get("/en/payments/refunds").status_code == 404


def test_a_broken_edit_does_not_take_the_site_down(basic, tmp_path):
    client = make_app(tmp_path, basic.root, CONTENT_CHECK_INTERVAL=0.01).test_client()
    basic.write("en/payments/declined.md", "---\ntitle: [broken\n---\n")
    time.sleep(0.05)
    assert client.get("/en/payments/declined").status_code == 404
    assert client.get("/en/payments/methods").status_code == 200
    assert client.get("/en/").status_code == 200


def test_a_broken_edit_keeps_serving_the_last_good_version(basic, tmp_path):
    app = make_app(tmp_path, basic.root, CONTENT_CHECK_INTERVAL=0.01)
    client = app.test_client()
    assert "Check the card number." in client.get("/en/payments/declined").get_data(as_text=True)
    path = basic.write("en/payments/declined.md", "---\ntitle: [broken\n---\n")
    time.sleep(0.05)
    response = client.get("/en/payments/declined")
    assert response.status_code == 200
    assert "Check the card number." in response.get_data(as_text=True)
    with app.app_context():
        problems = services.content_store().catalog().problems
    assert [p.line for p in problems if p.path == path and "invalid YAML" in p.message]
    basic.article("en/payments/declined.md", "My payment was declined", "Fixed now.\n")
    time.sleep(0.05)
    assert "Fixed now." in client.get("/en/payments/declined").get_data(as_text=True)
