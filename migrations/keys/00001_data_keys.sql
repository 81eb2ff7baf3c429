-- The key store (internal/vault): a database of its own, never the data database, so a backup of the
-- data (mend backup, pg_dump) never holds the keys that open it. It holds each person's and each
-- couple's data key, wrapped (encrypted) by the master key, and one check value per master key version
-- that proves at start-up that MEND_MASTER_KEY (or the key file) is the one the keys were wrapped with.

-- +goose Up
CREATE TABLE master_keys (
    version      INTEGER PRIMARY KEY CHECK (version >= 1),
    check_value  BLOB NOT NULL,
    created_at   DATETIME NOT NULL
);

-- One data key per owner: a person (what they wrote) or a couple (joint texts). wrapped is
-- nonce || XChaCha20-Poly1305(master key version kek_version, the 32-byte key).
CREATE TABLE data_keys (
    id           TEXT PRIMARY KEY,
    owner_kind   TEXT NOT NULL CHECK (owner_kind IN ('person', 'couple')),
    owner_id     TEXT NOT NULL,
    kek_version  INTEGER NOT NULL CHECK (kek_version >= 1),
    wrapped      BLOB NOT NULL,
    created_at   DATETIME NOT NULL,
    UNIQUE (owner_kind, owner_id)
);

-- +goose Down
DROP TABLE data_keys;
DROP TABLE master_keys;
