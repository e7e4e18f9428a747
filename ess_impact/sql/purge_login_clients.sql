-- When a session opens: client windows that started before $before are over.
DELETE FROM login_clients WHERE window_start < $before
