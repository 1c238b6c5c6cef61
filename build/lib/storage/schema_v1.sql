-- Schema version 1: the design's data model. Times are UTC ISO-8601 text.

CREATE TABLE provinces (
    id      INTEGER PRIMARY KEY,
    name_fa TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL
);

CREATE TABLE counties (
    id          INTEGER PRIMARY KEY,
    province_id INTEGER NOT NULL REFERENCES provinces(id),
    name_fa     TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    UNIQUE (province_id, name_fa)
);

CREATE TABLE centers (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    county_id  INTEGER NOT NULL REFERENCES counties(id),
    address    TEXT NOT NULL DEFAULT '',
    lat        REAL,
    lon        REAL,
    active     INTEGER NOT NULL DEFAULT 1,
    is_sample  INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
CREATE INDEX centers_county ON centers(county_id);

CREATE TABLE activities (
    id       INTEGER PRIMARY KEY,
    position INTEGER NOT NULL,
    name_fa  TEXT NOT NULL UNIQUE,
    name_en  TEXT NOT NULL,
    group_fa TEXT NOT NULL,
    group_en TEXT NOT NULL,
    active   INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE users (
    platform   TEXT NOT NULL,
    user_id    INTEGER NOT NULL,
    language   TEXT,
    is_admin   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    blocked_at TEXT,
    PRIMARY KEY (platform, user_id)
);

CREATE TABLE drafts (
    platform   TEXT NOT NULL,
    user_id    INTEGER NOT NULL,
    step       TEXT NOT NULL,
    answers    TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (platform, user_id),
    FOREIGN KEY (platform, user_id) REFERENCES users(platform, user_id) ON DELETE CASCADE
);

CREATE TABLE registrations (
    id                 INTEGER PRIMARY KEY,
    tracking_code      TEXT NOT NULL UNIQUE,
    platform           TEXT NOT NULL,
    user_id            INTEGER,
    national_id        TEXT,
    mobile             TEXT,
    full_name          TEXT,
    birth_date         TEXT,
    is_minor           INTEGER NOT NULL DEFAULT 0,
    gender             TEXT CHECK (gender IN ('female', 'male')),
    center_id          INTEGER NOT NULL REFERENCES centers(id),
    availability_days  TEXT NOT NULL DEFAULT '',
    availability_parts TEXT NOT NULL DEFAULT '',
    status             TEXT NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    forgotten_at       TEXT
);
-- One active registration per national id and per mobile; withdrawn/rejected ones stay for the record.
CREATE UNIQUE INDEX registrations_active_national_id
    ON registrations(national_id) WHERE status IN ('pending', 'approved');
CREATE UNIQUE INDEX registrations_active_mobile
    ON registrations(mobile) WHERE status IN ('pending', 'approved');
CREATE INDEX registrations_user ON registrations(platform, user_id);
CREATE INDEX registrations_center ON registrations(center_id, status);
CREATE INDEX registrations_created ON registrations(created_at);

CREATE TABLE registration_activities (
    registration_id INTEGER NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    activity_id     INTEGER NOT NULL REFERENCES activities(id),
    PRIMARY KEY (registration_id, activity_id)
);
CREATE INDEX registration_activities_activity ON registration_activities(activity_id);

CREATE TABLE coordinators (
    platform   TEXT NOT NULL,
    user_id    INTEGER NOT NULL,
    center_id  INTEGER NOT NULL REFERENCES centers(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (platform, user_id, center_id)
);
CREATE INDEX coordinators_center ON coordinators(center_id);

CREATE TABLE invites (
    token      TEXT PRIMARY KEY,
    center_id  INTEGER NOT NULL REFERENCES centers(id),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    used_by    TEXT
);

CREATE TABLE events (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    scope_kind   TEXT NOT NULL CHECK (scope_kind IN ('all', 'province', 'county', 'center')),
    scope_id     INTEGER,
    starts_at    TEXT NOT NULL,
    cancelled_at TEXT,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL
);

CREATE TABLE reminders (
    id             INTEGER PRIMARY KEY,
    event_id       INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    offset_minutes INTEGER NOT NULL,
    sent_at        TEXT,
    UNIQUE (event_id, offset_minutes)
);

CREATE TABLE broadcasts (
    id          INTEGER PRIMARY KEY,
    text        TEXT NOT NULL,
    filter      TEXT NOT NULL DEFAULT '{}',
    created_by  TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'sending', 'done', 'cancelled')),
    created_at  TEXT NOT NULL,
    finished_at TEXT
);

CREATE TABLE outbox (
    broadcast_id INTEGER NOT NULL REFERENCES broadcasts(id),
    platform     TEXT NOT NULL,
    chat_id      INTEGER NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'sent', 'blocked', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_try_at  TEXT,
    sent_at      TEXT,
    PRIMARY KEY (broadcast_id, platform, chat_id)
);
CREATE INDEX outbox_pending ON outbox(platform, status);

CREATE TABLE audit (
    id         INTEGER PRIMARY KEY,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
