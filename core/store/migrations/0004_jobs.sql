-- Jobs: long work (a fit, an evaluation, the Demo build) done by Dask workers for this process.
-- Only the process that owns the database writes these rows; a job it left queued or running
-- when it stopped is marked interrupted at the next open (owner_pid, as for runs).

CREATE TABLE jobs (
    id          VARCHAR PRIMARY KEY,
    kind        VARCHAR NOT NULL,             -- generate | evaluate | demo
    inputs_json VARCHAR NOT NULL,
    started_by  VARCHAR,                      -- the signed-in or typed name; 'cli' from the CLI
    state       VARCHAR NOT NULL,             -- queued | running | complete | failed | cancelled | interrupted
    progress    DOUBLE NOT NULL,              -- 0.0 .. 1.0
    message     VARCHAR,
    created_at  TIMESTAMP NOT NULL,
    started_at  TIMESTAMP,
    finished_at TIMESTAMP,
    error       VARCHAR,
    worker      VARCHAR,                      -- the Dask worker's address, e.g. tcp://127.0.0.1:40123
    result_id   VARCHAR,                      -- the run (generate) or report (evaluate, demo)
    owner_pid   BIGINT NOT NULL
);

-- `evaluate --force` stores a second report with the same cache key and policy; the newest wins
-- (core/store/reports.py: find_report). 0002 made (cache_key, policy) unique, which refused that
-- insert; DuckDB cannot drop a constraint, so the table is rebuilt without it.
CREATE TABLE reports_0004 (
    id            VARCHAR PRIMARY KEY,
    run_id        VARCHAR NOT NULL,
    cache_key     VARCHAR NOT NULL,
    policy        VARCHAR NOT NULL,
    verdict       VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    seconds       DOUBLE,
    config_json   VARCHAR NOT NULL,
    versions_json VARCHAR NOT NULL,
    report_json   VARCHAR NOT NULL
);
INSERT INTO reports_0004 SELECT * FROM reports;
DROP TABLE reports;
ALTER TABLE reports_0004 RENAME TO reports;
