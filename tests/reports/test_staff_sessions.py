"""A staff session ends when it should: on logout (everywhere), a new password, a disabled
account, and a fixed time after the password was typed, however busy the lead keeps it."""

import time

from tests.helpers import logged_in_staff

LOGIN = {"email": "lead@example.com", "password": "correct horse battery"}


def stolen_copy(app, client):
    """Another browser holding the same session cookie (copied, shared or stolen)."""
    thief = app.test_client()
    cookie = client.get_cookie("session")
    thief.set_cookie("session", cookie.value)
    assert thief.get("/reports/requests").status_code == 200
    return thief


def log_out(client) -> None:
    page = client.get("/reports/").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303


def test_logout_revokes_the_cookie_and_its_copies(app):
    client = logged_in_staff(app)
    thief = stolen_copy(app, client)
    log_out(client)
    assert thief.get("/reports/requests").status_code == 302  # back to the login page


def test_a_login_lasts_a_fixed_time_and_use_does_not_extend_it(app):
    client = logged_in_staff(app)
    client.get("/reports/")  # the first page adds the logout form's token to the session
    response = client.get("/reports/")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers  # not renewed
    with client.session_transaction() as session:
        session["staff_since"] = int(time.time()) - app.config["STAFF_LOGIN_LIFETIME"] - 1
    assert client.get("/reports/").status_code == 302


def test_new_password_and_disabled_account_end_every_session(app):
    client = logged_in_staff(app)
    thief = stolen_copy(app, client)
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["set-password", "LEAD@example.com", "--password-stdin"],
        input="another long password\n",
    )
    assert result.exit_code == 0 and "open sessions have ended" in result.output
    assert client.get("/reports/").status_code == 302
    assert thief.get("/reports/").status_code == 302

    fresh = app.test_client()
    from tests.helpers import csrf_token

    def login(password: str) -> int:
        data = {"csrf_token": csrf_token(fresh, "/login"), **LOGIN, "password": password}
        return fresh.post("/login", data=data).status_code

    assert login("correct horse battery") == 400  # the old password is gone
    assert login("another long password") == 303
    assert runner.invoke(args=["disable-user", "lead@example.com"]).exit_code == 0
    assert fresh.get("/reports/").status_code == 302
    assert login("another long password") == 400  # same answer as a wrong password
    assert runner.invoke(args=["disable-user", "lead@example.com", "--enable"]).exit_code == 0
    assert login("another long password") == 303
    unknown = runner.invoke(args=["disable-user", "nobody@example.com"])
    assert unknown.exit_code == 1 and "no staff account nobody@example.com" in unknown.output
