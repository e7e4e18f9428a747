DELETE FROM io_multipliers
