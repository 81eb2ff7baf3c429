-- PostgreSQL twin of migrations/00008_agreements_joint_texts.sql (a version both partners accepted is a
-- joint text, kept when one of them deletes their account): agreement_versions.author_id and
-- agreement_events.actor_id become nullable. PostgreSQL changes a column's constraint in place, so
-- nothing is rebuilt; keys, foreign keys and indexes stay as they are.

-- +goose Up
ALTER TABLE agreement_versions ALTER COLUMN author_id DROP NOT NULL;
ALTER TABLE agreement_events ALTER COLUMN actor_id DROP NOT NULL;

-- +goose Down
-- Joint texts whose author has gone cannot be attributed to anyone under the old schema: they go, with
-- the anonymous log entries and any agreement left without a version.
DELETE FROM agreement_events WHERE actor_id IS NULL;
DELETE FROM agreement_versions WHERE author_id IS NULL;
DELETE FROM agreements WHERE NOT EXISTS (SELECT 1 FROM agreement_versions v WHERE v.agreement_id = agreements.id);
ALTER TABLE agreement_events ALTER COLUMN actor_id SET NOT NULL;
ALTER TABLE agreement_versions ALTER COLUMN author_id SET NOT NULL;
