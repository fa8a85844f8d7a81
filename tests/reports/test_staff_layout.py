"""Staff pages have their own frame: a staff bar with the report navigation and an interface
language switch, and none of the customer's search box, "Contact us" or footer."""


def test_staff_pages_have_their_own_layout(app, staff_client):
    page = staff_client.get("/reports/articles").get_data(as_text=True)
    assert 'class="staff-nav"' in page
    assert (
        '<a href="/reports/articles" aria-current="page">Articles that fail customers</a>' in page
    )
    assert '<a href="/reports/actions" >Do this next</a>' in page
    assert "Contact us" not in page and "site-footer" not in page and 'role="search"' not in page
    login = app.test_client().get("/login").get_data(as_text=True)
    assert "Contact us" not in login and 'class="staff-nav"' not in login  # not logged in yet


def test_the_language_switch_keeps_the_page_and_the_period(staff_client):
    page = staff_client.get("/reports/zero-results?since=2026-11-01").get_data(as_text=True)
    assert "/staff/language/pl?next=/reports/zero-results?since%3D2026-11-01" in page
    switched = staff_client.get("/staff/language/pl?next=/reports/zero-results?since%3D2026-11-01")
    assert switched.status_code == 303
    assert switched.headers["Location"] == "/reports/zero-results?since=2026-11-01"
    polish = staff_client.get(switched.headers["Location"]).get_data(as_text=True)
    assert '<html lang="pl"' in polish and "Wyszukiwania bez wyników" in polish
    away = staff_client.get("/staff/language/he?next=https://evil.example/")
    assert away.headers["Location"] == "/reports/"  # never off the site
