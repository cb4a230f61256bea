"""Run every benchmark and print its JSON report.

All but bench_load.py (issue 24's load test: 100 simulated people for 5 minutes on the proxied three-process set-up,
10 minutes with its run with a process killed), which is run by hand: see its docstring.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BY_HAND = {"bench_load.py"}

for script in sorted(Path(__file__).resolve().parent.glob("bench_*.py")):
    if script.name in BY_HAND:
        continue
    print(f"== {script.name}", flush=True)
    subprocess.run([sys.executable, str(script), *sys.argv[1:]], check=True)
