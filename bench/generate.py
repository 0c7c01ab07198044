"""Fill a database with 1,000 partnerships of realistic size and one large partnership.

Usage: .venv/bin/python -m bench.generate [--partnerships N] [--database NAME]

Each partnership: two organizations from a shared pool, 2 to 6 members, ~10 milestones,
~30 commitments (with their transitions and evidence), ~5 KPIs with ~26 weekly measurements.
The large one ("Atlas ↔ Borealis"): 60 milestones, 300 commitments, 40 KPIs x 104 weekly
measurements. About a tenth of every kind of record is INTERNAL to one side.

Rows are written with COPY as the owner: this is benchmark data, not audited writes, so there
are no audit events. COPY into tables with forced row-level security needs an owner that is a
superuser or has BYPASSRLS (the embedded server's and docker-compose's owner is). Prints how
long generation takes and how many rows it wrote.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
from sqlalchemy.engine import URL

from mutual.auth.passwords import hash_password
from mutual.config import Settings
from mutual.db import connect_owner
from mutual.kit.clock import today, utcnow
from mutual.seed import DEMO_PASSWORD

LARGE_NAME = "Atlas ↔ Borealis (large)"
LARGE_LOGIN = "lead@borealis.example"  # a LEAD of the large partnership's customer side
ORG_POOL = 300
USERS_PER_ORG = 6
DATABASE = "mutual_bench"


@dataclass(frozen=True)
class Shape:
    """How much a partnership's workspace holds."""

    milestones: int
    commitments: int
    kpis: int
    measurements: int  # per KPI, weekly
    internal_share: float = 0.1


REALISTIC = Shape(milestones=10, commitments=30, kpis=5, measurements=26)
LARGE = Shape(milestones=60, commitments=300, kpis=40, measurements=104)


@dataclass(frozen=True)
class Side:
    party_id: uuid.UUID
    user_ids: Sequence[uuid.UUID]


PHASES = ("STABILIZE", "REBUILD", "DEEPEN")
MILESTONE_STATUSES = ("PLANNED", "IN_PROGRESS", "DONE", "AT_RISK", "DROPPED")
MILESTONE_WEIGHTS = (40, 25, 25, 7, 3)
# Commitment statuses and the actions that led there, in order.
PATHS = {
    "PROPOSED": (),
    "DECLINED": ("DECLINE",),
    "AGREED": ("ACCEPT",),
    "IN_PROGRESS": ("ACCEPT", "START"),
    "DELIVERED": ("ACCEPT", "START", "DELIVER"),
    "CONFIRMED": ("ACCEPT", "START", "DELIVER", "CONFIRM"),
    "DISPUTED": ("ACCEPT", "START", "DELIVER", "DISPUTE"),
}
ACTION_TARGET = {
    "DECLINE": "DECLINED",
    "ACCEPT": "AGREED",
    "START": "IN_PROGRESS",
    "DELIVER": "DELIVERED",
    "CONFIRM": "CONFIRMED",
    "DISPUTE": "DISPUTED",
}
COMMITMENT_WEIGHTS = {
    "PROPOSED": 8,
    "DECLINED": 4,
    "AGREED": 14,
    "IN_PROGRESS": 20,
    "DELIVERED": 8,
    "CONFIRMED": 40,
    "DISPUTED": 6,
}
KPI_NAMES = (
    ("On-time delivery", "%", "HIGHER_IS_BETTER", 55, 92),
    ("Mean response time", "h", "LOWER_IS_BETTER", 48, 6),
    ("Customer satisfaction", "/10", "HIGHER_IS_BETTER", 7.5, 8.8),
    ("Defect rate", "%", "LOWER_IS_BETTER", 1.5, 0.3),
    ("Net promoter score", "", "HIGHER_IS_BETTER", -10, 45),
)

COLUMNS: dict[str, tuple[str, ...]] = {
    "organization": ("id", "name", "slug", "email_domain"),
    "app_user": ("id", "organization_id", "email", "display_name", "password_hash", "org_role"),
    "partnership": ("id", "name", "status", "created_by", "activated_at"),
    "party": ("partnership_id", "id", "organization_id", "label"),
    "workspace_member": ("partnership_id", "id", "party_id", "user_id", "role"),
    "milestone": (
        "partnership_id", "id", "title", "description", "target_date", "phase", "status",
        "sort_key", "owner_party_id", "visibility", "created_by",
    ),
    "kpi": (
        "partnership_id", "id", "name", "unit", "direction", "baseline_value", "baseline_date",
        "target_value", "target_date", "warning_threshold", "critical_threshold", "cadence",
        "owner_party_id", "visibility", "created_by",
    ),
    "kpi_measurement": (
        "partnership_id", "id", "kpi_id", "period_start", "value", "source", "note",
        "reported_by", "owner_party_id", "visibility",
    ),
    "commitment": (
        "partnership_id", "id", "title", "description", "proposed_by_party_id", "due_date",
        "milestone_id", "kpi_id", "status", "delivered_at", "confirmed_at", "dispute_reason",
        "owner_party_id", "visibility", "created_by",
    ),
    "commitment_evidence": (
        "partnership_id", "id", "commitment_id", "url", "title", "added_by", "owner_party_id",
        "visibility",
    ),
    "commitment_transition": (
        "partnership_id", "id", "commitment_id", "action", "from_status", "to_status",
        "actor_user_id", "actor_party_id", "due_date_after", "at", "owner_party_id",
        "visibility",
    ),
}  # fmt: skip


@dataclass
class Rows:
    """Rows to COPY, table by table, built from a seeded random generator."""

    rng: random.Random
    tables: dict[str, list[tuple[Any, ...]]] = field(
        default_factory=lambda: {table: [] for table in COLUMNS}
    )

    def organization(
        self, name: str, slug: str, password_hash: str, people: Sequence[str]
    ) -> tuple[uuid.UUID, list[uuid.UUID]]:
        """An organization and its users (the first is its ADMIN): its id and the users' ids."""
        org_id = uuid.uuid4()
        self.tables["organization"].append((org_id, name, slug, f"{slug}.example"))
        user_ids = []
        for index, local in enumerate(people):
            user_id = uuid.uuid4()
            role = "ADMIN" if index == 0 else "MEMBER"
            email = f"{local}@{slug}.example"
            self.tables["app_user"].append(
                (user_id, org_id, email, f"{local.title()} ({name})", password_hash, role)
            )
            user_ids.append(user_id)
        return org_id, user_ids

    def partnership(
        self,
        name: str,
        orgs: Sequence[tuple[uuid.UUID, Sequence[uuid.UUID], Sequence[str]]],
        labels: Sequence[str] = ("Supplier", "Customer"),
    ) -> tuple[uuid.UUID, list[Side]]:
        """An ACTIVE partnership of two organizations with the given members (first is LEAD)."""
        partnership_id = uuid.uuid4()
        creator = orgs[0][1][0]
        self.tables["partnership"].append(
            (partnership_id, name, "ACTIVE", creator, utcnow() - timedelta(days=200))
        )
        sides = []
        for (org_id, members, roles), label in zip(orgs, labels, strict=True):
            party_id = uuid.uuid4()
            self.tables["party"].append((partnership_id, party_id, org_id, label))
            for user_id, role in zip(members, roles, strict=True):
                self.tables["workspace_member"].append(
                    (partnership_id, uuid.uuid4(), party_id, user_id, role)
                )
            sides.append(Side(party_id=party_id, user_ids=members))
        return partnership_id, sides

    def workspace(self, partnership_id: uuid.UUID, sides: Sequence[Side], shape: Shape) -> None:
        """Milestones, KPIs with measurements, commitments with transitions and evidence."""
        rng, now, day = self.rng, utcnow(), today()

        def owner_and_visibility() -> tuple[Side, str]:
            side = rng.choice(sides)
            return side, "INTERNAL" if rng.random() < shape.internal_share else "SHARED"

        shared_milestones: list[uuid.UUID] = []
        sort_keys = dict.fromkeys(PHASES, Decimal(0))
        for index in range(shape.milestones):
            side, visibility = owner_and_visibility()
            phase = PHASES[min(2, index * 3 // max(1, shape.milestones))]
            milestone_id = uuid.uuid4()
            self.tables["milestone"].append(
                (
                    partnership_id, milestone_id, f"Milestone {index + 1}: {phase.lower()} step",
                    "Generated for the benchmark.", day + timedelta(days=rng.randint(-150, 200)),
                    phase, rng.choices(MILESTONE_STATUSES, MILESTONE_WEIGHTS)[0], sort_keys[phase],
                    side.party_id, visibility, rng.choice(side.user_ids),
                )
            )  # fmt: skip
            sort_keys[phase] += 1
            if visibility == "SHARED":
                shared_milestones.append(milestone_id)

        shared_kpis: list[uuid.UUID] = []
        last_monday = day - timedelta(days=day.weekday() + 7)
        for index in range(shape.kpis):
            side, visibility = owner_and_visibility()
            name, unit, direction, baseline, target = KPI_NAMES[index % len(KPI_NAMES)]
            higher = direction == "HIGHER_IS_BETTER"
            span = target - baseline
            warning, critical = baseline + span * 0.8, baseline + span * 0.5
            if not higher:  # for LOWER_IS_BETTER the critical threshold is the higher one
                warning, critical = min(warning, critical), max(warning, critical)
            kpi_id = uuid.uuid4()
            periods = [last_monday - timedelta(weeks=w) for w in range(shape.measurements)][::-1]
            self.tables["kpi"].append(
                (
                    partnership_id, kpi_id, f"{name} #{index + 1}", unit, direction,
                    _number(baseline), periods[0] if periods else day, _number(target),
                    day + timedelta(days=180), _number(warning), _number(critical), "WEEKLY",
                    side.party_id, visibility, rng.choice(side.user_ids),
                )
            )  # fmt: skip
            for step, period in enumerate(periods):
                progress = step / max(1, len(periods) - 1)
                value = baseline + span * progress * rng.uniform(0.7, 1.05)
                self.tables["kpi_measurement"].append(
                    (
                        partnership_id, uuid.uuid4(), kpi_id, period, _number(value),
                        rng.choice(("MANUAL", "API")), "", rng.choice(side.user_ids),
                        side.party_id, visibility,
                    )
                )  # fmt: skip
            if visibility == "SHARED":
                shared_kpis.append(kpi_id)

        statuses, weights = list(COMMITMENT_WEIGHTS), list(COMMITMENT_WEIGHTS.values())
        for index in range(shape.commitments):
            side, visibility = owner_and_visibility()
            other = next(s for s in sides if s is not side)
            proposer = side if visibility == "INTERNAL" or rng.random() < 0.5 else other
            status = rng.choices(statuses, weights)[0]
            if visibility == "INTERNAL" and status in ("PROPOSED", "DECLINED"):
                status = "AGREED"  # one side's own plans need no acceptance
            due = day + timedelta(days=rng.randint(-180, 120))
            proposed_at = datetime.combine(due - timedelta(days=60), datetime.min.time(), UTC)
            delivered_at = confirmed_at = None
            if status in ("DELIVERED", "CONFIRMED", "DISPUTED"):
                delivered_at = min(proposed_at + timedelta(days=rng.randint(20, 75)), now)
            if status == "CONFIRMED" and delivered_at is not None:
                confirmed_at = min(delivered_at + timedelta(days=2), now)
            commitment_id = uuid.uuid4()
            self.tables["commitment"].append(
                (
                    partnership_id, commitment_id, f"Commitment {index + 1}",
                    "Generated for the benchmark.", proposer.party_id, due,
                    rng.choice(shared_milestones) if shared_milestones and rng.random() < 0.7
                    else None,
                    rng.choice(shared_kpis) if shared_kpis and rng.random() < 0.4 else None,
                    status, delivered_at, confirmed_at,
                    "Not what we agreed." if status == "DISPUTED" else None,
                    side.party_id, visibility, rng.choice(proposer.user_ids),
                )
            )  # fmt: skip
            steps: list[tuple[str, str | None, str]] = [
                ("PROPOSE", None, "AGREED" if visibility == "INTERNAL" else "PROPOSED")
            ]
            current = steps[0][2]
            for action in PATHS[status]:
                if visibility == "INTERNAL" and action == "ACCEPT":
                    continue
                steps.append((action, current, ACTION_TARGET[action]))
                current = ACTION_TARGET[action]
            for order, (action, before, after) in enumerate(steps):
                actor = side if action in ("PROPOSE", "START", "DELIVER") else other
                self.tables["commitment_transition"].append(
                    (
                        partnership_id, uuid.uuid4(), commitment_id, action, before, after,
                        rng.choice(actor.user_ids), actor.party_id,
                        due if action == "PROPOSE" else None,
                        min(proposed_at + timedelta(days=order * 9), now),
                        side.party_id, visibility,
                    )
                )  # fmt: skip
            if delivered_at is not None:
                self.tables["commitment_evidence"].append(
                    (
                        partnership_id, uuid.uuid4(), commitment_id,
                        f"https://docs.example/evidence/{commitment_id}.pdf", "Delivery report",
                        rng.choice(side.user_ids), side.party_id, visibility,
                    )
                )  # fmt: skip

    async def copy(self, conn: asyncpg.Connection) -> dict[str, int]:
        """COPY every table (in foreign-key order); returns the row counts."""
        counts = {}
        for table, columns in COLUMNS.items():
            records = self.tables[table]
            if records:
                await conn.copy_records_to_table(table, records=records, columns=columns)
            counts[table] = len(records)
            records.clear()
        return counts


def _number(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


@dataclass(frozen=True)
class Generated:
    large_partnership_id: uuid.UUID
    rows: dict[str, int]
    seconds: float
    phases: dict[str, float]


async def generate(owner: URL, *, partnerships: int = 1000, seed: int = 7) -> Generated:
    """The pool of organizations, `partnerships` realistic ones, and the large one."""
    started = time.perf_counter()
    rng = random.Random(seed)
    password_hash = hash_password(DEMO_PASSWORD)
    rows = Rows(rng)
    people = ("lead", "editor", "governance", "viewer", "analyst", "ops")[:USERS_PER_ORG]
    pool = [
        rows.organization(f"Org {index:03}", f"org{index:03}", password_hash, people)
        for index in range(ORG_POOL)
    ]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < partnerships:
        a, b = rng.sample(range(ORG_POOL), 2)
        pairs.add((a, b))
    for a, b in sorted(pairs):
        orgs = []
        for org_id, users in (pool[a], pool[b]):
            count = rng.randint(1, 3)  # 2 to 6 members in all
            roles = ["LEAD", *rng.choices(("EDITOR", "GOVERNANCE", "VIEWER"), k=count - 1)]
            orgs.append((org_id, rng.sample(users, count), roles))
        partnership_id, sides = rows.partnership(f"Partnership org{a:03} ↔ org{b:03}", orgs)
        rows.workspace(partnership_id, sides, REALISTIC)

    large_orgs = []
    for name, slug in (("Atlas Manufacturing", "atlas"), ("Borealis Retail", "borealis")):
        org_id, users = rows.organization(name, slug, password_hash, ("lead", "editor", "viewer"))
        large_orgs.append((org_id, users, ["LEAD", "EDITOR", "VIEWER"]))
    large_id, large_sides = rows.partnership(LARGE_NAME, large_orgs)
    rows.workspace(large_id, large_sides, LARGE)

    built = time.perf_counter()
    conn = await connect_owner(owner)
    try:
        async with conn.transaction():
            # Foreign keys hold by construction; skipping their per-row triggers halves COPY.
            await conn.execute("SET LOCAL session_replication_role = replica")
            counts = await rows.copy(conn)
        copied = time.perf_counter()
        await conn.execute("ANALYZE")  # planner statistics as a real database would have
    finally:
        await conn.close()
    finished = time.perf_counter()
    return Generated(
        large_partnership_id=large_id,
        rows=counts,
        seconds=finished - started,
        phases={
            "build rows": built - started,
            "COPY": copied - built,
            "ANALYZE": finished - copied,
        },
    )


async def fill_workspace(
    conn: asyncpg.Connection,
    partnership_id: uuid.UUID,
    sides: Sequence[Side],
    shape: Shape,
    *,
    seed: int = 7,
) -> dict[str, int]:
    """Add `shape`'s records to an existing partnership (used by tests at two data sizes)."""
    rows = Rows(random.Random(seed))
    rows.workspace(partnership_id, sides, shape)
    return await rows.copy(conn)


async def _main(args: argparse.Namespace) -> None:
    from bench.common import fresh_database

    settings = Settings(env="production", allow_insecure=True)
    owner = await fresh_database(args.database, settings)
    generated = await generate(owner, partnerships=args.partnerships)
    phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in generated.phases.items())
    print(f"Generated in {generated.seconds:.1f} s ({phases}) in database {args.database}:")
    for table, count in generated.rows.items():
        print(f"  {table:<24} {count:>9,}")
    print(f"Large partnership: {LARGE_NAME} ({generated.large_partnership_id}); "
          f"sign in as {LARGE_LOGIN} / {DEMO_PASSWORD}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--partnerships", type=int, default=1000)
    parser.add_argument("--database", default=DATABASE)
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
