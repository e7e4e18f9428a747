-- The default volunteer rates' source was stored as a French sentence; it becomes a code of the text catalogue
-- (labels.MINIMUM_WAGE_SOURCE), shown in the reader's language.
UPDATE volunteer_rates SET source = '@minimum_wage_source'
WHERE source = 'salaire minimum général au Québec au 1er mai (CNESST)';
