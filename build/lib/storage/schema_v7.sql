-- Schema version 7: a rejection carries its reason (a listed one, or a note the coordinator
-- typed), shown to the volunteer and on the alert; an alert copy is either a live alert (redrawn
-- with the registration) or a one-off notice (e.g. "the volunteer moved to another center").
ALTER TABLE registrations ADD COLUMN review_reason TEXT;
ALTER TABLE registrations ADD COLUMN review_note TEXT;
ALTER TABLE alert_messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'alert';
