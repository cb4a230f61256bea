"""The corpus: real published equality impact assessments, answered as their managers would, checked against the rules.

The calibration cases (``proofing.calibration``) are plans written for this rule base. The corpus is the wider
measure: assessments that UK public bodies published, each turned into a plan by answering the questionnaire as
its manager honestly would, with what the body concluded beside it (its level, and the characteristics it judged
negatively affected). ``calibrate_corpus`` assesses every case under the duties of the body's own nation and says
where the rules agree with the body, where they are stricter and where laxer, and how well the characteristics
they name as negatively affected match the body's (precision and recall).

A published assessment can be wrong. A case whose conclusion we judge unsound (``sound: false``, with a reason) is
left out of the level agreement; every other disagreement carries a one-line reason in the case file saying who is
right and why (``disagreement``). ``answerer_agreement`` compares two people's answers to the same plans, question
by question, the way survey designers check that a question means one thing to everyone.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from proofing.answer_types import answer_type
from proofing.assessment import Assessment, assess
from proofing.duties import asked_answers, for_nation
from proofing.errors import ProofingError
from proofing.knowledge import KnowledgeBase
from proofing.plan import Plan, PlanError
from proofing.questionnaire import Level, Questionnaire

DEFAULT_CORPUS_DIR = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "cases"
LEVELS: tuple[Level, ...] = ("screened_out", "mitigate", "full_assessment")
Nation = Literal["england", "wales", "scotland", "northern_ireland"]
# A number two answerers give is the same answer when the larger is within this share of the smaller (people
# affected, months to review): estimates of one fact rarely match to the unit.
NUMBER_TOLERANCE = 0.25


class CorpusError(ProofingError):
    """A corpus case file that cannot be read: its file and what is wrong, in words."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    """Where the published assessment is and whose it is."""

    url: str
    body: str = Field(min_length=2)
    nation: Nation
    duties: list[str] | None = Field(
        default=None,
        description="the duties the body works under, when it chose an optional one (the socio-economic duty in "
        "England); left out, its nation's defaults",
    )
    kind: str = Field(description="the kind of service, e.g. libraries, waste, recruitment_hr")
    document: str = Field(default="screening", description="screening, full_eia, integrated_impact_assessment...")
    seen: str = Field(description="what the stored copy showed that the conclusion was read from")


class BodyConclusion(Strict):
    """What the body concluded, and whether we judge that conclusion sound."""

    level: Level
    negative: list[str] = []
    positive: list[str] = []
    words: str = ""
    groups_seen: bool = Field(
        default=True,
        description="whether the body's judgement per characteristic could be seen (false: only its level, as in "
        "a table of screening decisions); such a case counts for the level, not for the negatives named",
    )
    sound: bool = True
    sound_reason: str | None = None


class Disagreement(Strict):
    """Why the rules and the body differ on a case, and who is right."""

    right: Literal["tool", "body", "both"] = Field(description="whose level an officer would accept")
    reason: str = Field(min_length=10)


class CorpusCase(Strict):
    """One real assessment: where it is, the plan as its manager would answer, and what the body concluded."""

    case: str
    source: Source
    proposal: str
    body_concluded: BodyConclusion
    answers_gaps: str | None = None
    plan: Plan
    disagreement: Disagreement | None = None


class CaseOutcome(BaseModel):
    """How one case fared: the two levels, the negatives each named, and any problem assessing it."""

    case: str
    body: str
    nation: Nation
    duties: list[str] | None = Field(
        default=None,
        description="the duties the body works under, when it chose an optional one (the socio-economic duty in "
        "England); left out, its nation's defaults",
    )
    kind: str
    sound: bool
    groups_seen: bool
    body_level: Level
    tool_level: Level | None
    body_negative: list[str]
    tool_negative: list[str]
    problem: str | None = None
    disagreement: Disagreement | None = None

    @property
    def agrees(self) -> bool:
        """The rules reached the body's level."""
        return self.tool_level == self.body_level

    @property
    def direction(self) -> Literal["agrees", "stricter", "laxer", "unusable"]:
        """Whether the rules are stricter or laxer than the body on this case."""
        if self.tool_level is None:
            return "unusable"
        if self.agrees:
            return "agrees"
        return "stricter" if LEVELS.index(self.tool_level) > LEVELS.index(self.body_level) else "laxer"


class CharacteristicAgreement(BaseModel):
    """For one characteristic: how often the body and the rules named it as negatively affected."""

    characteristic: str
    body: int
    tool: int
    both: int


class CorpusReport(BaseModel):
    """The corpus's figures: agreement on the level, where the rules differ, and the negatives named."""

    outcomes: list[CaseOutcome]
    cases: int
    bodies: int
    nations: dict[str, int]
    sound_cases: int
    level_agreement: float = Field(description="share of the sound cases whose level the rules reached (0-1)")
    confusion: dict[str, dict[str, int]] = Field(description="body's level -> the rules' level -> cases")
    stricter: int
    laxer: int
    unreasoned: list[str] = Field(description="cases where the levels differ and the file gives no reason")
    precision: float
    recall: float
    per_characteristic: list[CharacteristicAgreement]

    def as_json(self) -> dict[str, Any]:
        """The figures as one JSON object (`proofing calibrate --corpus --json`)."""
        data = self.model_dump(mode="json", exclude={"outcomes"})
        data["outcomes"] = [
            {**outcome.model_dump(mode="json"), "direction": outcome.direction} for outcome in self.outcomes
        ]
        return data


def read_corpus_case(path: Path) -> CorpusCase:
    """One case file, checked; raises CorpusError naming the file and the fault."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise CorpusError(path, f"cannot be read as YAML ({error})") from error
    try:
        case = CorpusCase.model_validate(data)
    except ValidationError as error:
        faults = "; ".join(
            f"{'.'.join(str(part) for part in fault['loc'])}: {fault['msg']}" for fault in error.errors()
        )
        raise CorpusError(path, faults) from error
    if case.case != path.stem:
        raise CorpusError(path, f"its case id '{case.case}' is not its file name")
    if not case.body_concluded.sound and not case.body_concluded.sound_reason:
        raise CorpusError(path, "a conclusion judged unsound needs its reason (sound_reason)")
    return case


def read_corpus(folder: Path) -> list[CorpusCase]:
    """Every case in a folder, in file-name order."""
    return [read_corpus_case(path) for path in sorted(folder.glob("*.yaml"))]


def rule_base_for_nation(kb: KnowledgeBase, nation: str, duties: list[str] | None = None) -> KnowledgeBase:
    """The rule base as it applies to a body in `nation`: only the duties in force there are asked and shown."""
    return for_nation(kb, nation, duties)


def negatives_named(kb: KnowledgeBase, assessment: Assessment) -> list[str]:
    """The characteristics the rules name as negatively affected: those of the material negative findings."""
    material = kb.scoring.screening.material_score
    named = {
        characteristic
        for finding in assessment.findings
        if finding.direction == "negative" and finding.score >= material
        for characteristic in finding.characteristics
    }
    return sorted(named)


def check_corpus_case(kb: KnowledgeBase, case: CorpusCase) -> CaseOutcome:
    """Assess one case under its nation's duties and set its outcome beside the body's conclusion."""
    concluded = case.body_concluded
    outcome = {
        "case": case.case,
        "body": case.source.body,
        "nation": case.source.nation,
        "kind": case.source.kind,
        "sound": concluded.sound,
        "groups_seen": concluded.groups_seen,
        "body_level": concluded.level,
        "body_negative": sorted(set(concluded.negative)),
        "disagreement": case.disagreement,
    }
    nation_kb = rule_base_for_nation(kb, case.source.nation, case.source.duties)
    # A manager answers the questions their council asks; a question about a duty of another nation is not asked.
    plan = case.plan.model_copy(update={"answers": asked_answers(nation_kb, case.plan.answers)})
    try:
        assessment = assess(nation_kb, plan, case.case)
    except PlanError as error:
        return CaseOutcome(**outcome, tool_level=None, tool_negative=[], problem=str(error))
    return CaseOutcome(**outcome, tool_level=assessment.level, tool_negative=negatives_named(nation_kb, assessment))


def calibrate_corpus(kb: KnowledgeBase, cases: Iterable[CorpusCase]) -> CorpusReport:
    """Every case's outcome and the corpus's figures."""
    outcomes = [check_corpus_case(kb, case) for case in cases]
    sound = [outcome for outcome in outcomes if outcome.sound]
    confusion = {body: dict.fromkeys((*LEVELS, "unusable"), 0) for body in LEVELS}
    for outcome in sound:
        confusion[outcome.body_level][outcome.tool_level or "unusable"] += 1
    judged = [outcome for outcome in sound if outcome.groups_seen]
    characteristics = sorted({c for o in judged for c in (*o.body_negative, *o.tool_negative)})
    per_characteristic = [
        CharacteristicAgreement(
            characteristic=characteristic,
            body=sum(characteristic in o.body_negative for o in judged),
            tool=sum(characteristic in o.tool_negative for o in judged),
            both=sum(characteristic in o.body_negative and characteristic in o.tool_negative for o in judged),
        )
        for characteristic in characteristics
    ]
    named_by_tool = sum(row.tool for row in per_characteristic)
    named_by_body = sum(row.body for row in per_characteristic)
    right = sum(row.both for row in per_characteristic)
    return CorpusReport(
        outcomes=outcomes,
        cases=len(outcomes),
        bodies=len({outcome.body for outcome in outcomes}),
        nations=dict(sorted(Counter(outcome.nation for outcome in outcomes).items())),
        sound_cases=len(sound),
        level_agreement=sum(outcome.agrees for outcome in sound) / len(sound) if sound else 1.0,
        confusion=confusion,
        stricter=sum(outcome.direction == "stricter" for outcome in sound),
        laxer=sum(outcome.direction == "laxer" for outcome in sound),
        unreasoned=[o.case for o in sound if o.tool_level is not None and not o.agrees and o.disagreement is None],
        precision=right / named_by_tool if named_by_tool else 1.0,
        recall=right / named_by_body if named_by_body else 1.0,
        per_characteristic=per_characteristic,
    )


def corpus_report_as_text(report: CorpusReport, words: Callable[[str], str] = lambda level: level) -> str:
    """The corpus figures as a person reads them: a line per case, the confusion matrix and the agreement."""
    lines = []
    for outcome in report.outcomes:
        mark = {"agrees": "same", "stricter": "STRICTER", "laxer": "LAXER", "unusable": "UNUSABLE"}[outcome.direction]
        sound = "" if outcome.sound else " (body's conclusion judged unsound)"
        lines.append(f"{mark:9} {outcome.case}: body {outcome.body_level}, rules {outcome.tool_level or '-'}{sound}")
        if outcome.problem:
            lines.append(f"          {outcome.problem}")
        elif not outcome.agrees and outcome.disagreement:
            lines.append(f"          {outcome.disagreement.right} is right: {outcome.disagreement.reason}")
    nations = ", ".join(f"{nation} {count}" for nation, count in report.nations.items())
    lines += ["", f"{report.cases} cases from {report.bodies} bodies ({nations}); {report.sound_cases} judged sound"]
    lines.append(f"level agreement over the sound cases: {report.level_agreement:.0%}")
    lines.append(f"the rules are stricter than the body on {report.stricter}, laxer on {report.laxer}")
    lines += ["", "body's level (rows) by the rules' level (columns):"]
    columns = (*LEVELS, "unusable")
    lines.append(f"{'':18}" + "".join(f"{column:>17}" for column in columns))
    for body_level, row in report.confusion.items():
        lines.append(f"{body_level:18}" + "".join(f"{row[column]:>17}" for column in columns))
    seen = sum(outcome.sound and outcome.groups_seen for outcome in report.outcomes)
    lines += ["", f"negatives named, per characteristic ({seen} sound cases whose judgement per group was seen):"]
    lines.append(f"  {'':28} {'body':>4} {'rules':>5} {'both':>4}")
    for agreement in report.per_characteristic:
        lines.append(f"  {agreement.characteristic:28} {agreement.body:>4} {agreement.tool:>5} {agreement.both:>4}")
    lines.append(f"characteristics named as negative: precision {report.precision:.2f}, recall {report.recall:.2f}")
    if report.unreasoned:
        lines.append(f"disagreements with no reason in the file: {', '.join(report.unreasoned)}")
    return "\n".join(lines) + "\n"


class QuestionAgreement(BaseModel):
    """How often two answerers gave a question different answers, over the plans where either answered it."""

    question: str
    text: str
    answered: int
    disagreed: int

    @property
    def rate(self) -> float:
        """The share of plans on which the two differ (0-1)."""
        return self.disagreed / self.answered if self.answered else 0.0


def _same_answer(first: Any, second: Any) -> bool:
    if isinstance(first, list) and isinstance(second, list):
        return sorted(map(str, first)) == sorted(map(str, second))
    numbers = (int, float)
    if isinstance(first, numbers) and isinstance(second, numbers) and not isinstance(first, bool):
        low, high = sorted((abs(first), abs(second)))
        return high <= low * (1 + NUMBER_TOLERANCE) if low else high == 0
    same: bool = first == second
    return same


def answerer_agreement(
    questionnaire: Questionnaire, first: dict[str, Plan], second: dict[str, Plan]
) -> list[QuestionAgreement]:
    """Per choice and number question, how often two answerers of the same plans disagree, most disagreement first.

    Only plans both answered count; a question one answered and the other left out is a disagreement (one saw it
    as applying and the other did not). Text answers are left out: two people never word a thing alike.
    """
    shared = sorted(set(first) & set(second))
    rows = []
    for question in questionnaire.questions:
        if answer_type(question.type).free_text:
            continue
        answered = disagreed = 0
        for case in shared:
            one, other = first[case].answers.get(question.id), second[case].answers.get(question.id)
            if one is None and other is None:
                continue
            answered += 1
            disagreed += one is None or other is None or not _same_answer(one, other)
        if answered:
            rows.append(
                QuestionAgreement(question=question.id, text=question.text, answered=answered, disagreed=disagreed)
            )
    return sorted(rows, key=lambda row: (-row.rate, row.question))


def read_answers(folder: Path) -> dict[str, Plan]:
    """One answerer's plans: every plan file in a folder, by file name (the case id)."""
    plans = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            plans[path.stem] = Plan.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (yaml.YAMLError, ValidationError) as error:
            raise CorpusError(path, f"is not a plan file ({error})") from error
    return plans


def agreement_as_text(rows: list[QuestionAgreement], plans: int, threshold: float = 0.25) -> str:
    """The two-answerer table: per question, plans answered, disagreements and the rate; above the threshold marked."""
    lines = [f"two answerers, {plans} plans answered by both; questions by disagreement, most first", ""]
    lines.append(f"{'question':32} {'answered':>8} {'differ':>7} {'rate':>6}")
    for row in rows:
        flag = "  reword" if row.rate > threshold else ""
        lines.append(f"{row.question:32} {row.answered:>8} {row.disagreed:>7} {row.rate:>6.0%}{flag}")
    above = sum(row.rate > threshold for row in rows)
    lines += ["", f"{above} of {len(rows)} questions above {threshold:.0%}"]
    return "\n".join(lines) + "\n"


def run_corpus_command(kb: KnowledgeBase, arguments: Any, say: Callable[[str], None]) -> int:
    """`proofing calibrate --corpus [DIR] [--json]` and `--answerers A B`: print the figures, exit 1 on a fault.

    The corpus run exits 1 when a case cannot be assessed or a disagreement has no reason in its file, so a
    council changing its rules sees at once where they now part from a body's conclusion without saying why.
    """
    if arguments.answerers is not None:
        first, second = (read_answers(folder) for folder in arguments.answerers)
        rows = answerer_agreement(kb.questionnaire, first, second)
        if arguments.json:
            say(json.dumps([{**row.model_dump(), "rate": round(row.rate, 3)} for row in rows], indent=2))
        else:
            say(agreement_as_text(rows, len(set(first) & set(second))).rstrip("\n"))
        return 0
    folder = arguments.corpus
    if not folder.is_dir():
        raise CorpusError(folder, "is not a folder of corpus cases")
    report = calibrate_corpus(kb, read_corpus(folder))
    say(json.dumps(report.as_json(), indent=2) if arguments.json else corpus_report_as_text(report).rstrip("\n"))
    unusable = any(outcome.tool_level is None for outcome in report.outcomes)
    return 1 if unusable or report.unreasoned else 0
