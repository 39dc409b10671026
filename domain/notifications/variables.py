"""What data a template reads, and which of it a message cannot do without.

Derived from the template source: every variable it reads from the data (Jinja's
``meta.find_undeclared_variables``), and of those the *required* ones, read outside any guard
(``{% if x %}``, ``x | default(...)``, ``x is defined``, ``x or ...``, ``x if x else ...``). A send
that lacks a required variable is refused when requested instead of going out with a blank.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from jinja2 import Environment, meta, nodes

_GUARD_FILTERS = frozenset({"default", "d"})
_GUARD_TESTS = frozenset({"defined", "undefined", "none"})


def _names(node: nodes.Node) -> frozenset[str]:
    found = {n.name for n in node.find_all(nodes.Name) if n.ctx == "load"}
    if isinstance(node, nodes.Name) and node.ctx == "load":
        found.add(node.name)
    return frozenset(found)


def _unguarded(node: nodes.Node | None, guarded: frozenset[str], out: set[str]) -> None:
    """Add to ``out`` the names read where no enclosing test decides whether they are there."""
    if node is None:
        return
    if isinstance(node, nodes.If):
        tests = _names(node.test)
        for child in node.body:
            _unguarded(child, guarded | tests, out)
        for branch in node.elif_:
            _unguarded(branch, guarded | tests, out)
        for child in node.else_:
            _unguarded(child, guarded | tests, out)
        return
    if isinstance(node, nodes.CondExpr):
        tests = _names(node.test)
        _unguarded(node.expr1, guarded | tests, out)
        _unguarded(node.expr2, guarded | tests, out)
        return
    if isinstance(node, nodes.Filter | nodes.Test) and node.name in _GUARD_FILTERS | _GUARD_TESTS:
        for child in (*node.args, *(kw.value for kw in node.kwargs)):
            _unguarded(child, guarded, out)
        return
    if isinstance(node, nodes.Or | nodes.And):
        _unguarded(node.right, guarded | _names(node.left), out)
        return
    if isinstance(node, nodes.Name) and node.ctx == "load" and node.name not in guarded:
        out.add(node.name)
    for child in node.iter_child_nodes():
        _unguarded(child, guarded, out)


# (environment, digest of the source) -> the analysis; keyed by digest so that up to 100 kB sources
# are not kept alive as keys.
_CACHE: OrderedDict[tuple[int, bytes], tuple[frozenset[str], frozenset[str]]] = OrderedDict()
_CACHE_SIZE = 8192
_LOCK = threading.Lock()


def of_source(env: Environment, source: str) -> tuple[frozenset[str], frozenset[str]]:
    """(every variable the source reads from the data, the required ones). Raises on a syntax error."""
    key = (id(env), hashlib.blake2b(source.encode(), digest_size=16).digest())
    with _LOCK:
        if (hit := _CACHE.get(key)) is not None:
            _CACHE.move_to_end(key)
            return hit
    tree = env.parse(source)
    read = frozenset(meta.find_undeclared_variables(tree))
    unguarded: set[str] = set()
    _unguarded(tree, frozenset(), unguarded)
    found = (read, read & frozenset(unguarded))
    with _LOCK:
        _CACHE[key] = found
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return found
