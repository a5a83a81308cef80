-- A sign-off that approves a run the gate failed, or one with a rejected column, says why the
-- reviewer knowingly overrode that: the override reason. NULL on every other sign-off (and on
-- every sign-off stored before this migration). Still append-only: nothing is updated.

ALTER TABLE review_signoffs ADD COLUMN override VARCHAR;
