"""Secrets (signing key, SMTP password, webhook secret) never reach the logs, even when a
delivery fails and the failure is logged."""

import logging

from helpcenter import services
from tests.helpers import SAMPLE_CONFIG, csrf_token, make_app


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record) + (record.exc_text or ""))


def test_secrets_never_reach_the_logs(tmp_path, basic, smtp):
    smtp.start()
    secrets = {
        "SECRET_KEY": "s3cret-key-7781",
        "MAIL_PASSWORD": "mail-pass-5512",
        "SUPPORT_WEBHOOK_SECRET": "hook-secret-9931",
    }
    app = make_app(
        tmp_path,
        basic.root,
        CONFIG_FILE=SAMPLE_CONFIG,
        MAIL_SERVER="127.0.0.1",
        MAIL_FROM="help-center@brightwood.example",
        MAIL_PORT=smtp.port,
        MAIL_USERNAME="",
        SUPPORT_WEBHOOK_URL="http://127.0.0.1:1/hook",
        **secrets,
    )
    collected = _Collect()  # on the app's logger: migrations reconfigure the root logger
    logger = logging.getLogger("helpcenter")
    logger.addHandler(collected)
    logger.setLevel(logging.DEBUG)
    client = app.test_client()
    token = csrf_token(client, "/en/contact")
    client.post(
        "/en/contact", data={"csrf_token": token, "email": "a@example.com", "message": "Hi"}
    )
    services.kicker(app).wait()
    app.test_cli_runner().invoke(args=["deliver", "--retry-now"])
    logger.removeHandler(collected)
    logged = "\n".join(collected.lines)
    assert "webhook unreachable" in logged  # something was logged about the failure
    for value in secrets.values():
        assert value not in logged
