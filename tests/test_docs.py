import re
from pathlib import Path

from helpcenter.settings import markdown_table

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_configuration_table_matches_the_settings():
    text = README.read_text()
    block = re.search(
        r"<!-- settings-table:start -->\n(.*?)\n<!-- settings-table:end -->", text, re.S
    )
    assert block, "README lost its settings table markers"
    assert block.group(1) == markdown_table(), (
        "run `helpcenter settings --table` and paste it into the README"
    )
