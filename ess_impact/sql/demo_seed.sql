-- The file name of the latest demo load ('donnees-fictives-demonstration-<seed>'): which seed to load again.
SELECT file_name FROM imports WHERE is_demo AND channel = 'demo' ORDER BY id DESC LIMIT 1
