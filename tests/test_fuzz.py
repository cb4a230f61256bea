"""Hostile plans, generated: the plan reader and the command line answer in words, quickly, every time.

Each generated plan starts from one of the example plans and is spoilt in up to three ways: an answer
replaced by a hostile value (infinity, not-a-number, a number of thousands of digits, a lone surrogate,
control characters, a date, binary data, an undefined or self-referring alias, a wrong type, an empty
list), nesting hundreds deep, an alias bomb, a duplicate key, thousands of unknown question ids, a
missing line, a cut, a raw control character or byte, or the whole text replaced by arbitrary text.

In-process (a few hundred plans, with the rule base loaded once): ``proofing assess`` and
``assess --json`` (with and without ``--fail-on``) must exit 0, 2 or 4, never raise, print strict JSON
(no NaN or Infinity, valid UTF-8), and take under a second and under 64 MB (tracemalloc) per plan.
Through the real command line in a subprocess (a few dozen, since each loads the rule base): the same,
plus ``--docx``, with the process's own peak memory (VmHWM, written as it exits). The bounds are
generous guards against runaway work, not speed targets (those live in benchmarks/).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from proofing.cli import main
from proofing.knowledge import KnowledgeBase

PROJECT = Path(__file__).resolve().parent.parent
EXAMPLES = {path.name: path.read_text(encoding="utf-8") for path in sorted((PROJECT / "examples").glob("*.yaml"))}
QUESTION_IDS = sorted(
    {line.split(":")[0].strip() for text in EXAMPLES.values() for line in text.splitlines() if line.startswith("  ")}
    - {""}
)

# PROOFING_FUZZ_SCALE=20 runs twenty times as many, for a fuzzing campaign rather than the suite.
SCALE = int(os.environ.get("PROOFING_FUZZ_SCALE", "1"))
IN_PROCESS_EXAMPLES = 300 * SCALE
SUBPROCESS_EXAMPLES = 20 * SCALE
# The bound catches a hostile plan whose cost explodes (a plan costs about 0.3 s of CPU); it is not a speed target
# (benchmarks/ holds those). Under tracemalloc, with the other worker busy, one ordinary plan once took 1.3 s.
MAX_SECONDS = 3.0
MAX_TRACED_MB = 64
MAX_PROCESS_MB = 600  # the whole interpreter with python-docx, lxml and matplotlib loaded
# The command line run with its own peak memory written at exit: VmHWM of /proc/self/status belongs to the process's
# own address space since exec. The kernel's rusage (os.wait4's ru_maxrss) would not do: Linux carries the high-water
# mark across exec, so a child forked from a test process that has grown past the bound reports the parent's size.
OWN_PEAK = """
import atexit, runpy, sys
peak_file = sys.argv.pop(1)
def _peak():
    with open("/proc/self/status") as status:
        kib = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(peak_file, "w") as out:
        out.write(kib)
atexit.register(_peak)
sys.argv[0] = "proofing"
runpy.run_module("proofing.cli", run_name="__main__", alter_sys=True)
"""

HOSTILE_VALUES = [
    ".inf",
    "-.inf",
    ".nan",
    ".NaN",
    "1.0e+400",
    "-1.0e+400",
    "~",
    "null",
    "yes",
    "[]",
    "{}",
    "[[]]",
    "''",
    '""',
    "!!binary /w==",
    "!!set {a: null}",
    "!!timestamp 2026-01-01",
    "2026-01-01",
    "!!python/object:os.system x",
    "*nowhere",
    "&a [*a]",
    "&a {x: *a}",
    "0x" + "f" * 5_000,
    "1" * 4_301,
    "9" * 400,
    "-" + "9" * 400,
    "-5",
    "1:2:3:4:5:6:7:8",
    "0b" + "1" * 80,
    '"\\ud800"',
    '"x\\udfff\\ud800y"',
    '"\\x00\\x07\\x1b\\x7f"',
    '"\\u2028\\u2029\\ufeff\\u200e"',
    '"{{body}} {% if x %}"',
    '"\\U0001F4DA Llŷfrgell ختبار"',
    "|\n    one\n    two",
    "[reduction, reduction, reduction]",
    "[martians]",
    "{title: nested}",
    "!!str 12",
    "? complex\n    : key",
]


def _yaml_number(value: float) -> str:
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    return repr(value)


HOSTILE_VALUE = st.one_of(
    st.sampled_from(HOSTILE_VALUES),
    st.integers(min_value=-(10**500), max_value=10**500).map(str),
    st.floats().map(_yaml_number),
    st.text(max_size=200).map(json.dumps),  # a double-quoted YAML scalar; \u escapes include surrogates
    st.lists(st.sampled_from(["age", "race", "reduction", "none", "", "x" * 100]), max_size=6).map(
        lambda items: "[" + ", ".join(items) + "]"
    ),
    st.integers(min_value=1, max_value=3_000).map(lambda depth: "[" * depth + "]" * depth),
    st.integers(min_value=1, max_value=500).map(lambda depth: "{a: " * depth + "1" + "}" * depth),
)


Recipe = tuple[str, tuple[tuple[object, ...], ...]]  # an example's name, and the ways it is spoilt
TEXT_FIELDS = ["title", "owner", "description", "wards", "evidence_gaps"]
SPOILS = [
    "value",
    "value",
    "value",
    "text",
    "text",
    "duplicate",
    "unknown",
    "bomb",
    "drop",
    "cut",
    "raw",
    "arbitrary",
    "top",
]
POSITION = st.integers(min_value=0, max_value=10**6)  # taken modulo the length of what it points into


@st.composite
def hostile_plans(draw: st.DrawFn) -> Recipe:
    """How to spoil an example plan, in up to three ways (sometimes none: a sound plan).

    A recipe rather than the text, so that Hypothesis shows a short, readable example when one fails
    (a plan with 20,000 unknown ids is 360 kB of text).
    """
    steps: list[tuple[object, ...]] = []
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 1, 2, 3]))):
        spoil = draw(st.sampled_from(SPOILS))
        if spoil == "value":
            question = draw(st.sampled_from(QUESTION_IDS + ["title", "owner", "description", "answers"]))
            steps.append((spoil, question, draw(HOSTILE_VALUE)))
        elif spoil == "text":  # usually accepted: arbitrary text where text belongs, to reach JSON and Word
            steps.append(("value", draw(st.sampled_from(TEXT_FIELDS)), json.dumps(draw(st.text(min_size=1)))))
        elif spoil == "duplicate":
            steps.append((spoil, draw(POSITION), draw(POSITION)))
        elif spoil == "unknown":
            steps.append((spoil, draw(st.sampled_from([1, 25, 2_000, 20_000]))))
        elif spoil == "bomb":
            width, levels = draw(st.integers(min_value=2, max_value=12)), draw(st.integers(min_value=1, max_value=9))
            steps.append((spoil, width, levels, draw(st.sampled_from(QUESTION_IDS))))
        elif spoil in ("drop", "cut"):
            steps.append((spoil, draw(POSITION)))
        elif spoil == "raw":
            character = draw(
                st.sampled_from(["\x00", "\x07", "\x1b", "\ufeff", "\ud800", "\t", "\r", "\x85", "\u2028"])
            )
            steps.append((spoil, draw(POSITION), character))
        elif spoil == "arbitrary":
            steps.append((spoil, draw(st.text(max_size=300))))
        else:
            steps.append(
                (spoil, draw(st.sampled_from(["- a list", "just text", "42", "~", "---\n...", "a: 1\n---\nb: 2"])))
            )
    return draw(st.sampled_from(sorted(EXAMPLES))), tuple(steps)


def build(recipe: Recipe) -> str:
    """The text of the plan file a recipe describes."""
    name, steps = recipe
    lines = EXAMPLES[name].splitlines()
    for step in steps:
        spoil = step[0]
        event(f"spoilt by: {spoil}")
        answers_at = lines.index("answers:") + 1 if "answers:" in lines else len(lines)
        if spoil == "value":
            question, value = str(step[1]), str(step[2])
            indent = "" if question in ("title", "owner", "description", "answers") else "  "
            line = f"{indent}{question}: {value}"
            at = next((n for n, text in enumerate(lines) if text.startswith(f"{indent}{question}:")), None)
            if at is None:
                lines.insert(answers_at, line)
            else:
                lines[at] = line
        elif spoil == "duplicate" and lines:
            where, which = int(step[1]), int(step[2])  # type: ignore[call-overload]
            lines.insert(where % (len(lines) + 1), lines[which % len(lines)])
        elif spoil == "unknown":
            lines[answers_at:answers_at] = [f"  unknown_{n}: {n}" for n in range(int(step[1]))]  # type: ignore[call-overload]
        elif spoil == "bomb":
            width, levels, question = int(step[1]), int(step[2]), str(step[3])  # type: ignore[call-overload]
            anchors = ["lol: &l0 [" + ", ".join(["lol"] * width) + "]"]
            anchors += [f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * width) + "]" for n in range(1, levels)]
            lines = anchors + lines + [f"  {question}: *l{levels - 1}"]
        elif spoil == "drop" and lines:
            del lines[int(step[1]) % len(lines)]  # type: ignore[call-overload]
        elif spoil in ("cut", "raw"):
            text = "\n".join(lines)
            at = int(step[1]) % (len(text) + 1)  # type: ignore[call-overload]
            lines = (text[:at] + (str(step[2]) + text[at:] if spoil == "raw" else "")).splitlines()
        elif spoil in ("arbitrary", "top"):
            lines = str(step[1]).splitlines()
    return "\n".join(lines) + "\n"


def _write(path: Path, text: str) -> Path:
    # surrogatepass: a raw surrogate becomes the bytes a broken editor would write (not UTF-8).
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return path


def _strict_json(text: str) -> object:
    def refuse(name: str) -> float:
        raise AssertionError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


@contextmanager
def _bounded() -> Iterator[None]:
    tracemalloc.start()
    started = time.process_time()  # CPU time: other work on the machine does not count against the bound
    try:
        yield
    finally:
        elapsed = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert elapsed < MAX_SECONDS, f"took {elapsed:.2f} s"
    assert peak < MAX_TRACED_MB * 1e6, f"peak {peak / 1e6:.0f} MB"


def _run_in_process(argv: list[str]) -> tuple[int, str, str]:
    """main(argv) with UTF-8 output that, like a terminal's, refuses what UTF-8 cannot encode."""
    out, err = io.BytesIO(), io.BytesIO()
    stdout, stderr = io.TextIOWrapper(out, encoding="utf-8"), io.TextIOWrapper(err, encoding="utf-8")
    with redirect_stdout(stdout), redirect_stderr(stderr):
        code = main(argv)
    stdout.flush()
    stderr.flush()
    return code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8")


def _check(code: int, out: str, err: str, options: list[str]) -> None:
    allowed = {0, 2, 4} if "--fail-on" in options else {0, 2}
    assert code in allowed, err
    assert "Traceback" not in err, err
    if code == 2:
        assert err.startswith("proofing: ") and out == "", err
    elif "--json" in options and "--docx" not in options:
        assessment = _strict_json(out)
        assert isinstance(assessment, dict) and assessment["level"] in ("screened_out", "mitigate", "full_assessment")
    event(f"exit {code}")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase) -> Path:
    """A folder for the generated plans, after one unbounded run of each example: the bound is on what one plan
    costs, not on the first run's one-time work (imports done on first use, the engine's rulesets compiled)."""
    with mock.patch("proofing.cli.load_knowledge", return_value=kb):
        for example in sorted((PROJECT / "examples").glob("*.yaml")):
            _run_in_process(["assess", str(example)])
    return tmp_path_factory.mktemp("fuzz")


@settings(
    max_examples=IN_PROCESS_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
@given(recipe=hostile_plans(), options=st.sampled_from([[], ["--json"], ["--json", "--fail-on", "mitigate"]]))
def test_hostile_plans_in_process(kb: KnowledgeBase, scratch: Path, recipe: Recipe, options: list[str]) -> None:
    path = _write(scratch / "plan.yaml", build(recipe))
    with mock.patch("proofing.cli.load_knowledge", return_value=kb), _bounded():
        code, out, err = _run_in_process(["assess", str(path), *options])
    _check(code, out, err, options)


@settings(
    max_examples=SUBPROCESS_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
@given(
    recipe=hostile_plans(),
    options=st.sampled_from([[], ["--json"], ["--docx"], ["--docx", "--fail-on", "full_assessment"]]),
)
def test_hostile_plans_through_the_command_line(scratch: Path, recipe: Recipe, options: list[str]) -> None:
    path = _write(scratch / "plan.yaml", build(recipe))
    record = scratch / "record.docx"
    record.unlink(missing_ok=True)
    argv = [item for option in options for item in (["--docx", str(record)] if option == "--docx" else [option])]
    out_file, err_file = scratch / "out.txt", scratch / "err.txt"
    with out_file.open("wb") as out, err_file.open("wb") as err:
        peak_file = scratch / "peak.txt"
        peak_file.unlink(missing_ok=True)
        process = subprocess.run(  # noqa: S603 - our own command line
            [sys.executable, "-c", OWN_PEAK, str(peak_file), "assess", str(path), *argv],
            stdout=out,
            stderr=err,
            cwd=PROJECT,
            env={key: value for key, value in os.environ.items() if not key.startswith("PYTHONIO")},
            check=False,
        )
    code = process.returncode
    stdout, stderr = out_file.read_bytes().decode("utf-8"), err_file.read_bytes().decode("utf-8")
    _check(code, stdout, stderr, argv)
    peak_kib = int(peak_file.read_text())
    assert peak_kib < MAX_PROCESS_MB * 1024, f"peak {peak_kib / 1024:.0f} MB"
    if "--docx" in argv:
        assert record.exists() == (code in (0, 4)), stderr
