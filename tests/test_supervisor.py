"""`mutual serve --workers N`'s supervisor: a process that keeps dying right after its start is
replaced with a growing delay, not forked again twice a second; one that ran steadily at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from mutual.cli import RESTART_MAX_SECONDS, restart_delay
from mutual.config import REPO_ROOT

CRASHING = """
import sys, time
from pathlib import Path
from mutual.cli import supervise

starts = Path(sys.argv[1])

def serve_one(ready):
    with starts.open("a") as log:
        log.write(f"{time.monotonic()}\\n")
    ready.set()
    sys.exit(3)  # dies right after it was ready, as a process crashing on its first request

sys.exit(supervise(serve_one, 1))
"""


def test_the_delay_doubles_with_each_early_death_up_to_its_cap() -> None:
    assert restart_delay(0) == 0
    assert [restart_delay(n) for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert restart_delay(40) == RESTART_MAX_SECONDS


def test_a_process_that_keeps_crashing_is_restarted_ever_more_slowly(tmp_path: Path) -> None:
    starts = tmp_path / "starts"
    env = {**os.environ, "PYTHONPATH": f"{REPO_ROOT / 'backend'}:{REPO_ROOT}"}
    supervisor = subprocess.Popen(
        [sys.executable, "-c", CRASHING, str(starts)], env=env, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and _starts(starts) < 3:
        time.sleep(0.1)
    supervisor.send_signal(signal.SIGTERM)
    _, log = supervisor.communicate(timeout=20)
    assert supervisor.returncode == 0, log
    times = [float(line) for line in starts.read_text().split()]
    # Started, then again after 1 s, then after 2 s more (not every 0.2 s, the check's pace).
    assert len(times) == 3, times
    first, second = times[1] - times[0], times[2] - times[1]
    assert 0.9 <= first < 1.9 <= second < 4, times
    assert "starting another in 1 s" in log and "starting another in 2 s" in log


def _starts(path: Path) -> int:
    return len(path.read_text().split()) if path.exists() else 0
