"""synthreview: the Streamlit entry point. Runs before every page and declares the navigation.

Each page is self-sufficient (it starts with ``ui.bootstrap``), so AppTest can run a page file on
its own and a browser can open any page's URL.
"""

import streamlit as st

from ui.bootstrap import bootstrap

bootstrap("synthreview")

PAGES = {
    "Start": [
        st.Page("pages/0_Home.py", title="Home", icon=":material/home:", default=True),
    ],
    "Prepare": [
        st.Page("pages/1_Data.py", title="Data", icon=":material/table_view:"),
        st.Page("pages/2_Generate.py", title="Generate", icon=":material/model_training:"),
        st.Page("pages/3_Preview.py", title="Preview", icon=":material/compare:"),
    ],
    "History": [
        st.Page("pages/4_Runs.py", title="Runs", icon=":material/history:"),
    ],
}

st.navigation(PAGES).run()
