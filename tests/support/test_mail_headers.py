"""Every kind of mail the help center sends, as a real SMTP server receives it, carries the
headers a receiving mail server expects (RFC 5322: Date, Message-ID, From, To; MIME-Version and
a charset), lines it accepts (CRLF only, at most 998 octets), and nothing a customer typed
turns into a header of its own."""

from __future__ import annotations

import datetime as dt
import re
from email import policy
from email.parser import BytesParser
from email.utils import parsedate_to_datetime

from helpcenter import services
from helpcenter.support.channels import configured_channels
from helpcenter.support.outbox import deliver_due
from helpcenter.support.requests import RequestContext, create_request
from tests.helpers import SUPPORT, mail_app

# A dot-atom left part (RFC 5322 id-left), then the site's own domain (PUBLIC_URL's host).
MESSAGE_ID = re.compile(r"<[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@help\.example\.com>")
HOSTILE = "\r\nBcc: evil@example.com"


def test_every_mail_has_the_headers_a_mail_server_expects(tmp_path, basic, smtp):
    smtp.start()
    app = mail_app(tmp_path, basic, smtp.port, DIGEST_TO="lead@example.com", DELIVERY_KICK=False)
    with app.app_context():
        # Stored as a row from before the form's checks could be: CR/LF in every typed field,
        # and a message line longer than any mail line may be.
        create_request(
            email="ana@example.com",
            name=f"Ana{HOSTILE}",
            message="I was charged twice. " * 100 + HOSTILE,
            context=RequestContext(lang="pl", about=f"Refund{HOSTILE}", search_query=HOSTILE),
            visitor="a" * 32,
            channels=configured_channels(),
        )
        sent = deliver_due(catalog=services.content_store().catalog)
        assert (sent.sent, sent.failed) == (2, 0), sent.errors
    result = app.test_cli_runner().invoke(args=["digest"])
    assert result.exit_code == 0, result.output

    received = [BytesParser(policy=policy.default).parsebytes(raw) for raw in smtp.mailbox.raw]
    kinds = {mail["To"].addresses[0].addr_spec: mail for mail in received}
    assert set(kinds) == {SUPPORT, "ana@example.com", "lead@example.com"}  # team, customer, lead
    for raw in smtp.mailbox.raw:
        assert b"\n" not in raw.replace(b"\r\n", b"") and b"\r" not in raw.replace(b"\r\n", b"")
        assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    for mail in received:
        date = parsedate_to_datetime(mail["Date"])
        assert date.tzinfo is not None and abs(date - dt.datetime.now(dt.UTC)) < (
            dt.timedelta(minutes=10)
        )
        assert MESSAGE_ID.fullmatch(mail["Message-ID"]), mail["Message-ID"]
        assert mail["MIME-Version"] == "1.0"
        assert mail["From"].addresses[0].addr_spec == "help-center@brightwood.example"
        assert mail["Subject"]
        for part in mail.walk():
            if part.get_content_maintype() == "text":
                assert part.get_content_charset() == "utf-8"
        # What the customer typed stayed inside its header (a quoted name) or the body.
        assert mail["Bcc"] is None
        assert {a.addr_spec for a in mail["Reply-To"].addresses} <= {
            SUPPORT,
            "ana@example.com",
            "lead@example.com",
        }
    assert len({mail["Message-ID"] for mail in received}) == len(received) == 3
    assert all("evil@example.com" not in rcpts for _, rcpts in smtp.mailbox.envelopes)
    assert kinds[SUPPORT]["Subject"].endswith("] Refund Bcc: evil@example.com")  # one line
