SELECT part, inputs, pattern, stored_at FROM published_patterns ORDER BY part
