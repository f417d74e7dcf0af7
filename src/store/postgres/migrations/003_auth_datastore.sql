-- Authentication tokens, API keys and the datastore (key-value pairs).
-- Tokens and API keys are kept only as hashes: the database never holds a usable credential.

CREATE TABLE auth_tokens (
  id         text PRIMARY KEY,
  user_name  text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  expiry     bigint NOT NULL, -- microseconds
  metadata   json NOT NULL
);
CREATE INDEX auth_tokens_by_expiry ON auth_tokens (expiry);

CREATE TABLE api_keys (
  id         text PRIMARY KEY,
  user_name  text COLLATE "C" NOT NULL,
  key_hash   text NOT NULL UNIQUE,
  metadata   json NOT NULL,
  created_at bigint NOT NULL, -- microseconds
  enabled    boolean NOT NULL
);

CREATE TABLE key_value_pairs (
  id          text NOT NULL UNIQUE,
  scope       text COLLATE "C" NOT NULL,
  user_name   text COLLATE "C" NOT NULL,
  name        text COLLATE "C" NOT NULL,
  value       text NOT NULL,
  secret      boolean NOT NULL,
  description text NOT NULL,
  expire_at   bigint,
  PRIMARY KEY (scope, user_name, name)
);
