"""Mutual against PostGraphile 4.14.1 on the same bench data, with the same row-level security.

Usage: .venv/bin/python -m bench.vs_postgraphile [--requests N] [--seconds S] [--reuse]

Installs PostGraphile (`npm ci` in bench/postgraphile/ when its node_modules lacks 4.14.1) and
serves the bench database (bench.generate, in `mutual_bench`; --reuse keeps it) with it: one node
process connected as the owner, each request's transaction given `role = mutual_app` and
`mutual.user_id` (from an x-user-id header) through pgSettings, which is how Mutual's own role
sees rows. Mutual runs as `mutual serve` (production mode), one process each.

It first checks the answers: the counts of milestones, commitments (total and the page of 100),
KPIs and measurements the dashboard of the large and of a small partnership returns, both
servers, signed in as a LEAD of that partnership, must be equal; and a user of another
partnership gets nothing of the large one from either. Then it measures, and prints as a table:

- p50 of the dashboard (large and small partnership) and of `{ __typename }` signed in,
  sequential, all six requests interleaved one after another so that both servers see the same
  machine;
- throughput: a closed loop of 16 keep-alive connections for --seconds (node, bench/postgraphile/
  load.js), the dashboard of the large partnership and `{ __typename }`;
- the server process's CPU per dashboard (/proc, as bench.dashboard measures it);
- new database connections opened during the dashboard's load (pg_stat_database.sessions);
- SQL statements per dashboard, BEGIN and COMMIT included: each server is started once more
  through bench.statement_proxy, which counts the statements on the wire.

PostGraphile does not compute KPI status or progress (Mutual's dashboard does); its query asks
for the same rows and columns otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.engine import URL

from bench.common import (
    JSON_HEADERS,
    percentile,
    server_cpu_per_request,
    server_pid,
    server_process,
    timed_alternating,
)
from bench.dashboard import BASELINE, DASHBOARD, bench_data, variables
from bench.generate import LARGE_LOGIN
from bench.statement_proxy import counting_proxy
from mutual.config import REPO_ROOT, Settings
from mutual.db import connect_owner
from mutual.devserver import free_port
from mutual.seed import DEMO_PASSWORD

POSTGRAPHILE_DIR = Path(__file__).parent / "postgraphile"
POSTGRAPHILE_VERSION = "4.14.1"
CONNECTIONS = 16
STATEMENT_SAMPLE = 20  # dashboards whose statements are counted
LOG = REPO_ROOT / ".mutual" / "postgraphile.log"

PG_DASHBOARD = """
query Dashboard($id: UUID!) {
  partnershipById(id: $id) {
    milestonesByPartnershipId(orderBy: [PHASE_ASC, SORT_KEY_ASC, ID_ASC]) {
      nodes { id title status phase partyByPartnershipIdAndOwnerPartyId { label } }
    }
    commitmentsByPartnershipId(first: 100, orderBy: [DUE_DATE_ASC, ID_ASC]) {
      totalCount
      nodes {
        id title status dueDate
        partyByPartnershipIdAndOwnerPartyId { label }
        milestoneByPartnershipIdAndMilestoneId { title }
      }
    }
    kpisByPartnershipId(orderBy: [NAME_ASC, ID_ASC]) {
      nodes {
        name
        kpiMeasurementsByPartnershipIdAndKpiId(first: 12, orderBy: [PERIOD_START_DESC]) {
          nodes { periodStart value }
        }
      }
    }
  }
}
"""
# What an outsider reads of a partnership through PostGraphile's top-level lists (RLS alone).
PG_OUTSIDER = """
query Outsider($id: UUID!) {
  partnershipById(id: $id) { id }
  allMilestones(condition: { partnershipId: $id }) { totalCount }
  allCommitments(condition: { partnershipId: $id }) { totalCount }
  allKpis(condition: { partnershipId: $id }) { totalCount }
  allKpiMeasurements(condition: { partnershipId: $id }) { totalCount }
}
"""


@dataclass(frozen=True)
class Member:
    email: str
    user_id: uuid.UUID


@dataclass(frozen=True)
class Subjects:
    large: uuid.UUID
    large_lead: Member
    small: uuid.UUID
    small_lead: Member  # not a member of the large partnership: the outsider too


async def subjects(owner: URL, large: uuid.UUID) -> Subjects:
    """The large partnership's LEAD, and a small partnership with its LEAD."""
    conn = await connect_owner(owner)
    try:
        lead = await conn.fetchrow("SELECT id, email FROM app_user WHERE email = $1", LARGE_LOGIN)
        small = await conn.fetchrow(
            """SELECT m.partnership_id, u.id, u.email FROM workspace_member m
               JOIN app_user u ON u.id = m.user_id JOIN partnership p ON p.id = m.partnership_id
               WHERE m.role = 'LEAD' AND m.partnership_id <> $1
               ORDER BY p.name, u.email LIMIT 1""",
            large,
        )
    finally:
        await conn.close()
    return Subjects(
        large=large,
        large_lead=Member(lead["email"], lead["id"]),
        small=small["partnership_id"],
        small_lead=Member(small["email"], small["id"]),
    )


# --- the two servers -------------------------------------------------------------------------


def install_postgraphile() -> None:
    """`npm ci` unless bench/postgraphile/node_modules holds the pinned version."""
    installed = POSTGRAPHILE_DIR / "node_modules" / "postgraphile" / "package.json"
    if installed.exists() and json.loads(installed.read_text())["version"] == POSTGRAPHILE_VERSION:
        return
    print(f"Installing PostGraphile {POSTGRAPHILE_VERSION} (npm ci in {POSTGRAPHILE_DIR}).")
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=POSTGRAPHILE_DIR, check=True)


def libpq_env(owner: URL) -> dict[str, str]:
    """node-postgres' connection settings (PGHOST...) for the owner's URL."""
    settings = {
        "PGHOST": owner.host or str(owner.query.get("host", "")),
        "PGPORT": str(owner.port or 5432),
        "PGUSER": owner.username or "",
        "PGPASSWORD": owner.password or "",
        "PGDATABASE": owner.database or "",
    }
    return {key: value for key, value in settings.items() if value}


@contextmanager
def postgraphile_process(owner: URL) -> Iterator[tuple[str, int]]:
    """PostGraphile (bench/postgraphile/server.js) on a free port: its URL and process id. Its
    output goes to .mutual/postgraphile.log."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    LOG.parent.mkdir(parents=True, exist_ok=True)
    with LOG.open("w") as log:
        process = subprocess.Popen(
            ["node", "server.js", str(port), str(CONNECTIONS)],
            cwd=POSTGRAPHILE_DIR,
            env={**os.environ, **libpq_env(owner)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.post(f"{url}/graphql", json={"query": BASELINE}, timeout=1)
                break  # it answers (whether its database lets it is checked next)
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"PostGraphile did not start (see {LOG})")
            time.sleep(0.2)
        yield url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def mutual_client(url: str, member: Member) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=60)
    login = {"email": member.email, "password": DEMO_PASSWORD}
    client.post("/auth/login", json=login, headers=JSON_HEADERS).raise_for_status()
    return client


def postgraphile_client(url: str, member: Member) -> httpx.Client:
    return httpx.Client(base_url=url, timeout=60, headers={"x-user-id": str(member.user_id)})


@dataclass(frozen=True)
class Side:
    """One server as the bench talks to it."""

    name: str
    url: str
    pid: int | None
    dashboard: Callable[[uuid.UUID], dict[str, Any]]  # the request body for a partnership
    stored: Callable[[uuid.UUID], dict[str, Any]]  # the same, reading only stored rows
    counts: Callable[[dict[str, Any]], dict[str, int]]  # what the answer holds
    client: Callable[[str, Member], httpx.Client]


def mutual_body(partnership: uuid.UUID) -> dict[str, Any]:
    return {"query": DASHBOARD, "variables": variables(partnership)}


# Mutual's dashboard lists the built-in KPIs too (computed from other records, see
# mutual.kpis.builtin): the answers are compared without them, on the rows both servers read.
STORED_DASHBOARD = DASHBOARD.replace("kpis {", "kpis(includeBuiltin: false) {", 1)
assert STORED_DASHBOARD != DASHBOARD, "bench.dashboard.DASHBOARD lists no kpis"


def mutual_stored_body(partnership: uuid.UUID) -> dict[str, Any]:
    return {"query": STORED_DASHBOARD, "variables": variables(partnership)}


def postgraphile_body(partnership: uuid.UUID) -> dict[str, Any]:
    return {"query": PG_DASHBOARD, "variables": {"id": str(partnership)}}


def mutual_counts(data: dict[str, Any]) -> dict[str, int]:
    partnership = data["partnership"]
    if partnership is None:
        return {}
    kpis = partnership["kpis"]
    return {
        "milestones": sum(len(p["milestones"]) for p in partnership["roadmap"]["phases"]),
        "commitments": partnership["commitments"]["totalCount"],
        "commitments in the page": len(partnership["commitments"]["nodes"]),
        "KPIs": len(kpis),
        "measurements": sum(len(k["measurements"]) for k in kpis),
    }


def postgraphile_counts(data: dict[str, Any]) -> dict[str, int]:
    partnership = data["partnershipById"]
    if partnership is None:
        return {}
    kpis = partnership["kpisByPartnershipId"]["nodes"]
    commitments = partnership["commitmentsByPartnershipId"]
    return {
        "milestones": len(partnership["milestonesByPartnershipId"]["nodes"]),
        "commitments": commitments["totalCount"],
        "commitments in the page": len(commitments["nodes"]),
        "KPIs": len(kpis),
        "measurements": sum(
            len(k["kpiMeasurementsByPartnershipIdAndKpiId"]["nodes"]) for k in kpis
        ),
    }


@contextmanager
def mutual_server(owner: URL, *, worker: bool = True) -> Iterator[Side]:
    """`mutual serve` (bench.common.server_process); without its worker for counting, so that
    the job queue's polling does not count as the requests' statements."""
    with server_process(owner, args=() if worker else ("--no-worker",)) as url:
        yield Side(
            "Mutual",
            url,
            server_pid(url),
            mutual_body,
            mutual_stored_body,
            mutual_counts,
            mutual_client,
        )


@contextmanager
def postgraphile_server(owner: URL) -> Iterator[Side]:
    with postgraphile_process(owner) as (url, pid):
        yield Side(
            f"PostGraphile {POSTGRAPHILE_VERSION}",
            url,
            pid,
            postgraphile_body,
            postgraphile_body,
            postgraphile_counts,
            postgraphile_client,
        )


def answer(client: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/graphql", json=body, headers=JSON_HEADERS)
    result: dict[str, Any] = response.json()
    return result


# --- checks ----------------------------------------------------------------------------------


def compare_counts(answers: dict[str, dict[str, int]]) -> list[str]:
    """How the servers' counts differ: empty when all agree and the first found something."""
    (first, expected), *others = answers.items()
    problems = [f"{first} returned nothing"] if not expected else []
    for name, counts in others:
        for key in sorted(expected.keys() | counts.keys()):
            if expected.get(key) != counts.get(key):
                problems.append(f"{key}: {first} {expected.get(key)}, {name} {counts.get(key)}")
    return problems


def check_answers(sides: Sequence[Side], subject: Subjects) -> tuple[dict[str, int], int]:
    """Both servers count the same stored rows on both dashboards, and an outsider (the small
    partnership's LEAD) gets nothing of the large one; raises otherwise. Returns the large
    partnership's counts and how many built-in KPIs Mutual's dashboard adds to them."""
    large: dict[str, int] = {}
    full: dict[str, dict[str, int]] = {}
    cases = ((subject.large, subject.large_lead), (subject.small, subject.small_lead))
    for partnership, member in cases:
        answers = {}
        for side in sides:
            with closing(side.client(side.url, member)) as client:
                body = answer(client, side.stored(partnership))
                if not large:
                    dashboard = answer(client, side.dashboard(partnership))
                    full[side.name] = side.counts(dashboard["data"])
            if "errors" in body:
                raise RuntimeError(f"{side.name}: {body['errors']}")
            answers[side.name] = side.counts(body["data"])
        problems = compare_counts(answers)
        if problems:
            raise RuntimeError(f"the dashboards of {partnership} differ: {problems}")
        large = large or answers[sides[0].name]
    for side in sides:
        with closing(side.client(side.url, subject.small_lead)) as client:
            if leaked := outsider_sees(side, client, subject.large):
                raise RuntimeError(
                    f"{side.name} shows the large partnership to an outsider: {leaked}"
                )
    return large, full[sides[0].name]["KPIs"] - large["KPIs"]


def outsider_sees(side: Side, client: httpx.Client, partnership: uuid.UUID) -> dict[str, Any]:
    """What a non-member reads of the partnership: its dashboard (Mutual answers an error with
    a code and no partnership, PostGraphile null) and PostGraphile's top-level lists of the
    partnership's rows, where RLS alone decides."""
    body = answer(client, side.dashboard(partnership))
    seen: dict[str, Any] = side.counts(body["data"]) if body.get("data") else {}
    if side.stored is postgraphile_body:
        outsider = {"query": PG_OUTSIDER, "variables": {"id": str(partnership)}}
        lists = answer(client, outsider)["data"]
        if lists.pop("partnershipById") is not None:
            seen["partnership"] = 1
        seen |= {key: value["totalCount"] for key, value in lists.items()}
    return {key: value for key, value in seen.items() if value}


# --- measures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Load:
    requests: int
    seconds: float
    connections_opened: int | None

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


@contextmanager
def session_counter(owner: URL) -> Iterator[Callable[[], int]]:
    """A function that reads how many connections were ever opened to the bench database
    (pg_stat_database.sessions, PostgreSQL 14+) through one connection kept open, so that
    reading opens none."""
    with asyncio.Runner() as runner:
        conn = runner.run(connect_owner(owner))

        def sessions() -> int:
            # A backend reports its statistics (its connection too) when it goes idle, but at
            # most once a second and, while the shared entry is busy, up to 10 s later.
            time.sleep(11)
            query = "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"
            return int(runner.run(conn.fetchval(query)))

        try:
            yield sessions
        finally:
            runner.run(conn.close())


def load(
    sessions: Callable[[], int] | None,
    url: str,
    body: dict[str, Any],
    headers: dict[str, str],
    seconds: float,
) -> Load:
    """A closed loop of CONNECTIONS keep-alive connections for `seconds` (node load.js), and
    the database connections opened meanwhile if `sessions` counts them."""
    before = sessions() if sessions else 0
    run = subprocess.run(
        ["node", "load.js", f"{url}/graphql", str(seconds), str(CONNECTIONS),
         json.dumps(body), json.dumps(headers)],
        cwd=POSTGRAPHILE_DIR, check=True, capture_output=True, text=True,
    )  # fmt: skip
    result = json.loads(run.stdout)
    if result["failed"]:
        raise RuntimeError(f"{result['failed']} failed under load: {result['first_failure']}")
    opened = sessions() - before if sessions else None
    return Load(result["requests"], result["seconds"], opened)


def load_headers(client: httpx.Client) -> dict[str, str]:
    """What a client sends besides the body: the session cookie, the CSRF and identity headers."""
    headers = {key: value for key, value in client.headers.items() if key.startswith("x-")}
    cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in client.cookies.jar)
    return {**JSON_HEADERS, **headers, **({"cookie": cookies} if cookies else {})}


def statements_per_dashboard(
    start: Callable[[URL], AbstractContextManager[Side]], owner: URL, subject: Subjects, count: int
) -> float:
    """SQL statements per dashboard of the large partnership, counted on the wire by a proxy
    (bench.statement_proxy) in front of another instance of the server."""
    with (
        counting_proxy(owner) as (proxied, counts),
        start(proxied) as side,
        closing(side.client(side.url, subject.large_lead)) as client,
    ):
        body = side.dashboard(subject.large)
        for _ in range(5):  # warm caches, pools and prepared statements
            answer(client, body)
        counts.reset()
        for _ in range(count):
            answer(client, body)
        return counts.statements / count


@dataclass
class Figures:
    """One server's figures."""

    large_p50: float = 0
    small_p50: float = 0
    trivial_p50: float = 0
    dashboard_load: Load | None = None
    trivial_load: Load | None = None
    cpu_per_dashboard: float | None = None
    statements: float = 0


def measure(
    sides: Sequence[Side], owner: URL, subject: Subjects, *, requests: int, seconds: float
) -> dict[str, Figures]:
    figures = {side.name: Figures() for side in sides}
    clients = {side.name: side.client(side.url, subject.large_lead) for side in sides}
    small_clients = {side.name: side.client(side.url, subject.small_lead) for side in sides}
    try:
        plan = []
        for side in sides:
            client, small = clients[side.name], small_clients[side.name]
            plan += [
                (client, side.dashboard(subject.large)),
                (small, side.dashboard(subject.small)),
                (client, {"query": BASELINE}),
            ]
        samples = iter(timed_alternating(plan, requests))
        for side in sides:
            found = figures[side.name]
            found.large_p50, found.small_p50, found.trivial_p50 = (
                percentile(next(samples), 0.5) for _ in range(3)
            )
        for side in sides:
            client = clients[side.name]
            if side.pid is not None:
                found = figures[side.name]
                body = side.dashboard(subject.large)
                found.cpu_per_dashboard = server_cpu_per_request(client, side.pid, body, requests)
        with session_counter(owner) as sessions:
            for side in sides:
                headers = load_headers(clients[side.name])
                body = side.dashboard(subject.large)
                found = figures[side.name]
                found.dashboard_load = load(sessions, side.url, body, headers, seconds)
            for side in sides:
                headers = load_headers(clients[side.name])
                trivial = {"query": BASELINE}
                found = figures[side.name]
                found.trivial_load = load(None, side.url, trivial, headers, seconds / 2)
    finally:
        for client in (*clients.values(), *small_clients.values()):
            client.close()
    return figures


# --- the table -------------------------------------------------------------------------------


def ratio(mine: float | None, theirs: float | None) -> float | None:
    return mine / theirs if mine is not None and theirs else None


def ms(value: float | None) -> str:
    return f"{value:.1f} ms" if value is not None else "n/a"


def per_s(value: float | None) -> str:
    return f"{value:,.0f} req/s" if value is not None else "n/a"


def verdict(value: float | None, bound: float, *, at_most: bool) -> str:
    """Whether a ratio meets the issue's target (at most or at least `bound`)."""
    if value is None:
        return "n/a"
    met = value <= bound if at_most else value >= bound
    return f"{'≤' if at_most else '≥'} {bound:g}: {'met' if met else 'NOT met'}"


def table(mutual: Figures, postgraphile: Figures, seconds: float) -> list[str]:
    """The comparison as a Markdown table, each ratio with the issue's target."""

    def rate(value: Load | None) -> float | None:
        return value.rate if value else None

    def opened(value: Load | None) -> str:
        return (
            str(value.connections_opened)
            if value and value.connections_opened is not None
            else "n/a"
        )

    def shown(value: float | None) -> str:
        return f"{value:.2f}" if value is not None else "n/a"

    large = ratio(mutual.large_p50, postgraphile.large_p50)
    small = ratio(mutual.small_p50, postgraphile.small_p50)
    m_rate, p_rate = rate(mutual.dashboard_load), rate(postgraphile.dashboard_load)
    throughput = ratio(m_rate, p_rate)
    cpu = ratio(mutual.cpu_per_dashboard, postgraphile.cpu_per_dashboard)
    m_trivial, p_trivial = rate(mutual.trivial_load), rate(postgraphile.trivial_load)
    trivial_p50 = ratio(mutual.trivial_p50, postgraphile.trivial_p50)
    trivial_rate = ratio(m_trivial, p_trivial)
    statements = ratio(mutual.statements, postgraphile.statements)
    rows = [
        ("dashboard, large partnership, p50 sequential", ms(mutual.large_p50),
         ms(postgraphile.large_p50), shown(large), verdict(large, 0.8, at_most=True)),
        ("dashboard, small partnership, p50", ms(mutual.small_p50), ms(postgraphile.small_p50),
         shown(small), verdict(small, 0.8, at_most=True)),
        (f"dashboard throughput, {CONNECTIONS} connections", per_s(m_rate), per_s(p_rate),
         shown(throughput), verdict(throughput, 1.2, at_most=False)),
        ("server CPU per dashboard", ms(mutual.cpu_per_dashboard),
         ms(postgraphile.cpu_per_dashboard), shown(cpu), ""),
        ("`{ __typename }` signed in, p50 / throughput",
         f"{ms(mutual.trivial_p50)} / {per_s(m_trivial)}",
         f"{ms(postgraphile.trivial_p50)} / {per_s(p_trivial)}",
         f"{shown(trivial_p50)} / {shown(trivial_rate)}",
         "throughput " + verdict(trivial_rate, 0.5, at_most=False)),
        ("SQL statements per dashboard (with BEGIN and COMMIT)", f"{mutual.statements:g}",
         f"{postgraphile.statements:g}", shown(statements), verdict(statements, 1, at_most=True)),
        (f"new database connections opened in {seconds:g} s under load",
         opened(mutual.dashboard_load), opened(postgraphile.dashboard_load), "", ""),
    ]  # fmt: skip
    header = ("measure", "Mutual", f"PostGraphile {POSTGRAPHILE_VERSION}", "ratio", "target")
    return ["| " + " | ".join(cells) + " |" for cells in (header, ("---",) * 5, *rows)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300, help="sequential requests of each")
    parser.add_argument("--seconds", type=float, default=20, help="of the dashboard's load")
    parser.add_argument("--reuse", action="store_true", help="reuse generated bench data")
    args = parser.parse_args()
    install_postgraphile()
    settings = Settings(env="production", public_url="http://127.0.0.1:8000", allow_insecure=True)
    owner, large = asyncio.run(bench_data(settings, reuse=args.reuse))
    subject = asyncio.run(subjects(owner, large))
    print(
        f"Signed in as {subject.large_lead.email} (large partnership) and as "
        f"{subject.small_lead.email} (small partnership {subject.small}; the outsider)."
    )

    with mutual_server(owner) as mutual, postgraphile_server(owner) as postgraphile:
        sides = [mutual, postgraphile]
        counted, builtin = check_answers(sides, subject)
        found = ", ".join(f"{value} {key}" for key, value in counted.items())
        print(
            f"Equal answers: {found} on the large partnership, the small one's equal too; "
            "the outsider gets nothing of the large one from either."
        )
        figures = measure(sides, owner, subject, requests=args.requests, seconds=args.seconds)
    mine, theirs = figures[mutual.name], figures[postgraphile.name]
    mine.statements = statements_per_dashboard(
        lambda url: mutual_server(url, worker=False), owner, subject, STATEMENT_SAMPLE
    )
    theirs.statements = statements_per_dashboard(
        postgraphile_server, owner, subject, STATEMENT_SAMPLE
    )
    print()
    print("\n".join(table(mine, theirs, args.seconds)))
    print(
        f"\n{args.requests} sequential requests of each, interleaved; load: {CONNECTIONS} "
        f"connections for {args.seconds:g} s (dashboard) and {args.seconds / 2:g} s "
        f"(__typename); one process each; PostGraphile's pool holds {CONNECTIONS} connections. "
        f"Statements: {STATEMENT_SAMPLE} dashboards counted on the wire (Mutual without its job "
        "worker, whose polling is no request's). "
        "PostGraphile computes no KPI status or progress, and no built-in KPI: Mutual's "
        f"dashboard does ({builtin} built-in KPIs on the large partnership). Machine load "
        f"average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores."
    )


if __name__ == "__main__":
    main()
