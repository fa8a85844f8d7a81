"""Every UI string is translated in every catalog, and the catalogs are really used."""

import json
import re
import shutil
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from tests.helpers import LANGUAGES, ROOT, catalog

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The strings the code uses now, freshly extracted (not the committed .pot)."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    # Each option beside its value, as on a command line (one item a line would split the pairs).
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "N_", "-k", "Nn_:1,2",
         "--no-location", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    # Keyed with the context: pgettext("search page heading", "Search") is a string of its own.
    with pot.open("rb") as handle:
        return {(message.context, message.id) for message in read_po(handle) if message.id}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_has_every_string_of_the_code(extracted, lang):
    messages = {(message.context, message.id) for message in catalog(lang) if message.id}
    missing = [
        (context, _first(mid)) for context, mid in extracted if (context, mid) not in messages
    ]
    assert missing == [], f"{lang} misses strings: run pybabel update and translate them"


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_every_string_is_translated_with_its_placeholders(extracted, lang):
    problems = []
    for message in catalog(lang):
        if not message.id or (message.context, message.id) not in extracted:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(_last(message.id))) - {"%(num)d"}
        if message.fuzzy or not all(strings):
            problems.append(f"untranslated: {_first(message.id)}")
        elif not all(wanted <= set(PLACEHOLDER.findall(text)) for text in strings):
            problems.append(f"placeholder lost: {_first(message.id)}")
    assert problems == []


def test_pages_use_the_compiled_catalogs(client):
    assert "Skontaktuj się z nami" in client.get("/pl/").get_data(as_text=True)
    assert "צרו קשר" in client.get("/he/").get_data(as_text=True)


def _first(message_id):
    return message_id[0] if isinstance(message_id, tuple) else message_id


def _last(message_id):
    return message_id[-1] if isinstance(message_id, tuple) else message_id


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_compiles_without_errors(lang, tmp_path):
    """What scripts/setup runs: a format mismatch here would stop the set-up."""
    # Each option beside its value, as on a command line (one item a line would split the pairs).
    result = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "compile", "-d", str(ROOT / "translations"),
         "-l", lang, "-o", str(tmp_path / "messages.mo")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower()


@pytest.mark.slow  # starts the app in a process of its own
def test_a_catalog_edited_in_a_checkout_is_compiled_at_start_up(tmp_path, basic):
    """Never a silently English interface: a .po newer than its .mo (or without one) is
    compiled when the app starts."""
    translations = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", translations, ignore=shutil.ignore_patterns("*.mo"))
    po = translations / "pl" / "LC_MESSAGES" / "messages.po"
    po.write_text(
        po.read_text(encoding="utf-8").replace(
            'msgid "Contact us"\nmsgstr "Skontaktuj się z nami"',
            'msgid "Contact us"\nmsgstr "Napisz do nas"',
        ),
        encoding="utf-8",
    )
    # A process of its own: Flask-Babel keeps loaded catalogs for the whole process, so an app
    # made here would be served the catalogs earlier tests loaded.
    config = {
        "TESTING": True,
        "SECRET_KEY": "x",
        "ARTICLES_DIR": str(basic.root),
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "BABEL_TRANSLATION_DIRECTORIES": str(translations),
    }
    script = (
        "import json, sys\n"
        "from helpcenter import create_app\n"
        "from helpcenter.database import upgrade_database\n"
        "app = create_app(json.loads(sys.argv[1]))\n"
        "upgrade_database(app)\n"
        "print(app.test_client().get('/pl/').get_data(as_text=True))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, json.dumps(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert "Napisz do nas" in result.stdout
    assert (translations / "he" / "LC_MESSAGES" / "messages.mo").is_file()
