"""The one error family of ess_impact: an expected refusal that carries a message key of the text catalogue and its
parameters, so that whoever shows it (a page, the command line) writes it in the reader's language.

    raise errors.Invalid("setting_not_number", value="abc")
    ...
    except errors.EssError as refused:
        print(refused.message("fr"))

Four kinds, by what the reader can do about it:
- Invalid: the input is wrong (a cell, a file, a setting, a code): fix it and try again;
- Refused: the actor may not do this (role, NEQ, state of an import): nothing to fix in the input;
- NotFound: what was asked for does not exist (a territory, a year, an import);
- Busy: the database is held by another process: try again shortly.

Anything else that escapes the core is a bug: the app and the CLI log it with a reference number and show only that
number (ess_impact.web.ui, ess_impact.cli).
"""

from __future__ import annotations

import logging
import uuid

from ess_impact.labels import N_, t


class EssError(Exception):
    """Base of the family: `key` names the sentence in the catalogue, `params` fill it."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params

    @property
    def code(self) -> str:  # older name of `key` for cell and file errors
        return self.key

    def message(self, lang: str = "fr") -> str:
        return t(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message("fr")


class Invalid(EssError, ValueError):
    """The input is wrong; the message says what is expected."""


class Refused(EssError, PermissionError):
    """The actor may not do this."""


class NotFound(EssError, LookupError):
    """What was asked for does not exist."""


class Busy(EssError, RuntimeError):
    """Another process holds the database for longer than the timeout."""

    def __init__(self, key: str = N_("database_busy"), **params):
        super().__init__(key, **params)


def report_bug(exc: BaseException, logger: logging.Logger | None = None) -> str:
    """Log an unexpected error with its traceback under a short reference number, and return that number: the
    reader sees only the number ("erreur interne, référence …"), the server log has the details."""
    reference = uuid.uuid4().hex[:8].upper()
    (logger or logging.getLogger("ess_impact")).error("internal error %s", reference, exc_info=exc)
    return reference
