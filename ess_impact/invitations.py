"""Onboarding enterprises at scale (issue 15): invitations in bulk, password resets and self-service requests, with
the e-mails that carry their one-time links (the links themselves: ess_impact.store.links).

    frame = uninvited(con, admin, "16")                  # the region's enterprises without an account
    pairs, problems = read_pairs(data, "invitations.csv") # NEQ + e-mail from an uploaded file (parsed in the sandbox)
    report = invite_many(con, admin, pairs, mailer_from_env())
    ask_reset(con, "coop@exemple.qc.ca", mailer)         # public; same answer whatever the e-mail
    ask_access(con, "1170000001", "coop@exemple.qc.ca")  # public; the region's admin decides (links.decide)

Mail goes out through SMTP (smtplib) when `ESS_IMPACT_SMTP_HOST` is set (with `ESS_IMPACT_SMTP_PORT`, default 587,
`ESS_IMPACT_SMTP_USER`, `ESS_IMPACT_SMTP_PASSWORD`, `ESS_IMPACT_SMTP_FROM`, `ESS_IMPACT_SMTP_STARTTLS`=1|0, default 1
unless port 25). Without it, the admin gets the links on screen (or on standard output) to send them itself; a public
reset request then only shows up in the activity log. The links start with `ESS_IMPACT_BASE_URL` (the address the
enterprises open, e.g. https://impact.pole-es.qc.ca; default http://localhost:8501).

The uploaded list of NEQ + e-mail is untrusted: it goes through the same child process (intake.sandbox, with the
filesafety checks) as any figures file; this process only reads the cells it returns.
"""

from __future__ import annotations

import io
import os
import smtplib
import threading
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage

import duckdb
import pandas as pd

from ess_impact import errors, parsing, reference
from ess_impact.intake import filesafety, sandbox
from ess_impact.labels import N_, t
from ess_impact.store import auth, links
from ess_impact.store.auth import Account

DEFAULT_BASE_URL = "http://localhost:8501"
SMTP_TIMEOUT_S = 15
MAX_INVITATIONS = 5_000  # rows of one uploaded list
_NEQ_HEADERS = {"neq", "numero d entreprise du quebec", "numero d entreprise"}
_EMAIL_HEADERS = {"courriel", "e mail", "email", "adresse courriel", "courriel de l entreprise"}


def base_url() -> str:
    return (os.environ.get("ESS_IMPACT_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")


@dataclass(frozen=True)
class Mailer:
    host: str
    port: int = 587
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = "no-reply@localhost"
    starttls: bool = True

    def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, to, subject
        message.set_content(body)
        with smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT_S) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password)
            smtp.send_message(message)


def mailer_from_env() -> Mailer | None:
    """The SMTP server of the ESS_IMPACT_SMTP_* variables, or None (no mail: the admin sends the links)."""
    host = os.environ.get("ESS_IMPACT_SMTP_HOST", "").strip()
    if not host:
        return None
    port = int(os.environ.get("ESS_IMPACT_SMTP_PORT") or 587)
    starttls = os.environ.get("ESS_IMPACT_SMTP_STARTTLS", "0" if port == 25 else "1").strip() not in ("0", "")
    return Mailer(host, port, os.environ.get("ESS_IMPACT_SMTP_USER", ""), os.environ.get("ESS_IMPACT_SMTP_PASSWORD", ""),
                  os.environ.get("ESS_IMPACT_SMTP_FROM") or f"no-reply@{host}", starttls)


def message(link: links.Link, lang: str = "fr") -> tuple[str, str]:
    """(subject, body) of the e-mail that carries a link, in both languages (French first)."""
    subject, body_key = ((N_("mail_invitation_subject"), N_("mail_invitation_body")) if link.purpose == links.INVITATION
                         else (N_("mail_reset_subject"), N_("mail_reset_body")))
    until = link.expires_at.strftime("%Y-%m-%d %H:%M")
    other = "en" if lang == "fr" else "fr"
    body = "\n\n".join([t(body_key, lang, url=link.url(base_url()), until=until, neq=link.neq),
                        "—", t(body_key, other, url=link.url(base_url()), until=until, neq=link.neq)])
    return t(subject, lang), body


def deliver(link: links.Link, mailer: Mailer | None, lang: str = "fr") -> bool:
    """Send the link to its e-mail; False when there is no SMTP server or it refused (the admin then sends it)."""
    if mailer is None:
        return False
    subject, body = message(link, lang)
    try:
        mailer.send(link.email, subject, body)
    except (OSError, smtplib.SMTPException):
        return False
    return True


# ----------------------------------------------------------------------------------------------------- admins
@dataclass
class Invited:
    neq: str
    email: str
    url: str = ""        # the link, for the admin when it was not sent (no SMTP, or refused)
    sent: bool = False
    problem: str = ""    # why nothing was done for this line (in the reader's language)


def invite_many(con: duckdb.DuckDBPyConnection, actor: Account | None, pairs: list[tuple[str, str]],
                mailer: Mailer | None = None, lang: str = "fr", now: datetime | None = None) -> list[Invited]:
    """Invite each (NEQ, e-mail): one account and one link each (links.invite), e-mailed when a mailer is given. A
    line refused (bad input, existing account, another region's enterprise) is reported and the others go on."""
    auth.require_admin(actor)
    done = []
    for neq, email in pairs[:MAX_INVITATIONS]:
        try:
            link = links.invite(con, actor, neq, email, now)
        except errors.EssError as refused:
            done.append(Invited(str(neq), str(email), problem=refused.message(lang)))
            continue
        sent = deliver(link, mailer, lang)
        done.append(Invited(link.neq, link.email, "" if sent else link.url(base_url()), sent))
    return done


def invited_table(done: list[Invited], lang: str = "fr") -> pd.DataFrame:
    """The report of invite_many as shown to the admin (and downloaded as CSV when links are to be sent by hand)."""
    return pd.DataFrame({
        "NEQ": [d.neq for d in done],
        t("login_email", lang): [d.email for d in done],
        t("invite_col_status", lang): [d.problem or t(N_("invite_sent") if d.sent else N_("invite_to_send"), lang)
                                       for d in done],
        t("invite_col_link", lang): [d.url for d in done],
    })


REQUEST_STATUS = {"pending": N_("request_status_pending"), "approved": N_("request_status_approved"),
                  "rejected": N_("request_status_rejected")}


def requests_table(requests: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """The access requests (links.access_requests) as shown to the admin: headers and statuses in its language,
    the region by name, times to the minute, nothing empty shown as 'None'."""
    regions = reference.regions().set_index("code")["name"]

    def when(values):
        return [v.strftime("%Y-%m-%d %H:%M") if not pd.isna(v) else "" for v in values]

    return pd.DataFrame({
        t("request_col_id", lang): requests["id"].astype(int),
        "NEQ": requests["neq"],
        t("name", lang): requests["name"].fillna(""),
        t("login_email", lang): requests["email"],
        t("region", lang): [regions.get(code, code) for code in requests["region_code"]],
        t("request_col_requested", lang): when(requests["requested_at"]),
        t("request_col_status", lang): [t(REQUEST_STATUS[s], lang) if s in REQUEST_STATUS else s
                                         for s in requests["status"]],
        t("request_col_decided", lang): when(requests["decided_at"]),
        t("request_col_decided_by", lang): requests["decided_by"].fillna(""),
    })


def uninvited(con: duckdb.DuckDBPyConnection, actor: Account | None, region: str | None = None) -> pd.DataFrame:
    return links.uninvited(con, actor, region)


def uninvited_csv(frame: pd.DataFrame, lang: str = "fr") -> bytes:
    """The enterprises to invite as a list to fill in (NEQ, name, MRC, an empty e-mail column), then upload: CSV for
    French Excel (';', UTF-8 with BOM)."""
    out = pd.DataFrame({"NEQ": frame["neq"], t("name", lang): frame["name"],
                        t("mrc", lang): [reference.code_label("mrc", c, lang) for c in frame["mrc"]],
                        t("login_email", lang): ""})
    buffer = io.StringIO()
    out.to_csv(buffer, sep=";", index=False)
    return buffer.getvalue().encode("utf-8-sig")


def read_pairs(data: bytes, file_name: str = "", max_mb: float = filesafety.MAX_FILE_MB
               ) -> tuple[list[tuple[str, str]], list[str]]:
    """(NEQ, e-mail) pairs from an uploaded list (.csv, .xlsx, .ods ...: a header row with « NEQ » and « Courriel »,
    in any order, below title rows), and the problems found (French messages: a row without a valid NEQ or e-mail).
    The file is parsed in the sandbox's child process; Invalid when it is refused or has no such header."""
    refused = filesafety.too_large(len(data), max_mb)
    if refused is not None:
        raise errors.Invalid(refused.code, **refused.params)
    read = sandbox.read(data, filesafety.MAX_CELLS)
    blocking = [f for f in read.findings if f.refuses]
    if blocking:
        raise errors.Invalid(blocking[0].code, **blocking[0].params)
    if read.unreadable is not None or read.grids is None:
        code, params = read.unreadable or ("file_sandbox", {"reason": "protocol"})
        raise errors.Invalid(code, **params)
    for grid in read.grids:
        found = _header(grid.rows)
        if found is not None:
            return _pairs(grid, *found)
    raise errors.Invalid("invite_no_header", file=file_name)


def _header(rows: list[list]) -> tuple[int, int, int] | None:
    for index, row in enumerate(rows[:30]):
        keys = [reference.normalize(v) if isinstance(v, str) else "" for v in row]
        neq = next((i for i, k in enumerate(keys) if k in _NEQ_HEADERS), None)
        mail = next((i for i, k in enumerate(keys) if k in _EMAIL_HEADERS), None)
        if neq is not None and mail is not None:
            return index, neq, mail
    return None


def _pairs(grid, header: int, neq_col: int, mail_col: int) -> tuple[list[tuple[str, str]], list[str]]:
    pairs, problems, seen = [], [], set()
    for index in range(header + 1, len(grid.rows)):
        row = grid.rows[index]
        raw_neq = row[neq_col] if neq_col < len(row) else None
        raw_mail = row[mail_col] if mail_col < len(row) else None
        if raw_neq in (None, "") and raw_mail in (None, ""):
            continue
        try:
            neq = parsing.parse_neq(raw_neq)
        except parsing.CellError:
            neq = None
        email = auth.normalize_email(str(raw_mail or ""))
        if neq is None or not auth.valid_email(email):
            problems.append(t("invite_bad_row", "fr", sheet=grid.sheet, row=index + 1,
                              neq=raw_neq if raw_neq is not None else "", email=raw_mail or ""))
            continue
        if (neq, email) not in seen:
            seen.add((neq, email))
            pairs.append((neq, email))
    return pairs, problems


# ----------------------------------------------------------------------------------------------------- public
def ask_reset(con: duckdb.DuckDBPyConnection, email: str, mailer: Mailer | None, lang: str = "fr",
              client: str | None = None, now: datetime | None = None, wait: bool = False) -> None:
    """Public: e-mail a reset link when the address has an active account; nothing otherwise. The answer is the
    same and takes the same time either way: the e-mail leaves from a background thread (`wait` for tests)."""
    link = links.request_reset(con, email, now, client)
    if link is None or mailer is None:
        return
    sender = threading.Thread(target=deliver, args=(link, mailer, lang), daemon=True)
    sender.start()
    if wait:
        sender.join(SMTP_TIMEOUT_S * 2)


def ask_access(con: duckdb.DuckDBPyConnection, neq: str, email: str, client: str | None = None,
               now: datetime | None = None) -> None:
    """Public: the self-service request (links.request_access); the region's admin decides."""
    links.request_access(con, neq, email, now, client)


def decide(con: duckdb.DuckDBPyConnection, actor: Account | None, request_id: int, approve: bool,
           mailer: Mailer | None = None, lang: str = "fr", now: datetime | None = None) -> Invited | None:
    """The admin of the region approves (the account, its invitation e-mailed or returned to send) or rejects."""
    link = links.decide(con, actor, request_id, approve, now)
    if link is None:
        return None
    sent = deliver(link, mailer, lang)
    return Invited(link.neq, link.email, "" if sent else link.url(base_url()), sent)


def reset_for(con: duckdb.DuckDBPyConnection, actor: Account | None, email: str, mailer: Mailer | None = None,
              lang: str = "fr", now: datetime | None = None) -> Invited:
    """An admin makes a reset link for an account: e-mailed, or returned to send by hand."""
    link = links.reset_link(con, actor, email, now)
    sent = deliver(link, mailer, lang)
    return Invited("", link.email, "" if sent else link.url(base_url()), sent)
