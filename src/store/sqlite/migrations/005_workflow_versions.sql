-- Workflow states carry a version, so processes sharing one database never overwrite each other's
-- step: a save names the version it read and fails when another process saved since.
ALTER TABLE workflows ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
