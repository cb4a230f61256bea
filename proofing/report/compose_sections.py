"""The first sections of a record, composed: the title page and the board's summary, the Welsh specific duties'
five items, the findings by group with the chart, the findings in full, and the EIA workshops."""

from __future__ import annotations

from proofing.assessment import Finding, answer_words
from proofing.duties import aims_heading, groups_heading, record_heading
from proofing.report.blocks import Cell
from proofing.report.chart import chart_caption, impact_chart
from proofing.report.status import StatusSections
from proofing.report.words import (
    HEADER_FILL,
    RAG_FILL,
    added_outcome_words,
    affects_words,
    bears_on_words,
    number_of,
    organisations,
    room_words,
    scores,
)
from proofing.results import why_lines
from proofing.workshop import FindingOutcome, WorkshopRecord


class FindingSections(StatusSections):
    """The sections from the title page to the EIA workshops."""

    def title_page(self) -> None:
        """The first page: what the plan is, and the board's summary, so a board member need read no further."""
        plan = self.a.plan
        self.para(self._("Equality Impact Assessment"), style="Title")
        self.para(plan.title, style="Subtitle")
        self.status_notice()
        produced = self.meta.produced_at[:10]
        self.key_values(
            [
                (self._("Service"), plan.service),
                (self._("Owner"), plan.owner),
                (self._("Date"), produced if self.t.language == "en" else self.day(produced)),
                (self._("Assessors"), ", ".join(self.meta.assessors) or plan.owner),
                (
                    self._("Rule base"),
                    self._("{name}, version {version}", name=self.a.rule_base.name, version=self.a.rule_base.version),
                ),
                (self._("Screening level"), self.a.level_words),
                *self.status_rows(),
            ]
        )
        self.summary()
        self.page_break()

    def summary(self) -> None:
        negatives = [f for f in self.a.findings if f.direction == "negative"]
        positives = [f for f in self.a.findings if f.direction == "positive"]
        self.heading(self._("Summary for the board"), 1)
        self.para(self.a.level_words, bold=True)
        if self.a.level_reason:
            self.para(self.a.level_reason)
        self.para(
            self._(
                "The assessment found {negatives} and {positives}.",
                negatives=self.n_("{n} likely negative impact", "{n} likely negative impacts", len(negatives)),
                positives=self.n_("{n} positive one", "{n} positive ones", len(positives)),
            )
        )
        if negatives:
            self.para(self._("The most serious:"))
            for finding in negatives[:3]:
                self.bullet(
                    self._(
                        "{title} ({rag}, score {score} of 25; affects {groups}).",
                        title=finding.title,
                        rag=self.rag(finding.rag),
                        score=finding.score,
                        groups=self.group_names(finding.characteristics + finding.communities),
                    )
                )
        mitigations = sum(len(f.mitigations) for f in negatives)
        if mitigations:
            accepted = sum(1 for d in self.meta.decisions.values() if d.status in ("accepted", "done"))
            self.labelled(
                self._("Mitigation"),
                self._(
                    "{suggested}, {accepted} accepted so far (the mitigation action plan).",
                    suggested=self.n_("{n} mitigation suggested", "{n} mitigations suggested", mitigations),
                    accepted=accepted,
                ),
            )
        if self.meta.workshops:
            self.labelled(
                self._("EIA workshop"), self._("{changes} (the EIA workshop).", changes=self.workshop_changes())
            )
        if self.a.gaps:
            high = sum(1 for gap in self.a.gaps if gap.severity == "high")
            self.labelled(
                self._("Gaps in the assessment"),
                self._(
                    "{gaps} to close before the decision, {high} of them high severity "
                    "(quality gaps in this assessment).",
                    gaps=len(self.a.gaps),
                    high=high,
                ),
            )
        self.decision_lines()

    def welsh_duties(self) -> None:
        answers = self.a.answers
        self.heading(self._(record_heading(self.kb)), 1)  # the nation's duties (proofing.duties)
        self.heading(self._("The purpose of the policy"), 2)
        self.para(self.a.plan.description or self.a.plan.title)
        self.heading(self._("The steps taken to assess it"), 2)
        roles = self.kb.questionnaire.roles
        engagement = answers.get(roles.engagement)
        engaged = answers.get(roles.engaged_communities) or []
        steps = {
            "done": self._("The people affected were engaged or consulted"),
            "planned": self._("Engagement with the people affected is planned"),
            "none": self._("The people affected have not been engaged or consulted"),
        }.get(str(engagement), self._("Engagement was not described"))
        if engaged:
            listed = engaged if isinstance(engaged, list) else [str(engaged)]
            steps = self._("{steps} (communities: {groups})", steps=steps, groups=self.group_names(listed))
        self.para(f"{steps}.")
        self.para(
            self._(
                "The plan was proofed against {strategy} and the equality duties, using the cohesion proofing rule "
                "base version {version}.",
                strategy=self.kb.strategy.title,
                version=self.a.rule_base.version,
            )
        )
        for workshop in self.meta.workshops:
            self.para(self.workshop_step(workshop))
        self.heading(self._("The information taken into account"), 2)
        if "evidence_used" in answers:
            words = answer_words(self.kb, "evidence_used", answers["evidence_used"])
            self.para(self._("Evidence used: {answer}.", answer=words))
        if "data_by_group" in answers:
            words = answer_words(self.kb, "data_by_group", answers["data_by_group"])
            self.para(self._("Data by group: {answer}.", answer=words))
        if answers.get(self.kb.questionnaire.roles.evidence_gaps):
            self.para(self._("Known gaps in the evidence: {gaps}", gaps=answers["evidence_gaps"]))
        for workshop in self.meta.workshops:
            self.para(self.workshop_information(workshop))
        self.heading(self._("The results"), 2)
        negatives = sum(1 for f in self.a.findings if f.direction == "negative")
        positives = len(self.a.findings) - negatives
        if self.a.profile:
            self.para(
                self._(
                    "{negatives} likely negative and {positives} on {groups}. The table of findings by "
                    "characteristic and community shows each group; each finding is set out once, in full, after it.",
                    negatives=negatives,
                    positives=self.n_("{n} positive impact", "{n} positive impacts", positives),
                    groups=self.n_("{n} group", "{n} groups", len(self.a.profile)),
                )
            )
        else:
            self.para(self._("No impact on any group was found."))
        self.heading(self._("The decisions taken"), 2)
        accepted = [d for d in self.meta.decisions.values() if d.status in ("accepted", "done")]
        self.para(self.decisions_taken(len(accepted)))
        if self.meta.workshops:
            self.para(f"{self.workshop_changes()}.")

    def findings_by_group(self) -> None:
        """One table of every group affected, pointing to the findings by number, and the chart beneath it."""
        self.heading(self._("Findings by characteristic and community"), 1)
        if not self.a.findings:
            self.para(
                self._(
                    "The EIA workshop dropped every finding the rules made (the findings in full list them), so no "
                    "group is affected."
                )
                if self.a.dropped
                else self._("The rules found no likely impact on any group.")
            )
            self.chart()
            return
        self.para(
            self._(
                "Each group named, its highest negative score (likelihood × severity, out of 25) and the findings "
                "that bear on it, by their numbers below."
            ),
            keep_next=True,
        )
        rows: list[list[str | Cell]] = []
        for kind, title in (
            ("characteristic", self._(groups_heading(self.kb))),
            ("community", self._("Communities")),
        ):
            entries = [entry for entry in self.a.profile if entry.kind == kind]
            if not entries:
                continue
            rows.append([Cell(title, bold=True, fill=HEADER_FILL, span=5)])
            for entry in entries:
                touching = [f for f in self.a.findings if entry.id in f.characteristics + f.communities]
                negatives = [f for f in touching if f.direction == "negative"]
                worst = max(negatives, key=lambda f: f.score, default=None)
                highest: str | Cell = (
                    Cell(f"{worst.score} {self.rag(worst.rag)}", fill=RAG_FILL[worst.rag]) if worst else self._("None")
                )
                rows.append(
                    [
                        entry.name,
                        str(entry.negative),
                        str(entry.positive),
                        highest,
                        ", ".join(str(self.number[f.rule]) for f in touching),
                    ]
                )
        self.table(
            [
                self._("Group"),
                self._("Negative findings"),
                self._("Positive findings"),
                self._("Highest score"),
                self._("Findings"),
            ],
            rows,
            [6, 2, 2, 2.4, 4.6],
        )
        self.chart()

    def findings_in_full(self) -> None:
        """Each finding once: its score, the groups it affects and why each is named, why it is expected, and
        what it bears on; then one table of the duty aims, outcomes, principles and indicators, in words."""
        self.heading(self._("The findings in full"), 1)
        if not self.a.findings:
            self.para(
                self._(
                    "The EIA workshop dropped every finding the rules made; they are listed below, with its reasons."
                )
                if self.a.dropped
                else self._("The rules found no likely impact, so there is no finding to set out.")
            )
        aims = {a.id: a.name for a in self.kb.psed_aims}
        for finding in self.a.findings:
            self.heading(self.finding_label(finding), 2)
            if finding.direction == "negative":
                headline = self._(
                    "Negative impact, {rag}, score {score} of 25", rag=self.rag(finding.rag), score=finding.score
                )
            else:
                headline = self._("Positive impact, score {score} of 25", score=finding.score)
            self.runs(
                [
                    (headline, True),
                    (
                        self._(
                            " (likelihood {likelihood} × severity {severity})",
                            likelihood=finding.likelihood,
                            severity=finding.severity,
                        ),
                        False,
                    ),
                ]
            )
            self.labelled(self._("Affects"), affects_words(self.t, finding) or self._("no group named by the plan"))
            self.agreed_lines(finding)
            set_aside = self.meta.notes.set_aside.get(finding.rule)
            if set_aside is not None:
                self.labelled(self._("Set aside by the service, for an equality officer to review"), set_aside.reason)
            if finding.added_by_workshop:  # its rationale is the room's reason, given just above
                self.para(
                    self._(
                        "The rules did not find this impact: a participant raised it and the room accepted it, so it "
                        "has no answer of the plan behind it and no mitigation suggested by the rules."
                    )
                )
            else:
                self.para(finding.rationale)
            if finding.consolidates:
                self.labelled(self._("Also covers"), "; ".join(finding.consolidates))
            if why := why_lines(finding, self.names):  # the Results page's lines, by the library's one rule
                self.para(self._("Because:"), bold=True)
            for line in why:
                self.bullet(line)
            if finding.direction == "positive" and finding.mitigations:
                self.para(self._("To make the most of it:"), bold=True)
                for mitigation in finding.mitigations:
                    cited = ", ".join(mitigation.actions)
                    self.bullet(
                        self._("{text} (strategy action {actions})", text=mitigation.text, actions=cited)
                        if cited
                        else mitigation.text
                    )
            if finding.added_by_workshop and not (finding.psed_aims or finding.outcomes or finding.principles):
                self.labelled(
                    self._("Bears on"),
                    self._("not linked by the rules to the strategy or the duty: the workshop added it."),
                )
            else:
                self.labelled(self._("Bears on"), bears_on_words(self.t, finding, aims))
        if self.a.dropped:
            self.dropped_findings()
        if self.a.findings:
            self.bears_on_table()

    def agreed_lines(self, finding: Finding) -> None:
        """What the EIA workshop agreed about a finding, beside the rules' own scores: changed, kept as the rules
        gave them, or added by the room; and the room's reason."""
        if finding.workshop is None:
            return
        if finding.added_by_workshop:
            self.labelled(self._("Added by the EIA workshop"), finding.workshop_note or finding.rationale)
            return
        if finding.rules_likelihood is not None or finding.rules_severity is not None:
            rules = f"{finding.rules_likelihood or finding.likelihood} × {finding.rules_severity or finding.severity}"
            self.labelled(
                self._("Agreed at the EIA workshop"),
                self._(
                    "likelihood {likelihood}, severity {severity} (the rules gave {rules})",
                    likelihood=finding.likelihood,
                    severity=finding.severity,
                    rules=rules,
                ),
            )
        else:
            self.labelled(
                self._("Agreed at the EIA workshop"),
                self._(
                    "the rules' scores stand (likelihood {likelihood}, severity {severity})",
                    likelihood=finding.likelihood,
                    severity=finding.severity,
                ),
            )
        if finding.workshop_note:
            self.labelled(self._("The workshop's reason"), finding.workshop_note)

    def dropped_findings(self) -> None:
        """The rules' findings the EIA workshop took out, with the scores the rules gave and the room's reason,
        so that an auditor sees what was dropped and why."""
        self.heading(self._("Dropped by the EIA workshop"), 2)
        self.para(
            self._(
                "The rules made these findings; the EIA workshop agreed they are not likely impacts of the plan, so "
                "they are not counted in the screening level, the groups affected or the mitigation plan."
            ),
            keep_next=True,
        )
        for finding in self.a.dropped:
            likelihood = finding.rules_likelihood or finding.likelihood
            severity = finding.rules_severity or finding.severity
            reason = finding.workshop_note or self._("no reason was recorded")
            self.bullet(
                self._(
                    "{title} ({direction}; the rules gave likelihood {likelihood} × severity {severity} = {score}; "
                    "affects {groups}). The workshop's reason: {reason}",
                    title=finding.title,
                    direction=self._("negative impact")
                    if finding.direction == "negative"
                    else self._("positive impact"),
                    likelihood=likelihood,
                    severity=severity,
                    score=likelihood * severity,
                    groups=self.group_names(finding.characteristics + finding.communities),
                    reason=reason,
                )
            )

    # --- the EIA workshop -------------------------------------------------------------------------------------------

    def workshop_changes(self) -> str:
        """What the EIA workshop changed in the rules' findings, in a phrase: re-scored, dropped and added."""
        rescored = sum(1 for f in self.a.findings if f.rules_likelihood is not None or f.rules_severity is not None)
        added = sum(1 for f in self.a.findings if f.added_by_workshop)
        dropped = len(self.a.dropped)
        when = self.and_list([self.day(workshop.held_on) for workshop in self.meta.workshops])
        return self._(
            "The findings are as the EIA workshop of {when} agreed them: {rescored} of the rules' findings re-scored, "
            "{dropped} dropped and {added} the rules missed added",
            when=when,
            rescored=rescored,
            dropped=dropped,
            added=self.n_("{n} impact", "{n} impacts", added),
        )

    def workshop_step(self, workshop: WorkshopRecord) -> str:
        """The workshop as a step taken to assess the plan: when, who ran it, who took part, and how it scored."""
        joined = organisations(workshop)
        people = self.n_("{n} participant", "{n} participants", len(workshop.participants))
        if joined:
            people = self._("{people} from {organisations}", people=people, organisations=self.and_list(joined))
        agreed = (
            self._("the agreed view is version {version}", version=workshop.finalised_version)
            if workshop.finalised_version is not None
            else self._("the agreed view is not yet finalised")
        )
        return self._(
            "An EIA workshop on {day}, facilitated by {facilitator}, with {people}, scored the draft (version "
            "{version}) on their own before seeing each other's scores, then agreed a view on each finding; {agreed}.",
            day=self.day(workshop.held_on),
            facilitator=workshop.facilitator,
            people=people,
            version=workshop.version_scored,
            agreed=agreed,
        )

    def workshop_information(self, workshop: WorkshopRecord) -> str:
        """What the workshop brought to the assessment: its participants' knowledge and comments, and the impacts
        they raised that the rules missed."""
        raised = len(workshop.added)
        accepted = sum(1 for impact in workshop.added if impact.accepted)
        missed = (
            self._(
                "They raised {raised} the rules missed; the room accepted {accepted}.",
                raised=self.n_("{n} impact", "{n} impacts", raised),
                accepted=self.n_("{n} as a finding of the assessment", "{n} as findings of the assessment", accepted),
            )
            if raised
            else self._("They raised no impact the rules missed.")
        )
        return self._(
            "The knowledge of the {participants} at the EIA workshop of {day} of the services and communities they "
            "work with, and their scores and comments on each of the {findings} (the EIA workshop section sets out "
            "the spread, the agreement and any dissent). {missed}",
            participants=self.n_("{n} participant", "{n} participants", len(workshop.participants)),
            day=self.day(workshop.held_on),
            findings=self.n_("{n} finding", "{n} findings", len(workshop.findings)),
            missed=missed,
        )

    def workshops(self) -> None:
        """The EIA workshops: when, who ran them and took part, how the room scored each finding against the rules
        and what it agreed, the dissent noted, and the impacts participants raised that the rules missed."""
        if not self.meta.workshops:
            return
        self.heading(self._("The EIA workshop") if len(self.meta.workshops) == 1 else self._("The EIA workshops"), 1)
        self.para(
            self._(
                "Each participant scored the draft's findings on their own, before seeing anyone else's scores, so "
                "that no one voice set the room's view; the facilitator then revealed the spread and the room agreed "
                "a view on each finding. Scores are likelihood × severity, each from 1 to 5, out of 25, as the rules "
                "give them."
            )
        )
        for workshop in self.meta.workshops:
            self.workshop(workshop)

    def workshop(self, workshop: WorkshopRecord) -> None:
        """One workshop's part of the record."""
        self.heading(self._("The workshop of {day}", day=self.day(workshop.held_on)), 2)
        self.key_values(
            [
                (self._("Date"), self.day(workshop.held_on)),
                (self._("Facilitator"), workshop.facilitator),
                (self._("Draft scored"), self._("Version {version}", version=workshop.version_scored)),
                (
                    self._("Agreed view"),
                    self._("Version {version}", version=workshop.finalised_version)
                    if workshop.finalised_version is not None
                    else self._("Not yet finalised"),
                ),
                (self._("Participants"), str(len(workshop.participants))),
            ]
        )
        self.heading(self._("Who took part"), 3)
        if workshop.participants:
            self.table(
                [self._("Name"), self._("Service or organisation")],
                [[person.name, person.organisation] for person in workshop.participants],
                [8, 9],
            )
        else:
            self.para(self._("Nobody joined the workshop."))
        self.heading(self._("The spread and the agreement, finding by finding"), 3)
        self.para(
            self._(
                "For each finding: the rules' score; the lowest, middle (median) and highest score the room gave it; "
                "how many agreed it is a likely impact, disagreed or were unsure; and the score the room agreed, "
                "whether the finding was kept, and the room's note."
            ),
            keep_next=True,
        )
        self.para(
            self._(
                "Each finding has the number it had at the workshop, on the facilitator's and every participant's "
                "screen; a finding kept also gives its number in the findings in full."
            ),
            keep_next=True,
        )
        rows: list[list[str | Cell]] = []
        for outcome in workshop.findings:
            kept = (
                self._("Not agreed") if outcome.kept is None else self._("Kept") if outcome.kept else self._("Dropped")
            )
            rows.append(
                [
                    self.workshop_finding(outcome),
                    scores(self.t, outcome.rules_likelihood, outcome.rules_severity),
                    room_words(self.t, outcome),
                    f"{outcome.agree} / {outcome.disagree} / {outcome.unsure}",
                    scores(self.t, outcome.agreed_likelihood, outcome.agreed_severity),
                    kept,
                    outcome.note or self._("None"),
                ]
            )
        self.table(
            [
                self._("Finding"),
                self._("The rules' score"),
                self._("The room: lowest / middle / highest"),
                self._("Agree / disagree / unsure"),
                self._("Agreed score"),
                self._("Kept or dropped"),
                self._("Note"),
            ],
            rows,
            [4.0, 1.8, 2.3, 1.9, 1.8, 1.6, 3.6],
        )
        self.heading(self._("Dissent noted"), 3)
        dissenting = [outcome for outcome in workshop.findings if outcome.dissent]
        if not dissenting:
            self.para(
                self._(
                    "None: every participant's score was within 5 points of the agreed score, and nobody's verdict "
                    "went against what the room agreed."
                )
            )
        for outcome in dissenting:
            self.para(self.workshop_label(outcome), bold=True, keep_next=True)
            for sentence in outcome.dissent:
                self.bullet(sentence if sentence.endswith((".", "!", "?")) else f"{sentence}.")
        if dissenting and len(dissenting) < len(workshop.findings):
            others = len(workshop.findings) - len(dissenting)
            self.para(
                self._(
                    "No dissent was noted on the other {findings}.",
                    findings=self.n_("{n} finding", "{n} findings", others),
                )
            )
        self.heading(self._("Impacts the rules missed"), 3)
        if not workshop.added:
            self.para(self._("No participant raised an impact the rules missed."))
            return
        self.table(
            [self._("Impact"), self._("Groups"), self._("Raised by"), self._("Why"), self._("Outcome")],
            [
                [
                    impact.title,
                    ", ".join(impact.groups),
                    impact.raised_by,
                    impact.reason,
                    added_outcome_words(self.t, impact),
                ]
                for impact in workshop.added
            ],
            [3.4, 2.6, 2.8, 4.6, 3.6],
        )

    def workshop_label(self, outcome: FindingOutcome) -> str:
        """A finding as the workshop named it: its number there and its title (in the record's words where the
        assessment still holds it), "2. Older people ..."; a record written before workshops kept their numbers
        has none."""
        titles = {finding.rule: finding.title for finding in [*self.a.findings, *self.a.dropped]}
        title = titles.get(outcome.rule, outcome.title)
        return f"{outcome.number}. {title}" if outcome.number else title

    def workshop_finding(self, outcome: FindingOutcome) -> str:
        """The workshop table's finding: its workshop number and title, and for a kept finding its number in the
        findings in full when the two differ."""
        label = self.workshop_label(outcome)
        in_full = self.number.get(outcome.rule) if outcome.kept else None
        if in_full is None or in_full == outcome.number:
            return label
        return self._("{finding} (finding {number} in the findings in full)", finding=label, number=in_full)

    def bears_on_table(self) -> None:
        """The duty's aims and the strategy's outcomes and principles, each once in its own words, with the findings
        that bear on it: the words the findings' "Bears on" lines refer to by number. The cohesion indicators are
        listed once too, with their baselines, under monitoring and review."""
        self.heading(self._("What the findings bear on"), 2)
        findings = self.a.findings
        rows: list[list[str | Cell]] = []

        def add(title: str, items: list[tuple[str, str]], of: str) -> None:
            cited = [(key, words) for key, words in items if any(key in getattr(f, of) for f in findings)]
            if not cited:
                return
            rows.append([Cell(title, bold=True, fill=HEADER_FILL, span=2)])
            for key, words in cited:
                numbers = ", ".join(str(self.number[f.rule]) for f in findings if key in getattr(f, of))
                rows.append([words, numbers])

        add(
            self._(aims_heading(self.kb)),
            [(a.id, a.name) for a in self.kb.psed_aims],
            "psed_aims",
        )
        add(
            self._("Outcomes of the strategy ({period})", period=self.period),
            [(o.id, f"{number_of(o.id)}. {o.text}") for o in self.kb.outcomes],
            "outcomes",
        )
        add(
            self._("Core principles"),
            [(p.id, f"{number_of(p.id)}. {p.text.rstrip(';, and')}") for p in self.kb.principles.items],
            "principles",
        )
        if not rows:  # only findings the EIA workshop added, which the rules link to nothing
            self.para(self._("None of the findings is linked to the equality duty's aims or the strategy's outcomes."))
            return
        self.table([self._("Aim, outcome, principle or indicator"), self._("Findings")], rows, [13, 4])

    def chart(self) -> None:
        """The chart of the groups affected, its labels and text alternative in the record's language."""
        self.heading(self._("Impact by group"), 2)
        picture, alt_text = impact_chart(self.a, self.t)
        if picture is None:
            self.para(self._("No group is affected, so there is nothing to chart."))
            return
        self.figure(
            picture,
            16.0,
            alt_text,
            self._("Impact by group"),
            chart_caption(self.t),
        )
