"""A task module for `mutual serve` subprocesses (MUTUAL_TASK_MODULES=tests.feedback.notice_probe):
it adds no task, but a notice sink that appends each notice sent in that process, as a JSON line,
to the file MUTUAL_NOTICE_FILE names, so a test counts notices across processes."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mutual.kit import notices
from mutual.kit.jobs import Task
from mutual.kit.notices import Notice

NOTICE_FILE_ENV = "MUTUAL_NOTICE_FILE"
TASKS: tuple[Task, ...] = ()


async def _write(_session: Any, batch: Sequence[Notice]) -> None:
    path = os.environ.get(NOTICE_FILE_ENV)
    if not path:
        return
    # One short line per write on an O_APPEND file: lines of two processes never mix.
    for notice in batch:
        line = {
            "pid": os.getpid(),
            "kind": notice.kind,
            "party_id": str(notice.party_id),
            "subject_id": str(notice.subject_id),
            "dedupe_key": notice.dedupe_key,
        }
        with open(path, "a") as file:  # noqa: ASYNC230 (a test's probe: a short local write)
            file.write(json.dumps(line) + "\n")


def sent(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


notices.use([*notices.SINKS, _write])
