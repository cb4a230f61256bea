"""The schema of proportion in the screening level: breadth and scale (the ``proportion`` section of scoring.yaml).

The largest single score is not the whole judgement. A plan whose amber impacts fall on several characteristics,
or reach many groups none of whom has been heard, needs a full assessment though no one impact is red; a plan in an
essential service, or reaching many people, is judged more strictly; a minor change to a service that is not
essential, reaching few people, less strictly. The figures and the facts that say "essential", "many", "minor" and
"few" are data (rules/scoring.yaml, rules/facts.yaml, rules/impacts/scale.yaml); ``proofing.screening`` applies them.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from proofing.base import Slug, Strict


class BreadthRules(Strict):
    """When negative impacts are broad enough to need a full assessment although none is high on its own."""

    score: int = Field(ge=1, le=25, description="a negative impact scoring this or more counts towards breadth")
    characteristics: int = Field(ge=2, description="this many characteristics hit by such impacts is broad")
    findings: int = Field(
        ge=1, description="...when at least this many distinct impacts hit them (one impact naming many is one impact)"
    )
    unheard_fact: Slug = Field(description="the fact (facts.yaml) that says nobody affected has been engaged")
    unheard_groups: int = Field(
        ge=1, description="such impacts reaching this many groups while nobody affected has been engaged is broad"
    )


class ScaleThresholds(Strict):
    """The screening thresholds for a plan of one scale, where they differ from the ordinary ones."""

    material_score: int | None = Field(default=None, ge=1, le=25)
    full_assessment_score: int | None = Field(default=None, ge=1, le=25)


class ScaleRules(Strict):
    """How the scale of a plan (how essential the service, how many people, how large the change) moves the
    thresholds: large plans are judged more strictly, small ones less, never the other way round."""

    large_facts: list[Slug] = Field(
        min_length=1, description="any of these facts (an essential service, many people) makes a plan large"
    )
    small_facts: list[Slug] = Field(
        min_length=1, description="all of these facts (a minor change, few people), and no large one, make it small"
    )
    large: ScaleThresholds
    small: ScaleThresholds

    @model_validator(mode="after")
    def _large_and_small_differ(self) -> ScaleRules:
        both = set(self.large_facts) & set(self.small_facts)
        if both:
            raise ValueError(f"a fact cannot make a plan both large and small: {', '.join(sorted(both))}")
        return self


class ProportionRules(Strict):
    """Breadth and scale: what the screening level weighs besides the largest single score."""

    breadth: BreadthRules
    scale: ScaleRules

    def problems(self, material_score: int, full_assessment_score: int) -> list[str]:
        """What is inconsistent with the ordinary thresholds: scale may only make a large plan stricter and a small
        one less strict, and breadth counts only material impacts, so the level never falls as a plan grows.

        Examples:
            >>> rules = ProportionRules.model_validate({
            ...     "breadth": {"score": 8, "characteristics": 3, "findings": 2, "unheard_fact": "not_engaged",
            ...                 "unheard_groups": 4},
            ...     "scale": {"large_facts": ["many"], "small_facts": ["few"], "large": {"material_score": 9},
            ...               "small": {}}})
            >>> rules.problems(material_score=6, full_assessment_score=15)
            ['scale.large.material_score (9) must not be above screening.material_score (6)']
        """
        found: list[str] = []
        large, small = self.scale.large, self.scale.small
        if large.material_score is not None and large.material_score > material_score:
            found.append(
                f"scale.large.material_score ({large.material_score}) must not be above screening.material_score "
                f"({material_score})"
            )
        if large.full_assessment_score is not None and large.full_assessment_score > full_assessment_score:
            found.append(
                f"scale.large.full_assessment_score ({large.full_assessment_score}) must not be above "
                f"screening.full_assessment_score ({full_assessment_score})"
            )
        if small.material_score is not None and small.material_score < material_score:
            found.append(
                f"scale.small.material_score ({small.material_score}) must not be below screening.material_score "
                f"({material_score})"
            )
        if small.full_assessment_score is not None and small.full_assessment_score < full_assessment_score:
            found.append(
                f"scale.small.full_assessment_score ({small.full_assessment_score}) must not be below "
                f"screening.full_assessment_score ({full_assessment_score})"
            )
        for name, thresholds in (("large", large), ("small", small)):
            material = thresholds.material_score or material_score
            full = thresholds.full_assessment_score or full_assessment_score
            if material > full:
                found.append(
                    f"scale.{name}: its material score ({material}) is above its full-assessment score ({full})"
                )
        if self.breadth.score < material_score:
            found.append(
                f"breadth.score ({self.breadth.score}) must not be below screening.material_score ({material_score})"
            )
        return found
