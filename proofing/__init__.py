"""proofing: cohesion proofing of a public body's plans against its community cohesion strategy.

The library's public face; the Streamlit app and the command line call only what is listed here.
"""

from proofing.errors import Problem, ProofingError, RuleBaseError
from proofing.knowledge import (
    DEFAULT_RULES_DIR,
    KnowledgeBase,
    describe,
    knowledge_as_json,
    load_knowledge,
)

__all__ = [
    "DEFAULT_RULES_DIR",
    "KnowledgeBase",
    "Problem",
    "ProofingError",
    "RuleBaseError",
    "describe",
    "knowledge_as_json",
    "load_knowledge",
]
