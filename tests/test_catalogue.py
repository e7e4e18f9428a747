"""The text catalogues (issue 10): gettext .po files, fr_CA and en_CA, one msgid per key.

Babel's extraction, with the keywords the Makefile gives it, must find exactly the keys of the catalogues: no key the
code uses is missing (it would raise at run time), none is unused, and `make catalogue` can never drop a key in use.
Every message has its text in both languages with the same placeholders; counts use gettext plurals, not "(s)".
"""

from __future__ import annotations

import re
import string

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from conftest import ROOT

from ess_impact import labels


def _makefile_keywords() -> dict[str, tuple]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    (line,) = re.findall(r"^CATALOGUE_KEYWORDS\s*:=\s*(.*)$", text, flags=re.M)
    keywords = {}
    for spec in line.split():
        name, _, positions = spec.partition(":")
        keywords[name] = tuple(int(p) for p in positions.split(",")) if positions else None
    return keywords


@pytest.fixture(scope="module")
def extracted() -> dict[str, list[str]]:
    """key -> where the code uses it."""
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT / "ess_impact"), method_map=[("**.py", "python")], keywords=_makefile_keywords()):
        key = message[0] if isinstance(message, tuple) else message
        found.setdefault(key, []).append(f"{filename}:{lineno}")
    return found


@pytest.fixture(scope="module", params=["fr", "en"])
def catalogue(request):
    with labels.catalogue_path(request.param).open("rb") as f:
        return request.param, read_po(f, locale=labels.LOCALES[request.param])


def _keys(catalog) -> set[str]:
    return {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog if m.id}


def test_extraction_finds_exactly_the_catalogue_keys(extracted, catalogue):
    lang, catalog = catalogue
    keys = _keys(catalog)
    missing = {k: v for k, v in extracted.items() if k not in keys}
    assert missing == {}, f"used by the code but not in the {lang} catalogue (or not a literal key)"
    assert sorted(keys - set(extracted)) == [], f"in the {lang} catalogue but no code uses them (or uses them " \
                                                "through a variable: mark the literal with N_)"
    assert not catalog.obsolete and not catalog.fuzzy


def test_every_error_class_is_an_extraction_keyword():
    """A new error class takes its message key as first argument: the extraction must know its name."""
    import ast
    family, found = {"EssError", "Invalid", "Refused", "NotFound", "Busy"}, True
    classes = [node for path in (ROOT / "ess_impact").rglob("*.py") for node in ast.walk(ast.parse(path.read_text()))
               if isinstance(node, ast.ClassDef)]
    while found:
        found = False
        for node in classes:
            bases = {b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "") for b in node.bases}
            if node.name not in family and bases & family:
                family.add(node.name)
                found = True
    assert sorted(family - set(_makefile_keywords())) == []


def test_every_message_has_its_text_with_the_same_placeholders_in_both_languages():
    catalogues = {}
    for lang in labels.LANGS:
        with labels.catalogue_path(lang).open("rb") as f:
            catalogues[lang] = {m.id[0] if isinstance(m.id, tuple) else m.id: m for m in read_po(f) if m.id}
    assert catalogues["fr"].keys() == catalogues["en"].keys()
    fields = lambda text: {name for _, name, _, _ in string.Formatter().parse(text) if name}  # noqa: E731
    for key, fr in catalogues["fr"].items():
        en = catalogues["en"][key]
        assert fr.pluralizable == en.pluralizable, key
        texts_fr = list(fr.string) if fr.pluralizable else [fr.string]
        texts_en = list(en.string) if en.pluralizable else [en.string]
        assert all(texts_fr) and all(texts_en), f"{key}: a text is missing"
        assert not any(ch in "".join(texts_fr + texts_en) for ch in "\x00"), key
        placeholders = {frozenset(fields(text)) for text in texts_fr + texts_en}
        assert len(placeholders) == 1, f"{key}: placeholders differ between texts: {placeholders}"
        for text in texts_fr + texts_en:
            assert "(s)" not in text, f"{key}: a count needs a gettext plural, not “(s)”: {text}"


def test_plurals_follow_each_language_rule():
    # French: 0 and 1 take the singular; English: only 1
    forms = {(lang, n): labels.tn("count_errors", "count_errors_plural", n, lang, n=n) for lang in labels.LANGS
             for n in (0, 1, 2)}
    assert forms[("fr", 0)] == "0 erreur" and forms[("fr", 1)] == "1 erreur" and forms[("fr", 2)] == "2 erreurs"
    assert forms[("en", 0)] == "0 errors" and forms[("en", 1)] == "1 error" and forms[("en", 2)] == "2 errors"


def test_a_missing_key_is_a_bug_not_a_text_shown_to_users():
    with pytest.raises(KeyError):
        labels.t("no_such_key_in_the_catalogue")
    assert not labels.known("no_such_key_in_the_catalogue") and labels.known("file_empty")


def test_a_checkout_without_compiled_catalogues_reads_the_po_files(tmp_path, monkeypatch):
    for lang in labels.LANGS:
        target = tmp_path / labels.LOCALES[lang] / "LC_MESSAGES"
        target.mkdir(parents=True)
        (target / "ess_impact.po").write_bytes(labels.catalogue_path(lang).read_bytes())
    monkeypatch.setattr(labels, "LOCALE_DIR", tmp_path)
    labels._catalogue.cache_clear()
    try:
        assert labels.t("file_empty", "en") == "The file is empty." and labels.t("file_empty") == "Le fichier est vide."
        assert not list(tmp_path.rglob("*.mo"))
    finally:
        labels._catalogue.cache_clear()
