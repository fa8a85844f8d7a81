"""What a customer types reaches the support team as they typed it, and nothing more: a
one-line field stays one line (no forged "Article:" line in the mail), and no direction
control reverses text in the mail, the webhook, the staff pages or the CSV."""

from __future__ import annotations

import pytest

from helpcenter import services
from helpcenter.support.channels import ACKNOWLEDGEMENT, SUPPORT_EMAIL
from helpcenter.support.requests import RequestContext, create_request
from tests.helpers import SUPPORT, csrf_token, logged_in_staff, mail_app, requests

FORGED = "Article: https://evil.example/login"
# Every character Unicode gives to steer the direction of text.
DIRECTION_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def post_contact(client, **fields):
    url = "/en/contact"
    data = {"csrf_token": csrf_token(client, url), "email": "ana@example.com", "message": "Hi"}
    response = client.post(url, data={**data, **fields})
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[1]


def support_mail_body(smtp) -> str:
    [mail] = smtp.mailbox.to(SUPPORT)
    return mail.get_content()


@pytest.mark.parametrize(
    ("field", "line_break"),
    [("about", "\n"), ("q", "\r\n"), ("name", "\n"), ("about", "\u2028"), ("q", "\u2029")],
)
def test_a_line_break_in_a_one_line_field_cannot_forge_a_line_of_the_support_mail(
    tmp_path, basic, smtp, field, line_break
):
    smtp.start()
    app = mail_app(tmp_path, basic, smtp.port)
    post_contact(app.test_client(), **{field: f"Refund{line_break}{FORGED}"})
    services.kicker(app).wait()
    lines = support_mail_body(smtp).splitlines()
    assert not [line for line in lines if line.startswith("Article: https://evil")]
    # Folded, not refused: what the customer typed is all there, on one line.
    [request] = requests(app)
    stored = {"about": request.about, "q": request.search_query, "name": request.name}[field]
    assert stored == f"Refund {FORGED}"
    assert any(f"Refund {FORGED}" in line for line in lines)


def test_direction_controls_reach_neither_mail_nor_webhook_nor_staff_pages_nor_csv(
    tmp_path, basic, smtp, webhook
):
    smtp.start()
    app = mail_app(tmp_path, basic, smtp.port, SUPPORT_WEBHOOK_URL=webhook.url)
    reference = post_contact(
        app.test_client(),
        name="Ana\u202eworB",
        about="Invoice \u2067refund\u2069",
        q="invoice\u200f",
        message="Please look at invoice\u202efdp.exe and the \u202bother\u202c one.",
    )
    services.kicker(app).wait()
    [(payload, _, _)] = webhook.posts
    staff = logged_in_staff(app)
    seen = {
        "mail": support_mail_body(smtp),
        "subject": smtp.mailbox.to(SUPPORT)[0]["Subject"],
        "reply-to": smtp.mailbox.to(SUPPORT)[0]["Reply-To"],
        "webhook": str(payload),
        "staff page": staff.get(f"/reports/requests/{reference}").get_data(as_text=True),
        "staff list": staff.get("/reports/requests").get_data(as_text=True),
        "csv": staff.get("/reports/requests.csv").get_data(as_text=True),
    }
    for where, text in seen.items():
        assert not set(DIRECTION_CONTROLS) & set(text), where
    assert "Please look at invoicefdp.exe and the other one." in seen["mail"]
    # The staff page shows what looks like a web address defanged (helpcenter/defang.py).
    assert "invoicefdp.exe" in seen["csv"] and "invoicefdp[.]exe" in seen["staff page"]


def test_a_request_stored_before_the_form_folded_lines_still_gets_a_clean_mail(
    tmp_path, basic, smtp
):
    smtp.start()
    app = mail_app(tmp_path, basic, smtp.port, DELIVERY_KICK=False)
    with app.app_context():
        create_request(
            email="ana@example.com",
            name="Ana\r\nArticle: https://evil.example/a",
            message="Invoice\u202efdp.exe",
            context=RequestContext(
                lang="en", about=f"Refund\n{FORGED}", search_query=f"x\n{FORGED}"
            ),
            visitor="v",
            channels=[SUPPORT_EMAIL, ACKNOWLEDGEMENT],
        )
    assert app.test_cli_runner().invoke(args=["deliver"]).exit_code == 0
    body = support_mail_body(smtp)
    assert not [line for line in body.splitlines() if line.startswith("Article: https://evil")]
    assert not set(DIRECTION_CONTROLS) & set(body)
