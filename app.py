"""The proofing app: a thin Streamlit face over the proofing library.

Pages live in views/; they call the library and the store and hold no business logic.
"""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Cohesion proofing", layout="wide")
navigation = st.navigation(
    [
        st.Page("views/assess.py", title="Assess a plan", default=True),
        st.Page("views/register.py", title="Register"),
        st.Page("views/rule_base.py", title="Rule base"),
    ]
)
navigation.run()
