"""Logins as an attacker tries them: the lock after repeated failures says nothing about which e-mails have an
account (unknown and disabled e-mails lock the same way); every failing path does the same work (one argon2
verification, the same writes); one client trying many accounts is throttled; forty parallel attempts on a real
DuckDB file raise nothing but LoginFailed, and the counter is exact (atomic upsert, retried on write conflicts)."""

from __future__ import annotations

import statistics
import threading
import time
from datetime import datetime, timedelta

import duckdb
import pytest

from ess_impact.store import auth, db

T0 = datetime(2026, 3, 2, 9, 0, 0)
PASSWORD = "Érable-en-fleur-2026"
OWN = "1170000001"


@pytest.fixture
def path(tmp_path):
    target = tmp_path / "logins.duckdb"
    with db.connect(target) as con:
        auth.add_account(con, auth.SYSTEM, "direction@pole.example", "admin", PASSWORD, now=T0)
        auth.add_account(con, auth.SYSTEM, "coop@erables.qc.ca", "entreprise", PASSWORD, [OWN], now=T0)
        auth.add_account(con, auth.SYSTEM, "ferme@erables.qc.ca", "entreprise", PASSWORD, [OWN], now=T0)
        auth.disable_account(con, auth.Account("direction@pole.example", "admin"), "ferme@erables.qc.ca")
    return target


def _answer(con, email, password, now=T0, client="203.0.113.7") -> tuple[str, dict]:
    with pytest.raises(auth.LoginFailed) as caught:
        auth.authenticate(con, email, password, now, client=client)
    return caught.value.key, caught.value.params


def test_unknown_disabled_and_existing_emails_lock_alike(path):
    with db.connect(path) as con:
        answers = {email: [_answer(con, email, "mauvais", T0 + timedelta(seconds=i)) for i in range(6)]
                   for email in ("coop@erables.qc.ca", "personne@erables.qc.ca", "ferme@erables.qc.ca")}
        first = answers["coop@erables.qc.ca"]
        assert [key for key, _ in first] == ["login_failed"] * 4 + ["login_locked"] * 2
        assert all(a == first for a in answers.values()), answers
        # the right password does not open a locked account, and the answer stays the same
        assert _answer(con, "coop@erables.qc.ca", PASSWORD, T0 + timedelta(minutes=5)) == \
            _answer(con, "personne@erables.qc.ca", PASSWORD, T0 + timedelta(minutes=5))
        # the admin sees the lock of the account; a new password lifts it
        shown = auth.list_accounts(con, auth.SYSTEM).set_index("email")
        assert shown.loc["coop@erables.qc.ca", "locked_until"] == T0 + timedelta(minutes=15, seconds=4)
        auth.set_password(con, auth.SYSTEM, "coop@erables.qc.ca", "un nouveau mot de passe")
        assert auth.authenticate(con, "coop@erables.qc.ca", "un nouveau mot de passe", T0 + timedelta(minutes=5),
                                 client="x").email == "coop@erables.qc.ca"


def test_every_failing_path_does_the_same_work(path, monkeypatch):
    """One argon2 verification and the same database writes whatever the reason of the refusal; the times agree."""
    verified, writes = [], []
    real_verify, real_write = auth._verify, auth._write
    monkeypatch.setattr(auth, "_verify", lambda h, p: verified.append(h) or real_verify(h, p))
    monkeypatch.setattr(auth, "_write", lambda con, statements: writes.append([n for n, _ in statements])
                        or real_write(con, statements))
    with db.connect(path) as con:
        for _ in range(5):  # lock an e-mail that has no account
            _answer(con, "verrou@erables.qc.ca", "x")
        cases = {"wrong": "coop@erables.qc.ca", "unknown": "personne@erables.qc.ca",
                 "disabled": "ferme@erables.qc.ca", "locked": "verrou@erables.qc.ca"}
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(3):
            for name, email in cases.items():
                verified.clear(), writes.clear()
                started = time.perf_counter()
                _answer(con, email, "mauvais mot de passe", client=name)
                times[name].append(time.perf_counter() - started)
                assert len(verified) == 1, name
                assert writes == [["login_client_attempt"], ["login_failure", "insert_activity"]], (name, writes)  # logged
    medians = {name: statistics.median(values) for name, values in times.items()}
    assert max(medians.values()) < 2.5 * min(medians.values()), medians


def test_one_client_trying_many_accounts_is_throttled(path):
    with db.connect(path) as con:
        con.execute("UPDATE settings SET value = '10' WHERE key = 'login_client_max_attempts'")
        keys = [_answer(con, f"essai{i}@exemple.org", "x", T0 + timedelta(seconds=i), client="198.51.100.9")[0]
                for i in range(12)]
        assert keys[:10] == ["login_failed"] * 10 and keys[10:] == ["login_throttled"] * 2
        # even the right password of a real account, from that client, until the window is over
        assert _answer(con, "direction@pole.example", PASSWORD, T0 + timedelta(minutes=1),
                       client="198.51.100.9")[0] == "login_throttled"
        assert auth.authenticate(con, "direction@pole.example", PASSWORD, T0 + timedelta(minutes=1),
                                 client="192.0.2.1").is_admin  # another client is not concerned
        assert auth.authenticate(con, "direction@pole.example", PASSWORD, T0 + timedelta(minutes=16),
                                 client="198.51.100.9").is_admin  # a new window
        message = auth.LoginFailed("login_throttled", minutes=15).message()
        assert message.startswith("Trop de tentatives de connexion depuis ce poste")


def test_forty_parallel_attempts_count_exactly_and_raise_nothing_else(path):
    """40 threads, each with its own connection to the same DuckDB file, all with a wrong password at once."""
    answers, unexpected = [], []
    start = threading.Barrier(40)

    def attempt(i: int) -> None:
        try:
            with db.connect(path) as con:
                start.wait()
                auth.authenticate(con, "coop@erables.qc.ca", f"mauvais-{i}", T0, client=f"10.0.0.{i}")
        except auth.LoginFailed as failed:
            answers.append(failed.key)
        except BaseException as exc:  # noqa: BLE001 - what the test is about
            unexpected.append(repr(exc))

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert unexpected == []
    assert len(answers) == 40
    assert answers.count("login_failed") == 4 and answers.count("login_locked") == 36  # the 5th failure locks
    with db.connect(path) as con:
        assert _answer(con, "coop@erables.qc.ca", PASSWORD)[0] == "login_locked"
        failures, locked_until = db.first(con, "SELECT failures, locked_until FROM login_failures WHERE email = ?",
                                          ["coop@erables.qc.ca"])
        assert failures == 0 and locked_until == T0 + timedelta(minutes=15)


def test_write_conflicts_are_retried_then_reported(monkeypatch):
    calls = []

    def conflict():
        calls.append(1)
        if len(calls) == 1:
            raise duckdb.TransactionException("Conflict on update")
        if len(calls) == 2:  # two first inserts of one upsert key at once
            raise duckdb.ConstraintException('Constraint Error: Duplicate key "email: a@b.c" violates primary key')
        return "ok"
    assert auth._retrying(conflict) == "ok" and len(calls) == 3
    calls.clear()
    with pytest.raises(duckdb.ConstraintException):  # any other constraint is not a race: raised at once
        auth._retrying(lambda: calls.append(1) or (_ for _ in ()).throw(duckdb.ConstraintException("NOT NULL")))
    assert len(calls) == 1
    monkeypatch.setattr(auth, "RETRIES", 2)
    calls.clear()
    with pytest.raises(duckdb.TransactionException):
        auth._retrying(lambda: calls.append(1) or (_ for _ in ()).throw(duckdb.TransactionException("x")))
    assert len(calls) == 2
