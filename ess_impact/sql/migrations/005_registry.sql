-- Enterprise registry (issue 4): whether an enterprise is still expected to report, kept apart from `enterprises`
-- (which is rebuilt from the figures). No row = active. Deactivating deletes no figure: the enterprise stays in the
-- aggregates of the years it reported; it only means "not expected to report any more" (closed, merged, out of
-- scope). Read it as `coalesce(s.active, TRUE)` after a LEFT JOIN on neq.
CREATE TABLE enterprise_status (
    neq VARCHAR PRIMARY KEY,
    active BOOLEAN NOT NULL,
    note VARCHAR NOT NULL,            -- why (closed, merged into ..., out of scope, reopened ...)
    changed_at TIMESTAMP NOT NULL,
    changed_by VARCHAR NOT NULL       -- the acting account's e-mail
);

-- Every status change, deactivation and reactivation alike, never deleted: who, when, why.
CREATE TABLE enterprise_status_history (
    neq VARCHAR NOT NULL,
    active BOOLEAN NOT NULL,
    note VARCHAR NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    changed_by VARCHAR NOT NULL
);
