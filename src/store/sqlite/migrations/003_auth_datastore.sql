-- Authentication tokens, API keys and the datastore (key-value pairs).
-- Tokens and API keys are kept only as hashes: the database file never holds a usable credential.

CREATE TABLE auth_tokens (
  id         TEXT PRIMARY KEY,
  user_name  TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  expiry     INTEGER NOT NULL, -- microseconds
  metadata   TEXT NOT NULL     -- JSON object
) STRICT;
CREATE INDEX auth_tokens_by_expiry ON auth_tokens (expiry);

CREATE TABLE api_keys (
  id         TEXT PRIMARY KEY,
  user_name  TEXT NOT NULL,
  key_hash   TEXT NOT NULL UNIQUE,
  metadata   TEXT NOT NULL, -- JSON object
  created_at INTEGER NOT NULL, -- microseconds
  enabled    INTEGER NOT NULL  -- 0 or 1
) STRICT;

CREATE TABLE key_value_pairs (
  id          TEXT NOT NULL UNIQUE,
  scope       TEXT NOT NULL, -- st2kv.system | st2kv.user
  user_name   TEXT NOT NULL, -- '' for system items
  name        TEXT NOT NULL,
  value       TEXT NOT NULL, -- ciphertext when secret
  secret      INTEGER NOT NULL,
  description TEXT NOT NULL,
  expire_at   INTEGER,       -- microseconds; NULL: never
  PRIMARY KEY (scope, user_name, name)
) STRICT;
