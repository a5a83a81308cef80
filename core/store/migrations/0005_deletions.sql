-- The audit trail of deletions: what was removed, how many rows per table, who, when and why.
-- It never holds the removed data itself. A row is written in the same transaction as the
-- deletes; erased_at is set once the database file has been rewritten and its backups replaced,
-- so a row with erased_at NULL is an erasure still to finish (after a crash, say).
--
-- kind: 'dataset' (a dataset and everything made from it), 'run' (a run and its reports and
-- decisions), 'purge_real' (a dataset's real and holdout rows; its runs, reports and decisions
-- are kept). A dataset is purged while a 'purge_real' row newer than the dataset exists.

CREATE SEQUENCE deletion_ids START 1;

CREATE TABLE deletions (
    id             BIGINT PRIMARY KEY DEFAULT nextval('deletion_ids'),
    kind           VARCHAR NOT NULL CHECK (kind IN ('dataset', 'run', 'purge_real')),
    target_id      VARCHAR NOT NULL,           -- the dataset id or run id
    target_name    VARCHAR NOT NULL,           -- the dataset's name; for a run, its generator
    dataset_id     VARCHAR NOT NULL,           -- the dataset concerned (itself for a dataset)
    counts_json    VARCHAR NOT NULL,           -- table -> rows removed, e.g. {"runs": 2}
    real_rows      BIGINT NOT NULL,            -- real table rows removed (0 for a run)
    synthetic_rows BIGINT NOT NULL,            -- synthetic rows removed
    reason         VARCHAR NOT NULL,
    who            VARCHAR NOT NULL,
    role           VARCHAR NOT NULL,
    forced         BOOLEAN NOT NULL,           -- purge without an approved sign-off (--force)
    created_at     TIMESTAMP NOT NULL,         -- UTC
    erased_at      TIMESTAMP                   -- UTC; NULL until file and backups are rewritten
);
