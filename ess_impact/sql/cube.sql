-- Indicators for every combination of geography (MRC, region, all of Québec) and category (all, each sector,
-- each legal form), by year: the one aggregate every view and export is cut from.
-- Parameters: $year (NULL = every year),
--   $fte_basis (hours per FTE), $panel_from/$panel_to (constant sample: enterprises that reported both years),
--   $outside (with a panel: TRUE = the enterprises outside the constant sample instead, i.e. raw − panel),
--   $live (TRUE: the figures as they are now, for the admins' own views; FALSE: each year as an admin last released
--   it, for every public table — migration 015, store/releases.py).
-- The *__max columns hold the largest single-enterprise contribution, *__max2 the second largest (NULL with one
-- contributor): the dominance and p % rules of confidentiality. Each fine group keeps its largest and second
-- largest; a rolled-up cell's second largest is the larger of its groups' second largests and of the second
-- largest of its groups' largests.
WITH source AS (
    SELECT * FROM annual_figures WHERE $live
    UNION ALL BY NAME
    SELECT r.* EXCLUDE (release_id) FROM released_figures r
    WHERE NOT $live AND r.release_id IN (SELECT max(id) FROM releases GROUP BY year)
),
rates AS (
    -- Each year's rate; a year without one takes the latest earlier rate (or the earliest known). The specialised
    -- rate (the high end of the value of volunteering, issue 14) likewise, among the years that have one.
    SELECT y.year,
           coalesce((SELECT r.rate FROM volunteer_rates r WHERE r.year <= y.year ORDER BY r.year DESC LIMIT 1),
                    (SELECT r.rate FROM volunteer_rates r ORDER BY r.year LIMIT 1)) AS rate,
           coalesce((SELECT r.rate_high FROM volunteer_rates r WHERE r.year <= y.year AND r.rate_high IS NOT NULL
                     ORDER BY r.year DESC LIMIT 1),
                    (SELECT r.rate_high FROM volunteer_rates r WHERE r.rate_high IS NOT NULL
                     ORDER BY r.year LIMIT 1)) AS rate_high
    FROM (SELECT DISTINCT year FROM source) y
),
panel AS (
    SELECT neq FROM source
    WHERE year = $panel_from OR year = $panel_to
    GROUP BY neq HAVING count(DISTINCT year) = 2
),
f AS (
    -- Public service agreements count as earned revenue (issue 14: a government buying a service is a client):
    -- the published "earned revenue" is earned + agreements; the agreements alone are never published.
    SELECT a.* REPLACE (CASE WHEN a.revenue_earned IS NOT NULL OR a.revenue_public_contracts IS NOT NULL
                             THEN coalesce(a.revenue_earned, 0) + coalesce(a.revenue_public_contracts, 0)
                        END AS revenue_earned),
           m.region_code,
           a.jobs_full_time + a.jobs_part_time AS jobs_total,
           a.volunteer_hours * r.rate AS volunteer_value,
           a.volunteer_hours * r.rate_high AS volunteer_value_high,
           r.rate AS vol_rate, r.rate_high AS vol_rate_high
    FROM source a
    JOIN mrc m ON m.code = a.mrc
    JOIN rates r ON r.year = a.year
    WHERE ($year IS NULL OR a.year = $year)
      AND ($panel_from IS NULL OR (a.neq IN (SELECT neq FROM panel)) <> coalesce($outside, false))
),
fine AS (
    -- One pass over the rows at the finest grain (a few thousand groups); the grouping sets then roll it up.
    SELECT
        year, mrc, region_code, sector, legal_form,
        count(*) AS enterprises,
        sum(jobs_full_time) AS jobs_full_time, max(jobs_full_time) AS jobs_full_time__max, max(jobs_full_time, 2)[2] AS jobs_full_time__m2,
        sum(jobs_part_time) AS jobs_part_time, max(jobs_part_time) AS jobs_part_time__max, max(jobs_part_time, 2)[2] AS jobs_part_time__m2,
        sum(jobs_total) AS jobs_total, max(jobs_total) AS jobs_total__max, max(jobs_total, 2)[2] AS jobs_total__m2,
        sum(paid_hours) AS paid_hours, max(paid_hours) AS paid_hours__max, max(paid_hours, 2)[2] AS paid_hours__m2,
        count(paid_hours) AS paid_hours_enterprises,
        sum(payroll) AS payroll, max(payroll) AS payroll__max, max(payroll, 2)[2] AS payroll__m2,
        sum(revenue_total) AS revenue_total, max(revenue_total) AS revenue_total__max, max(revenue_total, 2)[2] AS revenue_total__m2,
        sum(revenue_earned) AS revenue_earned, max(revenue_earned) AS revenue_earned__max, max(revenue_earned, 2)[2] AS revenue_earned__m2,
        sum(revenue_total) FILTER (WHERE revenue_earned IS NOT NULL) AS revenue_total_earned_base,
        sum(expenses_total) AS expenses_total, max(expenses_total) AS expenses_total__max, max(expenses_total, 2)[2] AS expenses_total__m2,
        count(expenses_total) AS expenses_enterprises,
        count(payroll) AS payroll_enterprises,
        sum(people_served) AS people_served, max(people_served) AS people_served__max, max(people_served, 2)[2] AS people_served__m2,
        count(people_served) AS people_served_enterprises,
        -- the value of volunteering as total hours × the year's rate (one rate per year, and every group is within a
        -- year), not as a sum of products: DuckDB adds a sum's terms in thread order, and non-integral terms then
        -- differ in their last bits from one run to the next (the stored protections are keyed by a hash of the cube)
        sum(volunteer_hours) * any_value(vol_rate_high) AS volunteer_value_high,
        any_value(vol_rate) AS vol_rate, any_value(vol_rate_high) AS vol_rate_high,
        sum(revenue_grants) AS revenue_grants, max(revenue_grants) AS revenue_grants__max, max(revenue_grants, 2)[2] AS revenue_grants__m2,
        sum(revenue_total) FILTER (WHERE revenue_grants IS NOT NULL) AS revenue_total_grants_base,
        sum(volunteers) AS volunteers, max(volunteers) AS volunteers__max, max(volunteers, 2)[2] AS volunteers__m2,
        sum(volunteer_hours) AS volunteer_hours, max(volunteer_hours) AS volunteer_hours__max, max(volunteer_hours, 2)[2] AS volunteer_hours__m2,
        sum(volunteer_hours) * any_value(vol_rate) AS volunteer_value, max(volunteer_value) AS volunteer_value__max, max(volunteer_value, 2)[2] AS volunteer_value__m2,
        sum(members) AS members, max(members) AS members__max, max(members, 2)[2] AS members__m2
    FROM f
    GROUP BY year, mrc, region_code, sector, legal_form
),
agg AS (
    SELECT
        year,
        CASE WHEN grouping(mrc) = 0 THEN 'mrc' WHEN grouping(region_code) = 0 THEN 'region' ELSE 'all' END AS geo_level,
        coalesce(mrc, region_code, 'QC') AS geo_code,
        CASE WHEN grouping(sector) = 0 THEN 'sector' WHEN grouping(legal_form) = 0 THEN 'legal_form' ELSE 'all' END AS cat_kind,
        coalesce(sector, legal_form, 'ALL') AS cat_code,
        sum(enterprises)::BIGINT AS enterprises,
        sum(jobs_full_time) AS jobs_full_time, max(jobs_full_time__max) AS jobs_full_time__max,
        greatest(max(jobs_full_time__m2), max(jobs_full_time__max, 2)[2]) AS jobs_full_time__max2, max(jobs_full_time__max, 2)[2] AS jobs_full_time__m2,
        sum(jobs_part_time) AS jobs_part_time, max(jobs_part_time__max) AS jobs_part_time__max,
        greatest(max(jobs_part_time__m2), max(jobs_part_time__max, 2)[2]) AS jobs_part_time__max2, max(jobs_part_time__max, 2)[2] AS jobs_part_time__m2,
        sum(jobs_total) AS jobs_total, max(jobs_total__max) AS jobs_total__max,
        greatest(max(jobs_total__m2), max(jobs_total__max, 2)[2]) AS jobs_total__max2, max(jobs_total__max, 2)[2] AS jobs_total__m2,
        sum(paid_hours) AS paid_hours, max(paid_hours__max) AS paid_hours__max,
        greatest(max(paid_hours__m2), max(paid_hours__max, 2)[2]) AS paid_hours__max2, max(paid_hours__max, 2)[2] AS paid_hours__m2,
        sum(paid_hours_enterprises)::BIGINT AS paid_hours_enterprises,
        sum(payroll) AS payroll, max(payroll__max) AS payroll__max,
        greatest(max(payroll__m2), max(payroll__max, 2)[2]) AS payroll__max2, max(payroll__max, 2)[2] AS payroll__m2,
        sum(revenue_total) AS revenue_total, max(revenue_total__max) AS revenue_total__max,
        greatest(max(revenue_total__m2), max(revenue_total__max, 2)[2]) AS revenue_total__max2, max(revenue_total__max, 2)[2] AS revenue_total__m2,
        sum(revenue_earned) AS revenue_earned, max(revenue_earned__max) AS revenue_earned__max,
        greatest(max(revenue_earned__m2), max(revenue_earned__max, 2)[2]) AS revenue_earned__max2, max(revenue_earned__max, 2)[2] AS revenue_earned__m2,
        sum(revenue_total_earned_base) AS revenue_total_earned_base,
        sum(expenses_total) AS expenses_total, max(expenses_total__max) AS expenses_total__max,
        greatest(max(expenses_total__m2), max(expenses_total__max, 2)[2]) AS expenses_total__max2,
        sum(expenses_enterprises)::BIGINT AS expenses_enterprises,
        sum(payroll_enterprises)::BIGINT AS payroll_enterprises,
        sum(people_served) AS people_served, max(people_served__max) AS people_served__max,
        greatest(max(people_served__m2), max(people_served__max, 2)[2]) AS people_served__max2,
        sum(people_served_enterprises)::BIGINT AS people_served_enterprises,
        sum(volunteer_hours) * any_value(vol_rate_high) AS volunteer_value_high,  -- as in `fine`
        sum(revenue_grants) AS revenue_grants, max(revenue_grants__max) AS revenue_grants__max,
        greatest(max(revenue_grants__m2), max(revenue_grants__max, 2)[2]) AS revenue_grants__max2, max(revenue_grants__max, 2)[2] AS revenue_grants__m2,
        sum(revenue_total_grants_base) AS revenue_total_grants_base,
        sum(volunteers) AS volunteers, max(volunteers__max) AS volunteers__max,
        greatest(max(volunteers__m2), max(volunteers__max, 2)[2]) AS volunteers__max2, max(volunteers__max, 2)[2] AS volunteers__m2,
        sum(volunteer_hours) AS volunteer_hours, max(volunteer_hours__max) AS volunteer_hours__max,
        greatest(max(volunteer_hours__m2), max(volunteer_hours__max, 2)[2]) AS volunteer_hours__max2, max(volunteer_hours__max, 2)[2] AS volunteer_hours__m2,
        sum(volunteer_hours) * any_value(vol_rate) AS volunteer_value, max(volunteer_value__max) AS volunteer_value__max,
        greatest(max(volunteer_value__m2), max(volunteer_value__max, 2)[2]) AS volunteer_value__max2, max(volunteer_value__max, 2)[2] AS volunteer_value__m2,
        sum(members) AS members, max(members__max) AS members__max,
        greatest(max(members__m2), max(members__max, 2)[2]) AS members__max2
    FROM fine
    GROUP BY year, GROUPING SETS (
        (mrc, region_code, sector), (mrc, region_code, legal_form), (mrc, region_code),
        (region_code, sector), (region_code, legal_form), (region_code),
        (sector), (legal_form), ()
    )
),
geo AS (
    SELECT 'mrc' AS geo_level, code AS geo_code, usual_name AS geo_name, region_code, population FROM mrc
    UNION ALL SELECT 'region', code, name, code, population FROM regions
    UNION ALL SELECT 'all', 'QC', 'Québec', NULL, (SELECT sum(population) FROM regions)
),
cat AS (
    SELECT 'sector' AS cat_kind, code AS cat_code, label_fr AS cat_name_fr, label_en AS cat_name_en FROM sectors
    UNION ALL SELECT 'legal_form', code, label_fr, label_en FROM legal_forms
    UNION ALL SELECT 'all', 'ALL', 'Tous', 'All'
)
SELECT
    agg.year, agg.geo_level, agg.geo_code, geo.geo_name, geo.region_code, agg.cat_kind, agg.cat_code, cat.cat_name_fr, cat.cat_name_en,
    geo.population,
    agg.* EXCLUDE (year, geo_level, geo_code, cat_kind, cat_code),
    agg.paid_hours / $fte_basis AS fte,
    agg.paid_hours__max / $fte_basis AS fte__max,
    agg.paid_hours__max2 / $fte_basis AS fte__max2,
    agg.volunteer_hours / $fte_basis AS volunteer_fte,
    agg.volunteer_hours__max / $fte_basis AS volunteer_fte__max,
    agg.revenue_earned / nullif(agg.revenue_total_earned_base, 0) AS earned_share,
    agg.revenue_grants / nullif(agg.revenue_total_grants_base, 0) AS grant_share,
    agg.jobs_total * 1000.0 / nullif(geo.population, 0) AS jobs_per_1000,
    agg.revenue_total * 1000.0 / nullif(geo.population, 0) AS revenue_per_1000,
    agg.volunteer_hours * 1000.0 / nullif(geo.population, 0) AS volunteer_hours_per_1000,
    -- issue 14. Value added = payroll + operating surplus (revenue - total expenses), only where every enterprise
    -- of the cell reported its expenses: it is then a function of three published sums (payroll, revenue,
    -- expenses) and teaches nothing they do not. Payroll not reported counts as 0 (as in the payroll figure).
    CASE WHEN agg.expenses_enterprises = agg.enterprises
         THEN coalesce(agg.payroll, 0) + agg.revenue_total - agg.expenses_total END AS value_added,
    agg.volunteer_value AS volunteer_value_low,
    agg.people_served * 1000.0 / nullif(geo.population, 0) AS people_served_per_1000
FROM agg
JOIN geo ON geo.geo_level = agg.geo_level AND geo.geo_code = agg.geo_code
JOIN cat ON cat.cat_kind = agg.cat_kind AND cat.cat_code = agg.cat_code
ORDER BY agg.year, agg.geo_level, agg.geo_code, agg.cat_kind, agg.cat_code
