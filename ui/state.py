"""Session-state keys, in one place (``st.session_state[...]`` is never keyed by a literal)."""

DATASET_ID = "data.dataset_id"
RUN_ID = "run.id"
LAST_LOAD = "data.last_load"          # LoadReport dict of the latest upload in this session
GENERATE_RESULT = "generate.result"   # RunInfo of the latest generate/import in this session
FLASH = "ui.flash"                    # one message to show after a rerun
DATA_SELECT = "data.select"           # the Data page's dataset selectbox
_PENDING_SELECT = "data.pending_select"


def select_dataset(session: dict, dataset_id: str) -> None:
    """Make ``dataset_id`` current and clear the run; the selectbox follows on the next run."""
    session[DATASET_ID] = dataset_id
    session[RUN_ID] = None
    session[_PENDING_SELECT] = dataset_id


def sync_dataset_select(session: dict) -> None:
    """Before the selectbox is drawn: move it to a dataset chosen by a button in the last run."""
    pending = session.pop(_PENDING_SELECT, None)
    if pending is not None:
        session[DATA_SELECT] = pending
