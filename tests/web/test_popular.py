"""The home page and a search that found nothing show the most viewed articles of the
language (from the logged page views) and, on no results, the topics to browse."""

from tests.helpers import Activity


def test_home_and_no_results_show_the_most_viewed_articles(app, client):
    activity = Activity(app)
    for visitor in ("a", "b", "c"):
        activity.view("en", "payments/declined", visitor=visitor)
    activity.view("en", "account/reset-password")
    activity.view("pl", "payments/methods")  # another language's reading does not count here
    home = client.get("/en/").get_data(as_text=True)
    popular = home[home.index('class="popular"') :]
    assert popular.index("My payment was declined") < popular.index("Reset your password")
    assert "Payment methods" not in popular[: popular.index("</nav>")]

    empty = client.get("/en/search?q=zzqxv").get_data(as_text=True)
    no_results = empty[empty.index('class="no-results"') :]
    assert "My payment was declined" in no_results
    assert 'href="/en/payments/"' in no_results and 'href="/en/account/"' in no_results


def test_without_views_the_home_page_has_no_empty_list(client):
    response = client.get("/en/")
    home = response.get_data(as_text=True)
    assert response.status_code == 200 and 'class="categories"' in home  # the home page
    assert 'class="popular"' not in home
