-- Datasets, their rows and holdout split, schema versions, and generator runs with their rows.
-- Rows are kept as Parquet blobs so that column names and types survive exactly as the user wrote them.

CREATE TABLE datasets (
    id               VARCHAR PRIMARY KEY,          -- first 12 hex digits of content_hash
    name             VARCHAR NOT NULL,
    content_hash     VARCHAR NOT NULL UNIQUE,      -- sha256 of the canonical table (dedup key)
    source_name      VARCHAR NOT NULL,             -- the file name as uploaded (display only)
    created_at       TIMESTAMP NOT NULL,
    n_rows           BIGINT NOT NULL,
    n_columns        INTEGER NOT NULL,
    load_report_json VARCHAR NOT NULL,
    holdout_fraction DOUBLE NOT NULL,
    split_seed       BIGINT NOT NULL,
    split_stratified_on VARCHAR                     -- target used to stratify the split, if any
);

CREATE TABLE dataset_rows (
    dataset_id VARCHAR PRIMARY KEY,
    parquet    BLOB NOT NULL
);

-- Holdout membership: one row per real row. The generator never sees is_holdout rows.
CREATE TABLE dataset_splits (
    dataset_id VARCHAR NOT NULL,
    row_index  BIGINT NOT NULL,
    is_holdout BOOLEAN NOT NULL,
    PRIMARY KEY (dataset_id, row_index)
);

-- Schema and roles are versioned: an edit appends a version, nothing is overwritten.
CREATE TABLE dataset_schemas (
    dataset_id  VARCHAR NOT NULL,
    version     INTEGER NOT NULL,
    schema_json VARCHAR NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (dataset_id, version)
);

CREATE TABLE runs (
    id               VARCHAR PRIMARY KEY,
    dataset_id       VARCHAR NOT NULL,
    schema_version   INTEGER NOT NULL,
    generator        VARCHAR NOT NULL,
    params_json      VARCHAR NOT NULL,
    seed             BIGINT,
    rows_requested   BIGINT,
    status           VARCHAR NOT NULL,             -- running | complete | failed | interrupted
    error            VARCHAR,
    created_at       TIMESTAMP NOT NULL,
    finished_at      TIMESTAMP,
    fit_seconds      DOUBLE,
    sample_seconds   DOUBLE,
    peak_memory_mb   DOUBLE,
    versions_json    VARCHAR NOT NULL,
    owner_pid        BIGINT NOT NULL,
    source_name      VARCHAR                       -- for imported runs: the uploaded file name
);

CREATE TABLE run_rows (
    run_id  VARCHAR PRIMARY KEY,
    n_rows  BIGINT NOT NULL,
    parquet BLOB NOT NULL
);
