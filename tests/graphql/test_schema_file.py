"""The committed SDL is the code's schema (Saleor's schema check)."""

from __future__ import annotations

from mutual.cli import SCHEMA_FILE, export_schema_sdl


def test_the_committed_schema_matches_the_code() -> None:
    committed = SCHEMA_FILE.read_text()

    exported = export_schema_sdl()

    assert exported == committed, "schema/schema.graphql is stale: run `mutual export-schema`"
