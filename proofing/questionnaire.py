"""The questionnaire a service manager answers, and the impact rules that read the answers.

Both are YAML in rules/ (questionnaire.yaml, facts.yaml, scoring.yaml, impacts/*.yaml); these are
their schemas. The knowledge loader validates them and checks every reference.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from proofing.answer_types import NONE_OF_THESE, NOT_A_CHOICE, AnswerType, answer_type
from proofing.base import ItemId, Slug, Strict, Text
from proofing.conditions import Condition
from proofing.proportion import ProportionRules

Level = Literal["screened_out", "mitigate", "full_assessment"]
LEVELS: tuple[Level, ...] = ("screened_out", "mitigate", "full_assessment")  # in order of seriousness


# --- the questionnaire ----------------------------------------------------------------------------


class Implies(Strict):
    """The groups an answer implies are affected, whether or not the plan names them.

    "Limited English: yes" implies people with limited English; a Gypsy and Traveller site implies
    Gypsies and Travellers. A finding names such a group because that answer is one of its reasons.
    """

    characteristics: list[Slug] = []
    communities: list[Slug] = []


class Option(Strict):
    """One choice of a one-of or many-of question."""

    id: Slug
    label: Text
    help: Text | None = Field(
        default=None, description="when to choose it, in a sentence (shown beside the option where it is drawn)"
    )
    implies: Implies | None = None
    other_names: list[Text] = Field(
        default=[], description="other names it is known by (a place's Welsh name), matched in words a plan once wrote"
    )
    replaces: list[bool | str] = Field(
        default=[],
        description="answers an earlier questionnaire gave that this option now stands for (a yes/no question widened "
        "to choices), so plans and saved assessments written before still read as they meant",
    )
    includes: list[Slug] = Field(
        default=[],
        description="other options of the same question that choosing this one counts as choosing (an area's wards)",
    )


class Question(Strict):
    """A question of the questionnaire."""

    id: Slug
    text: Text
    help: Text | None = None
    type: AnswerType
    required: bool = False
    options: list[Option] = []
    options_from: Literal["communities", "characteristics", "places"] | None = None
    options_source: Literal["communities", "characteristics", "places"] | None = Field(
        default=None,
        description="set by the loader, never in YAML: where the resolved options came from (places: an old text "
        "answer is matched to them by name)",
    )
    show_if: Condition | None = None
    min: float | None = None
    max: float | None = None
    implies: Implies | None = Field(default=None, description="for a yes/no question: implied by a yes")
    unanswered: Literal["gap"] | None = Field(
        default=None, description="'gap': when shown and not answered, the assessment reports it as a gap"
    )
    unanswered_gap: Text | None = Field(default=None, description="the gap's words when it is not answered")
    process: bool = Field(
        default=False,
        description="a question about how the plan was prepared (evidence, engagement, monitoring): its "
        "answers lead to quality gaps, never to impacts",
    )
    changeable: bool = Field(
        default=False,
        description="an answer the plan itself decides (what it keeps, offers or does), which 'what would change "
        "the level' may suggest changing; facts about the people or place affected are never changeable",
    )
    replaces: list[Slug] = Field(
        default=[],
        description="questions an earlier questionnaire asked that this one now asks instead (the review date once "
        "asked as months and as a date): a plan that answered one still loads, its answer read as this question's "
        "when it fits, else set aside with a warning saying what to answer",
    )

    @model_validator(mode="after")
    def _options_fit_the_type(self) -> Question:
        has_options = bool(self.options) or self.options_from is not None
        kind = answer_type(self.type)
        if kind.has_options and not has_options:
            raise ValueError(f"question {self.id} is {self.type} but has no options (or options_from)")
        if not kind.has_options and has_options:
            raise ValueError(f"question {self.id} is {self.type} and cannot have options")
        if self.options and self.options_from:
            raise ValueError(f"question {self.id} has both options and options_from; give one")
        if self.options_source is not None and self.options_from is not None:
            raise ValueError(f"question {self.id}: options_source is set by the loader; write options_from")
        if (self.min is not None or self.max is not None) and not kind.has_range:
            raise ValueError(f"question {self.id} is {self.type}; only number questions take min and max")
        if self.implies is not None and not kind.implies_itself:
            raise ValueError(f"question {self.id} is {self.type}; only a yes/no question implies groups itself")
        if self.unanswered == "gap" and self.required:
            raise ValueError(f"question {self.id} is required, so it cannot also be reported as unanswered")
        if (self.unanswered == "gap") != (self.unanswered_gap is not None):
            raise ValueError(f"question {self.id}: give 'unanswered: gap' and 'unanswered_gap' together")
        return self

    def label_of(self, option_id: str) -> str:
        """The words shown for an option id."""
        return next((option.label for option in self.options if option.id == option_id), option_id)

    def excludes_others(self) -> bool:
        """Whether one of its options stands alone ("None of these", "Not known"), so choosing all is never right.

        Examples:
            >>> Question(id="q", text="Q?", type="many_of", options=[Option(id="a", label="A"),
            ...     Option(id="none", label="None of these")]).excludes_others()
            True
        """
        return any(option.id == NONE_OF_THESE or option.id in NOT_A_CHOICE for option in self.options)

    def options_without_help(self) -> list[str]:
        """The ids of the options written in the questionnaire that do not say when to choose them.

        Options taken from the knowledge base (``options_from``: communities, characteristics, places) are described
        there, so only a question's own options are counted.

        Examples:
            >>> Question(id="q", text="Q?", type="one_of", options=[Option(id="a", label="A", help="When A."),
            ...     Option(id="b", label="B")]).options_without_help()
            ['b']
        """
        if self.options_source is not None or self.options_from is not None:
            return []
        return [option.id for option in self.options if option.help is None]


class Section(Strict):
    """A page of the questionnaire."""

    id: Slug
    title: Text
    intro: Text | None = None
    show_if: Condition | None = Field(default=None, description="the whole section is asked only when this holds")
    questions: list[Question] = Field(min_length=1)


class QuestionnaireInfo(Strict):
    title: Text
    intro: Text


class QuestionRoles(Strict):
    """The questions the program itself reads, named by what it reads them for.

    Python never names a question id: it asks the questionnaire which question plays each role, and
    `proofing rules check` checks that each role's question exists and has the right type.
    """

    named_characteristics: Slug = Field(description="many-of over the characteristics: the groups the plan names")
    named_communities: Slug = Field(description="many-of over the communities: the communities the plan names")
    engagement: Slug = Field(description="one-of: whether the people affected have been engaged")
    engagement_under_way: list[Slug] = Field(min_length=1, description="the engagement options that count as under way")
    engaged_communities: Slug = Field(description="many-of over the communities: who was or will be engaged")
    evidence_gaps: Slug = Field(description="text: what is not yet known about the people affected")
    monitoring: Slug = Field(description="yes/no: whether the effect will be monitored")
    monitoring_by_group: Slug = Field(description="yes/no: whether the monitoring is broken down by group")
    review_months: Slug = Field(description="number: in how many months the plan will be reviewed")
    review_date: Slug | None = Field(
        default=None,
        description="date: the date the plan will be reviewed, for a questionnaire that asks a date instead of "
        "review_months (ask one of the two: the approver's sign-off starts from it)",
    )
    wards: Slug | None = Field(default=None, description="places: the wards the plan applies in (cumulative view)")
    plan_date: Slug | None = Field(
        default=None, description="date: when the plan happens (cumulative view); none: dated by when it was saved"
    )
    baseline_by_group: Slug | None = Field(
        default=None,
        description="one-of: whether the plan had figures on who uses the service by group at assessment (the report "
        "card's baseline; `proofing rules check` faults a rule base without it)",
    )
    baseline_by_group_given: list[Slug] = Field(
        default=[], description="the options of baseline_by_group that count as figures by group given"
    )
    baseline: Slug | None = Field(
        default=None,
        description="text: the evidence described at assessment, the baseline a review's monitoring is read against "
        "(report card; `proofing rules check` faults a rule base without it)",
    )


class QuestionnaireFile(Strict):
    questionnaire: QuestionnaireInfo
    roles: QuestionRoles
    sections: list[Section] = Field(min_length=1)

    @model_validator(mode="after")
    def _replaced_questions_are_gone(self) -> QuestionnaireFile:
        questions = [question for section in self.sections for question in section.questions]
        ids = {question.id for question in questions}
        for question in questions:
            for old in question.replaces:
                if old in ids:
                    raise ValueError(f"question {question.id} replaces {old}, which the questionnaire still asks")
                if sum(old in other.replaces for other in questions) > 1:
                    raise ValueError(f"{old} is replaced by more than one question; name one")
        return self


class Questionnaire(Strict):
    """The questionnaire with options_from resolved from the knowledge base."""

    title: str
    intro: str
    roles: QuestionRoles
    sections: list[Section]

    @property
    def questions(self) -> list[Question]:
        """Every question, in the order asked."""
        return [question for section in self.sections for question in section.questions]

    def question(self, question_id: str) -> Question | None:
        """The question with this id, or None."""
        return next((q for q in self.questions if q.id == question_id), None)

    def replaced(self) -> dict[str, Question]:
        """The ids of questions an earlier questionnaire asked, each with the question that asks it now."""
        return {old: question for question in self.questions for old in question.replaces}

    def shown_conditions(self) -> list[tuple[Question, list[Condition]]]:
        """Each question with the conditions (its section's, then its own) that must hold for it to be asked."""
        return [
            (question, [c for c in (section.show_if, question.show_if) if c is not None])
            for section in self.sections
            for question in section.questions
        ]


# --- the impact rules -----------------------------------------------------------------------------


class Effect(Strict):
    """What a mitigation, once in place, does to its finding: it lowers the likelihood or the severity, by a number
    of steps or to a value, for a stated reason (the residual impact is scored from it)."""

    lowers: Literal["likelihood", "severity"]
    by: int | None = Field(default=None, ge=1, le=4, description="steps down the 1-5 scale")
    to: int | None = Field(default=None, ge=1, le=5, description="the value it lowers to (never raises)")
    reason: Text

    @model_validator(mode="after")
    def _by_or_to(self) -> Effect:
        if (self.by is None) == (self.to is None):
            raise ValueError("an effect lowers 'by' a number of steps or 'to' a value: give exactly one")
        return self


class Mitigation(Strict):
    """A mitigation (for a negative finding) or a way to maximise (for a positive one), tied to actions.

    `when` chooses wording by the plan's answers: a mitigation with a condition is offered only to plans
    for which it holds (a day-centre sentence is never offered to a library). `effect` is what it does to the
    finding once in place (rules check requires one on every mitigation of a negative finding).
    """

    text: Text
    actions: list[ItemId] = Field(min_length=1)
    when: Condition | None = None
    effect: Effect | None = None


class FindingTemplate(Strict):
    """What a rule concludes about a plan when its condition holds."""

    direction: Literal["negative", "positive"]
    likelihood: int = Field(ge=1, le=5)
    severity: int = Field(ge=1, le=5)
    characteristics: list[Slug] = []
    communities: list[Slug] = []
    psed_aims: list[Slug] = Field(min_length=1)
    indicators: list[str] = []
    principles: list[str] = []
    vision: list[str] = []
    outcomes: list[str] = []
    outcomes_2011: list[str] = Field(default=[], description="outcomes of the 2011-14 strategy (strategy_2011.yaml)")
    rationale: Text
    mitigations: list[Mitigation] = Field(min_length=1)


class GapTemplate(Strict):
    """A weakness in how the plan was prepared (evidence, engagement, monitoring, procurement): a quality gap.

    Gaps never set the screening level; they say what the assessment still needs and which action remedies it.
    """

    severity: Literal["high", "medium", "low"]
    message: Text
    remedies: list[Mitigation] = Field(min_length=1)


class RuleCase(Strict):
    """A worked example beside a rule: these answers make the rule fire, or not."""

    name: Text
    answers: dict[str, Any]
    fires: bool


class ImpactRule(Strict):
    """A rule: a condition over answers and derived facts, and one of a finding, a quality gap or a derived fact.

    `covers` names findings this one consolidates: when both fire, the plan reads one finding, with the
    reasons, groups and mitigations of both (no interpreting, no translation and phone-only contact for the
    same people are one impact, not three).
    """

    id: Slug
    title: Text
    when: Condition
    derives: Slug | None = None
    finding: FindingTemplate | None = None
    gap: GapTemplate | None = None
    covers: list[Slug] = []
    cases: list[RuleCase] = []

    @model_validator(mode="after")
    def _finding_or_fact(self) -> ImpactRule:
        if [self.derives is not None, self.finding is not None, self.gap is not None].count(True) != 1:
            raise ValueError(f"rule {self.id} needs exactly one of 'finding', 'gap' or 'derives'")
        if self.covers and self.finding is None:
            raise ValueError(f"rule {self.id}: only a finding can cover other findings")
        return self


class ImpactRulesFile(Strict):
    rules: list[ImpactRule] = Field(min_length=1)


class Fact(Strict):
    """An intermediate conclusion that derivation rules reach and other rules read."""

    id: Slug
    text: Text


class FactsFile(Strict):
    facts: list[Fact]


class RagBands(Strict):
    """Score (likelihood x severity) at or above which a finding is red, or amber."""

    red: int = Field(ge=1, le=25)
    amber: int = Field(ge=1, le=25)

    @model_validator(mode="after")
    def _red_above_amber(self) -> RagBands:
        if self.red <= self.amber:
            raise ValueError(f"red ({self.red}) must be above amber ({self.amber})")
        return self


class ScreeningRules(Strict):
    """When a plan is screened out, needs mitigation, or needs a full assessment."""

    full_assessment_score: int = Field(ge=1, le=25, description="a negative finding scoring this or more")
    relevance_groups: int = Field(ge=1, description="negatives reaching this many groups make a plan highly relevant")
    material_score: int = Field(ge=1, le=25, description="negatives below this score are not material")
    thin_evidence_fact: Slug = Field(description="the fact that says the evidence about who is affected is thin")

    @model_validator(mode="after")
    def _thresholds_in_order(self) -> ScreeningRules:
        if self.material_score > self.full_assessment_score:
            raise ValueError("material_score must not be above full_assessment_score")
        return self


class GapRules(Strict):
    """Thresholds of the quality gaps reported alongside the findings."""

    intersectional_characteristics: int = Field(ge=2)


class ScoringFile(Strict):
    rag: RagBands
    screening: ScreeningRules
    proportion: ProportionRules | None = Field(
        default=None, description="breadth and scale (proofing.proportion); without it, the largest score decides"
    )
    gaps: GapRules
    level_words: dict[Level, Text]
    decision_words: dict[Level, Text]

    @field_validator("proportion")
    @classmethod
    def _proportion_fits_the_thresholds(
        cls, value: ProportionRules | None, info: ValidationInfo
    ) -> ProportionRules | None:
        screening = info.data.get("screening")
        if value is not None and isinstance(screening, ScreeningRules):
            problems = value.problems(screening.material_score, screening.full_assessment_score)
            if problems:
                raise ValueError("; ".join(problems))
        return value


def resolve_options(file: QuestionnaireFile, choices: dict[str, list[Option]]) -> Questionnaire:
    """The questionnaire with each `options_from` replaced by the knowledge base's items."""
    sections = []
    for section in file.sections:
        questions = [
            question.model_copy(
                update={
                    "options": choices[question.options_from],
                    "options_from": None,
                    "options_source": question.options_from,
                }
            )
            if question.options_from
            else question
            for question in section.questions
        ]
        sections.append(section.model_copy(update={"questions": questions}))
    return Questionnaire(
        title=file.questionnaire.title, intro=file.questionnaire.intro, roles=file.roles, sections=sections
    )
