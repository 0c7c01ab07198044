"""Each domain declares the object types of its audit events (its live event kinds) and the
Node a client refetches for each; the declarations match what is written and the database's
event trigger."""

from __future__ import annotations

import ast
import re

import asyncpg

from mutual.config import REPO_ROOT
from mutual.kit.records import OwnedRecord
from mutual.schema import DOMAINS

PACKAGE = REPO_ROOT / "backend" / "mutual"


def _declared() -> dict[str, str]:
    kinds: dict[str, str] = {}
    for domain in DOMAINS:
        for object_type, subject in domain.event_kinds.items():
            assert object_type not in kinds, f"{object_type} declared twice"
            kinds[object_type] = subject
    return kinds


def _written_literals() -> set[str]:
    """Every object_type="..." keyword in the backend."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.keyword)
                and node.arg == "object_type"
                and isinstance(node.value, ast.Constant)
            ):
                found.add(str(node.value.value))
    return found


def _owned_records() -> set[str]:
    """Owned records are audited under their class name (audit.service.record_change)."""
    pending, names = [OwnedRecord], set()
    while pending:
        for sub in pending.pop().__subclasses__():
            names.add(sub.__name__)
            pending.append(sub)
    return names


def test_every_audited_object_type_is_declared_by_a_domain() -> None:
    assert (_written_literals() | _owned_records()) - set(_declared()) == set()


async def test_the_declared_subjects_are_the_event_triggers(owner: asyncpg.Connection) -> None:
    # given the trigger function that publishes committed audit events
    source = await owner.fetchval(
        "SELECT string_agg(prosrc, ' ') FROM pg_proc WHERE prosrc LIKE '%subject_type%'"
    )
    # then the object types it maps to another Node are those the domains declare so
    mapped = dict(
        re.findall(r"NEW\.object_type = '(\w+)' THEN\s+SELECT '(\w+)'", source, flags=re.S)
    )
    declared = {k: v for k, v in _declared().items() if k != v}
    assert mapped == declared
    assert mapped  # the trigger maps at least the KPI measurement


def test_every_declared_object_type_has_a_title_for_the_audit_trail() -> None:
    # given the object types of the domains' audit events, and the titles they declare
    labels = {kind for domain in DOMAINS for kind in domain.labels}

    # then each type an event can name has a title source (auditTrail's objectTitle), and
    # none is named that no event has
    assert labels == set(_declared())
