INSERT INTO io_sector_map (sector, industry_code) VALUES (?, ?)
