-- Evaluation reports and every metric value in them.
-- A report is keyed by what it was computed from (run, schema version, config, library versions,
-- metric registry): evaluating the same inputs and config again reuses it.

CREATE TABLE reports (
    id            VARCHAR PRIMARY KEY,
    run_id        VARCHAR NOT NULL,
    cache_key     VARCHAR NOT NULL,
    policy        VARCHAR NOT NULL,
    verdict       VARCHAR NOT NULL,          -- pass | fail | incomplete
    created_at    TIMESTAMP NOT NULL,
    seconds       DOUBLE,
    config_json   VARCHAR NOT NULL,
    versions_json VARCHAR NOT NULL,
    report_json   VARCHAR NOT NULL,
    UNIQUE (cache_key, policy)
);

CREATE TABLE report_families (
    report_id VARCHAR NOT NULL,
    family    VARCHAR NOT NULL,
    score     DOUBLE,                        -- 0-100, NULL when nothing was computed
    PRIMARY KEY (report_id, family)
);

CREATE TABLE metric_values (
    report_id VARCHAR NOT NULL,
    seq       INTEGER NOT NULL,
    key       VARCHAR NOT NULL,
    family    VARCHAR NOT NULL,
    columns_json VARCHAR NOT NULL,
    grp       VARCHAR,
    value     DOUBLE,
    score     DOUBLE,
    status    VARCHAR NOT NULL,
    reason    VARCHAR,
    baseline  DOUBLE,
    ci_low    DOUBLE,
    ci_high   DOUBLE,
    n         BIGINT,
    PRIMARY KEY (report_id, seq)
);
