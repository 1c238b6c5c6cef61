-- Schema version 8: a mobile is "verified" only when it came from the person's own shared
-- contact; national-code and mobile look-ups are counted per person and day (a stranger cannot
-- probe who is registered without limit); a registration released because it blocked the real
-- owner of its national code or mobile is kept as withdrawn, by whom and when.
ALTER TABLE registrations ADD COLUMN mobile_verified INTEGER NOT NULL DEFAULT 0;
CREATE TABLE lookups (
    platform TEXT NOT NULL,
    user_id  INTEGER NOT NULL,
    day      TEXT NOT NULL,
    kind     TEXT NOT NULL,
    count    INTEGER NOT NULL,
    PRIMARY KEY (platform, user_id, day, kind)
);
