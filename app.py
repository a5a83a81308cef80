"""synthreview: the Streamlit entry point. Registers the pages; each page draws the sidebar.

Every page is self-sufficient (it starts with ``ui.bootstrap``), so AppTest can run a page file on
its own and a browser can open any page's URL, even as the first request to a fresh server.
"""

import streamlit as st

from ui.bootstrap import bootstrap
from ui.nav import PAGES

bootstrap("synthreview", sidebar=False)  # the page drawn below draws the sidebar

pages = [st.Page(path, title=title, icon=icon, default=(i == 0))
         for i, (_, path, title, icon) in enumerate(PAGES)]
st.navigation(pages, position="hidden").run()
