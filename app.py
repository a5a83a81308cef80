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
        st.Page("pages/13_Demo.py", title="Demo", icon=":material/slideshow:"),
    ],
    "Prepare": [
        st.Page("pages/1_Data.py", title="Data", icon=":material/table_view:"),
        st.Page("pages/2_Generate.py", title="Generate", icon=":material/model_training:"),
        st.Page("pages/3_Preview.py", title="Preview", icon=":material/compare:"),
    ],
    "Evaluate": [
        st.Page("pages/5_Overview.py", title="Overview", icon=":material/dashboard:"),
        st.Page("pages/6_Fidelity.py", title="Fidelity", icon=":material/query_stats:"),
        st.Page("pages/7_Utility.py", title="Utility", icon=":material/model_training:"),
        st.Page("pages/8_Privacy.py", title="Privacy", icon=":material/shield:"),
        st.Page("pages/9_Fairness.py", title="Fairness", icon=":material/balance:"),
        st.Page("pages/10_Compare.py", title="Compare", icon=":material/leaderboard:"),
    ],
    "Decide": [
        st.Page("pages/11_Review.py", title="Review", icon=":material/rate_review:"),
        st.Page("pages/12_Report.py", title="Report", icon=":material/ios_share:"),
    ],
    "History": [
        st.Page("pages/4_Runs.py", title="Runs", icon=":material/history:"),
    ],
}

st.navigation(PAGES).run()
