-- A pattern recorded only for a part that has none (store/history.py: the demo's shipped patterns never replace the
-- pattern a part was published with, which only grows).
INSERT INTO published_patterns (part, inputs, pattern, stored_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING
