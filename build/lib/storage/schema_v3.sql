-- Schema version 3: events with reminders, broadcasts sent through a resumable outbox.

ALTER TABLE reminders ADD COLUMN skipped_at TEXT;
CREATE INDEX reminders_unsent ON reminders(sent_at) WHERE sent_at IS NULL;

ALTER TABLE broadcasts ADD COLUMN kind TEXT NOT NULL DEFAULT 'broadcast';
ALTER TABLE broadcasts ADD COLUMN reminder_id INTEGER REFERENCES reminders(id);
-- Where the admin watches the progress message (edited live) of a broadcast.
ALTER TABLE broadcasts ADD COLUMN progress_platform TEXT;
ALTER TABLE broadcasts ADD COLUMN progress_chat_id INTEGER;
ALTER TABLE broadcasts ADD COLUMN progress_message_id INTEGER;
ALTER TABLE broadcasts ADD COLUMN progress_language TEXT;

-- A reminder's text differs by the recipient's language; a plain broadcast uses broadcasts.text.
ALTER TABLE outbox ADD COLUMN text TEXT;
ALTER TABLE outbox ADD COLUMN last_error TEXT;
CREATE INDEX outbox_broadcast_status ON outbox(broadcast_id, status);
