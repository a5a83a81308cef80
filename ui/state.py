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


def dataset_picked(session: dict) -> None:
    """The Data selectbox's callback: make the picked dataset current and clear the run.

    Streamlit calls it before the next script runs, whichever page that is: a pick followed at
    once by a click on another page (both reach the server together, or the click stops the
    Data page's run before its body reads the pick) still changes the dataset.
    """
    chosen = session.get(DATA_SELECT)
    if chosen is not None and chosen != session.get(DATASET_ID):
        session[DATASET_ID] = chosen
        session[RUN_ID] = None


def copy_pick(session: dict, widget_key: str, state_key: str) -> None:
    """A selectbox's callback: copy its pick (``session[widget_key]``) to ``session[state_key]``.

    For the run and policy pickers, as :func:`dataset_picked` for the dataset: the pick holds
    even when a click on another page reaches the server with it.
    """
    if widget_key in session:
        session[state_key] = session[widget_key]


def sync_dataset_select(session: dict) -> None:
    """Before the selectbox is drawn: move it to a dataset chosen by a button in the last run."""
    pending = session.pop(_PENDING_SELECT, None)
    if pending is not None:
        session[DATA_SELECT] = pending
POLICY = "eval.policy"                 # the gate policy the pages judge under
REVIEWER = "review.reviewer"           # the reviewer's name in this session
ROLE = "review.role"                   # the reviewer's role in this session
REVIEW_LAST_COL = "review.last_col"    # the column the Review page showed last
MY_JOBS = "jobs.mine"                  # ids of the jobs this session started (it may cancel them)
REVIEW_SAVED = "review.saved"          # the Review page's "Saved: ..." after a column decision
# (run id, current column decisions) a column save just read, for the rerun it asks for (once)
REVIEW_DECIDED = "review.decided"
REVIEW_PAIR_SAVED = "review.pair_saved"  # the same after a pair decision


def review_idx_key(run_id: str) -> str:
    """The key of the Review page's column index for a run, e.g. ``"review.idx.1a2b"``."""
    return f"review.idx.{run_id}"


def review_pick_key(run_id: str, idx: int) -> str:
    """The key of the Review page's column selectbox; a new index draws a new selectbox."""
    return f"review.pick.{run_id}.{idx}"


def review_seen_key(run_id: str, column: str) -> str:
    """The key of the decision id the reviewer saw on a column, e.g. ``"review.seen.1a2b.age"``."""
    return f"review.seen.{run_id}.{column}"


def review_error_key(form: str) -> str:
    """The key of the error a Review form's save gave, e.g. ``"review.error.column"``."""
    return f"review.error.{form}"


def review_history_key(run_id: str) -> str:
    """The key of the Review page's "show the history" toggle of a run."""
    return f"review.history.{run_id}"


def review_panel_key(run_id: str, column: str, panel: str) -> str:
    """The key of a Review page toggle that opens an evidence panel of a column.

    Example: ``review_panel_key("1a2b", "age", "plot")`` -> ``"review.panel.1a2b.age.plot"``.
    """
    return f"review.panel.{run_id}.{column}.{panel}"


def form_token(session: dict, key: str) -> str:
    """A token made once per form render cycle.

    A double-clicked submit sends the same token, so the store writes the decision once.
    Rotate it after a successful write.
    """
    import uuid

    token_key = f"token.{key}"
    if token_key not in session:
        session[token_key] = uuid.uuid4().hex
    return session[token_key]


def rotate_token(session: dict, key: str) -> None:
    """Forget the token so the next decision gets a new one."""
    session.pop(f"token.{key}", None)
