-- Retention (setting activity_retention_days): the events of `activity` older than $before go. Imports, settings
-- changes and status changes are kept for good (nothing is ever lost).
DELETE FROM activity WHERE happened_at < $before
