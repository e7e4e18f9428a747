-- Remove the fictitious demo figures (their import log rows stay, flagged is_demo).
DELETE FROM annual_figures WHERE import_id IN (SELECT id FROM imports WHERE is_demo);
DELETE FROM annual_figures_history WHERE import_id IN (SELECT id FROM imports WHERE is_demo);
DELETE FROM enterprises WHERE neq NOT IN (SELECT neq FROM annual_figures);
