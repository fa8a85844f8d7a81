import re
import tomllib
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


def test_readme_layout_table_names_the_layers_of_the_import_contracts():
    """The README's table of layers is the one lint-imports enforces: same layers, same order."""
    contracts = tomllib.loads((README.parent / "pyproject.toml").read_text())["tool"][
        "importlinter"
    ]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers")["layers"]
    enforced = [
        sorted(name.strip().removeprefix("helpcenter.") for name in re.split(r"[:|]", layer))
        for layer in layers
    ]
    table = re.search(
        r"\| folder \| what it holds \| may import \|\n\|---\|---\|---\|\n(.*?)\n\n",
        README.read_text(),
        re.S,
    )
    assert table, "README lost its table of layers"
    folders = [
        re.findall(r"`([\w.]+?)(?:/|\.py)?`", row.split("|")[1])
        for row in table.group(1).splitlines()
    ]
    described = [sorted(names) for names in folders if names]
    assert described[: len(enforced)] == enforced
