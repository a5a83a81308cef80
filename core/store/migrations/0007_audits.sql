-- Generator audits: a shadow-model membership attack on a run's generator (core/audit), run as
-- a job and stored with the run's report it was started from. The result holds figures and
-- positions of training rows, never a real value. Views show the run's newest audit with any of
-- its reports (the audit depends on the run's generator and rows, not on the report's config).

CREATE TABLE audits (
    id           VARCHAR PRIMARY KEY,
    run_id       VARCHAR NOT NULL,
    report_id    VARCHAR NOT NULL,            -- the run's newest report when the audit started
    job_id       VARCHAR,                     -- the job that computed it (NULL outside a job)
    created_at   TIMESTAMP NOT NULL,
    params_json  VARCHAR NOT NULL,            -- what was asked: targets, shadows, budget, seed
    result_json  VARCHAR NOT NULL,            -- core.audit.AuditResult.to_json()
    seconds      DOUBLE,                      -- total compute time on the worker
    timings_json VARCHAR NOT NULL             -- seconds per step (setup, shadow fits, attack)
);
