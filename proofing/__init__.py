"""proofing: cohesion proofing of a public body's plans against its community cohesion strategy.

The library's main entry points: load a rule base, read a plan, assess it, and read the rule base out.
The Word record (``proofing.report``, ``proofing.verify``), the store (``proofing.store``) and the
calibration suite (``proofing.calibration``) are modules of their own, imported where they are used, so
that loading the library does not load python-docx or a database driver.
"""

from proofing.assessment import Assessment, Finding, Gap, assess, assess_draft, assessment_as_json
from proofing.errors import Problem, ProofingError, RuleBaseError
from proofing.knowledge import DEFAULT_RULES_DIR, KnowledgeBase, load_knowledge
from proofing.plan import Plan, PlanError, parse_plan, read_plan
from proofing.readout import describe, knowledge_as_json

__all__ = [
    "DEFAULT_RULES_DIR",
    "Assessment",
    "Finding",
    "Gap",
    "KnowledgeBase",
    "Plan",
    "PlanError",
    "Problem",
    "ProofingError",
    "RuleBaseError",
    "assess",
    "assess_draft",
    "assessment_as_json",
    "describe",
    "knowledge_as_json",
    "load_knowledge",
    "parse_plan",
    "read_plan",
]
