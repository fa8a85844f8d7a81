"""A category's icon is chosen by name from the built-in set (`icon:` in `_category.md`):
`check` rejects an unknown name at its line, and the home page draws the known ones inline."""

from tests.helpers import run_check


def test_check_rejects_an_unknown_icon_name(runner, basic):
    basic.write("en/payments/_category.md", "---\ntitle: Payments\norder: 2\nicon: wallet\n---\n")
    basic.commit()
    result = run_check(runner, basic.root)
    assert result.exit_code != 0
    assert "en/payments/_category.md:4: 'icon' must be the name of a built-in icon" in result.output
    assert "card" in result.output  # the names to choose from


def test_home_page_draws_a_category_icon_inline(client, basic):
    basic.write("en/payments/_category.md", "---\ntitle: Payments\norder: 2\nicon: card\n---\n")
    basic.commit()
    page = client.get("/en/").get_data(as_text=True)
    card = page[page.index('<section class="category-card">', page.index("/en/account/")) :]
    assert '<span class="category-card__icon"><svg class="icon"' in card
    assert '<rect x="2" y="5" width="20" height="14"' in card
