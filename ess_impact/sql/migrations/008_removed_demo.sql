-- An import that replaced the fictitious demo data says so, so that undoing it (when nothing else is left) brings
-- the demo data back: the state before it.
ALTER TABLE imports ADD COLUMN removed_demo BOOLEAN NOT NULL DEFAULT FALSE;
