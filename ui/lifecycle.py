"""The delete and purge panels of the Data and Runs pages, and the deletions log.

Who may delete follows the Review page: with sign-in configured the role comes from the sign-in
mapping, otherwise from the name and role the person types (self-declared, see README); only
the role ``reviewer`` may delete or purge (``core.lifecycle.CAN_DELETE``). Every action needs the
dataset's name (or the run id) typed again and a reason.
"""

from __future__ import annotations

import json

import streamlit as st

from core.datasets import list_datasets
from core.errors import UserInputError
from core.lifecycle import delete_dataset, delete_run, list_deletions, purge_real
from core.store import Store
from core.store.datasets import DatasetInfo
from core.store.runs import RunInfo
from ui import state
from ui.auth import identity
from ui.text import show_error

RULE = (
    "Only the role 'reviewer' may delete or purge. Deleting removes the dataset's real rows, "
    "runs, synthetic rows, reports and review decisions; purging removes only the real and "
    "holdout rows and keeps the runs, reports, decisions and sign-off. Either way the database "
    "file is rewritten and its backups are replaced, so the removed rows leave the disk file; "
    "the deletions log on the Runs page keeps who, when, why and how many rows (never the data)."
)


def _after_removal(message: str) -> None:
    st.cache_data.clear()  # cached frames may hold the removed rows
    st.session_state[state.FLASH] = message
    st.rerun()


def dataset_panel(store: Store, info: DatasetInfo, purged: bool) -> None:
    """Delete the dataset, or purge its real rows, after the name is typed again."""
    with st.expander("Delete this dataset or purge its real rows", icon=":material/delete:"):
        st.caption(RULE)
        who = identity()
        if who is None:
            return
        name, role = who
        typed = st.text_input(f"Type the dataset's name to confirm: {info.name}",
                              key=f"life.ds.confirm.{info.id}")
        reason = st.text_input("Reason (recorded)", key=f"life.ds.reason.{info.id}")
        force = st.checkbox("Purge even though no run is signed off as approved (recorded)",
                            key=f"life.ds.force.{info.id}", disabled=purged)
        c1, c2 = st.columns(2)
        purge = c1.button("Purge the real rows", key="life.ds.purge", disabled=purged,
                          icon=":material/mop:")
        delete = c2.button("Delete the dataset", key="life.ds.delete", type="primary",
                           icon=":material/delete_forever:")
        if not (purge or delete):
            return
        try:
            if purge:
                entry = purge_real(store, info.id, reason=reason, who=name, role=role,
                                   force=force, confirm=typed)
            else:
                entry = delete_dataset(store, info.id, reason=reason, who=name, role=role,
                                       confirm=typed)
        except UserInputError as exc:
            show_error(exc)
            return
        if delete:
            rest = list_datasets(store)
            if rest:
                state.select_dataset(st.session_state, rest[0].id)
            else:
                st.session_state[state.DATASET_ID] = None
                st.session_state[state.RUN_ID] = None
        verb = "Purged the real rows of" if purge else "Deleted"
        _after_removal(f"{verb} dataset '{entry.target_name}' ({entry.real_rows:,} real rows, "
                       f"{entry.synthetic_rows:,} synthetic rows); the database file was "
                       "rewritten and its backups replaced.")


def run_panel(store: Store, runs: list[RunInfo]) -> None:
    """Delete one run (its synthetic rows, reports and decisions) after its id is typed again."""
    with st.expander("Delete a run", icon=":material/delete:"):
        st.caption(RULE)
        by_id = {r.id: r for r in runs}
        pick = st.selectbox("Run", list(by_id), key="life.run.pick",
                            format_func=lambda i: f"{i} · {by_id[i].generator} · "
                            f"{by_id[i].dataset_name}")
        who = identity()
        if who is None:
            return
        name, role = who
        typed = st.text_input(f"Type the run id to confirm: {pick}", key="life.run.confirm")
        reason = st.text_input("Reason (recorded)", key="life.run.reason")
        if not st.button("Delete the run", key="life.run.delete", type="primary",
                         icon=":material/delete_forever:"):
            return
        try:
            entry = delete_run(store, pick, reason=reason, who=name, role=role, confirm=typed)
        except UserInputError as exc:
            show_error(exc)
            return
        if st.session_state.get(state.RUN_ID) == pick:
            st.session_state[state.RUN_ID] = None
        _after_removal(f"Deleted run {entry.target_id} ({entry.synthetic_rows:,} synthetic "
                       "rows); the database file was rewritten and its backups replaced.")


def deletions_log(store: Store) -> None:
    """The audit log of every delete and purge, newest first."""
    st.subheader("Deletions")
    entries = list_deletions(store)
    if not entries:
        st.caption("Nothing was deleted or purged yet.")
        return
    st.dataframe(
        [{"#": d.id, "when (UTC)": d.created_at, "kind": d.kind, "id": d.target_id,
          "name": d.target_name, "real rows": d.real_rows, "synthetic rows": d.synthetic_rows,
          "rows per table": json.dumps(d.counts, sort_keys=True), "who": d.who, "role": d.role,
          "reason": d.reason, "forced": d.forced,
          "erased from disk (UTC)": d.erased_at} for d in entries],
        hide_index=True, width="stretch", key="life.log",
    )
