-- Human review: decisions on columns, pairs and synthetic rows, and the run's sign-off.
-- Both tables are append-only event logs; nothing is ever updated or deleted. The current decision
-- on a target is its highest version (view review_current), the current sign-off the newest one.
--
-- Concurrency: two writers that both saw version n of a target both insert version n + 1, so the
-- UNIQUE (run_id, kind, target, version) key lets exactly one of them commit (DuckDB raises a
-- ConstraintException or, at commit, a TransactionException for the other). Appends on different
-- targets have different keys and never conflict. UNIQUE (run_id, token) makes a repeated button
-- click (same client token) store one event; NULL tokens never collide.

CREATE SEQUENCE review_decision_ids START 1;

CREATE TABLE review_decisions (
    id            BIGINT PRIMARY KEY DEFAULT nextval('review_decision_ids'),
    run_id        VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL CHECK (kind IN ('column', 'pair', 'row')),
    target        VARCHAR NOT NULL,            -- column name, 'a × b', or 'synthetic row 123'
    version       INTEGER NOT NULL CHECK (version >= 1),  -- 1, 2, ... per (run, kind, target)
    decision      VARCHAR NOT NULL CHECK (decision IN ('approve', 'reject', 'needs_work')),
    comment       VARCHAR NOT NULL,
    reviewer      VARCHAR NOT NULL,
    role          VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL,          -- UTC
    evidence_json VARCHAR NOT NULL,            -- metric values and thresholds shown at that moment
    seen_id       BIGINT,                      -- the decision the reviewer saw (NULL: none yet)
    token         VARCHAR,                     -- client token of the click, for idempotency
    UNIQUE (run_id, kind, target, version),
    UNIQUE (run_id, token)
);

CREATE VIEW review_current AS
SELECT *
FROM review_decisions
QUALIFY row_number() OVER (PARTITION BY run_id, kind, target ORDER BY version DESC) = 1;

CREATE SEQUENCE review_signoff_ids START 1;

CREATE TABLE review_signoffs (
    id            BIGINT PRIMARY KEY DEFAULT nextval('review_signoff_ids'),
    run_id        VARCHAR NOT NULL,
    decision      VARCHAR NOT NULL CHECK (decision IN ('approved', 'rejected')),
    reason        VARCHAR NOT NULL,
    reviewer      VARCHAR NOT NULL,
    role          VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL,          -- UTC
    snapshot_json VARCHAR NOT NULL,            -- target -> decision id at sign-off time
    token         VARCHAR,
    UNIQUE (run_id, token)
);
