-- A paragraph the pôle writes once per territory (issue 13), printed as plain text on the territory's one-page
-- sheet: local context the figures cannot give (a closure, a new project, who to call).
CREATE TABLE territory_notes (
    level VARCHAR NOT NULL,         -- 'mrc' | 'region'
    code VARCHAR NOT NULL,          -- MRC or region code, as in the reference tables
    lang VARCHAR NOT NULL,          -- 'fr' | 'en'
    body VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by VARCHAR NOT NULL,
    PRIMARY KEY (level, code, lang)
);
