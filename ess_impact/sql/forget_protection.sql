-- Forget every protection result (benchmarks that measure a cold start): the stored cubes (a cache) and the published
-- patterns (publish/indicators.py), so that the next read protects from nothing.
DELETE FROM cube_store;
DELETE FROM published_patterns;
