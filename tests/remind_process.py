"""`proofing remind` in a process of its own, for tests/test_reminders.py: the due items come from a JSON file
(PROOFING_TEST_DUE_ITEMS) instead of the follow-up, so two real processes can be set to send the same reminders at
once. With PROOFING_TEST_GO set, it says it is ready (PROOFING_TEST_GO + ".ready.<pid>") once its imports and the
database are up, and waits for that file to appear before it claims anything, so both processes start sending
together.

Usage: python tests/remind_process.py [--dry-run]
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import date
from pathlib import Path

from proofing import reminder_sources
from proofing.cli import main
from proofing.reminders import DueItem
from proofing.store import Store


def _from_file(store: Store, on: date) -> tuple[list[DueItem], list[str]]:
    path = Path(os.environ["PROOFING_TEST_DUE_ITEMS"])
    return [DueItem.model_validate(item) for item in json.loads(path.read_text(encoding="utf-8"))], []


if __name__ == "__main__":
    reminder_sources.SOURCES[:] = [_from_file]
    go = os.environ.get("PROOFING_TEST_GO")
    if go:
        Store()  # the database opened and migrated before saying ready
        Path(f"{go}.ready.{os.getpid()}").touch()
        deadline = time.monotonic() + 120
        while not Path(go).exists() and time.monotonic() < deadline:
            time.sleep(0.01)
    sys.exit(main(["remind", *sys.argv[1:]]))
