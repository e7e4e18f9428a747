-- Add a NEQ to `staged` without a row to write, so that refresh_enterprises rebuilds (or removes) its identity.
INSERT INTO staged (neq, status) VALUES (?, 'refresh')
