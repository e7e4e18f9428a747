-- Remove the fictitious demo figures (their import log rows stay, flagged is_demo).
DELETE FROM annual_figures WHERE import_id IN (SELECT id FROM imports WHERE is_demo);
DELETE FROM annual_figures_history WHERE import_id IN (SELECT id FROM imports WHERE is_demo);
-- Their releases go with them: the public tables then show nothing until an admin releases real figures.
DELETE FROM released_figures WHERE import_id IN (SELECT id FROM imports WHERE is_demo);
DELETE FROM releases WHERE id NOT IN (SELECT release_id FROM released_figures);
DELETE FROM enterprises WHERE neq NOT IN (SELECT neq FROM annual_figures);
-- Registry statuses set on demo enterprises go with them.
DELETE FROM enterprise_status WHERE neq NOT IN (SELECT neq FROM annual_figures);
DELETE FROM enterprise_status_history WHERE neq NOT IN (SELECT neq FROM annual_figures);
-- The demo's fictitious specialised volunteer rate goes with it (issue 14).
UPDATE volunteer_rates SET rate_high = NULL, source_high = NULL WHERE source_high = '@demo_high_rate_source';
-- The demo's published patterns too (migration 016): the real figures' tables do not start from the demo's.
DELETE FROM published_patterns;
