"""Query cost: each field costs 1, a connection multiplies its selection by its page size, and a
field whose work is out of proportion to its answer declares its own cost:

    @strawberry.field(metadata=cost(VERIFY_AUDIT_CHAIN_COST))

The request budget is checked before execution; the per-principal budget is a sliding minute,
kept in this process's memory, or in files that the processes of one server share
(`mutual serve --workers N`, MUTUAL_BUDGET_DIR).
"""

from __future__ import annotations

import fcntl
import hashlib
import itertools
import mmap
import os
import struct
import time
from collections import OrderedDict, defaultdict, deque
from pathlib import Path
from typing import Any, Protocol

import orjson
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    value_from_ast_untyped,
)
from strawberry.schema.schema_converter import GraphQLCoreConverter

from mutual.kit.pagination import DEFAULT_PAGE

COST_KEY = "mutual.cost"


def cost(units: int) -> dict[str, int]:
    """A field's own cost, instead of 1, as strawberry field metadata: `strawberry.field(
    metadata=cost(n))`. For work the answer does not show (a walk of a whole table), so the
    request and per-principal budgets feel it."""
    return {COST_KEY: units}


def declared_cost(field_def: Any) -> int:
    """The cost a field declared with `cost(...)`; 1 otherwise. strawberry's field is reached
    through the converter's backref (guarded in tests/graphql/test_private_names.py)."""
    field = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    metadata = getattr(field, "metadata", None) or {}
    units = metadata.get(COST_KEY, 1)
    return units if isinstance(units, int) else 1


def _unwrap(type_: Any) -> tuple[Any, bool]:
    is_list = False
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        if isinstance(type_, GraphQLList):
            is_list = True
        type_ = type_.of_type
    return type_, is_list


def _argument(node: FieldNode, name: str, variables: dict[str, Any]) -> Any:
    for argument in node.arguments or ():
        if argument.name.value == name:
            return value_from_ast_untyped(argument.value, variables)
    return None


def _multiplier(node: FieldNode, field_def: Any, variables: dict[str, Any], is_list: bool) -> int:
    if "first" in field_def.args or "last" in field_def.args:
        size = _argument(node, "first", variables) or _argument(node, "last", variables)
        return int(size) if isinstance(size, int) and size > 0 else DEFAULT_PAGE
    ids = _argument(node, "ids", variables)
    if is_list and isinstance(ids, list):
        return max(1, len(ids))
    return 1


class CostCalculator:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables

    def selection_cost(
        self, parent: Any, selection_set: SelectionSetNode | None, seen: frozenset[str]
    ) -> int:
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field_cost(parent, selection, seen)
            elif isinstance(selection, InlineFragmentNode):
                target = (
                    self.schema.get_type(selection.type_condition.name.value)
                    if selection.type_condition
                    else parent
                )
                total += self.selection_cost(target, selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:
                    continue
                target = self.schema.get_type(fragment.type_condition.name.value)
                total += self.selection_cost(target, fragment.selection_set, seen | {name})
        return total

    def field_cost(self, parent: Any, node: FieldNode, seen: frozenset[str]) -> int:
        if node.name.value.startswith("__"):
            return 0
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 1
        field_def = parent.fields.get(node.name.value)
        if field_def is None:
            return 1
        child, is_list = _unwrap(field_def.type)
        if isinstance(child, GraphQLUnionType):
            child = None
        multiplier = _multiplier(node, field_def, self.variables, is_list)
        own = declared_cost(field_def)
        return own + multiplier * self.selection_cost(child, node.selection_set, seen)


def operation_cost(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any] | None,
) -> int:
    """The operation's cost, reckoned once per parsed operation (the parser's cache gives the
    same node for the same document), schema and variables."""
    try:
        key = (id(operation), id(schema), orjson.dumps(variables, option=orjson.OPT_SORT_KEYS))
    except TypeError:  # variables orjson cannot write are reckoned every time
        return _reckoned(schema, operation, fragments, variables)
    known = _costs.get(key)
    if known is None or known[0] is not operation or known[1] is not schema:
        if len(_costs) >= 2048:
            _costs.clear()
        cost = _reckoned(schema, operation, fragments, variables)
        known = _costs[key] = (operation, schema, cost)
    return known[2]


_costs: dict[tuple[int, int, bytes], tuple[OperationDefinitionNode, GraphQLSchema, int]] = {}


def _reckoned(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any] | None,
) -> int:
    root = schema.get_root_type(operation.operation)
    return CostCalculator(schema, fragments, variables or {}).selection_cost(
        root, operation.selection_set, frozenset()
    )


class Budget(Protocol):
    def charge(self, key: str, cost: int, limit: int) -> bool: ...


class PrincipalBudget:
    """Cost spent per principal over the last minute, in this process."""

    WINDOW_SECONDS = 60.0

    def __init__(self) -> None:
        self._spent: defaultdict[str, deque[tuple[float, int]]] = defaultdict(deque)
        # Running sums, so a busy principal's charge does not walk a minute of requests.
        self._totals: defaultdict[str, int] = defaultdict(int)

    def charge(self, key: str, cost: int, limit: int) -> bool:
        """Record the cost and say whether the principal stays within its budget."""
        now = time.monotonic()
        spent = self._spent[key]
        while spent and spent[0][0] < now - self.WINDOW_SECONDS:
            self._totals[key] -= spent.popleft()[1]
        if self._totals[key] + cost > limit:
            return False
        spent.append((now, cost))
        self._totals[key] += cost
        return True


_SLOTS = 60
_SLOT = struct.Struct("<qq")  # (second, cost spent in it)
_TABLE = struct.Struct(f"<{2 * _SLOTS}q")


def _spent(table: tuple[int, ...], second: int) -> int:
    """The cost of the slots whose second is one of the last 60 (not one of a clock before a
    reboot, larger than now)."""
    live = range(second - _SLOTS + 1, second + 1)
    return sum(itertools.compress(table[1::2], map(live.__contains__, table[0::2])))


class SharedPrincipalBudget:
    """The per-principal budget of several processes: one file per principal (named by a hash of
    its key) under a directory they share, mapped into memory and changed under an exclusive
    flock. Its sliding minute is counted in whole seconds: 60 slots of (second, cost), the slot
    of a second reused 60 seconds later; a cost leaves the window up to a second sooner than in
    memory. time.monotonic is one clock for every process of the machine. A charge is three
    system calls (lock, check the file was not swept away, unlock; the files of the last
    OPEN_FILES principals stay open) and no database round trip; a request that costs nothing
    (`{ __typename }`) makes none, since it can never be refused (nothing is charged past the
    limit)."""

    SWEEP_SECONDS = 60.0
    OPEN_FILES = 1024

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self._prefix = os.path.join(directory, "")  # str joins: pathlib cost more than the I/O
        self._open: OrderedDict[str, tuple[int, mmap.mmap]] = OrderedDict()
        self._next_sweep = time.monotonic() + self.SWEEP_SECONDS

    def charge(self, key: str, cost: int, limit: int) -> bool:
        """Record the cost and say whether the principal stays within its budget."""
        if cost <= 0:
            return True
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + self.SWEEP_SECONDS
            self.sweep()
        second = int(now)
        name = hashlib.blake2b(key.encode()).hexdigest()[:32]
        fd, table = self._locked(name)
        try:
            if _spent(_TABLE.unpack_from(table), second) + cost > limit:
                return False
            index = second % _SLOTS
            held, spent = _SLOT.unpack_from(table, index * _SLOT.size)
            spent = spent if held == second else 0  # else the slot's second left the window
            _SLOT.pack_into(table, index * _SLOT.size, second, spent + cost)
            return True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)

    def _locked(self, name: str) -> tuple[int, mmap.mmap]:
        """The principal's file, open, mapped and locked."""
        while True:
            opened = self._open.pop(name, None)
            if opened is None:
                fd = os.open(self._prefix + name, os.O_RDWR | os.O_CREAT, 0o600)
                fcntl.flock(fd, fcntl.LOCK_EX)
                if os.fstat(fd).st_size < _TABLE.size:
                    os.ftruncate(fd, _TABLE.size)  # a new file: zeros, no slot in the window
                opened = (fd, mmap.mmap(fd, _TABLE.size))
            else:
                fcntl.flock(opened[0], fcntl.LOCK_EX)
            if os.fstat(opened[0]).st_nlink:
                self._open[name] = opened
                while len(self._open) > self.OPEN_FILES:
                    self._close(self._open.popitem(last=False)[1])
                return opened
            self._close(opened)  # a sweep removed it meanwhile: open the new one

    @staticmethod
    def _close(opened: tuple[int, mmap.mmap]) -> None:
        opened[1].close()
        os.close(opened[0])  # and its lock with it

    def sweep(self) -> None:
        """Remove the files none of whose slots is in the window: one per principal seen,
        anonymous clients' addresses included, would pile up."""
        second = int(time.monotonic())
        for entry in os.scandir(self.directory):
            try:
                fd = os.open(entry.path, os.O_RDWR)
            except FileNotFoundError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                data = os.pread(fd, _TABLE.size, 0).ljust(_TABLE.size, b"\0")
                if _spent(_TABLE.unpack(data), second) == 0:
                    os.unlink(entry.path)
            except (BlockingIOError, FileNotFoundError):
                pass  # in use, or removed by another process's sweep
            finally:
                os.close(fd)
