-- Schema version 2: coordinator work on registrations, linked group chats, alert copies.

ALTER TABLE registrations ADD COLUMN reviewed_by TEXT;
ALTER TABLE registrations ADD COLUMN reviewed_at TEXT;
ALTER TABLE registrations ADD COLUMN contacted_by TEXT;
ALTER TABLE registrations ADD COLUMN contacted_at TEXT;

-- How a coordinator is called in admin listings (their messenger name when they accepted).
ALTER TABLE coordinators ADD COLUMN display_name TEXT NOT NULL DEFAULT '';

CREATE TABLE center_groups (
    platform  TEXT NOT NULL,
    chat_id   INTEGER NOT NULL,
    center_id INTEGER NOT NULL REFERENCES centers(id),
    linked_by TEXT NOT NULL,
    linked_at TEXT NOT NULL,
    PRIMARY KEY (platform, chat_id)
);
CREATE INDEX center_groups_center ON center_groups(center_id);

-- Every copy of an alert sent about a registration, so a decision updates all of them and a
-- button is acted on only when it sits on a real alert about that registration.
CREATE TABLE alert_messages (
    registration_id INTEGER NOT NULL REFERENCES registrations(id),
    platform        TEXT NOT NULL,
    chat_id         INTEGER NOT NULL,
    message_id      INTEGER NOT NULL,
    language        TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (platform, chat_id, message_id)
);
CREATE INDEX alert_messages_registration ON alert_messages(registration_id);
