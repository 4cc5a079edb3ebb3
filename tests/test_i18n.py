"""Bahasa Indonesia by default, English available — and kept complete."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
METHODS = [("app/**.py", "python"), ("plugins/**.py", "python"), ("app/**.html", "jinja2")]  # as babel.cfg
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def _source_messages() -> set[str]:
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=METHODS, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_ui_string_has_an_english_translation():
    with open(ROOT / "app/translations/en/LC_MESSAGES/messages.po", "rb") as po:
        catalog = read_po(po)
    translated = {m.id[0] if isinstance(m.id, tuple) else m.id  # a plural entry counts by its singular
                  for m in catalog if m.id and all(m.string if isinstance(m.string, tuple) else [m.string])
                  and not m.fuzzy}
    missing = sorted(_source_messages() - translated)
    assert not missing, (
        f"{len(missing)} UI strings lack an English translation; run `make translations-update`, "
        "translate app/translations/en/LC_MESSAGES/messages.po, e.g.:\n" + "\n".join(missing[:20])
    )


def test_indonesian_is_the_default_and_english_is_available(client, two_tenants):
    assert "Masuk" in client.get("/kota-a/login").get_data(as_text=True)
    english = client.get("/kota-a/login?lang=en").get_data(as_text=True)
    assert "Sign in" in english and 'lang="en"' in english
    # The choice is remembered for the session.
    assert "Sign in" in client.get("/kota-a/login").get_data(as_text=True)
