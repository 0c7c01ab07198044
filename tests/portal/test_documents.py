"""Every GraphQL document of the portal is valid against the committed schema.

The portal writes each document as graphql`…` (frontend_static/js/graphql.js). This test finds
them all, adds the fragments each operation spreads (as the portal does when it sends it), and
validates the result with graphql-core, so a renamed or removed field fails here, not in a page.
A document written any other way (a plain string starting with `query`, `mutation`, ...) fails
too, so none can be missed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import graphql
from graphql.language import FragmentDefinitionNode, OperationDefinitionNode

REPO = Path(__file__).resolve().parents[2]
PORTAL = REPO / "frontend_static"
SCHEMA = REPO / "schema" / "schema.graphql"

# graphql`…`: the tag, then a template literal (no ${} in it: the tag refuses them).
TAGGED = re.compile(r"(?<![\w$./`])graphql`((?:[^`\\]|\\.)*)`")
TAG_USE = re.compile(r"(?<![\w$./`])(?<!function )graphql\s*[`(]")
# String and template literals left once the tagged documents are taken out.
LITERAL = re.compile(r"`(?:[^`\\]|\\.)*`|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"")
UNTAGGED = re.compile(
    r"^\s*(?:(?:query|mutation|subscription)\b\s*[_A-Za-z(${]|fragment\s+\w+\s+on\b|\{\s*\w+\s*[({])"
)
SPREAD = re.compile(r"\.\.\.\s*([_A-Za-z]\w*)")


@dataclass(frozen=True)
class Document:
    path: str
    line: int
    text: str

    def where(self) -> str:
        return f"{self.path}:{self.line}"


def portal_sources() -> list[Path]:
    return sorted(p for p in PORTAL.rglob("*.js") if "vendor" not in p.relative_to(PORTAL).parts)


def documents_in(path: Path) -> list[Document]:
    source = path.read_text(encoding="utf-8")
    name = str(path.relative_to(REPO))
    return [
        Document(name, source.count("\n", 0, m.start()) + 1, m.group(1))
        for m in TAGGED.finditer(source)
    ]


@cache
def all_documents() -> tuple[Document, ...]:
    return tuple(d for path in portal_sources() for d in documents_in(path))


Fragments = dict[str, tuple[Document, FragmentDefinitionNode]]


@cache
def schema() -> graphql.GraphQLSchema:
    return graphql.build_schema(SCHEMA.read_text(encoding="utf-8"))


def parse(document: Document) -> graphql.DocumentNode:
    try:
        return graphql.parse(document.text)
    except graphql.GraphQLError as error:
        raise AssertionError(f"{document.where()}: {error.message}") from error


def fragments() -> Fragments:
    found: Fragments = {}
    for document in all_documents():
        for definition in parse(document).definitions:
            if isinstance(definition, FragmentDefinitionNode):
                name = definition.name.value
                assert name not in found, (
                    f"{document.where()}: fragment {name} is also at {found[name][0].where()}"
                )
                found[name] = (document, definition)
    return found


def with_fragments(document: Document, known: Fragments) -> str:
    """The operation as the portal sends it: with every fragment it spreads, transitively."""
    needed: list[str] = []
    queue = [name for name in SPREAD.findall(document.text) if name != "on"]
    while queue:
        name = queue.pop(0)
        if name in needed:
            continue
        assert name in known, f"{document.where()}: spreads the unknown fragment {name}"
        needed.append(name)
        queue.extend(n for n in SPREAD.findall(known[name][0].text) if n != "on")
    return "\n".join([document.text, *(known[name][0].text for name in needed)])


def test_the_portal_has_its_documents_in_the_tag() -> None:
    # given the portal's sources (the vendored libraries aside)
    sources = portal_sources()

    # then every use of the tag is a document this test reads, and the pages' documents are many
    for path in sources:
        source = path.read_text(encoding="utf-8")
        assert len(TAG_USE.findall(source)) == len(documents_in(path)), (
            f"{path.relative_to(REPO)}: a use of the graphql tag this test cannot read"
        )
        for document in documents_in(path):
            assert "${" not in document.text, f"{document.where()}: a ${{}} in a document"

    assert len(all_documents()) >= 40


def test_no_graphql_document_is_written_outside_the_tag() -> None:
    # given every string literal of the portal that is not a tagged document
    offenders = []
    for path in portal_sources():
        source = TAGGED.sub("``", path.read_text(encoding="utf-8"))
        for literal in LITERAL.finditer(source):
            if UNTAGGED.match(literal.group(0)[1:]):
                line = source.count("\n", 0, literal.start()) + 1
                offenders.append(f"{path.relative_to(REPO)}:{line}: {literal.group(0)[:60]}")

    # then there is none: each document is graphql`…`, so the validation below sees it
    assert offenders == []


def test_every_portal_document_is_valid_against_the_schema() -> None:
    # given the portal's documents and fragments
    known = fragments()
    operations = [
        d
        for d in all_documents()
        if any(isinstance(x, OperationDefinitionNode) for x in parse(d).definitions)
    ]
    used: set[str] = set()

    # when each operation is validated as it is sent
    failures = []
    names: dict[str, str] = {}
    for document in operations:
        text = with_fragments(document, known)
        ast = graphql.parse(text)
        for definition in ast.definitions:
            if isinstance(definition, OperationDefinitionNode):
                name = definition.name.value if definition.name else ""
                assert name, f"{document.where()}: an operation without a name"
                assert name not in names, f"{document.where()}: {name} is also at {names[name]}"
                names[name] = document.where()
            else:
                assert isinstance(definition, FragmentDefinitionNode)
                used.add(definition.name.value)
        failures.extend(f"{document.where()}: {e.message}" for e in graphql.validate(schema(), ast))

    # then none has an error, and every fragment serves some operation
    assert failures == []
    assert sorted(set(known) - used) == []
    assert len(operations) >= 35
