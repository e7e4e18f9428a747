INSERT INTO access_requests (id, neq, email, region_code, requested_at, status)
VALUES (nextval('access_request_seq'), ?, ?, ?, ?, 'pending')
