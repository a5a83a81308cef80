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
POLICY = "eval.policy"                 # the gate policy the pages judge under
REVIEWER = "review.reviewer"           # the reviewer's name in this session
ROLE = "review.role"                   # the reviewer's role in this session


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
