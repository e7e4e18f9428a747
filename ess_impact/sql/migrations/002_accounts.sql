-- Accounts, the NEQs an enterprise account answers for, and login sessions (issue 4).
-- No account is created here: the first admin is added with `ess-impact user add EMAIL --role admin`.
CREATE TABLE accounts (
    email VARCHAR PRIMARY KEY,                 -- stored lower-case
    role VARCHAR NOT NULL CHECK (role IN ('admin', 'entreprise')),
    password_hash VARCHAR NOT NULL,            -- argon2id, never the password
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,  -- consecutive failures since the last success or lock
    locked_until TIMESTAMP,
    last_login_at TIMESTAMP
);

-- The enterprises (NEQ) an 'entreprise' account may read and write: one, or a few for a group.
CREATE TABLE account_neqs (
    email VARCHAR NOT NULL,
    neq VARCHAR NOT NULL,
    PRIMARY KEY (email, neq)
);

-- Open logins, so that one survives a page reload. Only the SHA-256 of the token is stored.
CREATE TABLE sessions (
    token_sha256 VARCHAR PRIMARY KEY,
    email VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL
);
