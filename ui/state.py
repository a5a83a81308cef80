"""Session-state keys, in one place (``st.session_state[...]`` is never keyed by a literal)."""

DATASET_ID = "data.dataset_id"
RUN_ID = "run.id"
LAST_LOAD = "data.last_load"          # LoadReport dict of the latest upload in this session
GENERATE_RESULT = "generate.result"   # RunInfo of the latest generate/import in this session
FLASH = "ui.flash"                    # one message to show after a rerun
