"""Schema assembly: every domain's queries and mutations, the limits, and error logging."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLError
from graphql.validation import ASTValidationRule, NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from mutual.audit import queries as audit_queries
from mutual.audit.types import AuditChainVerification, AuditEvent
from mutual.auth import queries as auth_queries
from mutual.auth.mutations import AuthMutation
from mutual.auth.types import ApiToken
from mutual.commitments import queries as commitment_queries
from mutual.commitments.mutations import CommitmentMutation
from mutual.commitments.types import Commitment
from mutual.config import Settings
from mutual.graphql.execution import LeafFirstExecutor
from mutual.graphql.extensions import OperationLifecycle, log_unexpected
from mutual.kpis import queries as kpi_queries
from mutual.kpis.mutations import KpiMutation
from mutual.kpis.types import Kpi
from mutual.notify.types import Subscription
from mutual.roadmap import queries as roadmap_queries
from mutual.roadmap.mutations import RoadmapMutation
from mutual.roadmap.types import Milestone
from mutual.tenancy.mutations import TenancyMutation
from mutual.tenancy.queries import TenancyQuery
from mutual.tenancy.types import Invitation, Organization, Partnership, Party, User, WorkspaceMember


@strawberry.type
class Query(TenancyQuery):
    pass


@strawberry.type
class Mutation(TenancyMutation, AuthMutation, RoadmapMutation, CommitmentMutation, KpiMutation):
    pass


# Parsed and validated documents kept per process; bounded, since clients choose the texts.
DOCUMENT_CACHE_SIZE = 256

# Imported for their node resolvers (registered on import).
NODE_MODULES = (audit_queries, auth_queries, roadmap_queries, commitment_queries, kpi_queries)


class MutualSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Expected errors are answers, not incidents: only unexpected ones are logged.
        log_unexpected(errors)


def build_schema(settings: Settings) -> MutualSchema:
    # The rules are built once, not per request, so a document's validation can be cached.
    rules: list[type[ASTValidationRule]] = [
        *QueryDepthLimiter(max_depth=settings.max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
    ]
    if not settings.is_development:
        rules.append(NoSchemaIntrospectionCustomRule)
    extensions: list[Callable[[], SchemaExtension]] = [
        OperationLifecycle,
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
        lambda: AddValidationRules(rules),
        lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
    ]
    types: list[Any] = [
        Partnership,
        Party,
        WorkspaceMember,
        User,
        Organization,
        Invitation,
        ApiToken,
        AuditEvent,
        AuditChainVerification,
        Milestone,
        Commitment,
        Kpi,
    ]
    return MutualSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=types,
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True),
        execution_context_class=LeafFirstExecutor.for_setting(settings.executor, extensions),
    )
