-- Schema version 9: each alert copy records the center it was sent about, so a coordinator
-- removed from a center also loses the notices about volunteers who moved away from it (the
-- registration itself is at another center by then). Copies already sent were about the
-- registration's center at the time, which is its center now unless it moved.
ALTER TABLE alert_messages ADD COLUMN center_id INTEGER REFERENCES centers(id);
UPDATE alert_messages SET center_id =
    (SELECT r.center_id FROM registrations r WHERE r.id = alert_messages.registration_id);
CREATE INDEX alert_messages_chat_center ON alert_messages(platform, chat_id, center_id);
