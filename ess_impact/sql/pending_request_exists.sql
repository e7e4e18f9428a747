SELECT count(*) FROM access_requests WHERE neq = ? AND email = ? AND status = 'pending'
