SELECT neq, email, region_code, status FROM access_requests WHERE id = ?
