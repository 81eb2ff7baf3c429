-- +goose Up
-- "For you" (DESIGN §5.2): the updates on a person's home are derived from the data; only what the data
-- cannot say is kept here, the marks of what the person has seen. mark is an update's id (marked one by
-- one or all at once) or "page:" and a page's path (every update leading there, up to seen_at, is seen).
CREATE TABLE update_marks (
    user_id  text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    mark     text NOT NULL,
    seen_at  timestamptz NOT NULL,
    PRIMARY KEY (user_id, mark)
);

-- The outbox learns one kind: the notice that a password was reset.
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
    CHECK (kind IN ('reminder', 'updates', 'confirm_email', 'sign_in_alert', 'password_reset', 'password_notice'));

-- +goose Down
DELETE FROM outbox WHERE kind = 'password_notice';
ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check
    CHECK (kind IN ('reminder', 'updates', 'confirm_email', 'sign_in_alert', 'password_reset'));
DROP TABLE update_marks;
