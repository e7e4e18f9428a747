-- One login attempt from a client, atomically, in windows starting at its first attempt: returns the attempts of the
-- current window. Parameters: $client, $now, $window_start (attempts before it belong to an old window).
INSERT INTO login_clients AS c (client, window_start, attempts) VALUES ($client, $now, 1)
ON CONFLICT (client) DO UPDATE SET
    attempts = CASE WHEN c.window_start <= $window_start THEN 1 ELSE c.attempts + 1 END,
    window_start = CASE WHEN c.window_start <= $window_start THEN $now ELSE c.window_start END
RETURNING attempts
