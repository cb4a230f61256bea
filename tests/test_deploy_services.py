"""The services a deployment runs (deploy/systemd/, README "Deployment"): systemd reads each unit without a complaint,
an app process started with the unit's own command line and the example settings answers as the public host name
and refuses any other, its pre-start check passes on a sound configuration, and the quarterly job writes the report
card of the quarter just ended, in English and in Welsh."""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import docx
import pytest

from proofing.cli import main
from proofing.store import Store, _dispose_engine
from tests.conftest import postgres_app_schema

ROOT = Path(__file__).resolve().parent.parent
UNITS = ROOT / "deploy" / "systemd"
ENV_EXAMPLE = ROOT / "deploy" / "proofing.env.example"
INSTALLED = "/opt/proofing"  # where the units expect the checkout
BIN = Path(sys.executable).parent


def units_here(folder: Path) -> list[Path]:
    """Every unit, with the checkout's path and the settings file pointing at this one and at a copy of the example."""
    env = folder / "proofing.env"
    env.write_text(ENV_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    copies = []
    for unit in sorted(UNITS.iterdir()):
        text = unit.read_text(encoding="utf-8").replace(INSTALLED, str(ROOT))
        text = text.replace("/etc/proofing/proofing.env", str(env)).replace(f"{ROOT}/.venv/bin", str(BIN))
        name = unit.name.replace("@.service", "@8501.service")  # an instance of the template
        (folder / name).write_text(text, encoding="utf-8")
        copies.append(folder / name)
    return copies


def setting(unit: Path, key: str) -> str:
    """The value of `key` in a unit file (the first line that sets it)."""
    return next(
        line.split("=", 1)[1] for line in unit.read_text(encoding="utf-8").splitlines() if line.startswith(f"{key}=")
    )


def settings_of(env_file: Path) -> dict[str, str]:
    """The variables an EnvironmentFile sets (KEY=VALUE lines; comments and blank lines skipped)."""
    lines = env_file.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.lstrip().startswith("#"))


def test_systemd_reads_every_unit_without_a_complaint(tmp_path: Path) -> None:
    analyse = shutil.which("systemd-analyze")
    assert analyse is not None, "systemd-analyze is missing (Debian's systemd package)"
    copies = units_here(tmp_path)
    assert {unit.name for unit in copies} >= {
        "proofing@8501.service",
        "proofing-remind.service",
        "proofing-remind.timer",
        "proofing-report-card.service",
        "proofing-report-card.timer",
    }
    checked = subprocess.run(
        [analyse, "verify", *(f"./{unit.name}" for unit in copies)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert checked.returncode == 0 and checked.stdout + checked.stderr == "", checked.stdout + checked.stderr
    timers = {unit.name: setting(unit, "OnCalendar") for unit in copies if unit.suffix == ".timer"}
    for calendar in timers.values():  # each timer's calendar is one systemd reads, and it has a next time
        read = subprocess.run([analyse, "calendar", calendar], capture_output=True, text=True, check=False)
        assert read.returncode == 0 and "Next elapse:" in read.stdout, read.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def status(url: str, host: str) -> int:
    """The HTTP status the app process answers `url` with when reached as `host`."""
    request = urllib.request.Request(url, headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_an_app_process_started_as_the_unit_starts_it_answers_as_the_public_host_only(tmp_path: Path) -> None:
    unit = next(unit for unit in units_here(tmp_path) if unit.name == "proofing@8501.service")
    port = free_port()
    database = f"sqlite:///{tmp_path / 'proofing.db'}"
    Store(database)  # migrated, as the owner does before the first start
    _dispose_engine(database)
    env = {name: value for name, value in os.environ.items() if not name.startswith(("PROOFING_", "STREAMLIT_"))}
    env |= settings_of(tmp_path / "proofing.env") | {"PROOFING_DB_URL": database}
    env["HOME"] = str(tmp_path)
    folder = setting(unit, "WorkingDirectory")
    assert folder == str(ROOT)

    before = subprocess.run(
        shlex.split(setting(unit, "ExecStartPre")), capture_output=True, text=True, env=env, cwd=folder, check=False
    )
    assert before.returncode == 0, before.stdout + before.stderr  # local mode on 127.0.0.1, migrated: sound

    command = shlex.split(setting(unit, "ExecStart").replace("%i", str(port)))
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(command, env=env, cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    try:
        health = f"http://127.0.0.1:{port}/_stcore/health"
        for _ in range(120):
            try:
                if status(health, "127.0.0.1") == 200:
                    break
            except OSError:
                time.sleep(0.5)
        assert status(health, "127.0.0.1") == 200
        public = settings_of(tmp_path / "proofing.env")["STREAMLIT_SERVER_ALLOWED_HOSTS"]
        assert public == "proofing.council.example"
        assert status(health, public) == 200  # the proxy passes the public host name on
        assert status(health, "evil.example") == 403
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.mark.parametrize(("day", "quarter"), [("2027-01-01", "2026Q4"), ("2027-08-20", "2027Q2")])
def test_the_quarterly_job_writes_the_report_card_of_the_quarter_before(tmp_path: Path, day: str, quarter: str) -> None:
    database = f"sqlite:///{tmp_path / 'proofing.db'}"
    env = {name: value for name, value in os.environ.items() if not name.startswith("PROOFING_")}
    env["PROOFING_DB_URL"] = database
    script = ROOT / "deploy" / "report-card.sh"
    assert setting(UNITS / "proofing-report-card.service", "ExecStart").startswith(
        f"{INSTALLED}/deploy/report-card.sh "
    )
    cards = tmp_path / "cards"
    written = subprocess.run([str(script), str(cards), day], capture_output=True, text=True, env=env, check=False)
    assert written.returncode == 0, written.stdout + written.stderr
    english, welsh = cards / f"report-card-{quarter}.docx", cards / f"report-card-{quarter}-cy.docx"
    assert sorted(path.name for path in cards.iterdir()) == sorted([english.name, welsh.name])
    for card, title in ((english, "Report card: "), (welsh, "Cerdyn adrodd: ")):
        heading = docx.Document(str(card)).paragraphs[0].text
        assert heading.startswith(title) and heading.endswith(f"({quarter[:4]} {quarter[4:]})"), heading


def test_the_first_administrator_is_granted_through_the_apps_role_on_postgresql(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """README step 8 runs `proofing roles grant` with the services' settings, so as `proofing_app`, which owns nothing:
    the grant is kept, listed and audited in a trail that still verifies."""
    with postgres_app_schema("roles") as (owner, app):
        assert main(["roles", "grant", "subject-of-the-first-administrator", "administrator", "--db", app]) == 0
        assert "now holds Administrator (administrator)" in capsys.readouterr().out
        assert main(["roles", "list", "--db", app]) == 0
        assert "subject-of-the-first-administrator: Administrator (administrator)" in capsys.readouterr().out
        assert main(["audit", "verify", "--db", owner]) == 0
        assert "1 entry" in capsys.readouterr().out
