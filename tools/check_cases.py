"""Run every impact rule's YAML cases through the reference evaluator and list the ones that disagree.

Usage: .venv/bin/python tools/check_cases.py [RULES_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

from proofing.errors import RuleBaseError
from proofing.knowledge import DEFAULT_RULES_DIR, load_knowledge
from proofing.oracle import case_fires
from proofing.plan import check_answers


def main() -> int:
    rules_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_RULES_DIR
    try:
        kb = load_knowledge(rules_dir, check_coverage=False)
    except RuleBaseError as error:
        print(error)
        return 1
    failures = 0
    for rule in kb.rules:
        for case in rule.cases:
            answers = check_answers(kb.questionnaire, case.answers, complete=False).answers
            if case_fires(kb.rules, rule, answers) != case.fires:
                failures += 1
                print(f"{rule.id}: case '{case.name}' should {'fire' if case.fires else 'not fire'}")
    print(f"{len(kb.rules)} rules, {sum(len(r.cases) for r in kb.rules)} cases, {failures} disagree")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
