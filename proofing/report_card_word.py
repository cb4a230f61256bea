"""The report card as a Word document in the record's style (issue 23): for the Community Cohesion Co-ordination
Group's quarterly review and the Scrutiny Committee's annual one, in English or Welsh.

Composed here as the record's typed blocks (``proofing.report.blocks``), every word through the one translator, and
written by the record's own Word renderer into the council's template (templates/record.docx), so a report card
looks like the records it counts: the same styles, header and footer. The figures are the library's
(``proofing.report_card``); nothing is counted here.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PIL import Image, ImageDraw

from proofing.knowledge import KnowledgeBase
from proofing.language import Language, Translator, translator
from proofing.report.blocks import (
    BulletList,
    Cell,
    ComposedRecord,
    Figure,
    Heading,
    Paragraph,
    Run,
    Table,
    TableCell,
)
from proofing.report.chart import CHART_SCALE, chart_font
from proofing.report.word import (
    DEFAULT_TEMPLATE,
    WordRenderer,
    _finish,
    _header_footer_roots,
    _open_template,
    _translate_fixed_words,
)
from proofing.report.words import TEMPLATE_WORDS
from proofing.report_card import Count, Period, PlanDone, ReportCard, Share

TOP_ROWS = 10  # rows of a "by strategy action" or "by outcome" table before the rest are summed in one
HEAD_FILL = "DCE6F0"  # a table's header row, as the record's tables
_BAR_FILL = ((31, 58, 95), (46, 125, 50), (240, 173, 40))
_INK, _GRID = (34, 34, 34), (221, 221, 221)


def status_words(t: Translator) -> dict[str, str]:
    """An action's status and a review's outcome, in words."""
    return {
        "not_started": t._("Not started"),
        "under_way": t._("Under way"),
        "done": t._("Done"),
        "dropped": t._("Dropped"),
        "confirmed": t._("Confirmed"),
        "revised": t._("Revised"),
        "closed": t._("Closed"),
    }


def baseline_words(t: Translator, kb: KnowledgeBase) -> dict[str, str]:
    """The approved version's answer on figures by group (its baseline), in words: each option of the question the
    ``baseline_by_group`` role names, as the rule base (`kb`, in the reader's language) labels it."""
    role = kb.questionnaire.roles.baseline_by_group
    question = kb.questionnaire.question(role) if role else None
    options = question.options if question is not None else []
    return {option.id: t._("Figures by group: {answer}", answer=option.label) for option in options}


def period_words(t: Translator, period: Period) -> str:
    """A period in words: "January to March 2027 (2027 Q1)", "the year 2027"."""
    if period.quarter is None:
        return t._("the year {year}", year=period.year)
    months = (
        t._("January to March {year}", year=period.year),
        t._("April to June {year}", year=period.year),
        t._("July to September {year}", year=period.year),
        t._("October to December {year}", year=period.year),
    )
    return f"{months[period.quarter - 1]} ({period.year} Q{period.quarter})"


def share_words(t: Translator, share: Share) -> str:
    """A share in words: "3 of 4 (75%)", or "none to count"."""
    if not share.of:
        return t._("none to count")
    return t._("{count} of {of} ({percent}%)", count=share.count, of=share.of, percent=t.number(share.percent or 0))


class _Blocks:
    """Appends the report card's blocks in one language."""

    def __init__(self, t: Translator) -> None:
        self.t = t
        self.blocks: list[object] = []

    def run(self, text: str, bold: bool = False) -> Run:
        return Run(text, bold, self.t.tag)

    def para(self, text: str, style: str | None = None, bold: bool = False, keep_next: bool = False) -> None:
        self.blocks.append(Paragraph((self.run(text, bold),), style, keep_next))

    def heading(self, text: str, level: int) -> None:
        self.blocks.append(Heading(text, level, (self.run(text),)))

    def bullets(self, items: list[str]) -> None:
        self.blocks.append(BulletList(tuple((self.run(item),) for item in items)))

    def cell(self, value: str | Cell) -> TableCell:
        cell = value if isinstance(value, Cell) else Cell(value)
        return TableCell(cell.text, (self.run(cell.text, cell.bold),), cell.bold, cell.fill, cell.span)

    def table(self, header: list[str] | None, rows: list[list[str | Cell]], widths: list[float]) -> None:
        head = tuple(self.cell(Cell(text, bold=True, fill=HEAD_FILL)) for text in header) if header else None
        body = tuple(tuple(self.cell(value) for value in row) for row in rows)
        self.blocks.append(Table(head, body, tuple(widths), row_labels=header is None))

    def figure(self, png: bytes, alt: str, title: str, caption: str) -> None:
        self.blocks.append(Figure(png, 16.0, alt, title, (self.run(caption),)))


def trend_chart(card: ReportCard, t: Translator) -> bytes:
    """A bar chart (PNG, Pillow) of the trend: per quarter, assessments approved, mitigations agreed, actions done."""
    series = [
        (t._("Assessments approved"), [q.approved for q in card.trend]),
        (t._("Mitigations agreed"), [q.mitigations_agreed for q in card.trend]),
        (t._("Actions done"), [q.actions_done for q in card.trend]),
    ]

    def px(points: float) -> int:
        return round(points * CHART_SCALE)

    width, height, left, top, bottom = 453.5, 190.0, 36.0, 30.0, 30.0
    image = Image.new("RGB", (px(width), px(height)), "white")
    draw = ImageDraw.Draw(image)
    font, small = chart_font(7.5), chart_font(7.0)
    most = max([1, *(value for _name, values in series for value in values)])
    step = max(1, -(-most // 5))
    top_value = step * -(-most // step)
    plot_h = height - top - bottom
    for tick in range(0, top_value + 1, step):
        y = top + plot_h * (1 - tick / top_value)
        draw.line([(px(left), px(y)), (px(width - 8), px(y))], fill=_GRID, width=1)
        draw.text((px(left - 4), px(y)), t.number(tick), fill=_INK, font=small, anchor="rm")
    slot = (width - 8 - left) / max(1, len(card.trend))
    bar = slot * 0.8 / len(series)
    for index, quarter in enumerate(card.trend):
        x0 = left + slot * index + slot * 0.1
        for number, (_name, values) in enumerate(series):
            value = values[index]
            y = top + plot_h * (1 - value / top_value)
            box = [px(x0 + bar * number), px(y), px(x0 + bar * (number + 1) - 1), px(top + plot_h)]
            draw.rectangle(box, fill=_BAR_FILL[number])
            draw.text(((box[0] + box[2]) / 2, box[1] - 2), t.number(value), fill=_INK, font=small, anchor="md")
        label = f"{quarter.quarter[:4]} Q{quarter.quarter[-1]}"
        draw.text((px(left + slot * (index + 0.5)), px(top + plot_h + 6)), label, fill=_INK, font=font, anchor="mt")
    x = left
    for number, (name, _values) in enumerate(series):
        draw.rectangle([px(x), px(8), px(x + 8), px(16)], fill=_BAR_FILL[number])
        draw.text((px(x + 11), px(12)), name, fill=_INK, font=font, anchor="lm")
        x += 20 + font.getlength(name) / CHART_SCALE
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def compose_card(card: ReportCard, kb: KnowledgeBase, language: Language = "en") -> ComposedRecord:
    """The report card as the record's blocks in `language` (names of groups, outcomes and actions from `kb`, which
    the caller gives in that language)."""
    t = translator(language)
    out = _Blocks(t)
    period = period_words(t, card.period)
    title = t._("Report card: {period}", period=period)
    out.para(title, "Title")
    out.para(t._("One Wrexham Community Cohesion Strategy: Results Based Accountability"), "Subtitle")
    audience = (
        t._("For the quarterly review by the Community Cohesion Co-ordination Group.")
        if card.period.quarter
        else t._("For the annual review by the Corporate Governance and Policy Scrutiny Committee.")
    )
    out.para(audience + " " + t._("Figures as they stood on {date}.", date=t.date(card.made_on)))
    if card.register_size == 0:
        out.para(t._("The register holds no assessments yet, so every figure in this report card is zero."), bold=True)
    _summary(out, card)
    _trend(out, card)  # up front: the Group reads the direction of travel first, the long lists after
    _how_much(out, card, kb)
    _how_well(out, card)
    _better_off(out, card, kb)
    _strategy_actions(out, card, kb)
    _counted(out)
    record = ComposedRecord(language=language, tag=t.tag)
    record.blocks = out.blocks  # type: ignore[assignment]
    record.plan_title = title
    record.council = kb.council
    record.rule_base_version = f"{kb.name} {kb.version}"
    record.document_title = title
    record.subject = t._("Results Based Accountability report card")
    record.author = kb.council
    record.keywords = "report card; RBA; " + card.period.code
    words = {"Equality Impact Assessment": t._("Report card"), "Rule base": t._("Rule base"), "Page": t._("Page")}
    record.frame_words = {text: words.get(text, t._(text)) for text in TEMPLATE_WORDS}
    record.status = "approved"
    return record


def _summary(out: _Blocks, card: ReportCard) -> None:
    t, much, well = out.t, card.how_much, card.how_well
    out.heading(t._("The period at a glance"), 1)
    out.table(
        None,
        [
            [Cell(t._("Assessments approved"), bold=True), t.number(much.approved)],
            [Cell(t._("Mitigations agreed as actions"), bold=True), t.number(much.mitigations_agreed)],
            [Cell(t._("Reviews held on or before their date"), bold=True), share_words(t, well.reviews_on_time)],
            [Cell(t._("Actions done by their date"), bold=True), share_words(t, well.actions_by_date)],
            [
                Cell(t._("Assessments whose affected communities were engaged (outcome 2)"), bold=True),
                share_words(t, well.engaged),
            ],
            [Cell(t._("Reviews that recorded monitoring results"), bold=True), t.number(len(card.better_off.reviews))],
        ],
        [2.2, 1],
    )


def _how_much(out: _Blocks, card: ReportCard, kb: KnowledgeBase) -> None:
    t, much = out.t, card.how_much
    out.heading(t._("How much did we do?"), 1)
    out.bullets(
        [
            t._("Assessments started: {n}", n=t.number(much.started)),
            t._(
                "Assessments approved: {n} ({approvals} approvals, counting each revised version approved)",
                n=t.number(much.approved),
                approvals=t.number(much.approvals),
            ),
            t._("Mitigations agreed as actions: {n}", n=t.number(much.mitigations_agreed)),
        ]
    )
    if much.by_level:
        levels: dict[str, str] = {key: value.split(".")[0] for key, value in kb.scoring.level_words.items()}
        out.para(t._("Assessments approved, by level:"), keep_next=True)
        order = list(levels)  # the rule base's order, least to most: screened out first
        ordered = sorted(much.by_level, key=lambda c: order.index(c.key) if c.key in order else len(order))
        rows: list[list[str | Cell]] = [
            [levels.get(c.key, c.name) or t._("Not screened yet"), t.number(c.count)] for c in ordered
        ]
        out.table([t._("Level"), t._("Assessments")], rows, [3, 1])
    if much.by_service:
        out.para(t._("Assessments approved, by service:"), keep_next=True)
        out.table([t._("Service"), t._("Assessments")], [[c.key, t.number(c.count)] for c in much.by_service], [3, 1])
    if much.by_strategy_action:
        out.para(
            t._("Mitigations agreed, by the strategy action they draw on (the most drawn on first):"), keep_next=True
        )
        out.table([t._("Strategy action"), t._("Mitigations")], _top(t, kb, much.by_strategy_action, "action"), [5, 1])
    if much.by_outcome:
        out.para(t._("Mitigations agreed, by the strategy outcome they serve (the most served first):"), keep_next=True)
        out.table([t._("Outcome"), t._("Mitigations")], _top(t, kb, much.by_outcome, "outcome"), [5, 1])
    if not much.mitigations_agreed:
        out.para(t._("No mitigation was agreed in this period."))


def _top(t: Translator, kb: KnowledgeBase, counts: list[Count], kind: str) -> list[list[str | Cell]]:
    """The first TOP_ROWS counts as rows, and the rest summed in one row, so a table stays within a page."""
    rows: list[list[str | Cell]] = [[_item(kb, c.key), t.number(c.count)] for c in counts[:TOP_ROWS]]
    rest = counts[TOP_ROWS:]
    if rest:
        others = (
            t._("{n} other strategy actions", n=t.number(len(rest)))
            if kind == "action"
            else t._("{n} other outcomes", n=t.number(len(rest)))
        )
        rows.append([Cell(others, bold=True), t.number(sum(c.count for c in rest))])
    return rows


def _item(kb: KnowledgeBase, item_id: str) -> str:
    found = kb.find(item_id)
    text = str(getattr(found[1], "text", "") or "") if found else ""
    text = " ".join(text.split())
    return f"{item_id}: {text[:160]}{'…' if len(text) > 160 else ''}" if text else item_id


def _how_well(out: _Blocks, card: ReportCard) -> None:
    t, well = out.t, card.how_well
    out.heading(t._("How well did we do it?"), 1)
    out.table(
        [t._("Measure"), t._("This period")],
        [
            [t._("Reviews due in the period held on or before their date"), share_words(t, well.reviews_on_time)],
            [t._("Reviews due in the period and overdue"), t.number(well.reviews_overdue)],
            [t._("Actions due in the period done by their date"), share_words(t, well.actions_by_date)],
            [t._("Actions due in the period still open after their date"), t.number(well.actions_overdue)],
            [
                t._("Approvals with every high-severity gap closed before the decision"),
                share_words(t, well.gaps_closed),
            ],
            [
                t._("Assessments approved whose affected communities were engaged or consulted (outcome 2)"),
                share_words(t, well.engaged),
            ],
            [
                t._("Assessments approved whose engagement with the communities affected was planned, not yet done"),
                t.number(well.engagement_planned),
            ],
        ],
        [3, 1.4],
    )
    out.para(
        t._(
            "Also in the period: {held} reviews held and {done} actions done, whenever they were due.",
            held=t.number(well.reviews_held),
            done=t.number(well.actions_done),
        )
    )


def _better_off(out: _Blocks, card: ReportCard, kb: KnowledgeBase) -> None:
    t, better = out.t, card.better_off
    out.heading(t._("Is anyone better off?"), 1)
    if not better.reviews:
        out.para(t._("No review was held in this period, so no monitoring results were recorded."))
        return
    out.para(
        t._(
            "{n} reviews were held in the period. {baseline} of them had figures by group when the plan was assessed.",
            n=t.number(len(better.reviews)),
            baseline=t.number(better.with_baseline_by_group),
        )
    )
    if better.by_group:
        out.para(t._("Results recorded, by group:"), keep_next=True)
        named = _group_names(kb)
        rows_by_group: list[list[str | Cell]] = [[named.get(c.key, c.name), t.number(c.count)] for c in better.by_group]
        out.table([t._("Group"), t._("Reviews")], rows_by_group, [3, 1])
    out.para(
        t._(
            "What monitoring showed at each review held in the period, by group where the plan promised it, beside "
            "the baseline the plan gave when it was assessed."
        ),
        keep_next=True,
    )
    given_words, outcomes = baseline_words(t, kb), status_words(t)
    rows: list[list[str | Cell]] = []
    for review in better.reviews:
        held = t.date(review.held_on) + ("" if review.on_time else " " + t._("(late)"))
        given = given_words.get(review.baseline_by_group or "", t._("Not stated"))
        baseline = given + (f": {_short(review.baseline, 240)}" if review.baseline else "")
        groups = "\n".join(f"{_group_names(kb).get(g.group, g.name)}: {g.result}" for g in review.groups)
        rows.append(
            [
                Cell(review.title, bold=True),
                f"{held}\n{outcomes.get(review.outcome, review.outcome)}",
                baseline,
                review.monitoring or t._("Not recorded"),
                groups or "–",
            ]
        )
    out.table(
        [
            t._("Plan"),
            t._("Reviewed on, outcome"),
            t._("Baseline at assessment"),
            t._("Result at review"),
            t._("By group"),
        ],
        rows,
        [1.6, 1.15, 1.75, 1.6, 2.1],
    )


def _group_names(kb: KnowledgeBase) -> dict[str, str]:
    """The groups' names in the report's language (`kb` is given in it; the card keeps the English names)."""
    return {item.id: item.name for item in kb.characteristics} | {item.id: item.name for item in kb.communities}


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _strategy_actions(out: _Blocks, card: ReportCard, kb: KnowledgeBase) -> None:
    t = out.t
    out.heading(t._("The strategy's actions: the plans that drew on them"), 1)
    if not card.strategy_actions:
        out.para(t._("No plan's action drew on a strategy action in this period."))
        return
    out.para(
        t._("Each strategy action the plans' actions drew on in the period, the most plans first:"), keep_next=True
    )
    out.table(
        [t._("Strategy action"), t._("Plans"), t._("Agreed"), t._("Done"), t._("Overdue")],
        [
            [_short(_item(kb, item.action), 140), t.number(item.plans), t.number(item.agreed),
             t.number(item.done), t.number(item.overdue)]
            for item in card.strategy_actions
        ],
        [4.3, 0.8, 0.8, 0.8, 1.1],
    )  # fmt: skip
    since, until = card.period.since, card.period.until
    done = _once(
        card, lambda line: line.status == "done" and line.done_on is not None and since <= line.done_on < until
    )
    out.heading(t._("What the plans did"), 2)
    if done:
        out.para(
            t._(
                "Each action done in the period, once, with the strategy actions it drew on (named in the table above):"
            ),
            keep_next=True,
        )
        out.table(
            [t._("Plan"), t._("What was done"), t._("Done on"), t._("Strategy actions")],
            [
                [line.title, line.evidence or line.text, t.date(line.done_on or card.made_on), ", ".join(actions)]
                for line, actions in sorted(done, key=lambda pair: (pair[0].done_on or card.made_on, pair[0].title))
            ],
            [2.2, 3, 1.3, 1],
        )
    else:
        out.para(t._("No action drawing on the strategy was done in this period."))
    late = _once(card, lambda line: line.overdue)
    if late:
        out.heading(t._("Overdue actions"), 2)
        out.para(
            t._(
                "Each action still open after its due date, once, the longest overdue first, with the strategy actions "
                "it draws on:"
            ),
            keep_next=True,
        )
        out.table(
            [t._("Plan"), t._("Action"), t._("Due on"), t._("Strategy actions")],
            [
                [line.title, _short(line.text, 200), t.date(line.due or card.made_on), ", ".join(actions)]
                for line, actions in sorted(late, key=lambda pair: (pair[0].due or card.made_on, pair[0].title))
            ],
            [2.2, 3, 1.3, 1],
        )


def _once(card: ReportCard, chosen: Callable[[PlanDone], bool]) -> list[tuple[PlanDone, list[str]]]:
    """The plans' actions `chosen` picks, each once (an action drawing on several strategy actions is listed under
    each in the card), with the strategy actions it draws on."""
    found: dict[tuple[str, str, str], tuple[PlanDone, list[str]]] = {}
    for item in card.strategy_actions:
        for line in item.lines:
            if chosen(line):
                found.setdefault((line.assessment_id, line.key, line.text), (line, []))[1].append(item.action)
    return list(found.values())


def _trend(out: _Blocks, card: ReportCard) -> None:
    t = out.t
    out.heading(t._("Trend over the last four quarters"), 1)
    if not any(q.approved or q.mitigations_agreed or q.actions_done for q in card.trend):
        out.para(t._("Nothing was approved, agreed or done in the last four quarters, so there is nothing to chart."))
    else:
        _trend_figure(out, card)
    _trend_table(out, card)


def _trend_figure(out: _Blocks, card: ReportCard) -> None:
    t = out.t
    out.figure(
        trend_chart(card, t),
        t._("Bar chart of assessments approved, mitigations agreed and actions done in each of the last four quarters"),
        t._("Trend"),
        t._("Assessments approved, mitigations agreed and actions done, per quarter"),
    )


def _trend_table(out: _Blocks, card: ReportCard) -> None:
    t = out.t
    rows: list[list[str | Cell]] = [
        [
            f"{q.quarter[:4]} Q{q.quarter[-1]}",
            t.number(q.approved),
            t.number(q.mitigations_agreed),
            _percent(t, q.reviews_on_time),
            _percent(t, q.actions_by_date),
            _percent(t, q.engaged),
        ]
        for q in card.trend
    ]
    out.table(
        [
            t._("Quarter"),
            t._("Approved"),
            t._("Mitigations agreed"),
            t._("Reviews on time"),
            t._("Actions by their date"),
            t._("Communities engaged"),
        ],
        rows,
        [1, 1, 1.2, 1.2, 1.2, 1.3],
    )


def _percent(t: Translator, share: Share) -> str:
    return "–" if share.percent is None else f"{t.number(share.percent)}% ({share.count}/{share.of})"


def _counted(out: _Blocks) -> None:
    t = out.t
    out.heading(t._("How the figures are counted"), 2)
    out.bullets(
        [
            t._("An approval counts in the period its decision falls in; an assessment approved twice counts once."),
            t._("A mitigation counts as agreed in the period the approval made it an action."),
            t._("A review is on time when it was held on or before its review date."),
            t._("An action is done by its date when it was done, with evidence, on or before its due date."),
            t._("A review or an action whose date is still to come is not counted until it is held or done, or late."),
            t._(
                "Outcome 2 counts an assessment as engaged when the people affected have been engaged or consulted "
                "and their views are known."
            ),
            t._("Dates are counted in UTC; '–' means there was nothing to count."),
        ]
    )


def write_card(
    card: ReportCard, kb: KnowledgeBase, language: Language = "en", template: Path = DEFAULT_TEMPLATE
) -> bytes:
    """The report card as a .docx (bytes), in the council's record template."""
    document = _open_template(template)
    record = compose_card(card, kb, language)
    renderer = WordRenderer(document, record)
    renderer.render()
    for root in _header_footer_roots(document):  # the template's header says what the document is: a report card
        _translate_fixed_words(root, [record])
    _finish(document, [renderer], language)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def card_file_name(period: Period, made_on: date) -> str:
    """A file name for the report card: report-card-2027Q1.docx."""
    return f"report-card-{period.code}-{made_on.isoformat()}.docx"
