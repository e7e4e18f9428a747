-- A load replaces the reference years its file holds.
DELETE FROM employment_reference WHERE ref_year = ?
