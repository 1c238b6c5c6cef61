-- Schema version 4: running tallies for an admin's /stats over every center. Counting a million
-- registrations on each /stats took seconds (bench/); triggers keep these few rows current instead.
-- A coordinator's stats (a few centers) still count the registrations through their index.

-- Registrations per center and status (≈ centers × 4 rows): by status, and by center.
CREATE TABLE tally_center_status (
    center_id INTEGER NOT NULL,
    status    TEXT NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (center_id, status)
) WITHOUT ROWID;

-- Registrations per half hour of creation, UTC ('YYYY-MM-DDTHH:00' or ':30'): half hours so that
-- days in Iran's UTC+03:30 are counted exactly.
CREATE TABLE tally_half_hour (
    slot TEXT PRIMARY KEY,
    n    INTEGER NOT NULL
) WITHOUT ROWID;

-- Registrations per activity area.
CREATE TABLE tally_activity (
    activity_id INTEGER PRIMARY KEY,
    n           INTEGER NOT NULL
);

CREATE TRIGGER tally_registration_added AFTER INSERT ON registrations BEGIN
    INSERT INTO tally_center_status(center_id, status, n) VALUES (NEW.center_id, NEW.status, 1)
        ON CONFLICT(center_id, status) DO UPDATE SET n = n + 1;
    INSERT INTO tally_half_hour(slot, n) VALUES (substr(NEW.created_at, 1, 14)
            || CASE WHEN substr(NEW.created_at, 15, 2) < '30' THEN '00' ELSE '30' END, 1)
        ON CONFLICT(slot) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tally_registration_moved AFTER UPDATE OF center_id, status ON registrations
WHEN OLD.center_id IS NOT NEW.center_id OR OLD.status IS NOT NEW.status BEGIN
    UPDATE tally_center_status SET n = n - 1 WHERE center_id = OLD.center_id AND status = OLD.status;
    INSERT INTO tally_center_status(center_id, status, n) VALUES (NEW.center_id, NEW.status, 1)
        ON CONFLICT(center_id, status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tally_registration_removed AFTER DELETE ON registrations BEGIN
    UPDATE tally_center_status SET n = n - 1 WHERE center_id = OLD.center_id AND status = OLD.status;
    UPDATE tally_half_hour SET n = n - 1 WHERE slot = substr(OLD.created_at, 1, 14)
        || CASE WHEN substr(OLD.created_at, 15, 2) < '30' THEN '00' ELSE '30' END;
END;

CREATE TRIGGER tally_activity_added AFTER INSERT ON registration_activities BEGIN
    INSERT INTO tally_activity(activity_id, n) VALUES (NEW.activity_id, 1)
        ON CONFLICT(activity_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tally_activity_removed AFTER DELETE ON registration_activities BEGIN
    UPDATE tally_activity SET n = n - 1 WHERE activity_id = OLD.activity_id;
END;

-- What is already there.
INSERT INTO tally_center_status(center_id, status, n)
    SELECT center_id, status, COUNT(*) FROM registrations GROUP BY center_id, status;
INSERT INTO tally_half_hour(slot, n)
    SELECT substr(created_at, 1, 14) || CASE WHEN substr(created_at, 15, 2) < '30' THEN '00' ELSE '30' END,
           COUNT(*) FROM registrations GROUP BY 1;
INSERT INTO tally_activity(activity_id, n)
    SELECT activity_id, COUNT(*) FROM registration_activities GROUP BY activity_id;
