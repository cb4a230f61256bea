"""`translate import` of a large catalogue with long words finishes in time linear in its size.

babel's line wrapper backtracks over every long run of letters: a 300 kB catalogue whose translations were long
words hung the import for minutes. The import runs in a process with a deadline, so the test fails (instead of
hanging) if the quadratic writer comes back.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from proofing.knowledge import KnowledgeBase
from proofing.language import read_catalogue, rule_texts, rules_catalogue_path

DEADLINE_SECONDS = 10.0


def test_a_one_megabyte_catalogue_of_long_words_imports_in_well_under_ten_seconds(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    folder = tmp_path / "locale"
    (folder / "cy" / "LC_MESSAGES").mkdir(parents=True)
    texts = rule_texts(kb)
    word = "gair" * (1_000_000 // 4 // 20)  # 50 kB with no space: one long word per entry
    sent = Catalog(locale="cy")
    for number, text in enumerate(texts[:20]):
        sent.add(text.english, string=word + str(number), context=text.context)
    for text in texts[20:]:
        sent.add(text.english, string=f"CY {text.english}", context=text.context)  # ordinary ones, wrapped as ever
    path = tmp_path / "sent.po"
    with path.open("wb") as handle:
        write_po(handle, sent, width=0)  # as a translation tool might send it back: unwrapped
    assert path.stat().st_size > 1_000_000

    # In a process of its own: babel's wrapper holds the interpreter while it backtracks, so only a process can be
    # stopped at the deadline. The rule base is loaded before the clock starts.
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from proofing.knowledge import DEFAULT_RULES_DIR, load_knowledge\n"
        "from proofing.language import import_rules\n"
        "kb = load_knowledge(DEFAULT_RULES_DIR)\n"
        "started = time.perf_counter()\n"
        "imported = import_rules(kb, 'cy', Path(sys.argv[1]), Path(sys.argv[2]))\n"
        "print(time.perf_counter() - started, imported.added, len(imported.refused))\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", script, str(path), str(folder)],
            capture_output=True,
            text=True,
            timeout=DEADLINE_SECONDS * 3,  # loading the rule base included
            check=True,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the import of a 1 MB catalogue did not finish in {DEADLINE_SECONDS * 3:.0f} s")
    seconds, added, refused = done.stdout.split()
    assert float(seconds) < DEADLINE_SECONDS / 2, f"the import took {float(seconds):.1f} s"
    assert (int(added), int(refused)) == (len(texts), 0)
    written = read_catalogue(rules_catalogue_path("cy", folder), "cy")
    first = written.get(texts[0].english, context=texts[0].context)
    assert first is not None and first.string == word + "0"  # the long word read back whole
    ordinary = written.get(texts[-1].english, context=texts[-1].context)
    assert ordinary is not None and ordinary.string == f"CY {texts[-1].english}"
