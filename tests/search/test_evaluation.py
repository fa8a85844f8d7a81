from helpcenter.cli import main
from tests.helpers import make_app


def test_eval_prints_known_figures(runner, tree, tmp_path):
    tree.category("en", "faq", "FAQ")
    tree.article("en/faq/alpha.md", "Alpha zebras", "Zebras.\n")
    tree.article("en/faq/beta.md", "Beta", "Zebras and giraffes.\n")
    queries = tmp_path / "queries.tsv"
    queries.write_text(
        "lang\tquery\texpected\n"
        "en\tzebras\tfaq/beta\n"  # title match ranks alpha first: beta at rank 2 -> 1/2
        "en\tgiraffes\tfaq/beta\n"  # rank 1 -> 1
        "en\telephants\tNONE\n"  # nothing found: counts as a correct NONE
        "en\tzebras\tfaq/gamma\n"  # not found at all -> 0
    )
    result = runner.invoke(main, ["eval", str(queries), "--articles", str(tree.root), "--misses"])
    assert result.exit_code == 0, result.output
    en_line = next(line for line in result.output.splitlines() if line.startswith("en "))
    assert en_line.split() == ["en", "4", "0.500", "0.33", "0.67", "1/1"]
    assert (
        "queries.tsv:2: en 'zebras' -> ['faq/alpha', 'faq/beta'] (want faq/beta)" in result.output
    )


def test_eval_rejects_a_malformed_file_with_its_line(runner, tmp_path):
    queries = tmp_path / "bad.tsv"
    queries.write_text("lang\tquery\texpected\nen\tonly two\n")
    result = runner.invoke(main, ["eval", str(queries)])
    assert result.exit_code == 1
    assert "bad.tsv:2: expected 3 tab-separated fields" in result.output


def test_eval_shows_lexical_semantic_and_fused_figures_per_kind(tree, tmp_path):
    tree.category("en", "faq", "FAQ")
    tree.article("en/faq/alpha.md", "Alpha zebras", "Zebras.\n")
    tree.article("en/faq/beta.md", "Beta", "Zebras and giraffes.\n")
    queries = tmp_path / "queries.tsv"
    queries.write_text(
        "lang\tquery\texpected\tkind\n"
        "en\tgiraffes\tfaq/beta\tshort\n"
        "en\tunpaid invoices\tNONE\tnone_off\n"
    )
    app = make_app(tmp_path, tree.root, SEARCH_SEMANTIC=True)
    result = app.test_cli_runner().invoke(
        main, ["eval", str(queries), "--articles", str(tree.root)]
    )
    assert result.exit_code == 0, result.output
    sections = [line for line in result.output.splitlines() if line.endswith(":")]
    assert sections == ["lexical:", "semantic:", "fused:"]
    short = [line.split() for line in result.output.splitlines() if line.startswith("short ")]
    assert len(short) == 3 and all(line[:2] == ["short", "1"] for line in short)
    assert short[0][2] == "1.000"  # lexical finds the giraffes
