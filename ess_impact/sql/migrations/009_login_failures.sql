-- Failed logins counted per normalised e-mail, whether an account has it or not: the lock after too many failures
-- then says nothing about which e-mails have an account. Counted by one atomic upsert (sql/login_failure.sql).
CREATE TABLE login_failures (
    email        VARCHAR PRIMARY KEY,
    failures     INTEGER NOT NULL,
    locked_until TIMESTAMP,
    updated_at   TIMESTAMP NOT NULL
);
-- Login attempts per client (its IP address as the app sees it), in windows: a throttle on the login path as a whole.
CREATE TABLE login_clients (
    client       VARCHAR PRIMARY KEY,
    window_start TIMESTAMP NOT NULL,
    attempts     INTEGER NOT NULL
);
