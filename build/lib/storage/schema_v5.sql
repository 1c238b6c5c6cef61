-- Schema version 5: the outbox worker takes pending items in send order; without an index in that
-- order SQLite sorted every pending row (100,000 in bench/) for each batch of 32.
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox(platform, status, broadcast_id, chat_id);
