-- Schema version 6: an open invite can be revoked (by an admin, audit-logged); a revoked link
-- makes nobody a coordinator.
ALTER TABLE invites ADD COLUMN revoked_at TEXT;
ALTER TABLE invites ADD COLUMN revoked_by TEXT;
