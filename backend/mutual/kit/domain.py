"""What a domain plugs into Mutual, declared in its `<domain>/domain.py` as `DOMAIN`; the schema
(mutual/schema.py) and the demo seed (mutual/seed.py) are composed from the list of them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mutual.kit.health import HealthInput
from mutual.kit.jobs import Task
from mutual.kit.notices import NoticeSink
from mutual.kit.reports import ReportSection
from mutual.kit.triggers import TriggerSink

# A domain's demo data: given the seed's shared state (kit/demo.py's World or Story), adds
# its records.
DemoStep = Callable[[Any], Awaitable[None]]


@dataclass(frozen=True)
class Domain:
    name: str
    # strawberry types whose fields join the root and hub types, in the domains' order.
    query: type | None = None
    mutation: type | None = None
    subscription: type | None = None
    partnership: type | None = None
    viewer: type | None = None
    # Types a client reaches only through the Node interface (node(id)), listed for the schema.
    node_types: Sequence[type] = ()
    # Object types of the domain's audit events, each with the Node a live event tells
    # clients to refetch (a KPI measurement's is its KPI): kept in step with the database's
    # event trigger by a test.
    event_kinds: Mapping[str, str] = field(default_factory=dict)
    # Computed KPIs the domain adds to every partnership's KPI list (kpis/builtin.py).
    builtin_kpis: Sequence[Any] = ()  # kpis.builtin.BuiltinSource
    # Its records found by the partnership's search, and its items that can wait for a side
    # to act (kit/search.py; the search domain gathers them).
    search: Sequence[Any] = ()
    waiting: Sequence[Callable[[Any, Any], Awaitable[Sequence[Any]]]] = ()
    # The domain's kinds of deferred and periodic jobs (kit/jobs.py), run by every worker.
    tasks: Sequence[Task] = ()
    # The titles its audit events show, by object type (kit/labels.py; the audit gathers them).
    labels: Mapping[str, Callable[..., Awaitable[Mapping[Any, Any]]]] = field(default_factory=dict)
    # The kinds of notices it sends (kit/notices.py), each with the label a user's preferences
    # show ("Feedback waiting for your answer"); and, for the domain that delivers them, its sink.
    notice_kinds: Mapping[str, str] = field(default_factory=dict)
    notice_sink: NoticeSink | None = None
    # Its sections of a risk and compliance report, by key (kit/reports.py).
    report_sections: Mapping[str, ReportSection] = field(default_factory=dict)
    # HTTP routes of its own (downloads), mounted before the portal's static files.
    routes: Sequence[Any] = ()
    # Its measured inputs of the trust health index, by "<component>.<input>" (kit/health.py).
    health_inputs: Mapping[str, HealthInput] = field(default_factory=dict)
    # For the domain that acts on triggers (contingency): its sink (kit/triggers.py).
    trigger_sink: TriggerSink | None = None
    demo_world: DemoStep | None = None  # the minimal world every test starts from
    demo_story: DemoStep | None = None  # the recovery story of `mutual serve`
    # Domains whose demo parts must run before this one's (what they made, it links to).
    demo_after: Sequence[str] = ()


def demo_order(domains: Sequence[Domain]) -> list[Domain]:
    """The domains in their order, except that each comes after those its demo names."""
    done: list[Domain] = []
    pending = list(domains)
    while pending:
        ready = next(d for d in pending if all(n in {x.name for x in done} for n in d.demo_after))
        pending.remove(ready)
        done.append(ready)
    return done
