"""The GraphQL schema, composed from the list of domains: each adds its root fields, its fields on
the hub types (Partnership, Viewer), its node types and built-in KPIs. A new domain is its
folder plus one name here (see docs/adding-a-domain.md)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import Any

from graphql.validation import ASTValidationRule, NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.schema.config import StrawberryConfig

from mutual.audit import labels as audit_labels
from mutual.auth import service as auth_service
from mutual.config import Settings
from mutual.graphql.composed import compose
from mutual.graphql.execution import LeafFirstExecutor
from mutual.graphql.extensions import OperationLifecycle
from mutual.graphql.limits import SharedPrincipalBudget
from mutual.graphql.schema import MutualSchema
from mutual.graphql.validation import DOCUMENT_CACHE_SIZE, CachedValidation, NoNulInText
from mutual.kit import health as health_inputs
from mutual.kit import notices, triggers
from mutual.kit import reports as report_sections
from mutual.kit.domain import Domain
from mutual.kpis import builtin
from mutual.search import sources as search_sources
from mutual.tenancy.queries import ViewerBase
from mutual.tenancy.types import PartnershipBase

# In order: a domain may build on those before it; hub fields appear in this order.
DOMAIN_NAMES = (
    "tenancy",
    "membership",
    "audit",
    "auth",
    "roadmap",
    "commitments",
    "kpis",
    "risks",
    "search",
    "feedback",
    "notify",
    "governance",
    "contingency",
    "pulse",
    "health",
)


def load_domains(names: Sequence[str] = DOMAIN_NAMES) -> tuple[Domain, ...]:
    domains = []
    for name in names:
        domain = importlib.import_module(f"mutual.{name}.domain").DOMAIN
        assert isinstance(domain, Domain) and domain.name == name, name
        domains.append(domain)
    return tuple(domains)


DOMAINS = load_domains()


def _parts(attribute: str) -> list[type]:
    return [part for d in DOMAINS if (part := getattr(d, attribute)) is not None]


# The hub types and the roots, composed once per process.
PARTNERSHIP = compose("Partnership", [PartnershipBase, *_parts("partnership")])
VIEWER = compose(
    "Viewer",
    [ViewerBase, *_parts("viewer")],
    description="The signed-in user and what they can reach.",
)
QUERY = compose("Query", _parts("query"))
MUTATION = compose("Mutation", _parts("mutation"))
SUBSCRIPTION = compose("Subscription", _parts("subscription"))
builtin.use([source for d in DOMAINS for source in d.builtin_kpis])
search_sources.use(
    [source for d in DOMAINS for source in d.search],
    [source for d in DOMAINS for source in d.waiting],
)
notices.use(
    [d.notice_sink for d in DOMAINS if d.notice_sink is not None],
    kinds={kind: label for d in DOMAINS for kind, label in d.notice_kinds.items()},
)
triggers.use([d.trigger_sink for d in DOMAINS if d.trigger_sink is not None])
report_sections.use([item for d in DOMAINS for item in d.report_sections.items()])
health_inputs.use([item for d in DOMAINS for item in d.health_inputs.items()])
audit_labels.use(
    kinds=[kind for d in DOMAINS for kind in d.event_kinds],
    sources={kind: source for d in DOMAINS for kind, source in d.labels.items()},
)


def build_schema(settings: Settings) -> MutualSchema:
    # The rules are built once, not per request, so a document's validation can be cached.
    rules: list[type[ASTValidationRule]] = [
        *QueryDepthLimiter(max_depth=settings.max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
        NoNulInText,
    ]
    if not settings.is_development:
        rules.append(NoSchemaIntrospectionCustomRule)
    # Shared by the processes of `mutual serve --workers N`; else the process's own.
    budget = SharedPrincipalBudget(settings.budget_dir) if settings.budget_dir else None
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: OperationLifecycle(authenticator=auth_service, budget=budget),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
        lambda: AddValidationRules(rules),
        # Outside development, like introspection, no "Did you mean ...?" in errors.
        lambda: CachedValidation(hide_suggestions=not settings.is_development),
    ]
    types: list[Any] = [PARTNERSHIP, *(t for d in DOMAINS for t in d.node_types)]
    return MutualSchema(
        query=QUERY,
        mutation=MUTATION,
        subscription=SUBSCRIPTION,
        types=types,
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True),
        execution_context_class=LeafFirstExecutor.for_setting(settings.executor, extensions),
    )
