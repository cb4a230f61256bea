"""The proofing app: a thin Streamlit face over the proofing library.

Pages live in views/; they call the library and the store and hold no business logic. Whatever a page raises
that it did not foresee is logged with a short reference and shown as a plain message carrying it (see
views/common.py); Streamlit itself shows no error details (.streamlit/config.toml).
"""

from __future__ import annotations

import logging

import streamlit as st

from views.common import reported

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

st.set_page_config(page_title="Cohesion proofing", layout="wide")
navigation = st.navigation(
    [
        st.Page("views/assess.py", title="Assess a plan", default=True),
        st.Page("views/register.py", title="Register"),
        st.Page("views/rule_base.py", title="Rule base"),
    ]
)
with reported():
    navigation.run()
