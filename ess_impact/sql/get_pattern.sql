-- The pattern a part of the public tables was last published with (migration 016).
SELECT inputs, pattern FROM published_patterns WHERE part = ?
