"""Parsing pattern strings into pattern trees.

A pattern string is object code with holes (``_``), optionally followed by
``#n`` to select the match of index ``n`` (0-based). It is parsed once with
Python's ``ast`` (results are cached by string) into the small trees below,
which `exo_core.cursors.patterns` matches structurally against the IR.

Statement patterns: ``for i in _: _``, ``for i in seq(0, n): _``,
``if cond: _`` (with optional ``else``), ``a : _``, ``a : i8``,
``a : f32[_] @ DRAM``, ``a = e``, ``a[i, j] = e``, ``a += e``, ``C.f = e``,
``pass``, ``foo(_)`` (a call), ``_`` (any statements, in sequences), and
sequences separated by ``;`` or newlines.

Expression patterns: ``_``, ``x`` (a read of ``x`` with any indices),
``x[i, _]``, ``x[_]`` (any indices, also a window of ``x``), ``x[0:4, i]``
(a window), literals, ``-e``, ``e op e`` for ``+ - * / // % < > <= >= ==
and or``, ``stride(x, 0)``, ``f(_)`` (an extern call), ``C.f`` (a config read).
"""

from __future__ import annotations

import ast
import functools
import re
import textwrap

from attrs import frozen

from exo_core.errors import ParseError


# --------------------------------------------------------------------------
# Pattern trees (immutable; shared through the parse cache)


@frozen
class PSHole:
    """``_`` as a statement: any number of statements."""


@frozen
class PFor:
    iter: str
    lo: object  # None: any lower bound
    hi: object
    body: tuple


@frozen
class PIf:
    cond: object
    body: tuple
    orelse: tuple


@frozen
class PAlloc:
    name: str
    elem: str | None  # None: any type
    sizes: tuple | None  # None: any shape
    mem: str | None  # None: any memory


@frozen
class PAssign:
    name: str
    idx: tuple | None  # None: any indices
    rhs: object


@frozen
class PReduce:
    name: str
    idx: tuple | None
    rhs: object


@frozen
class PWriteConfig:
    config: str
    field: str
    rhs: object


@frozen
class PPass:
    pass


@frozen
class PCall:
    """``f(args)``: a call statement, or an extern call expression."""

    name: str
    args: tuple


@frozen
class PEHole:
    """``_`` as an expression: any expression."""


@frozen
class PRead:
    name: str
    idx: tuple | None


@frozen
class PWindow:
    name: str
    dims: tuple  # ("pt", e) or ("slice", lo, hi)


@frozen
class PConst:
    val: object


@frozen
class PUSub:
    arg: object


@frozen
class PBinOp:
    op: str
    lhs: object
    rhs: object


@frozen
class PStride:
    name: str
    dim: int | None


@frozen
class PReadConfig:
    config: str
    field: str


@frozen
class Pattern:
    """A parsed pattern string.

    ``kind`` is ``"stmts"`` (``body`` is a tuple of statement patterns),
    ``"expr"`` (``body`` is one expression pattern) or ``"call"`` (``body`` is a
    `PCall`: matched against call statements, else extern calls).
    ``match_no`` is the ``#n`` selector or None.
    """

    text: str
    kind: str
    body: object
    match_no: int | None


_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/",
           ast.FloorDiv: "/", ast.Mod: "%"}
_CMPOPS = {ast.Eq: "==", ast.Lt: "<", ast.Gt: ">", ast.LtE: "<=", ast.GtE: ">="}
_MATCH_NO = re.compile(r"^(.*?)#\s*(\d+)\s*$", re.DOTALL)


class _Bad(Exception):
    """Internal: a part of the pattern outside the pattern language."""


def _name(node, what: str) -> str:
    if isinstance(node, ast.Name):
        return node.id
    raise _Bad(f"expected a name for {what}")


def _expr(node):
    if isinstance(node, ast.Name):
        return PEHole() if node.id == "_" else PRead(node.id, None)
    if isinstance(node, ast.Constant):
        if isinstance(node.value, (bool, int, float)):
            return PConst(node.value)
        raise _Bad(f"the literal {node.value!r} is not a number or a bool")
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.USub):
            return PUSub(_expr(node.operand))
        if isinstance(node.op, ast.UAdd):
            return _expr(node.operand)
        raise _Bad("only unary minus is allowed")
    if isinstance(node, ast.BinOp):
        op = _BINOPS.get(type(node.op))
        if op is None:
            raise _Bad(f"the operator {type(node.op).__name__} is not in object code")
        return PBinOp(op, _expr(node.left), _expr(node.right))
    if isinstance(node, ast.Compare):
        if len(node.ops) != 1:
            raise _Bad("chained comparisons are not in object code")
        op = _CMPOPS.get(type(node.ops[0]))
        if op is None:
            raise _Bad(f"the comparison {type(node.ops[0]).__name__} is not in object code")
        return PBinOp(op, _expr(node.left), _expr(node.comparators[0]))
    if isinstance(node, ast.BoolOp):
        op = "and" if isinstance(node.op, ast.And) else "or"
        out = _expr(node.values[0])
        for v in node.values[1:]:
            out = PBinOp(op, out, _expr(v))
        return out
    if isinstance(node, ast.Subscript):
        return _subscript(node)
    if isinstance(node, ast.Call):
        fname = _name(node.func, "the called function")
        if node.keywords:
            raise _Bad("keyword arguments are not in object code")
        if fname == "stride":
            if len(node.args) != 2:
                raise _Bad("stride takes a buffer and a dimension")
            dim = node.args[1]
            if isinstance(dim, ast.Name) and dim.id == "_":
                d = None
            elif isinstance(dim, ast.Constant) and isinstance(dim.value, int):
                d = dim.value
            else:
                raise _Bad("the dimension of stride must be an integer or _")
            return PStride(_name(node.args[0], "the buffer of stride"), d)
        return PCall(fname, tuple(_expr(a) for a in node.args))
    if isinstance(node, ast.Attribute):
        return PReadConfig(_name(node.value, "a configuration"), node.attr)
    raise _Bad(f"{type(node).__name__} is not an object-code expression")


def _subscript(node):
    name = _name(node.value, "the indexed buffer")
    elts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
    if any(isinstance(e, ast.Slice) for e in elts):
        dims = []
        for e in elts:
            if isinstance(e, ast.Slice):
                if e.step is not None:
                    raise _Bad("window slices have no step")
                lo = _expr(e.lower) if e.lower is not None else PEHole()
                hi = _expr(e.upper) if e.upper is not None else PEHole()
                dims.append(("slice", lo, hi))
            else:
                dims.append(("pt", _expr(e)))
        return PWindow(name, tuple(dims))
    return PRead(name, tuple(_expr(e) for e in elts))


def _lhs(node):
    """(name, idx) of an assignment target."""
    if isinstance(node, ast.Name):
        return node.id, None
    if isinstance(node, ast.Subscript):
        r = _subscript(node)
        if isinstance(r, PWindow):
            raise _Bad("cannot assign to a window")
        return r.name, r.idx
    raise _Bad("the left-hand side must be a name or an indexed name")


def _alloc_type(node):
    """(elem, sizes, mem) of an allocation annotation."""
    mem = None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
        m = _name(node.right, "a memory")
        mem = None if m == "_" else m
        node = node.left
    if isinstance(node, ast.Name):
        return (None if node.id == "_" else node.id), None, mem
    if isinstance(node, ast.Subscript):
        elem = _name(node.value, "an element type")
        elts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        sizes = tuple(_expr(e) for e in elts)
        return (None if elem == "_" else elem), sizes, mem
    raise _Bad("an allocation pattern is `name : type`, `name : type[sizes]` or `_`")


def _stmts(nodes) -> tuple:
    return tuple(_stmt(s) for s in nodes)


def _stmt(node):
    if isinstance(node, ast.Expr):
        v = node.value
        if isinstance(v, ast.Name) and v.id == "_":
            return PSHole()
        if isinstance(v, ast.Call):
            c = _expr(v)
            if isinstance(c, PCall):
                return c
        raise _Bad("an expression cannot stand in a sequence of statements")
    if isinstance(node, ast.Pass):
        return PPass()
    if isinstance(node, ast.For):
        if node.orelse:
            raise _Bad("for loops have no else")
        it = _name(node.target, "the loop variable")
        rng = node.iter
        if isinstance(rng, ast.Name) and rng.id == "_":
            lo, hi = None, PEHole()
        elif (isinstance(rng, ast.Call) and isinstance(rng.func, ast.Name)
              and rng.func.id in ("seq", "par") and len(rng.args) == 2):
            lo, hi = _expr(rng.args[0]), _expr(rng.args[1])
        else:
            raise _Bad("a loop pattern is `for i in _: ...` or `for i in seq(lo, hi): ...`")
        return PFor(it, lo, hi, _stmts(node.body))
    if isinstance(node, ast.If):
        return PIf(_expr(node.test), _stmts(node.body), _stmts(node.orelse))
    if isinstance(node, ast.AnnAssign):
        if node.value is not None:
            raise _Bad("an allocation pattern has no initial value")
        elem, sizes, mem = _alloc_type(node.annotation)
        return PAlloc(_name(node.target, "the allocated buffer"), elem, sizes, mem)
    if isinstance(node, ast.Assign):
        if len(node.targets) != 1:
            raise _Bad("chained assignment is not in object code")
        tgt = node.targets[0]
        if isinstance(tgt, ast.Attribute):
            return PWriteConfig(_name(tgt.value, "a configuration"), tgt.attr,
                                _expr(node.value))
        name, idx = _lhs(tgt)
        return PAssign(name, idx, _expr(node.value))
    if isinstance(node, ast.AugAssign):
        if not isinstance(node.op, ast.Add):
            raise _Bad("only += reductions are in object code")
        name, idx = _lhs(node.target)
        return PReduce(name, idx, _expr(node.value))
    raise _Bad(f"{type(node).__name__} statements are not in object code")


@functools.lru_cache(maxsize=1024)
def parse_pattern(text: str) -> Pattern:
    """Parse a pattern string (cached). Raises ParseError for text outside
    the pattern language."""
    if not isinstance(text, str):
        raise ParseError(f"a pattern must be a string, not {type(text).__name__}")
    body_text, match_no = text, None
    if "#" in text:
        m = _MATCH_NO.match(text)
        if m is None:
            raise ParseError(
                f"bad pattern {text!r}: '#' must be followed by a match number, "
                "as in 'for i in _:_ #1'")
        body_text, match_no = m.group(1), int(m.group(2))
    body_text = textwrap.dedent(body_text).strip()
    if not body_text:
        raise ParseError(f"bad pattern {text!r}: the pattern is empty")
    try:
        module = ast.parse(body_text)
    except SyntaxError as e:
        raise ParseError(f"bad pattern {text!r}: {e.msg}") from None
    try:
        stmts = module.body
        if len(stmts) == 1 and isinstance(stmts[0], ast.Expr):
            value = stmts[0].value
            if isinstance(value, ast.Name) and value.id == "_":
                raise _Bad("a pattern that is only `_` matches everything")
            pat = _expr(value)
            kind = "call" if isinstance(pat, PCall) else "expr"
            return Pattern(text, kind, pat, match_no)
        body = _stmts(stmts)
        if all(isinstance(s, PSHole) for s in body):
            raise _Bad("a pattern made only of `_` matches everything")
        return Pattern(text, "stmts", body, match_no)
    except _Bad as e:
        raise ParseError(f"bad pattern {text!r}: {e}") from None
