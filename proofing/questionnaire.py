"""The questionnaire a service manager answers, and the impact rules that read the answers.

Both are YAML in rules/ (questionnaire.yaml, facts.yaml, scoring.yaml, impacts/*.yaml); these are
their schemas. The knowledge loader validates them and checks every reference.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from proofing.conditions import Condition

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
AnswerType = Literal["yes_no", "one_of", "many_of", "number", "text"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- the questionnaire ----------------------------------------------------------------------------


class Option(Record):
    """One choice of a one-of or many-of question."""

    id: Slug
    label: Text


class Question(Record):
    """A question of the questionnaire."""

    id: Slug
    text: Text
    help: Text | None = None
    type: AnswerType
    required: bool = False
    options: list[Option] = []
    options_from: Literal["communities", "characteristics"] | None = None
    show_if: Condition | None = None
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _options_fit_the_type(self) -> Question:
        has_options = bool(self.options) or self.options_from is not None
        if self.type in ("one_of", "many_of") and not has_options:
            raise ValueError(f"question {self.id} is {self.type} but has no options (or options_from)")
        if self.type not in ("one_of", "many_of") and has_options:
            raise ValueError(f"question {self.id} is {self.type} and cannot have options")
        if self.options and self.options_from:
            raise ValueError(f"question {self.id} has both options and options_from; give one")
        if (self.min is not None or self.max is not None) and self.type != "number":
            raise ValueError(f"question {self.id} is {self.type}; only number questions take min and max")
        return self

    def label_of(self, option_id: str) -> str:
        """The words shown for an option id."""
        return next((option.label for option in self.options if option.id == option_id), option_id)


class Section(Record):
    """A page of the questionnaire."""

    id: Slug
    title: Text
    intro: Text | None = None
    questions: list[Question] = Field(min_length=1)


class QuestionnaireInfo(Record):
    title: Text
    intro: Text


class QuestionnaireFile(Record):
    questionnaire: QuestionnaireInfo
    sections: list[Section] = Field(min_length=1)


class Questionnaire(Record):
    """The questionnaire with options_from resolved from the knowledge base."""

    title: str
    intro: str
    sections: list[Section]

    @property
    def questions(self) -> list[Question]:
        """Every question, in the order asked."""
        return [question for section in self.sections for question in section.questions]

    def question(self, question_id: str) -> Question | None:
        """The question with this id, or None."""
        return next((q for q in self.questions if q.id == question_id), None)


# --- the impact rules -----------------------------------------------------------------------------


class Mitigation(Record):
    """A mitigation (for a negative finding) or a way to maximise (for a positive one), tied to actions."""

    text: Text
    actions: list[Annotated[str, StringConstraints(pattern=r"^(\d{1,2}\.\d{1,2}|MW\d{1,2})$")]] = Field(min_length=1)


class FindingTemplate(Record):
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
    rationale: Text
    mitigations: list[Mitigation] = Field(min_length=1)


class RuleCase(Record):
    """A worked example beside a rule: these answers make the rule fire, or not."""

    name: Text
    answers: dict[str, Any]
    fires: bool


class ImpactRule(Record):
    """An impact rule: a condition over answers and derived facts, and either a finding or a derived fact."""

    id: Slug
    title: Text
    when: Condition
    derives: Slug | None = None
    finding: FindingTemplate | None = None
    cases: list[RuleCase] = []

    @model_validator(mode="after")
    def _finding_or_fact(self) -> ImpactRule:
        if (self.derives is None) == (self.finding is None):
            raise ValueError(f"rule {self.id} needs exactly one of 'finding' or 'derives'")
        return self


class ImpactRulesFile(Record):
    rules: list[ImpactRule] = Field(min_length=1)


class Fact(Record):
    """An intermediate conclusion that derivation rules reach and other rules read."""

    id: Slug
    text: Text


class FactsFile(Record):
    facts: list[Fact]


class RagBands(Record):
    """Score (likelihood x severity) at or above which a finding is red, or amber."""

    red: int = Field(ge=1, le=25)
    amber: int = Field(ge=1, le=25)


class ScreeningRules(Record):
    """When a plan is screened out, needs mitigation, or needs a full assessment."""

    full_assessment_score: int = Field(ge=1, le=25, description="a negative finding scoring this or more")
    relevance_groups: int = Field(ge=1, description="negatives reaching this many groups make a plan highly relevant")
    material_score: int = Field(ge=1, le=25, description="negatives below this score are not material")


class GapRules(Record):
    """Thresholds of the quality gaps reported alongside the findings."""

    intersectional_characteristics: int = Field(ge=2)


class ScoringFile(Record):
    rag: RagBands
    screening: ScreeningRules
    gaps: GapRules
    level_words: dict[Literal["screened_out", "mitigate", "full_assessment"], Text]
    decision_words: dict[Literal["screened_out", "mitigate", "full_assessment"], Text]


def resolve_options(file: QuestionnaireFile, choices: dict[str, list[Option]]) -> Questionnaire:
    """The questionnaire with each `options_from` replaced by the knowledge base's items."""
    sections = []
    for section in file.sections:
        questions = [
            question.model_copy(update={"options": choices[question.options_from], "options_from": None})
            if question.options_from
            else question
            for question in section.questions
        ]
        sections.append(section.model_copy(update={"questions": questions}))
    return Questionnaire(title=file.questionnaire.title, intro=file.questionnaire.intro, sections=sections)
