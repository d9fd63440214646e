"""Property tests: the engine against brute-force evaluation on small boxes,
and the polynomial normal form against sympy."""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exo_verify import (
    And,
    Compare,
    Counterexample,
    Exists,
    Forall,
    Implies,
    IntMap,
    Not,
    Or,
    Proof,
    Unknown,
    Unsatisfiable,
    Var,
    Witness,
    conj,
    in_range,
    prove,
    satisfiable,
    simplify_term,
)
from exo_verify.terms import Add, Const, FloorDiv, Mod, Mul, Neg, Sub

X, Y, Z = Var("x"), Var("y"), Var("z")
W = Var("w")  # only ever bound by a quantifier
VARS = (X, Y, Z)
LO, HI = -2, 3  # every free variable ranges over [LO, HI)
BOX = conj(*(in_range(v, LO, HI) for v in VARS))
POINTS = [dict(zip(VARS, p)) for p in itertools.product(range(LO, HI), repeat=len(VARS))]

PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def affine_terms(variables=VARS):
    leaves = st.one_of(st.sampled_from(variables), st.integers(-4, 4).map(Const))
    return st.recursive(
        leaves,
        lambda t: st.one_of(
            st.builds(Add, t, t),
            st.builds(Sub, t, t),
            st.builds(Neg, t),
            st.builds(Mul, st.integers(-3, 3).map(Const), t),
            st.builds(FloorDiv, t, st.integers(1, 4)),
            st.builds(Mod, t, st.integers(1, 4)),
        ),
        max_leaves=6,
    )


def polynomial_terms(variables=VARS, with_division=False):
    leaves = st.one_of(st.sampled_from(variables), st.integers(-4, 4).map(Const))

    def extend(t):
        ops = [st.builds(Add, t, t), st.builds(Sub, t, t), st.builds(Neg, t), st.builds(Mul, t, t)]
        if with_division:
            ops += [st.builds(FloorDiv, t, st.integers(1, 4)), st.builds(Mod, t, st.integers(1, 4))]
        return st.one_of(*ops)

    return st.recursive(leaves, extend, max_leaves=6)


OPS = st.sampled_from(["<", "<=", "==", "!=", ">=", ">"])


def comparisons(terms):
    return st.builds(Compare, OPS, terms, terms)


def formulas(terms, bound_terms):
    """Formulas over VARS; quantifiers bind W with bounds in a small range."""

    def extend(f):
        bound = st.one_of(st.integers(-3, 3).map(Const), affine_terms())
        return st.one_of(
            st.builds(lambda a, b: And((a, b)), f, f),
            st.builds(lambda a, b: Or((a, b)), f, f),
            st.builds(Not, f),
            st.builds(Implies, f, f),
            st.builds(Exists, st.just(W), bound, bound, f),
            st.builds(Forall, st.just(W), bound, bound, f),
        )

    return st.recursive(comparisons(bound_terms), extend, max_leaves=4)


AFFINE_W = affine_terms(VARS + (W,))
AFFINE_FORMULAS = formulas(affine_terms(), AFFINE_W).map(
    lambda f: Exists(W, LO, HI, f) if W in f.free_vars() else f  # W is never free
)


def holds_everywhere(formula):
    return all(formula.evaluate(p) for p in POINTS)


def check_prove_against_brute_force(goal, result):
    if isinstance(result, Proof):
        assert holds_everywhere(goal)
    else:
        assert isinstance(result, Counterexample), result
        env = dict(result.values)
        for v in VARS:  # the counterexample assigns every variable of the box
            env.setdefault(v, 0)
        assert BOX.evaluate(env)
        assert not goal.evaluate(env)


@PROPERTY_SETTINGS
@given(AFFINE_FORMULAS)
def test_isl_prove_agrees_with_brute_force(goal):
    result = prove(goal, BOX)
    assert result.solver in ("isl", "normaliser")
    check_prove_against_brute_force(goal, result)


@PROPERTY_SETTINGS
@given(AFFINE_FORMULAS)
def test_isl_satisfiable_agrees_with_brute_force(formula):
    result = satisfiable(formula, BOX)
    if isinstance(result, Unsatisfiable):
        assert not any(formula.evaluate(p) for p in POINTS)
    else:
        assert isinstance(result, Witness)
        env = {v: 0 for v in VARS}
        env.update(result.values)
        assert BOX.evaluate(env) and formula.evaluate(env)


@PROPERTY_SETTINGS
@given(comparisons(polynomial_terms(with_division=True)))
def test_z3_prove_agrees_with_brute_force(goal):
    result = prove(goal, BOX, timeout_ms=1000)
    if isinstance(result, Unknown):  # allowed, but never claims anything
        assert not result.proved
        return
    check_prove_against_brute_force(goal, result)


@PROPERTY_SETTINGS
@given(affine_terms())
def test_simplify_preserves_values(term):
    plain = simplify_term(term)
    bounded = simplify_term(term, BOX)
    for p in POINTS:
        assert bounded.evaluate(p) == term.evaluate(p)
    wide = [dict(zip(VARS, q)) for q in itertools.product(range(-9, 10, 3), repeat=3)]
    for p in POINTS + wide:
        assert plain.evaluate(p) == term.evaluate(p)
    assert simplify_term(plain) == plain  # canonical forms are fixed points


def to_sympy(term, symbols):
    import sympy

    if isinstance(term, Var):
        return symbols[term]
    if isinstance(term, Const):
        return sympy.Integer(term.value)
    if isinstance(term, Add):
        return to_sympy(term.lhs, symbols) + to_sympy(term.rhs, symbols)
    if isinstance(term, Sub):
        return to_sympy(term.lhs, symbols) - to_sympy(term.rhs, symbols)
    if isinstance(term, Neg):
        return -to_sympy(term.arg, symbols)
    assert isinstance(term, Mul)
    return to_sympy(term.lhs, symbols) * to_sympy(term.rhs, symbols)


def from_sympy_polynomial(expr, symbols):
    """Our term for an expanded sympy polynomial (a sum of coefficient * monomial)."""
    import sympy

    by_symbol = {s: v for v, s in symbols.items()}
    poly = sympy.Poly(expr, *symbols.values())
    total = Const(0)
    for powers, coef in poly.terms():
        product = Const(int(coef))
        for sym, power in zip(symbols.values(), powers):
            for _ in range(power):
                product = Mul(product, by_symbol[sym])
        total = Add(total, product)
    return total


@PROPERTY_SETTINGS
@given(polynomial_terms())
def test_polynomial_normal_form_matches_sympy(term):
    import sympy

    symbols = {v: sympy.Symbol(v.name) for v in VARS}
    ours = simplify_term(term)
    assert sympy.expand(to_sympy(ours, symbols) - to_sympy(term, symbols)) == 0
    # equal polynomials have identical normal forms, however they were written
    rebuilt = from_sympy_polynomial(sympy.expand(to_sympy(term, symbols)), symbols)
    assert simplify_term(rebuilt) == ours


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(-3, 3), min_size=3, max_size=3),
    st.lists(st.integers(-3, 3), min_size=3, max_size=3),
)
def test_dependence_relation_agrees_with_brute_force(write, read):
    # for x in seq(-2, 3): for y in seq(-2, 3): a[w0*x + w1*y + w2] = a[r0*x + r1*y + r2]
    space = in_range(X, LO, HI) & in_range(Y, LO, HI)
    writes = IntMap.from_terms([X, Y], [write[0] * X + write[1] * Y + write[2]], space)
    reads = IntMap.from_terms([X, Y], [read[0] * X + read[1] * Y + read[2]], space)
    carried = IntMap.dependences(writes, reads).restrict_lex_lt()
    iterations = list(itertools.product(range(LO, HI), repeat=2))

    def loc(coefs, it):
        return coefs[0] * it[0] + coefs[1] * it[1] + coefs[2]

    expected = any(
        a < b and loc(write, a) == loc(read, b) for a in iterations for b in iterations
    )
    assert carried.is_empty() == (not expected)
    if expected:
        point = carried.sample()
        a = (point[carried.in_dims[0]], point[carried.in_dims[1]])
        b = (point[carried.out_dims[0]], point[carried.out_dims[1]])
        assert a < b and loc(write, a) == loc(read, b)
