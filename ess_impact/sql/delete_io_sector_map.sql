DELETE FROM io_sector_map
