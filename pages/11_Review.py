"""Review: a domain expert judges every column (and may flag pairs), then signs off the run.

Each part is a fragment (ui.review): saving a decision reruns that part, not the page.
"""

import streamlit as st

from ui import review
from ui.auth import identity
from ui.bootstrap import bootstrap
from ui.evaluation import run_report_header
from ui.glossary import glossary_expander

store = bootstrap("Review")
st.title("Review")

shown = run_report_header(store)
who = identity()

review.column_review(store, shown, who)
if who is not None:
    with st.expander("Flag a pair of columns"):
        review.pair_form(store, shown, who)
    review.signoff_form(store, shown, who)
review.history_panel(store, shown.run.id)
glossary_expander()
