"""The tasks a worker runs: every domain's (`Domain.tasks`), then those of the modules named in
MUTUAL_TASK_MODULES (each with a `TASKS` sequence: local tools, the tests' probes), with the
periods MUTUAL_TASK_EVERY_SECONDS sets instead of their own."""

from __future__ import annotations

import dataclasses
import importlib
from datetime import timedelta

from mutual.config import Settings
from mutual.kit.jobs import Task
from mutual.schema import DOMAINS


def worker_tasks(settings: Settings) -> tuple[Task, ...]:
    tasks = [task for domain in DOMAINS for task in domain.tasks]
    for name in filter(None, (part.strip() for part in settings.task_modules.split(","))):
        tasks.extend(importlib.import_module(name).TASKS)
    every = settings.task_every_seconds
    periodic = {task.name for task in tasks if task.schedule is not None}
    unknown = sorted(set(every) - periodic)
    if unknown:
        # A misspelt name would leave its task on its own schedule without a word.
        raise ValueError(f"MUTUAL_TASK_EVERY_SECONDS names no periodic task: {unknown}")
    return tuple(
        dataclasses.replace(task, cron=None, every=timedelta(seconds=every[task.name]))
        if task.name in every
        else task
        for task in tasks
    )
