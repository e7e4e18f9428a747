-- Issue 15: admins bound to regions, one-time links (invitations, password resets), self-service requests, and the
-- activity log of what the other journals do not already hold (accounts, logins, links, requests).

-- The regions a regional admin answers for (region codes). An admin without a row here is provincial (everything).
CREATE TABLE account_regions (
    email VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL,
    PRIMARY KEY (email, region_code)
);

-- One-time links: an invitation to set one's password, or a password reset. Only the SHA-256 of the token is stored;
-- a link is used once (used_at) and expires (expires_at).
CREATE TABLE account_links (
    token_sha256 VARCHAR PRIMARY KEY,
    email VARCHAR NOT NULL,
    purpose VARCHAR NOT NULL CHECK (purpose IN ('invitation', 'reset')),
    created_at TIMESTAMP NOT NULL,
    created_by VARCHAR NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);

-- "My NEQ, my e-mail": a request for an enterprise account, checked against the registry, decided by the admin of the
-- enterprise's region (or a provincial one).
CREATE SEQUENCE access_request_seq START 1;
CREATE TABLE access_requests (
    id BIGINT PRIMARY KEY,
    neq VARCHAR NOT NULL,
    email VARCHAR NOT NULL,
    region_code VARCHAR,
    requested_at TIMESTAMP NOT NULL,
    status VARCHAR NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_at TIMESTAMP,
    decided_by VARCHAR
);

-- Events no other table records: account changes, logins (failed ones too), links, requests. Imports, corrections,
-- merges, undos (imports), settings (settings_changes) and status changes (enterprise_status_history) are read from
-- their own tables by the activity log.
CREATE SEQUENCE activity_id_seq START 1;
CREATE TABLE activity (
    id BIGINT PRIMARY KEY,
    happened_at TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    target VARCHAR NOT NULL DEFAULT '',
    detail VARCHAR NOT NULL DEFAULT '',
    region_code VARCHAR
);
