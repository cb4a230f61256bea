"""The proofing app: a thin Streamlit face over the proofing library.

Until the questionnaire lands, it shows the rule base it would assess against.
"""

from __future__ import annotations

import streamlit as st

from proofing import KnowledgeBase, RuleBaseError, load_knowledge


@st.cache_resource
def knowledge() -> KnowledgeBase:
    """The rule base, loaded once per server process, never on a rerun."""
    return load_knowledge()


st.set_page_config(page_title="Cohesion proofing", layout="wide")
st.title("Cohesion proofing")
try:
    kb = knowledge()
except RuleBaseError as error:
    st.error("The rule base has faults, so plans cannot be assessed until they are corrected:")
    st.code(str(error), language=None)
    st.stop()

st.write(f"Assessing against **{kb.strategy.title}** ({kb.strategy.period}), rule base version {kb.version}.")
st.caption(kb.cohesion_proofing)
for objective in kb.objectives:
    with st.expander(f"{objective.number}. {objective.name}"):
        st.write(objective.statement)
        for outcome in kb.outcomes:
            if outcome.objective == objective.id:
                st.markdown(f"- **{outcome.id}** {outcome.text}")
