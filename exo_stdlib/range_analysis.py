"""Range analysis of index expressions, at user level (Exo's
``exo.stdlib.range_analysis``), built only from cursors.

An `IndexRange` ``(base, lo, hi)`` stands for every value ``base + c`` with
``lo <= c <= hi``; ``base`` is the part of the expression that is not bounded
(free variables such as sizes and the loops the analysis keeps), ``lo`` or
``hi`` is ``None`` when there is no constant bound on that side::

    for i in seq(0, n):
        for j in seq(0, 16):
            A[i + j] = ...           infer_range(idx, loop_i)  ->  (i, 0, 15)
                                     infer_range(idx, loop_j)  ->  (i + j, 0, 0)

`infer_range` bounds the loops strictly inside the scope and keeps the scope's
own iteration variable (and everything outside it) symbolic. Every interval is
sound: each value the expression takes lies in it. ``/`` and ``%`` are floor
division and modulo, as in index expressions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple, Union

from exo_core.cursors.base import Cursor, InvalidCursor
from exo_core.cursors.expr_cursors import (BinOpCursor, ExprCursor, LiteralCursor, ReadConfigCursor,
                                           ReadCursor, StrideExprCursor, UnaryMinusCursor)
from exo_core.cursors.stmt_cursors import (AssignCursor, BlockCursor, ForCursor, ReduceCursor,
                                           StmtCursor)
from exo_core.user_frame import scheduling_error, user_entry
from exo_stdlib.navigation import get_parents
from exo_stdlib.traversals import nlr

__all__ = ["IndexRange", "bounds_inference", "constant_bound", "index_range_analysis",
           "infer_range", "get_parents"]


# --------------------------------------------------------------------------
# The symbolic part of a range: a small expression tree, printed as Exo prints
# index expressions.

_PRECEDENCE = {"+": 60, "-": 60, "*": 70, "/": 70, "%": 70}


@dataclass(frozen=True)
class _Const:
    val: int

    def __str__(self) -> str:
        return str(self.val)


@dataclass(frozen=True)
class _Name:
    """A variable (or another unbounded atom such as a data read), by its text."""
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class _Neg:
    arg: "_Expr"

    def __str__(self) -> str:
        return f"-({self.arg})" if isinstance(self.arg, _BinOp) else f"-{self.arg}"


@dataclass(frozen=True)
class _BinOp:
    op: str
    lhs: "_Expr"
    rhs: "_Expr"

    def __str__(self) -> str:
        prec = _PRECEDENCE[self.op]
        lhs, rhs = str(self.lhs), str(self.rhs)
        if isinstance(self.lhs, _BinOp) and _PRECEDENCE[self.lhs.op] < prec:
            lhs = f"({lhs})"
        if isinstance(self.rhs, _BinOp) and _PRECEDENCE[self.rhs.op] <= prec:
            rhs = f"({rhs})"
        return f"{lhs} {self.op} {rhs}"


_Expr = Union[_Const, _Name, _Neg, _BinOp]
_ZERO = _Const(0)


def _is_const(e) -> bool:
    return isinstance(e, _Const)


def _add(lo: Optional[int], hi: Optional[int]) -> Optional[int]:
    return None if lo is None or hi is None else lo + hi


def _int_arg(op: str, c) -> int:
    if isinstance(c, bool) or not isinstance(c, int):
        raise TypeError(f"IndexRange {op} takes an int constant, got {type(c).__name__} {c!r}")
    return c


def _subst_zero(e: _Expr, var: str) -> _Expr:
    """``e`` with ``var`` replaced by 0, zero terms dropped (``e`` is linear in ``var``)."""
    if isinstance(e, _Name):
        return _ZERO if e.name == var else e
    if isinstance(e, _Neg):
        arg = _subst_zero(e.arg, var)
        return _ZERO if arg == _ZERO else _Neg(arg)
    if isinstance(e, _BinOp):
        lhs, rhs = _subst_zero(e.lhs, var), _subst_zero(e.rhs, var)
        if e.op == "+":
            if lhs == _ZERO:
                return rhs
            if rhs == _ZERO:
                return lhs
        if e.op == "*" and (lhs == _ZERO or rhs == _ZERO):
            return _ZERO
        return _BinOp(e.op, lhs, rhs)
    return e


# --------------------------------------------------------------------------
# IndexRange


@dataclass(eq=False)
class IndexRange:
    """
    The values ``base + c`` for ``lo <= c <= hi`` (``lo``/``hi`` ``None``: no
    constant bound on that side). ``base`` holds what is not bounded (free
    variables); it is the constant 0 when the range is constant.
    """

    base: _Expr
    lo: Optional[int]
    hi: Optional[int]

    # ---- construction
    @staticmethod
    def create_unbounded() -> "IndexRange":
        return IndexRange(_ZERO, None, None)

    @staticmethod
    def create_int(x: int) -> "IndexRange":
        return IndexRange(_ZERO, x, x)

    @staticmethod
    def create_constant_range(lo: int, hi: int) -> "IndexRange":
        return IndexRange(_ZERO, lo, hi)

    # ---- queries
    def get_bounds(self) -> Tuple[str, str]:
        """The bounds as text: ``(lo, hi)`` inclusive for a constant range,
        ``(base + lo, base + hi + 1)`` (end exclusive) otherwise, ``-inf``/``inf``
        where unbounded (as Exo prints them)."""
        if _is_const(self.base):
            lo = "-inf" if self.lo is None else str(self.lo)
            hi = "inf" if self.hi is None else str(self.hi)
        else:
            lo = "-inf" if self.lo is None else f"{self.base} + {self.lo}"
            hi = "inf" if self.hi is None else f"{self.base} + {self.hi + 1}"
        return lo, hi

    def get_size(self) -> Optional[int]:
        """How many values of ``c`` the range allows, or None if unbounded."""
        if self.lo is None or self.hi is None:
            return None
        return self.hi - self.lo + 1

    def get_stride_of(self, idx) -> int:
        """The coefficient of the variable ``idx`` (a name) in ``base``."""
        return _stride(self.base, self.base, _var_name(idx))

    def partial_eval_with_range(self, var, rng: "IndexRange") -> "IndexRange":
        """This range with the variable ``var`` (a name) of ``base`` replaced by
        the values of ``rng``."""
        name = _var_name(var)
        stride = _stride(self.base, self.base, name)
        rest = IndexRange(_subst_zero(self.base, name), self.lo, self.hi)
        if stride == 0:
            return rest
        return rest + (rng if stride == 1 else rng * stride)

    # ---- arithmetic
    def __add__(self, other: Union[int, "IndexRange"]) -> "IndexRange":
        if isinstance(other, IndexRange):
            if _is_const(self.base):
                base = other.base
            elif _is_const(other.base):
                base = self.base
            else:
                base = _BinOp("+", self.base, other.base)
            return IndexRange(base, _add(self.lo, other.lo), _add(self.hi, other.hi))
        c = _int_arg("+", other)
        return IndexRange(self.base, _add(self.lo, c), _add(self.hi, c))

    def __radd__(self, c: int) -> "IndexRange":
        return self + c

    def __neg__(self) -> "IndexRange":
        base = self.base if _is_const(self.base) else _Neg(self.base)
        return IndexRange(base, None if self.hi is None else -self.hi,
                          None if self.lo is None else -self.lo)

    def __sub__(self, other: Union[int, "IndexRange"]) -> "IndexRange":
        if isinstance(other, IndexRange):
            return self + (-other)
        return self + (-_int_arg("-", other))

    def __rsub__(self, c: int) -> "IndexRange":
        return (-self) + _int_arg("-", c)

    def __mul__(self, c: int) -> Union["IndexRange", int]:
        if isinstance(c, IndexRange) and _is_const(c.base) and c.lo is not None and c.lo == c.hi:
            c = c.lo
        c = _int_arg("*", c)
        if c == 0:
            return 0
        base = self.base if _is_const(self.base) else _BinOp("*", self.base, _Const(c))
        lo = None if self.lo is None else self.lo * c
        hi = None if self.hi is None else self.hi * c
        return IndexRange(base, lo, hi) if c > 0 else IndexRange(base, hi, lo)

    def __rmul__(self, c: int) -> Union["IndexRange", int]:
        return self * c

    def __floordiv__(self, c: int) -> "IndexRange":
        c = _int_arg("/", c)
        if c == 0:
            raise ValueError("Cannot divide by 0.")
        if c < 0:
            return IndexRange.create_unbounded()
        lo = None if self.lo is None else self.lo // c
        if _is_const(self.base):
            return IndexRange(self.base, lo, None if self.hi is None else self.hi // c)
        base = _BinOp("/", self.base, _Const(c))
        if self.lo is None or self.hi is None:
            return IndexRange(base, None, None)  # as Exo: no bound kept
        # (b + x) / c lies in b / c + [lo / c, hi / c + 1]
        return IndexRange(base, lo, self.hi // c + 1)

    def __mod__(self, c: int) -> "IndexRange":
        c = _int_arg("%", c)
        if c == 0:
            raise ValueError("Cannot take a remainder modulo 0.")
        if (_is_const(self.base) and self.lo is not None and self.hi is not None
                and self.lo // c == self.hi // c):
            return IndexRange(_ZERO, self.lo % c, self.hi % c)
        return IndexRange(_ZERO, 0, c - 1) if c > 0 else IndexRange(_ZERO, c + 1, 0)

    def __or__(self, other: "IndexRange") -> "IndexRange":
        """The smallest range holding both (unbounded when the bases differ)."""
        if not isinstance(other, IndexRange):
            raise TypeError(f"IndexRange | takes an IndexRange, got {type(other).__name__}")
        if self.base != other.base:
            return IndexRange.create_unbounded()
        lo = None if self.lo is None or other.lo is None else min(self.lo, other.lo)
        hi = None if self.hi is None or other.hi is None else max(self.hi, other.hi)
        return IndexRange(self.base, lo, hi)

    def __eq__(self, other) -> bool:
        return (isinstance(other, IndexRange) and self.base == other.base
                and self.lo == other.lo and self.hi == other.hi)

    __hash__ = None  # type: ignore[assignment]

    def __str__(self) -> str:
        lo = "-inf" if self.lo is None else self.lo
        hi = "inf" if self.hi is None else self.hi
        return f"({self.base}, {lo}, {hi})"


def _var_name(var) -> str:
    if isinstance(var, str):
        return var
    name = getattr(var, "name", None)
    if isinstance(name, str):
        return name
    raise TypeError(f"expected a variable name, got {type(var).__name__} {var!r}")


def _stride(whole: _Expr, e: _Expr, var: str) -> int:
    if isinstance(e, _Const):
        return 0
    if isinstance(e, _Name):
        return 1 if e.name == var else 0
    if isinstance(e, _Neg):
        return -_stride(whole, e.arg, var)
    if e.op in "+-":
        sign = 1 if e.op == "+" else -1
        return _stride(whole, e.lhs, var) + sign * _stride(whole, e.rhs, var)
    if e.op == "*" and isinstance(e.rhs, _Const):
        return _stride(whole, e.lhs, var) * e.rhs.val
    raise ValueError(f"cannot get stride of {var} because {e} contains an unsupported "
                     f"operand '{e.op}'")


# --------------------------------------------------------------------------
# The analysis

_Env = dict


def _from_env(bounds) -> IndexRange:
    try:
        lo, hi = bounds
    except (TypeError, ValueError):
        raise scheduling_error(f"index_range_analysis: an env entry must be a (lo, hi) pair of "
                               f"ints or None, got {bounds!r}") from None
    return IndexRange(_ZERO, lo, hi)


def _analyse(expr: Cursor, env: _Env) -> Union[IndexRange, int]:
    if isinstance(expr, LiteralCursor):
        v = expr.value()
        if isinstance(v, bool) or not isinstance(v, int):
            raise scheduling_error(f"index_range_analysis: expected an index expression, "
                                   f"got the literal {v!r}")
        return v
    if isinstance(expr, ReadCursor):
        if len(expr.idx()) == 0 and expr.name() in env:
            return _from_env(env[expr.name()])
        return IndexRange(_Name(str(expr)), 0, 0)
    if isinstance(expr, (StrideExprCursor, ReadConfigCursor)):
        return IndexRange(_Name(str(expr)), 0, 0)
    if isinstance(expr, UnaryMinusCursor):
        return -_analyse(expr.arg(), env)
    if isinstance(expr, BinOpCursor) and expr.op() in _PRECEDENCE:
        op = expr.op()
        lhs, rhs = _analyse(expr.lhs(), env), _analyse(expr.rhs(), env)
        if isinstance(lhs, int) and isinstance(rhs, int):
            if op in "/%" and rhs == 0:
                raise scheduling_error(f"index_range_analysis: {expr} divides by 0")
            return {"+": lhs + rhs, "-": lhs - rhs, "*": lhs * rhs,
                    "/": lhs // rhs if rhs else 0, "%": lhs % rhs if rhs else 0}[op]
        if op == "+":
            return lhs + rhs if isinstance(lhs, IndexRange) else rhs + lhs
        if op == "-":
            return lhs - rhs
        if op == "*":
            if isinstance(lhs, IndexRange) and isinstance(rhs, IndexRange):
                if _is_const(rhs.base) and rhs.lo is not None and rhs.lo == rhs.hi:
                    return lhs * rhs.lo
                if _is_const(lhs.base) and lhs.lo is not None and lhs.lo == lhs.hi:
                    return rhs * lhs.lo
                raise scheduling_error(f"index_range_analysis: {expr} multiplies two "
                                       f"non-constant expressions")
            return lhs * rhs if isinstance(lhs, IndexRange) else rhs * lhs
        if isinstance(rhs, int):
            if rhs == 0:
                raise scheduling_error(f"index_range_analysis: {expr} divides by 0")
            return lhs // rhs if op == "/" else lhs % rhs
        raise scheduling_error(f"index_range_analysis: {expr} divides by a non-constant "
                               f"expression")
    raise scheduling_error(f"index_range_analysis: expected an index expression "
                           f"(+ - * / % of names and integers), got {expr}")


@user_entry
def index_range_analysis(expr: ExprCursor, env: dict) -> IndexRange | int:
    """The range of values of the index expression ``expr``: an int when it is
    a constant, an `IndexRange` otherwise. ``env`` maps a variable's name to
    its ``(lo, hi)`` bounds (inclusive, ``None`` for no bound); other
    variables stay in the range's base.
    """
    if not isinstance(expr, Cursor) or isinstance(expr, (InvalidCursor, StmtCursor)):
        raise scheduling_error(f"index_range_analysis: expected an expression cursor, got "
                               f"{expr!r}")
    if not isinstance(env, dict):
        raise scheduling_error(f"index_range_analysis: env must be a dict of names to (lo, hi) "
                               f"pairs, got {type(env).__name__}")
    return _analyse(expr, env)


def _constant_bound(expr: Cursor, env: _Env) -> Tuple[Optional[int], Optional[int]]:
    r = _analyse(expr, env)
    if isinstance(r, int):
        return r, r
    if _is_const(r.base):
        return r.lo, r.hi
    return None, None


@user_entry
def constant_bound(expr: ExprCursor, env: dict) -> Tuple[int, int] | None:
    """
    Inclusive constant bounds ``(lo, hi)`` of the index expression ``expr``
    given the variable bounds ``env`` (see `index_range_analysis`); a side
    with no constant bound is None (``(None, None)`` when the expression
    depends on a variable ``env`` does not bound).
    """
    index_range_analysis(expr, env)  # the argument checks
    return _constant_bound(expr, env)


@user_entry
def infer_range(idx_expr: Cursor, scope: Cursor) -> IndexRange:
    """
    The range of values of the index expression ``idx_expr`` within the
    statement ``scope`` (an ancestor of it): the iteration variables of the
    loops strictly inside ``scope`` around ``idx_expr`` are bounded by their
    loops' constant bounds; everything else stays symbolic.
    """
    if not isinstance(idx_expr, ExprCursor):
        raise scheduling_error(f"infer_range: expected an expression cursor, got {idx_expr!r}")
    if not isinstance(scope, StmtCursor) or isinstance(scope, BlockCursor):
        raise scheduling_error(f"infer_range: the scope must be a statement cursor, got "
                               f"{scope!r}")
    if not scope.is_ancestor_of(idx_expr):
        raise scheduling_error("infer_range: the scope does not contain the expression")
    loops = []
    c = idx_expr.parent()
    while c != scope:
        if isinstance(c, ForCursor):
            loops.append(c)
        c = c.parent()
    env: _Env = {}
    for loop in reversed(loops):  # outermost first: inner bounds may use outer loops
        lo = _constant_bound(loop.lo(), env)[0]
        hi = _constant_bound(loop.hi(), env)[1]
        env[loop.name()] = (lo, None if hi is None else hi - 1)
    r = _analyse(idx_expr, env)
    return IndexRange.create_int(r) if isinstance(r, int) else r


def _accesses(loop: StmtCursor, buffer_name: str, include) -> list:
    """The index lists of the accesses of ``buffer_name`` in ``loop``: writes
    (``=``) for ``"W"``, reads for ``"R"``."""
    found = []
    for c in nlr(loop.proc(), loop):
        if "W" in include and isinstance(c, AssignCursor) and not isinstance(c, ReduceCursor) \
                and c.name() == buffer_name:
            found.append(c.idx())
        elif "R" in include and isinstance(c, ReadCursor) and c.name() == buffer_name \
                and len(c.idx()) > 0:
            found.append(c.idx())
    return found


@user_entry
def bounds_inference(loop, buffer_name: str, buffer_dim: int, include=["W"]):  # noqa: B006
    """
    The union (an `IndexRange`) over the accesses of ``buffer_name`` inside the
    statement ``loop`` of the range of their index in dimension ``buffer_dim``,
    each as `infer_range` gives it with ``loop`` as the scope. ``include``
    selects the accesses: ``"W"`` writes (``=``), ``"R"`` reads. None when
    there is no such access.
    """
    if not isinstance(loop, StmtCursor) or isinstance(loop, BlockCursor):
        raise scheduling_error(f"bounds_inference: expected a statement cursor, got {loop!r}")
    if not isinstance(buffer_dim, int) or isinstance(buffer_dim, bool):
        raise scheduling_error(f"bounds_inference: buffer_dim must be an int, got "
                               f"{buffer_dim!r}")
    result = None
    for idx in _accesses(loop, buffer_name, include):
        if not 0 <= buffer_dim < len(idx):
            raise scheduling_error(f"bounds_inference: an access of {buffer_name} has "
                                   f"{len(idx)} index(es), there is no dimension {buffer_dim}")
        r = infer_range(idx[buffer_dim], loop)
        result = r if result is None else result | r
    return result
