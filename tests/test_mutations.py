"""The Welsh joining rules of proofing.mutations, and the translator filling every Welsh text through them (issue 25):
"Pe bai'r ateb", not "Pe bai yr ateb"; "o ganolig i ddim angen", not "o canolig i dim angen"."""

from __future__ import annotations

import pytest

from proofing.language import PLACEHOLDER, catalogue, translator
from proofing.mutations import SOFT_AFTER, fill, mutation_sites, soft

# The soft mutation: a radical, what it becomes, as a Welsh grammar gives them.
SOFT = [
    ("cynllun", "gynllun"),
    ("pobl", "bobl"),
    ("tref", "dref"),
    ("bws", "fws"),
    ("dinas", "ddinas"),
    ("gwasanaeth", "wasanaeth"),
    ("mam", "fam"),
    ("llyfrgell", "lyfrgell"),
    ("rhieni", "rieni"),
    ("Caerdydd", "Gaerdydd"),
    ("Llandudno", "Landudno"),
    ("chwaraeon", "chwaraeon"),  # ch, ph and th do not mutate
    ("theatr", "theatr"),
    ("ffordd", "ffordd"),
    ("asesiad", "asesiad"),
    ("sgrinio", "sgrinio"),
]


@pytest.mark.parametrize(("radical", "mutated"), SOFT)
def test_soft_mutation(radical: str, mutated: str) -> None:
    assert soft(radical) == mutated


# Sentences assembled from a Welsh text and a value, and how a Welsh reader expects them.
ASSEMBLED = [
    (
        "Pe bai {changes}, byddai'r lefel yn gostwng.",
        {"changes": "yr ateb yn newid"},
        "Pe bai'r ateb yn newid, byddai'r lefel yn gostwng.",
    ),
    ("Mae {what} yn barod.", {"what": "y cynllun"}, "Mae'r cynllun yn barod."),
    ("Symud i {where}.", {"where": "yr ysgol"}, "Symud i'r ysgol."),
    ("Pobl o {where}.", {"where": "y dref"}, "Pobl o'r dref."),
    ("Effaith ar {where}.", {"where": "yr ardal"}, "Effaith ar yr ardal."),  # ar ends in a consonant: yr stays
    ("Yn effeithio ar {groups}", {"groups": "pobl hŷn a phlant"}, "Yn effeithio ar bobl hŷn a phlant"),
    ("Gostwng o {before} i {after}.", {"before": "canolig", "after": "dim angen"}, "Gostwng o ganolig i ddim angen."),
    ("Cymeradwywyd gan {who}.", {"who": "rheolwr y gwasanaeth"}, "Cymeradwywyd gan reolwr y gwasanaeth."),
    ("Taith am {what}", {"what": "tro"}, "Taith am dro"),
    (
        "Cyflwynwyd i'w gymeradwyo gan {who}.",
        {"who": "Rheolwr y Gwasanaeth"},
        "Cyflwynwyd i'w gymeradwyo gan Rheolwr y Gwasanaeth.",
    ),  # a name or title with a capital is left as written
    ("Newidiwyd gan {who}.", {"who": "manager@example.org"}, "Newidiwyd gan manager@example.org."),
    ("{done} o {total} adran", {"done": 3, "total": "7"}, "3 o 7 adran"),  # numbers do not mutate
    (
        "Ysgrifennwyd '{title}' i {path}",
        {"title": "cynllun", "path": "/tmp/plan.yaml"},
        "Ysgrifennwyd 'cynllun' i /tmp/plan.yaml",
    ),  # 'cynllun' follows no preposition; a path is no word
    ("Agorwyd {when} gan {who}.", {"when": "ddoe"}, "Agorwyd ddoe gan {who}."),  # a value not given is kept as written
    ("Dewis {x} a {y}", {"x": "tref", "y": "yr ardal"}, "Dewis tref a'r ardal"),
]


@pytest.mark.parametrize(("text", "values", "expected"), ASSEMBLED)
def test_assembled_sentences(text: str, values: dict[str, object], expected: str) -> None:
    assert fill(text, values) == expected


def test_the_translator_joins_welsh_and_leaves_english_alone() -> None:
    """The hook is in the translator: the issue's own example reads "Pe bai'r ateb" in Welsh; English is untouched."""
    welsh = translator("cy")
    changes = welsh._('the answer to "{question}" also included "{option}"', question="Pwy", option="Plant")
    assert changes.startswith("yr ateb")
    said = welsh._(
        "If {changes}, the level would fall from {before} to {after}.", changes=changes, before="uchel", after="canolig"
    )
    assert said.startswith('Pe bai\'r ateb i "Pwy"')
    assert "Pe bai yr" not in said
    assert said.endswith("o uchel i ganolig.")
    english = translator("en")._(
        "If {changes}, the level would fall from {before} to {after}.",
        changes="the answer",
        before="pobl",
        after="canolig",
    )
    assert english == "If the answer, the level would fall from pobl to canolig."


def test_every_catalogue_placeholder_after_a_preposition_is_mutated_through_the_translator() -> None:
    """Every Welsh text of the catalogues with a placeholder after a preposition that mutates: filled through the
    translator with "cynllun" in each placeholder, the preposition is followed by "gynllun"."""
    welsh = translator("cy")
    checked = 0
    for (context, english), entry in catalogue("cy").entries.items():
        if context is not None or not isinstance(entry.text, str):
            continue
        sites = [site for site in mutation_sites(entry.text) if _preposition_before(entry.text, site)]
        if not sites:
            continue
        names = {found[1:-1] for found in PLACEHOLDER.findall(english)}
        said = welsh._(english, **dict.fromkeys(names, "cynllun"))
        for site in sites:
            preposition = _preposition_before(entry.text, site)
            assert f"{preposition} gynllun" in said, (english, said)
        checked += 1
    assert checked >= 40  # 77 entries of the catalogues have such a placeholder when this was written


def _preposition_before(text: str, site: str) -> str | None:
    """The soft-mutating preposition right before a placeholder in a text, or None."""
    before = text[: text.index(site)].rstrip(" ").rsplit(" ", 1)[-1]
    return before if before.lower() in SOFT_AFTER else None
