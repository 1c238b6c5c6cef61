-- Schema version 11: from sign-up to showing up.
-- * an event has an end (NULL for events made before: read as two hours after the start), an
--   optional capacity and optional activity areas (only volunteers of those areas are invited);
-- * every volunteer's answer to an event (rsvps): coming, declined, waiting (the waitlist, in
--   the order people asked), offered (a freed place, to be taken before offer_until) or lapsed
--   (an offer not taken in time);
-- * notices a change of answer owes someone (the volunteer offered a place, the coordinators of
--   a volunteer who cancelled or was promoted), written in the same transaction as the change
--   and turned into outbox messages exactly once (queued_at), so a kill -9 loses none;
-- * an outbox message may carry inline buttons (JSON), in its recipient's language;
-- * an event's invitation is claimed (invited_at) in the transaction that queues it, so it goes
--   out once, even when the bot dies right after saving the event; events made before are not
--   invited afresh.
ALTER TABLE events ADD COLUMN ends_at TEXT;
ALTER TABLE events ADD COLUMN invited_at TEXT;
UPDATE events SET invited_at = created_at;
ALTER TABLE events ADD COLUMN capacity INTEGER CHECK (capacity IS NULL OR capacity > 0);
CREATE TABLE event_activities (
    event_id    INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    activity_id INTEGER NOT NULL REFERENCES activities(id),
    PRIMARY KEY (event_id, activity_id)
);
CREATE TABLE rsvps (
    event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    registration_id INTEGER NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    answer          TEXT NOT NULL
                    CHECK (answer IN ('coming', 'declined', 'waiting', 'offered', 'lapsed')),
    asked_at        TEXT NOT NULL,
    line            INTEGER NOT NULL,  -- the order people asked for a place, one per event
    answered_at     TEXT NOT NULL,
    offer_until     TEXT,
    PRIMARY KEY (event_id, registration_id)
);
CREATE INDEX rsvps_by_answer ON rsvps(event_id, answer, line);
CREATE INDEX rsvps_of_registration ON rsvps(registration_id);
CREATE INDEX rsvps_offers ON rsvps(offer_until) WHERE answer = 'offered';
CREATE TABLE event_notices (
    id              INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    registration_id INTEGER NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL
                    CHECK (kind IN ('offered', 'lapsed', 'cancelled', 'promoted', 'admitted')),
    created_at      TEXT NOT NULL,
    queued_at       TEXT
);
CREATE INDEX event_notices_unqueued ON event_notices(id) WHERE queued_at IS NULL;
ALTER TABLE outbox ADD COLUMN markup TEXT;
-- A volunteer who withdraws, is rejected or released holds no place and waits for none at the
-- events still ahead: their answers turn to "declined" in the same transaction (the coordinators
-- told of a place freed), and the next look of the waitlist offers the freed places. Answers to
-- events that began or were cancelled stay as they were (they are history).
CREATE TRIGGER rsvps_end_with_the_registration AFTER UPDATE OF status ON registrations
WHEN OLD.status IN ('pending', 'approved') AND NEW.status NOT IN ('pending', 'approved')
BEGIN
    INSERT INTO event_notices(event_id, registration_id, kind, created_at)
        SELECT v.event_id, v.registration_id, 'cancelled', NEW.updated_at
        FROM rsvps v JOIN events e ON e.id = v.event_id
        WHERE v.registration_id = NEW.id AND v.answer = 'coming' AND e.cancelled_at IS NULL
        AND julianday(e.starts_at) > julianday(NEW.updated_at);
    UPDATE rsvps SET answer = 'declined', answered_at = NEW.updated_at, offer_until = NULL
        WHERE registration_id = NEW.id AND answer IN ('coming', 'waiting', 'offered')
        AND event_id IN (SELECT id FROM events WHERE cancelled_at IS NULL
                         AND julianday(starts_at) > julianday(NEW.updated_at));
END;
-- Check-in on the day: who came to which event, at which center (the kickoff happens at every
-- center at once), when, recorded by whom ('self' for a scanned QR); a check-out, if any; the
-- hours the coordinator verified (the volunteer's ledger and certificate count only those). Each
-- event has a secret that signs its check-in QR codes (one per center), so a QR can be neither
-- forged nor turned into another event's or another center's.
ALTER TABLE events ADD COLUMN checkin_secret TEXT;
UPDATE events SET checkin_secret = lower(hex(randomblob(16)));
CREATE TABLE attendance (
    event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    registration_id INTEGER NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    center_id       INTEGER NOT NULL REFERENCES centers(id),
    checked_in_at   TEXT NOT NULL,
    checked_in_by   TEXT NOT NULL,
    checked_out_at  TEXT,
    hours           REAL,  -- verified by the center's coordinator (then the row no longer changes)
    verified_by     TEXT,
    verified_at     TEXT,
    PRIMARY KEY (event_id, registration_id)
);
CREATE INDEX attendance_by_center ON attendance(event_id, center_id);
-- Certificates of service: a code (in the certificate's QR: /start v-<code>) vouching for what
-- the certificate says — the name, center and verified hours as they stood when it was issued
-- (kept here: a later /edit must not change what an old certificate confirms); revoked by an
-- admin, or when the volunteer asks to be forgotten (the name is erased then too).
CREATE TABLE certificates (
    code            TEXT PRIMARY KEY,
    registration_id INTEGER NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    full_name       TEXT,
    center_id       INTEGER NOT NULL REFERENCES centers(id),
    hours           REAL NOT NULL,
    events          INTEGER NOT NULL,
    issued_at       TEXT NOT NULL,
    revoked_at      TEXT
);
CREATE INDEX certificates_of ON certificates(registration_id);
CREATE TRIGGER certificates_end_with_erasure AFTER UPDATE OF forgotten_at ON registrations
WHEN NEW.forgotten_at IS NOT NULL
BEGIN
    UPDATE certificates SET revoked_at = COALESCE(revoked_at, NEW.forgotten_at), full_name = NULL
        WHERE registration_id = NEW.id;
END;
-- /stats counts who an event's invitation went to: the invitation broadcast names its event.
ALTER TABLE broadcasts ADD COLUMN event_id INTEGER REFERENCES events(id);
