"""The catalogue of user-facing text, French first (Québec usage) with English.

The texts live in gettext catalogues, `ess_impact/locale/{fr_CA,en_CA}/LC_MESSAGES/ess_impact.po`, one message per
key (the msgid is a key such as "file_empty", the msgstr the text in that language; plurals as gettext plurals).
They are compiled to .mo files at install (`make install`, and the wheel's build step); a source checkout without
.mo files, or with .mo files older than their .po, compiles them in memory at first use.

`t(key, lang, **params)` returns a text; `tn(key, plural_key, n, lang, **params)` the singular or plural form for
the count n (French: 0 and 1 are singular); `N_(key)` marks a key used later (in a table, a mapping) so that the
extraction (`make catalogue`, Babel with the keywords of the Makefile) finds every key the code uses.
`INDICATORS` describes every indicator (label, unit, definition).
"""

from __future__ import annotations

import functools
import gettext
import io
from dataclasses import dataclass
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGS = ("fr", "en")
LOCALES = {"fr": "fr_CA", "en": "en_CA"}
DOMAIN = "ess_impact"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def catalogue_path(lang: str, suffix: str = ".po", domain: str = DOMAIN) -> Path:
    return LOCALE_DIR / LOCALES[lang] / "LC_MESSAGES" / f"{domain}{suffix}"


class _Missing(gettext.NullTranslations):
    """The end of the chain: a key missing from a catalogue is a bug, never shown to a user as a key."""

    def gettext(self, message):
        raise KeyError(message)

    def ngettext(self, msgid1, msgid2, n):
        raise KeyError(msgid1)


@functools.cache
def _catalogue(lang: str, domain: str = DOMAIN) -> gettext.GNUTranslations:
    po, mo = catalogue_path(lang, domain=domain), catalogue_path(lang, ".mo", domain)
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as f:
            translations = gettext.GNUTranslations(f)
    else:  # a source checkout not installed yet, or a .po edited since: compile it in memory
        with po.open("rb") as f:
            compiled = io.BytesIO()
            write_mo(compiled, read_po(f, locale=LOCALES[lang], domain=domain))
        compiled.seek(0)
        translations = gettext.GNUTranslations(compiled)
    translations.add_fallback(_Missing() if domain == DOMAIN else gettext.NullTranslations())
    return translations


def argparse_translations(lang: str) -> gettext.NullTranslations:
    """The French of Python's argparse messages ("usage: ", "show this help message and exit", its errors), from
    the "argparse" catalogue beside ours; English as argparse writes it."""
    return gettext.NullTranslations() if _lang(lang) == "en" else _catalogue("fr", "argparse")


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "fr"


def t(key: str, lang: str = "fr", **params) -> str:
    text = _catalogue(_lang(lang)).gettext(key)
    return text.format(**params) if params else text


def tn(key: str, plural_key: str, count: float, lang: str = "fr", /, **params) -> str:
    """The text of `key` for `count`: singular or plural by the language's rule (the count itself, formatted, goes in
    params, usually as {n})."""
    text = _catalogue(_lang(lang)).ngettext(key, plural_key, int(abs(count)))
    return text.format(**params) if params else text


def N_(key: str) -> str:  # noqa: N802 - gettext's conventional name for a marked, not yet translated, message
    """Mark a catalogue key used later, for the extraction; returns it unchanged."""
    return key


def known(key: str) -> bool:
    """Whether the catalogue holds this key (in French, the reference language)."""
    try:
        _catalogue("fr").gettext(key)
    except KeyError:
        return False
    return True


# A volunteer rate's source is stored as a code ("@" + a key of this catalogue), shown in the reader's language; any
# other source is shown as the admin typed it. The database stores codes, never the catalogue's sentences.
SOURCE_CODE = "@"
MINIMUM_WAGE_SOURCE = SOURCE_CODE + N_("minimum_wage_source")


def rate_source(source: str, lang: str = "fr") -> str:
    """The source of a volunteer rate as the reader should see it: a code translated, others as typed."""
    key = source[len(SOURCE_CODE):] if source.startswith(SOURCE_CODE) else None
    return t(key, lang) if key is not None and known(key) else source


@dataclass(frozen=True)
class Indicator:
    key: str
    unit: str  # count | jobs | fte | money | hours | ratio | per_1000
    label_key: str
    definition_key: str

    def label(self, lang: str) -> str:
        return t(self.label_key, lang)

    def definition(self, lang: str) -> str:
        return t(self.definition_key, lang)


INDICATORS: dict[str, Indicator] = {i.key: i for i in (
    Indicator("enterprises", "count", N_("ind_enterprises"), N_("ind_enterprises_def")),
    Indicator("jobs_full_time", "jobs", N_("ind_jobs_full_time"), N_("ind_jobs_full_time_def")),
    Indicator("jobs_part_time", "jobs", N_("ind_jobs_part_time"), N_("ind_jobs_part_time_def")),
    Indicator("jobs_total", "jobs", N_("ind_jobs_total"), N_("ind_jobs_total_def")),
    Indicator("fte", "fte", N_("ind_fte"), N_("ind_fte_def")),
    Indicator("payroll", "money", N_("ind_payroll"), N_("ind_payroll_def")),
    Indicator("revenue_total", "money", N_("ind_revenue_total"), N_("ind_revenue_total_def")),
    Indicator("revenue_earned", "money", N_("ind_revenue_earned"), N_("ind_revenue_earned_def")),
    Indicator("revenue_grants", "money", N_("ind_revenue_grants"), N_("ind_revenue_grants_def")),
    Indicator("earned_share", "ratio", N_("ind_earned_share"), N_("ind_earned_share_def")),
    Indicator("grant_share", "ratio", N_("ind_grant_share"), N_("ind_grant_share_def")),
    Indicator("volunteers", "count", N_("ind_volunteers"), N_("ind_volunteers_def")),
    Indicator("volunteer_hours", "hours", N_("ind_volunteer_hours"), N_("ind_volunteer_hours_def")),
    Indicator("volunteer_fte", "fte", N_("ind_volunteer_fte"), N_("ind_volunteer_fte_def")),
    Indicator("volunteer_value", "money", N_("ind_volunteer_value"), N_("ind_volunteer_value_def")),
    Indicator("members", "count", N_("ind_members"), N_("ind_members_def")),
    Indicator("jobs_per_1000", "per_1000", N_("ind_jobs_per_1000"), N_("ind_jobs_per_1000_def")),
    Indicator("revenue_per_1000", "money", N_("ind_revenue_per_1000"), N_("ind_revenue_per_1000_def")),
    Indicator("volunteer_hours_per_1000", "per_1000", N_("ind_volunteer_hours_per_1000"), N_("ind_volunteer_hours_per_1000_def")),
    Indicator("share", "ratio", N_("ind_share"), N_("ind_share_def")),
    Indicator("expenses_total", "money", N_("ind_expenses_total"), N_("ind_expenses_total_def")),
    Indicator("value_added", "money", N_("ind_value_added"), N_("ind_value_added_def")),
    Indicator("volunteer_value_low", "money", N_("ind_volunteer_value_low"), N_("ind_volunteer_value_low_def")),
    Indicator("volunteer_value_high", "money", N_("ind_volunteer_value_high"), N_("ind_volunteer_value_high_def")),
    Indicator("people_served", "count", N_("ind_people_served"), N_("ind_people_served_def")),
    Indicator("people_served_per_1000", "per_1000", N_("ind_people_served_per_1000"), N_("ind_people_served_per_1000_def")),
    # spin-offs (publish/impact.py): estimates from Statistics Canada's input-output multipliers
    Indicator("spinoff_jobs_direct", "jobs", N_("ind_spinoff_jobs_direct"), N_("ind_spinoff_jobs_def")),
    Indicator("spinoff_jobs_indirect", "jobs", N_("ind_spinoff_jobs_indirect"), N_("ind_spinoff_jobs_def")),
    Indicator("spinoff_jobs_induced", "jobs", N_("ind_spinoff_jobs_induced"), N_("ind_spinoff_jobs_def")),
    Indicator("spinoff_gdp_direct", "money", N_("ind_spinoff_gdp_direct"), N_("ind_spinoff_gdp_def")),
    Indicator("spinoff_gdp_indirect", "money", N_("ind_spinoff_gdp_indirect"), N_("ind_spinoff_gdp_def")),
    Indicator("spinoff_gdp_induced", "money", N_("ind_spinoff_gdp_induced"), N_("ind_spinoff_gdp_def")),
    Indicator("spinoff_labour_income_direct", "money", N_("ind_spinoff_labour_income_direct"),
              N_("ind_spinoff_labour_income_def")),
    Indicator("spinoff_labour_income_indirect", "money", N_("ind_spinoff_labour_income_indirect"),
              N_("ind_spinoff_labour_income_def")),
    Indicator("spinoff_labour_income_induced", "money", N_("ind_spinoff_labour_income_induced"),
              N_("ind_spinoff_labour_income_def")),
    # weight in the territory (publish/weight.py), from the employment reference table an admin loads
    Indicator("jobs_share", "ratio", N_("ind_jobs_share"), N_("ind_jobs_share_def")),
    Indicator("payroll_share", "ratio", N_("ind_payroll_share"), N_("ind_payroll_share_def")),
    Indicator("employed_total", "count", N_("ind_employed_total"), N_("ind_employed_total_def")),
)}
