"""Browse the rule base: principles, outcomes, actions with their measures and leads, and the rules citing each."""

from __future__ import annotations

import streamlit as st

from proofing.readout import describe
from views.common import _, knowledge, marked, plain, translation

kb = knowledge()

st.title(_("Rule base"))
st.caption(
    plain(
        _(
            "{strategy}, {period}. Rule base version {version}.",
            strategy=kb.strategy.title,
            period=kb.strategy.period,
            version=kb.version,
        )
    )
)
search = st.text_input(_("Search the strategy and rules")).strip().casefold()

with st.expander(_("Vision and core principles")):
    for statement in kb.vision.statements:
        st.write(f"- {statement.text}")
    st.caption(kb.vision.source)
    for principle in kb.principles.items:
        st.write(f"{principle.id[1:]}. {principle.text}")

for objective in kb.objectives:
    st.subheader(f"{objective.number}. {objective.name}")
    for outcome in (o for o in kb.outcomes if o.objective == objective.id):
        actions = kb.actions_of(outcome.id)
        text = " ".join(
            [outcome.text] + [a.text for a in actions] + [m.text or "" for a in actions for m in a.measures]
        )
        if search and search not in text.casefold() and search != outcome.id.casefold():
            continue
        with st.expander(plain(_("Outcome {number}: {text}", number=outcome.number, text=outcome.text))):
            st.text(describe(kb, outcome.id, translation()) or "")
            for action in actions:
                st.text(describe(kb, action.id, translation()) or "")
                rules = sorted({rule.title for rule in kb.rules_citing(action.id)})
                if rules:
                    st.markdown(_("Rules whose mitigations draw on this action:"))
                    for title in rules:
                        st.write(f"- {marked(title)}")

st.subheader(_("Impact rules"))
for rule in kb.rules:
    if rule.finding and (not search or search in (rule.title + rule.finding.rationale).casefold()):
        with st.expander(marked(rule.title)):
            st.text(describe(kb, rule.id, translation()) or "")
