"""A PostgreSQL wire-protocol proxy that counts the statements its clients send.

Used by bench/vs_postgraphile.py to count the SQL statements of one request the same way for
both servers, whatever their driver: pg_stat_statements needs `shared_preload_libraries` (a
restart of a server others share, and the embedded server lacks it). Each simple Query message
('Q', how asyncpg and node-postgres send BEGIN and COMMIT) and each Execute message ('E', a
parameterised statement of the extended protocol) counts as one statement. The proxy refuses
SSL and GSS encryption so that it can read the messages (clients that merely prefer encryption,
asyncpg's default, go on in plain text). It runs its event loop in a thread of its own, so that
synchronous code can use it; only the counting runs through it, never the timings.
"""

from __future__ import annotations

import asyncio
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy.engine import URL

from mutual.devserver import free_port

SSL_REQUEST = 80877103
GSSENC_REQUEST = 80877104
STATEMENT_MESSAGES = (b"Q", b"E")


@dataclass
class Counts:
    statements: int = 0
    connections: int = 0
    samples: list[str] = field(default_factory=list)  # the first simple queries, to show

    def reset(self) -> None:
        self.statements = 0
        self.connections = 0
        self.samples.clear()


async def _open_upstream(url: URL) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    host = url.host or str(url.query.get("host", ""))
    port = url.port or 5432
    if host.startswith("/"):  # a Unix socket directory (the embedded server)
        return await asyncio.open_unix_connection(f"{host}/.s.PGSQL.{port}")
    return await asyncio.open_connection(host or "127.0.0.1", port)


async def _read_startup(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bytes:
    """The client's startup message, after answering 'N' to any request for encryption."""
    while True:
        (length,) = struct.unpack("!I", await reader.readexactly(4))
        rest = await reader.readexactly(length - 4)
        if struct.unpack("!I", rest[:4])[0] not in (SSL_REQUEST, GSSENC_REQUEST):
            return struct.pack("!I", length) + rest
        writer.write(b"N")
        await writer.drain()


async def _count_messages(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, counts: Counts
) -> None:
    """Copy the client's messages upstream, counting those that run a statement."""
    while True:
        header = await reader.readexactly(5)
        (length,) = struct.unpack("!I", header[1:])
        payload = await reader.readexactly(length - 4)
        kind = header[:1]
        if kind in STATEMENT_MESSAGES:
            counts.statements += 1
            if kind == b"Q" and len(counts.samples) < 8:
                counts.samples.append(payload.rstrip(b"\0").decode(errors="replace"))
        writer.write(header + payload)
        await writer.drain()
        if kind == b"X":  # Terminate
            return


async def _copy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while chunk := await reader.read(65536):
        writer.write(chunk)
        await writer.drain()


async def _serve_client(
    upstream: URL, counts: Counts, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    server_writer: asyncio.StreamWriter | None = None
    try:
        startup = await _read_startup(reader, writer)
        server_reader, server_writer = await _open_upstream(upstream)
        counts.connections += 1
        server_writer.write(startup)
        await server_writer.drain()
        pumps = (
            asyncio.ensure_future(_count_messages(reader, server_writer, counts)),
            asyncio.ensure_future(_copy(server_reader, writer)),
        )
        await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        for pump in pumps:
            pump.cancel()
        await asyncio.gather(*pumps, return_exceptions=True)  # a closed side ends both
    except (OSError, asyncio.IncompleteReadError):
        pass  # the client left before its startup, or the server refused it
    finally:
        for stream in (writer, server_writer):
            if stream is not None:
                stream.close()


@contextmanager
def counting_proxy(upstream: URL) -> Iterator[tuple[URL, Counts]]:
    """A proxy to `upstream`'s server: yields the URL to connect through (same database and
    user, host 127.0.0.1 and the proxy's port) and its live counts."""
    counts = Counts()
    port = free_port()
    loop = asyncio.new_event_loop()
    started = threading.Event()
    stop = asyncio.Event()

    async def run() -> None:
        server = await asyncio.start_server(
            lambda r, w: _serve_client(upstream, counts, r, w), "127.0.0.1", port
        )
        started.set()
        async with server:
            await stop.wait()

    thread = threading.Thread(target=loop.run_until_complete, args=(run(),), daemon=True)
    thread.start()
    started.wait(10)
    try:
        yield upstream.set(host="127.0.0.1", port=port, query={}), counts
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
