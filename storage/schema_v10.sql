-- Schema version 10 (what a first real walk asked for):
-- * a volunteer under 18 signs up with a guardian's name and mobile and the guardian's consent;
-- * a mobile may serve up to three active registrations (family members who share a phone; the
--   limit is kept by the repository inside the insert's transaction), a national code still one;
-- * a center has a phone number people can call (imported with the centers);
-- * an event has a place (an address) that its invitation and reminders give.
ALTER TABLE registrations ADD COLUMN guardian_name TEXT;
ALTER TABLE registrations ADD COLUMN guardian_mobile TEXT;
ALTER TABLE registrations ADD COLUMN guardian_consent INTEGER NOT NULL DEFAULT 0;
DROP INDEX registrations_active_mobile;
CREATE INDEX registrations_active_mobile
    ON registrations(mobile) WHERE status IN ('pending', 'approved');
ALTER TABLE centers ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN place TEXT NOT NULL DEFAULT '';
