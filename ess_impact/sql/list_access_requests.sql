-- Requests for an enterprise account, pending first then latest; $regions (a list; NULL = all) restricts them.
SELECT r.id, r.neq, e.name, r.email, r.region_code, r.requested_at, r.status, r.decided_at, r.decided_by
FROM access_requests r LEFT JOIN enterprises e ON e.neq = r.neq
WHERE $regions::VARCHAR[] IS NULL OR list_contains($regions::VARCHAR[], r.region_code)
ORDER BY r.status <> 'pending', r.requested_at DESC, r.id DESC
