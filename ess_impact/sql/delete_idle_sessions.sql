-- Sessions not seen since the given time (the idle timeout has passed).
DELETE FROM sessions WHERE last_seen_at < ?
