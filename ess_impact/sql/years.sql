-- Years with figures, and how many enterprises reported each: as they are now ($live, the admins' views) or as
-- last released (every public table: migration 015).
SELECT year, count(*) AS enterprises
FROM (SELECT year FROM annual_figures WHERE $live
      UNION ALL
      SELECT r.year FROM released_figures r
      WHERE NOT $live AND r.release_id IN (SELECT max(id) FROM releases GROUP BY year))
GROUP BY year ORDER BY year
