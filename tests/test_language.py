"""Cymraeg: the catalogues compile, plurals follow CLDR, drafts are used and counted, the Welsh rule base gives the
same findings, the translation round trip refuses a broken placeholder, and nothing a user sees escapes
translation (the acceptance tests at the end pass once every page's and the record's catalogues are in)."""

from __future__ import annotations

import ast
import io
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from proofing.assessment import assess, assessment_as_text
from proofing.cli import assessment_text, main
from proofing.knowledge import KnowledgeBase
from proofing.language import (
    LOCALE_DIR,
    catalogue,
    export_rules,
    import_rules,
    localised,
    plural_index,
    read_catalogue,
    rule_texts,
    rules_coverage,
    translator,
    ui_coverage,
    ui_messages,
    write_catalogue,
)
from proofing.plan import read_plan

PROJECT = Path(__file__).resolve().parent.parent
EXAMPLES = PROJECT / "examples"
CATALOGUES = sorted((LOCALE_DIR / "cy" / "LC_MESSAGES").glob("*.po"))


def _folder(tmp_path: Path) -> Path:
    """An empty catalogue folder of a test's own (never the project's)."""
    (tmp_path / "locale" / "cy" / "LC_MESSAGES").mkdir(parents=True)
    return tmp_path / "locale"


def _write(folder: Path, name: str, catalog: Catalog) -> Path:
    path = folder / "cy" / "LC_MESSAGES" / name
    write_catalogue(catalog, path)
    catalogue.cache_clear()
    return path


# --- plural forms and the catalogues ------------------------------------------------------------------------


def test_welsh_has_six_plural_forms() -> None:
    assert Catalog(locale="cy").num_plurals == 6


def test_plural_index_follows_cldr() -> None:
    # CLDR cy: zero 0, one 1, two 2, few 3, many 6, other the rest
    assert [plural_index("cy", n) for n in range(8)] == [0, 1, 2, 3, 5, 5, 4, 5]
    assert [plural_index("en", n) for n in range(3)] == [1, 0, 1]


def test_there_is_a_welsh_catalogue() -> None:
    assert any(path.name == "ui-cli.po" for path in CATALOGUES)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.name)
def test_every_catalogue_compiles_and_checks(path: Path) -> None:
    found = read_catalogue(path, "cy", strict=True)
    assert found.num_plurals == 6, f"{path.name}: Plural-Forms must give Welsh six forms"
    write_mo(io.BytesIO(), found, use_fuzzy=True)
    errors = [(message.id, [str(error) for error in found_errors]) for message, found_errors in found.check()]
    assert not errors, f"{path.name}: {errors}"
    for message in found:
        if message.id and isinstance(message.id, tuple) and any(message.string):
            assert len(message.string) == 6, f"{path.name}:{message.lineno}: a Welsh plural needs six forms"


def test_the_cli_catalogue_is_all_drafts_with_its_placeholders() -> None:
    found = read_catalogue(LOCALE_DIR / "cy" / "LC_MESSAGES" / "ui-cli.po", "cy", strict=True)
    messages = [message for message in found if message.id]
    assert messages and all(message.fuzzy for message in messages), "a developer's Welsh is a draft until confirmed"
    assert "nplurals=6" in found.plural_forms


# --- the translator -------------------------------------------------------------------------------------------


def test_translator_picks_the_plural_form_and_fills_placeholders_in_any_order(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    made = Catalog(locale="cy")
    forms = ("dim {n} {thing}", "un {thing}", "dau {thing}", "tri {thing}", "chwe {thing}", "{thing}: {n}")
    made.add(("{n} {thing}", "{n} {thing}s"), string=forms)
    made.add("{a} then {b}", string="{b} cyn {a}")
    _write(folder, "ui-test.po", made)
    welsh = translator("cy", folder)
    assert [welsh.n_("{n} {thing}", "{n} {thing}s", n, thing="x") for n in (0, 1, 2, 3, 6, 7)] == [
        "dim 0 x",
        "un x",
        "dau x",
        "tri x",
        "chwe x",
        "x: 7",
    ]
    assert welsh._("{a} then {b}", a="A", b="B") == "B cyn A"
    assert translator("en")._("{a} then {b}", a="A", b="B") == "A then B"
    assert translator("en").n_("{n} thing", "{n} things", 1) == "1 thing"
    assert not welsh.drafts_used


def test_a_fuzzy_translation_is_used_but_counted_as_a_draft(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    made = Catalog(locale="cy")
    made.add("Draft", string="Drafft", flags=("fuzzy",))
    made.add("Confirmed", string="Wedi'i gadarnhau")
    _write(folder, "ui-test.po", made)
    welsh = translator("cy", folder)
    assert welsh._("Draft") == "Drafft" and welsh._("Confirmed") == "Wedi'i gadarnhau"
    assert welsh.drafts_used == {"Draft"}
    coverage = ui_coverage([], "cy", folder)
    assert coverage.total == 0
    from proofing.language import coverage_of

    counted = coverage_of([(None, "Draft"), (None, "Confirmed"), (None, "Missing")], "cy", folder)
    assert (counted.confirmed, counted.drafts, counted.missing) == (1, 1, ["Missing"])


# --- the rule base in Welsh -----------------------------------------------------------------------------------


def _every_rule_text_translated(kb: KnowledgeBase, folder: Path) -> None:
    """A catalogue that translates every rule-base text (as "CY: ..." with its placeholders), half of them drafts."""
    made = Catalog(locale="cy")
    for number, text in enumerate(rule_texts(kb)):
        made.add(text.english, string=f"CY: {text.english}", context=text.context, flags=("fuzzy",) * (number % 2))
    _write(folder, "rules.po", made)


def test_the_welsh_rule_base_gives_the_same_findings(kb: KnowledgeBase, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    _every_rule_text_translated(kb, folder)
    welsh = localised(kb, "cy", folder)
    assert not welsh.fallbacks and welsh.drafts
    assert welsh.kb.sha256 == kb.sha256
    for path in sorted(EXAMPLES.glob("*.yaml")):
        plan = read_plan(path)
        english, cymraeg = assess(kb, plan, str(path)), assess(welsh.kb, plan, str(path))
        assert cymraeg.level == english.level, path.name
        assert [(f.rule, f.score, f.rag) for f in cymraeg.findings] == [
            (f.rule, f.score, f.rag) for f in english.findings
        ], path.name
        assert [(g.kind, g.severity) for g in cymraeg.gaps] == [(g.kind, g.severity) for g in english.gaps], path.name
        assert all(f.title.startswith("CY: ") for f in cymraeg.findings), path.name


def test_the_cli_text_report_in_english_is_the_libraries(kb: KnowledgeBase) -> None:
    for path in sorted(EXAMPLES.glob("*.yaml")):
        assessment = assess(kb, read_plan(path), str(path))
        assert assessment_text(kb, assessment) == assessment_as_text(kb, assessment), path.name


def test_assess_lang_cy_prints_welsh(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", str(EXAMPLES / "staff-relocation-package.yaml"), "--lang", "cy"]) == 0
    out = capsys.readouterr().out
    assert "Sgrinio: " in out and "Y penderfyniad y gofynnir amdano: " in out
    assert main(["assess", str(EXAMPLES / "staff-relocation-package.yaml"), "--lang", "bilingual"]) == 0
    both = capsys.readouterr().out
    assert both.index("Sgrinio: ") < both.index("Screening: ")


def test_assess_json_keeps_its_ids_in_welsh(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    plan = str(EXAMPLES / "staff-relocation-package.yaml")
    assert main(["assess", plan, "--json"]) == 0
    english = json.loads(capsys.readouterr().out)
    assert main(["assess", plan, "--json", "--lang", "cy"]) == 0
    welsh = json.loads(capsys.readouterr().out)
    assert welsh["language"] == "cy" and welsh["level"] == english["level"]
    assert [f["rule"] for f in welsh["findings"]] == [f["rule"] for f in english["findings"]]
    assert main(["assess", plan, "--json", "--lang", "bilingual"]) == 2
    assert "--json" in capsys.readouterr().err


# --- export and import ----------------------------------------------------------------------------------------


def test_export_import_round_trip(kb: KnowledgeBase, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    exported = export_rules(kb, "cy", folder=folder)
    texts = [message for message in exported if message.id]
    assert len(texts) == len(rule_texts(kb)) and not any(message.string for message in texts)
    for number, message in enumerate(texts[:10]):
        message.string = f"CY {message.id}"
        message.flags = {"fuzzy"} if number % 2 else set()
    sent = tmp_path / "sent.po"
    write_catalogue(exported, sent)
    imported = import_rules(kb, "cy", sent, folder)
    assert (imported.added, imported.updated, imported.drafts, imported.refused) == (10, 0, 5, [])
    coverage = rules_coverage(kb, "cy", folder)
    assert (coverage.confirmed, coverage.drafts) == (5, 5)
    again = [message for message in export_rules(kb, "cy", folder=folder) if message.id]
    assert len(again) == len(rule_texts(kb)) - 5, "confirmed texts are not exported again"
    assert len(list(export_rules(kb, "cy", include_all=True, folder=folder))) - 1 == len(rule_texts(kb))
    assert import_rules(kb, "cy", sent, folder).added == 0, "importing the same file again changes nothing"
    assert not (LOCALE_DIR / "cy" / "LC_MESSAGES" / "sent.po").exists()


def test_import_refuses_a_placeholder_mismatch_either_way(kb: KnowledgeBase, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    text = rule_texts(kb)[0]
    sent = Catalog(locale="cy")
    sent.add(text.english, string=f"{text.english} {{extra}}", context=text.context)
    path = tmp_path / "sent.po"
    write_catalogue(sent, path)
    imported = import_rules(kb, "cy", path, folder)
    assert imported.added == 0 and "{extra}" in imported.refused[0]
    from proofing.language import placeholder_fault

    assert placeholder_fault("{n} for {group}", "{n} ar gyfer") == "leaves out ['{group}']"
    assert (
        placeholder_fault("{group}", "{grwp}") == "names ['{grwp}'], which the English does not; leaves out ['{group}']"
    )


def test_the_translate_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _folder(tmp_path)
    out = tmp_path / "to-translate.po"
    assert main(["translate", "export", "--lang", "cy", "-o", str(out), "--locale", str(folder)]) == 0
    assert "untranslated" in capsys.readouterr().out
    assert main(["translate", "import", str(out), "--lang", "cy", "--locale", str(folder)]) == 0
    assert "0 added, 0 updated" in capsys.readouterr().out
    for name, data in (("not.po", b"This is a letter, not a catalogue.\n"), ("word.po", b"PK\x03\x04\xff\xfe\x00")):
        bad = tmp_path / name
        bad.write_bytes(data)
        assert main(["translate", "import", str(bad), "--lang", "cy", "--locale", str(folder)]) == 2
        err = capsys.readouterr().err
        assert "not a .po file" in err and "Traceback" not in err
    assert main(["translate", "import", str(tmp_path), "--lang", "cy", "--locale", str(folder)]) == 2
    assert main(["translate", "ui", "--lang", "cy"]) == 0
    assert "texts have a translation" in capsys.readouterr().out


# --- rules check --lang ---------------------------------------------------------------------------------------


def test_rules_check_lang_reports_coverage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "check", "--lang", "cy"]) == 0
    assert "texts have a translation" in capsys.readouterr().out


def test_rules_check_lang_fails_on_a_broken_translation(
    kb: KnowledgeBase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, folder)
    broken = Catalog(locale="cy")
    text = rule_texts(kb)[3]
    broken.add(text.english, string="Testun {heb_ei_lenwi}", context=text.context)
    path = _write(folder, "rules-broken.po", broken)
    assert main(["rules", "check", "--lang", "cy", "--locale", str(folder)]) == 1
    err = capsys.readouterr().err
    assert f"rules-broken.po:{read_catalogue(path, 'cy').get(text.english, text.context).lineno}:" in err
    assert text.context in err and "{heb_ei_lenwi}" in err and "1 fault" in err
    path.write_text('msgid "a"\nmsgstr "b"\nnot a keyword\n', encoding="utf-8")
    assert main(["rules", "check", "--lang", "cy", "--locale", str(folder)]) == 1
    assert "rules-broken.po:" in capsys.readouterr().err


# --- acceptance: nothing a user sees escapes translation ------------------------------------------------------

# Every file a user's words can come from: the app, its pages, and the whole library (the record, the command line,
# the audit trail's and the versions' words, training and its certificate, sign-off, actions, reviews, reminders...).
# The whole package, not a list of modules, so a new module's texts are never left out (issue 22: a list missed ten).
UI_FILES = [
    PROJECT / "app.py",
    *sorted((PROJECT / "views").glob("*.py")),
    PROJECT / "proofing",
]


def test_every_ui_message_has_a_welsh_entry() -> None:
    catalogue.cache_clear()
    messages = ui_messages(UI_FILES)
    coverage = ui_coverage(messages, "cy")
    missing = set(coverage.missing)
    where = [f"{m.path.relative_to(PROJECT)}:{m.line}: {m.english}" for m in messages if m.english in missing]
    assert not coverage.missing, f"UI: {coverage.words()}; missing:\n" + "\n".join(where[:40])
    assert not coverage.placeholder_faults, coverage.placeholder_faults


def test_the_ui_files_are_every_module_that_marks_a_text() -> None:
    """Every library module with a text marked for translation is scanned (issue 22: audit_words, version_words,
    training, certificate, signoff, actions and the record's status were not), and so is every page."""
    scanned = {message.path.resolve() for message in ui_messages(UI_FILES)}
    for module in ("audit_words", "version_words", "training", "certificate", "signoff", "actions"):
        assert (PROJECT / "proofing" / f"{module}.py").resolve() in scanned, module
    assert (PROJECT / "proofing" / "report" / "status.py").resolve() in scanned
    assert (PROJECT / "views" / "local_name.py").resolve() in scanned


def test_every_text_marked_for_later_translation_has_a_welsh_entry() -> None:
    """Texts marked N_("...") where they are defined and translated where shown (a status's words, an action's)
    need a Welsh entry too; the extractor reads only _() and n_(), so they are read here."""
    from babel.messages.extract import extract_from_file

    from proofing.language import coverage_of

    marked: dict[str, str] = {}
    for root in UI_FILES:
        for file in sorted(root.rglob("*.py")) if root.is_dir() else [root]:
            for line, message, _comments, _context in extract_from_file(
                "python", str(file), keywords={"N_": None}, comment_tags=(), options={}, strip_comment_tags=False
            ):
                if isinstance(message, str) and message:
                    marked.setdefault(message, f"{file.relative_to(PROJECT)}:{line}")
    assert "Submitted for approval" in marked  # proofing/report/status.py's STATUS_WORDS, read
    catalogue.cache_clear()
    coverage = coverage_of(((None, english) for english in marked), "cy")
    assert not coverage.missing, [f"{marked[english]}: {english}" for english in coverage.missing]


def test_every_rule_base_text_has_a_welsh_entry(kb: KnowledgeBase) -> None:
    catalogue.cache_clear()
    coverage = rules_coverage(kb, "cy")
    assert not coverage.missing, f"rule base: {coverage.words()}; first missing: {coverage.missing[:10]}"
    assert not coverage.placeholder_faults, coverage.placeholder_faults


SHOWN = {
    "title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success", "button",
    "form_submit_button", "download_button", "radio", "selectbox", "multiselect", "text_input", "text_area",
    "toggle", "checkbox", "number_input", "expander", "tabs", "page_link",
}  # fmt: skip
# Literals a user sees that are deliberately the same in both languages: the language switch names each language
# in itself, as the Welsh Language Standards ask, so it must not be translated.
ALLOWED = {"Iaith · Language", "Cymraeg", "English"}


def _streamlit_call(node: ast.Call) -> str | None:
    """The Streamlit element a call shows (st.x, st.sidebar.x, or a column/container's x), else None."""
    func = node.func
    if not isinstance(func, ast.Attribute) or func.attr not in SHOWN:
        return None
    owner = func.value
    if isinstance(owner, ast.Name) and owner.id == "st":
        return func.attr
    if isinstance(owner, ast.Attribute) and owner.attr == "sidebar" and isinstance(owner.value, ast.Name):
        return func.attr if owner.value.id == "st" else None
    return None


def _escapes(node: ast.expr) -> bool:
    """Whether a shown argument is a literal (or f-string) with letters that is not wrapped for translation."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(ch.isalpha() for ch in node.value) and node.value not in ALLOWED
    if isinstance(node, ast.JoinedStr):
        text = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
        return any(ch.isalpha() for ch in text)
    if isinstance(node, ast.BinOp):
        return _escapes(node.left) or _escapes(node.right)
    if isinstance(node, ast.List | ast.Tuple):  # st.tabs(["One", "Two"])
        return any(_escapes(item) for item in node.elts)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):  # "Hello {name}".format(...)
        return _escapes(node.func.value)
    return False  # a call (_(), n_(), marked(), plain(_())) or a name: wrapped, or text from the rule base


def test_no_user_visible_literal_escapes_translation_in_the_pages() -> None:
    escaped = []
    for path in sorted((PROJECT / "views").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or _streamlit_call(node) is None:
                continue
            shown = node.args[:1] + [keyword.value for keyword in node.keywords if keyword.arg == "label"]
            if any(_escapes(argument) for argument in shown):
                escaped.append(f"views/{path.name}:{node.lineno}: st.{_streamlit_call(node)}")
    assert not escaped, f"{len(escaped)} shown texts are not wrapped in _():\n" + "\n".join(escaped)


def test_one_text_has_one_welsh_form_across_the_catalogues() -> None:
    """The same English text (in the same context) translated two ways in two catalogues would show a page one
    Welsh word and its record another; the merged catalogue must never have to choose."""
    forms: dict[tuple[str | None, str], dict[str, str]] = {}
    for path in sorted((LOCALE_DIR / "cy" / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale="cy"):
                if not message.id or not message.string:
                    continue
                english = message.id if isinstance(message.id, str) else message.id[0]
                forms.setdefault((message.context, english), {})[path.name] = str(message.string)
    conflicts = {key: found for key, found in forms.items() if len(set(found.values())) > 1}
    assert conflicts == {}, "\n".join(f"{key[1]!r}: {found}" for key, found in conflicts.items())
