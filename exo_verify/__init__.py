"""exo_verify: a small reasoning engine over quasi-affine integer terms.

It knows nothing of the compiler's IR.  Callers build terms and formulas::

    from exo_verify import Var, prove, in_range
    i, n = Var("i"), Var("n")
    result = prove(i + 1 <= n, in_range(i, 0, n))
    result.solver, result.seconds          # "isl", 0.0002
    bool(result)                           # True: proved

and get a :class:`Proof`, a :class:`Counterexample` (with values in the user's
variable names) or, for non-linear questions z3 cannot settle, an
:class:`Unknown`.  Presburger questions are decided by isl; only products of
variables go to z3.  :class:`IntSet` and :class:`IntMap` give integer sets and
relations (access maps, dependences); :func:`simplify_term` normalises terms and
applies quasi-affine identities under bounds.
"""

from exo_verify.decide import clear_caches, is_valid, prove, satisfiable
from exo_verify.errors import NotPresburgerError, TermError, UsageError, VerifyError
from exo_verify.formulas import (
    FALSE,
    TRUE,
    And,
    BoolConst,
    Compare,
    Exists,
    Forall,
    Formula,
    Implies,
    Not,
    Or,
    all_of,
    any_of,
    conj,
    disj,
    formula_to_str,
    in_range,
    lex_le,
    lex_lt,
    tuple_eq,
)
from exo_verify.relations import IntMap, IntSet
from exo_verify.results import (
    Assignment,
    Counterexample,
    Proof,
    Unknown,
    Unsatisfiable,
    Witness,
)
from exo_verify.simplify import simplify_term, term_bounds
from exo_verify.substitution import substitute_formula, substitute_term
from exo_verify.terms import (Add, Const, FloorDiv, Mod, Mul, Neg, Sub, Term, Var, as_term,
                              term_to_str)

__all__ = [
    "Add", "And", "Assignment", "BoolConst", "Compare", "Const", "Counterexample",
    "Exists", "FALSE", "FloorDiv", "Forall", "Formula", "Implies", "IntMap", "IntSet",
    "Mod", "Mul", "Neg", "Not", "NotPresburgerError", "Or", "Proof", "Sub", "TRUE",
    "Term", "TermError", "Unknown", "Unsatisfiable", "UsageError", "Var", "VerifyError",
    "Witness", "all_of", "any_of", "as_term", "clear_caches", "conj", "disj",
    "formula_to_str", "in_range", "is_valid", "lex_le", "lex_lt", "prove", "satisfiable",
    "simplify_term", "substitute_formula", "substitute_term", "term_bounds", "term_to_str",
    "tuple_eq",
]
