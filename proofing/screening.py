"""The screening level: the one rule the assessment, the residual and the what-if search screen by.

``screen(kb, negatives, facts)`` takes the negative impacts (each as its score and the groups it names) and the
facts derived for the plan, and says which level they call for and why. It weighs, in this order:

1. scale (``proportion.scale`` in rules/scoring.yaml): a large plan (an essential service, many people) has a lower
   full-assessment score; a small one (a minor change, few people, not essential) a higher material score;
2. the largest single score: none material screens the plan out, one at the full-assessment score needs a full
   assessment;
3. breadth (``proportion.breadth``): amber impacts on several characteristics, or reaching many groups while nobody
   affected has been engaged, need a full assessment although none is high on its own;
4. thin evidence (``screening.relevance_groups``): material impacts reaching many groups with little evidence.

Every step can only raise the level as impacts are added, or as the plan grows: adding an impact, an essential
service or more people never lowers it (tests/test_proportion.py holds this over every example, calibration case
and a thousand generated plans). ``level_reason`` puts the reason into words, in one place, for the assessment, the
record and the results to show.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from proofing.language import SOURCE, Translator, is_language, translator
from proofing.questionnaire import Level

if TYPE_CHECKING:
    from proofing.knowledge import KnowledgeBase

Rag = Literal["red", "amber", "green"]
Scale = Literal["small", "ordinary", "large"]
Basis = Literal[
    "no_negative",  # no negative impact at all
    "not_material",  # negatives, none material
    "small_scale",  # negatives material for an ordinary plan, not for a small one
    "material",  # material negatives, none high, not broad
    "high_score",  # one negative at the full-assessment score
    "large_scale",  # one negative at the large plan's full-assessment score, below the ordinary one
    "breadth",  # amber negatives on several characteristics
    "unheard",  # amber negatives reaching many groups, nobody affected engaged
    "thin_evidence",  # material negatives reaching many groups, thin evidence
]
BASES: tuple[Basis, ...] = (
    "no_negative",
    "not_material",
    "small_scale",
    "material",
    "high_score",
    "large_scale",
    "breadth",
    "unheard",
    "thin_evidence",
)


@dataclass(frozen=True)
class Screening:
    """A screening level and what decided it: the highest negative score, the threshold that decided the level, the
    groups that breadth, engagement or evidence counted, and the scale facts that moved the thresholds."""

    level: Level
    basis: Basis
    score: int = 0
    threshold: int = 0
    groups: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()


def scale_of(kb: KnowledgeBase, facts: Collection[str]) -> tuple[Scale, tuple[str, ...]]:
    """How large the plan is, by the facts derived for it, and the facts that make it so.

    Large when any large fact holds (an essential service, many people); small when every small fact holds (a minor
    change, few people) and no large one; ordinary otherwise, and always without ``proportion`` in scoring.yaml.
    """
    proportion = kb.scoring.proportion
    if proportion is None:
        return "ordinary", ()
    large = tuple(fact for fact in proportion.scale.large_facts if fact in facts)
    if large:
        return "large", large
    if all(fact in facts for fact in proportion.scale.small_facts):
        return "small", tuple(proportion.scale.small_facts)
    return "ordinary", ()


def thresholds(kb: KnowledgeBase, scale: Scale) -> tuple[int, int]:
    """The material score and the full-assessment score for a plan of this scale."""
    screening, proportion = kb.scoring.screening, kb.scoring.proportion
    material, full = screening.material_score, screening.full_assessment_score
    if proportion is not None and scale != "ordinary":
        moved = proportion.scale.large if scale == "large" else proportion.scale.small
        material = moved.material_score or material
        full = moved.full_assessment_score or full
    return material, full


def screen(kb: KnowledgeBase, negatives: Iterable[tuple[int, Iterable[str]]], facts: Collection[str]) -> Screening:
    """The screening level of negative findings, each as (score, the groups it names), given the facts derived for
    the plan (quality gaps never set it), and what decided it. See the module's docstring for the order.

    Thin evidence and no engagement can only raise a plan that already needs mitigating: they never screen a plan
    in on their own.
    """
    negatives = list(negatives)
    screening, proportion = kb.scoring.screening, kb.scoring.proportion
    scale, scale_facts = scale_of(kb, facts)
    material_score, full_score = thresholds(kb, scale)
    highest = max((score for score, _groups in negatives), default=0)
    material = [(score, groups) for score, groups in negatives if score >= material_score]
    if not material:
        if not negatives:
            return Screening("screened_out", "no_negative")
        if scale == "small" and highest >= screening.material_score:
            return Screening("screened_out", "small_scale", highest, material_score, facts=scale_facts)
        return Screening("screened_out", "not_material", highest, material_score)
    if highest >= full_score:
        if highest < screening.full_assessment_score:
            return Screening("full_assessment", "large_scale", highest, full_score, facts=scale_facts)
        return Screening("full_assessment", "high_score", highest, screening.full_assessment_score)
    # The groups are read only from here on, and only where they can decide the level: the what-if search passes
    # groups it works out on first reading, so a plan decided by its scores alone costs nothing more.
    order = _group_order(kb)
    if proportion is not None:
        breadth = proportion.breadth
        counted = [groups for score, groups in material if score >= breadth.score]
        unheard = breadth.unheard_fact in facts
        if counted and (len(counted) >= breadth.findings or unheard):
            reached = _ordered(order, set().union(*counted))
            characteristics = tuple(group for group in reached if group in _characteristics(kb))
            if len(characteristics) >= breadth.characteristics and len(counted) >= breadth.findings:
                return Screening("full_assessment", "breadth", highest, breadth.score, characteristics)
            if unheard and len(reached) >= breadth.unheard_groups:
                return Screening("full_assessment", "unheard", highest, breadth.score, reached)
    if screening.thin_evidence_fact in facts:
        reached = _ordered(order, set().union(*(groups for _score, groups in material)))
        if len(reached) >= screening.relevance_groups:
            return Screening("full_assessment", "thin_evidence", highest, material_score, reached)
    return Screening("mitigate", "material", highest, full_score)


def level_of_negatives(
    kb: KnowledgeBase, negatives: Iterable[tuple[int, Iterable[str]]], facts: Collection[str]
) -> Level:
    """The screening level of negative findings, each as (score, the groups it names), given the facts derived for
    the plan: the one rule the assessment, the residual and the what-if search all screen by (``screen``)."""
    return screen(kb, negatives, facts).level


def level_reason(kb: KnowledgeBase, screening: Screening, t: Translator) -> str:
    """Why the plan has its level, in words a reader understands (groups and facts by their names, never ids).

    The one place the reason is worded: the assessment keeps it (``Assessment.level_reason``) for the record, the
    results and the command line to show.
    """
    names = {c.id: c.name for c in kb.characteristics} | {c.id: c.name for c in kb.communities}
    texts = {fact.id: " ".join(fact.text.split()) for fact in kb.facts}
    groups = ", ".join(names.get(group, group) for group in screening.groups)
    facts = " ".join(texts.get(fact, fact) for fact in screening.facts)
    values = {"score": screening.score, "threshold": screening.threshold, "groups": groups, "facts": facts}
    material = kb.scoring.screening.material_score
    match screening.basis:
        case "no_negative":
            return t._("No negative impact was found.")
        case "not_material":
            return t._(
                "The highest negative impact scores {score}, below {threshold}, the score at which an impact is "
                "material.",
                **values,
            )
        case "small_scale":
            return t._(
                "{facts} For such a plan only a negative impact scoring {threshold} or more is material, and the "
                "highest here scores {score}.",
                **values,
            )
        case "material":
            return t._(
                "The highest negative impact scores {score}: material ({material} or more) but below {threshold}, the "
                "score that needs a full assessment, and the impacts are not broad enough to need one.",
                material=material,
                **values,
            )
        case "high_score":
            return t._(
                "A negative impact scores {score}, at or above {threshold}, the score that needs a full assessment.",
                **values,
            )
        case "large_scale":
            return t._(
                "{facts} For such a plan a negative impact scoring {threshold} or more needs a full assessment, and "
                "one here scores {score}.",
                **values,
            )
        case "breadth":
            return t._(
                "Negative impacts scoring {threshold} or more fall on several characteristics at once ({groups}): "
                "impacts this broad need a full assessment, although none is high enough to need one on its own.",
                **values,
            )
        case "unheard":
            return t._(
                "Negative impacts scoring {threshold} or more reach many groups ({groups}), and nobody affected has "
                "been engaged or consulted: a full assessment hears them before the decision.",
                **values,
            )
        case "thin_evidence":
            return t._(
                "Material negative impacts reach many groups ({groups}), and the evidence about who is affected is "
                "thin.",
                **values,
            )


def rag_of(kb: KnowledgeBase, score: int) -> Rag:
    """The RAG band of a score, by the thresholds in scoring.yaml."""
    if score >= kb.scoring.rag.red:
        return "red"
    return "amber" if score >= kb.scoring.rag.amber else "green"


def level_label(kb: KnowledgeBase, level: str | None) -> str:
    """A screening level in a few words ("Screened out", "Mitigate"), or "Not screened yet" when there is none.

    The rule base's level words are a sentence each; the label is their first clause.
    """
    if level is None:
        return words_of(kb)._("Not screened yet")
    return kb.scoring.level_words[level].split(".")[0]  # type: ignore[index]


def words_of(kb: KnowledgeBase) -> Translator:
    """A translator into the language the rule base speaks, for the words the assessment writes itself."""
    return translator(kb.language if is_language(kb.language) else SOURCE)


def _characteristics(kb: KnowledgeBase) -> set[str]:
    return {c.id for c in kb.characteristics}


def _group_order(kb: KnowledgeBase) -> dict[str, int]:
    ids = [c.id for c in kb.characteristics] + [c.id for c in kb.communities]
    return {group: index for index, group in enumerate(ids)}


def _ordered(order: dict[str, int], groups: set[str]) -> tuple[str, ...]:
    """Groups in the rule base's order (characteristics, then communities), so the words read the same each time."""
    return tuple(sorted(groups, key=lambda group: (order.get(group, len(order)), group)))
