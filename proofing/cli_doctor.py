"""`proofing doctor`: check a deployment's configuration and list every fault at once, each with its fix.

It reads the secrets Streamlit will read (``.streamlit/secrets.toml``, or ``--secrets``), the server address
(``--address``, else ``STREAMLIT_SERVER_ADDRESS``, else ``[server] address`` in the config.toml beside the secrets),
the database (``--db``, else ``PROOFING_DB_URL``), ``PROOFING_PUBLIC_URL`` and the signing keys; the checks are
proofing.doctor's, the same the app runs when it starts. ``--upgrade`` first upgrades the database to this version.

Exit codes: 0 the configuration is sound; 1 faults were found (every one listed); 2 bad usage.
"""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
from pathlib import Path
from typing import Any

from proofing import doctor
from proofing.cli_text import _, _say, current, n_
from proofing.errors import CommandError
from proofing.identity import SECRETS_FILE
from proofing.store import Store, StoreError

ADDRESS_ENV = "STREAMLIT_SERVER_ADDRESS"


def add_parser(commands: Any) -> None:
    """Add `doctor [--secrets FILE] [--address HOST] [--db URL] [--upgrade]` to the subcommands."""
    check = commands.add_parser("doctor", help="check the configuration: list every fault, each with its fix")
    check.add_argument(
        "--secrets",
        type=Path,
        default=Path(SECRETS_FILE),
        metavar="FILE",
        help=f"the app's secrets (default: {SECRETS_FILE}; none: local mode)",
    )
    check.add_argument(
        "--address",
        metavar="HOST",
        help=f"the address the app serves (default: {ADDRESS_ENV}, else server.address in the config.toml beside "
        "the secrets)",
    )
    check.add_argument("--db", metavar="URL", help="the database (default: PROOFING_DB_URL, else data/proofing.db)")
    check.add_argument("--upgrade", action="store_true", help="upgrade the database to this version first")


def _toml(path: Path) -> dict[str, Any] | None:
    """The TOML file at `path` as a mapping; None when there is no such file; CommandError when it is not TOML."""
    if not path.is_file():
        return None
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
        raise CommandError(_("{path} could not be read as TOML: {reason}", path=str(path), reason=str(error))) from None


def server_address(arguments: argparse.Namespace) -> str | None:
    """The address the app will serve: --address, else STREAMLIT_SERVER_ADDRESS, else config.toml's server.address."""
    if arguments.address:
        return str(arguments.address)
    if os.environ.get(ADDRESS_ENV, "").strip():
        return os.environ[ADDRESS_ENV].strip()
    config = _toml(arguments.secrets.parent / "config.toml") or {}
    server = config.get("server")
    address = server.get("address") if isinstance(server, dict) else None
    return address if isinstance(address, str) else None


def doctor_command(arguments: argparse.Namespace) -> int:
    """Check the configuration; print every fault with its fix (exit 1), or say it is sound (exit 0)."""
    secrets = _toml(arguments.secrets)
    if secrets is None:
        _say(
            _(
                "No secrets file at {path}: the app runs in local mode (no sign-in, this machine only).",
                path=str(arguments.secrets),
            )
        )
    if arguments.upgrade:
        try:
            Store(arguments.db)
        except StoreError as error:
            _say(_("The database could not be upgraded: {reason}", reason=str(error)), sys.stderr)
        else:
            _say(_("The database is upgraded to this version."))
    report = doctor.check(secrets or {}, server_address=server_address(arguments), db_url=arguments.db)
    if report.sound:
        _say(_("The configuration is sound: sign-in, the database, the public address and the signing key."))
        return 0
    translation = current()
    _say(report.heading(n_))
    for number, fault in enumerate(report.faults, start=1):
        _say(f"{number}. {fault.sentence(translation._)}")
    return 1
