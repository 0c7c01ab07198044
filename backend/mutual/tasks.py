"""The tasks a worker runs: every domain's (`Domain.tasks`), then those of the modules named in
MUTUAL_TASK_MODULES (each with a `TASKS` sequence: local tools, the tests' probes)."""

from __future__ import annotations

import importlib

from mutual.config import Settings
from mutual.kit.jobs import Task
from mutual.schema import DOMAINS


def worker_tasks(settings: Settings) -> tuple[Task, ...]:
    tasks = [task for domain in DOMAINS for task in domain.tasks]
    for name in filter(None, (part.strip() for part in settings.task_modules.split(","))):
        tasks.extend(importlib.import_module(name).TASKS)
    return tuple(tasks)
