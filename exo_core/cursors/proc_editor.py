"""The edit API scheduling primitives are written with.

A primitive opens a `ProcEditor` on its input procedure, applies elementary
edits (each returns cursors into the edited version), and calls `finish`::

    ed = ProcEditor(proc)
    loop = ed.stmt(loop_cursor)                 # implicit forwarding
    inner = ed.wrap(loop.body(), lambda body: For(ii, zero, c4, body, "seq", si))
    ed.update(loop, iter=io, hi=new_hi)
    new_proc = ed.finish()                      # forward() works across it

Every edit builds a new root sharing all untouched subtrees and records its
forwarding rule (`exo_core.cursors.edits`). Cursors passed to an edit may come from the
input procedure, any of its ancestors, or any intermediate version produced by
this editor: they are forwarded to the current version first. Misuse (a cursor
of the wrong kind, a move into the moved code, ...) raises SchedulingError at
the user's calling line.
"""

from __future__ import annotations

from typing import Callable, Iterable

from exo_core.cursors.base import Cursor, InvalidCursor, lift
from exo_core.cursors.edits import (ReplaceRange, Wrap, Unwrap, Move, RewriteExprs, RemapArgs,
                                    SwapNest, ANY)
from exo_core.errors import InvalidCursorError
from exo_core.cursors.forwarding import forward_location
from exo_core.ir.nodes import Expr, For, If, Stmt
from exo_core.ir.prelude import Sym
from exo_core.ir.renaming import rename_block
from exo_core.cursors.paths import (NodeLoc, BlockLoc, GapLoc, BLOCK_FIELDS, field_value,
                    resolve, rebuild, splice, is_stmt_loc)
from exo_core.ir.version import ProcVersion
from exo_core.user_frame import scheduling_error



class ProcEditor:
    """Applies elementary edits to a procedure, recording forwarding."""

    def __init__(self, proc: ProcVersion):
        self._orig = proc
        self._cur = proc
        self._edits: list = []

    # --- versions and cursors ---------------------------------------------
    @property
    def root(self):
        """The current (edited so far) IR root."""
        return self._cur._root

    def current(self) -> ProcVersion:
        """The current intermediate version (for inspection)."""
        return self._cur

    def _loc(self, c):
        if isinstance(c, InvalidCursor):
            raise scheduling_error("the cursor is invalid (it points at code that no longer exists)")
        if not isinstance(c, Cursor):
            raise scheduling_error(f"expected a cursor, got {type(c).__name__}")
        if c._proc is self._cur:
            return c._loc
        try:
            loc = forward_location(c._proc, self._cur, c._loc)
        except InvalidCursorError as e:
            raise scheduling_error(e.message) from None
        if loc is None:
            raise scheduling_error("the cursor points at code that an earlier edit removed")
        return loc

    def cursor(self, c) -> Cursor:
        """``c`` forwarded to the current version."""
        return lift(self._cur, self._loc(c))

    def stmt(self, c) -> Cursor:
        """``c`` forwarded to the current version; must be a statement."""
        loc = self._loc(c)
        if not is_stmt_loc(loc):
            raise scheduling_error("expected a cursor to a statement")
        return lift(self._cur, loc)

    def _block_loc(self, c) -> BlockLoc:
        loc = self._loc(c)
        if is_stmt_loc(loc):
            k = loc.steps[-1][1]
            return BlockLoc(loc.steps[:-1], loc.steps[-1][0], k, k + 1)
        if not isinstance(loc, BlockLoc):
            raise scheduling_error("expected a cursor to a statement or a block")
        return loc

    def _gap_loc(self, c) -> GapLoc:
        loc = self._loc(c)
        if not isinstance(loc, GapLoc):
            raise scheduling_error("expected a cursor to a gap between statements")
        return loc

    def _push(self, new_root, edit) -> None:
        edit.src = self._cur
        self._cur = self._cur.successor(new_root, (edit,))
        edit.dst = self._cur
        self._edits.append(edit)

    def finish(self) -> ProcVersion:
        """The edited procedure: its parent is the input procedure and its
        edits are all the edits applied, so ``new.forward(c)`` works for
        cursors of the input, its ancestors and the intermediate versions."""
        if not self._edits:
            return self._orig
        # The last intermediate version becomes the result (so cursors the
        # last edit returned are already cursors of the result), re-parented
        # onto the input with the whole list of edits.
        final = self._cur
        final._parent = self._orig
        final._edits = tuple(self._edits)
        return final

    # --- statement-level edits --------------------------------------------
    def replace_block(self, block, stmts: Iterable[Stmt]):
        """Replace a block (or one statement) by ``stmts``; returns a
        BlockCursor to the new statements (InvalidCursor when none)."""
        b = self._block_loc(block)
        return self._replace(b.owner, b.field, b.lo, b.hi, stmts)

    def replace_stmt(self, stmt, stmts):
        """Replace one statement by one or more statements."""
        if isinstance(stmts, Stmt):
            stmts = [stmts]
        loc = self._loc(stmt)
        if not is_stmt_loc(loc):
            raise scheduling_error("expected a cursor to a statement")
        return self.replace_block(lift(self._cur, loc), stmts)

    def insert(self, gap, stmts: Iterable[Stmt]):
        """Insert ``stmts`` at a gap; returns a BlockCursor to them."""
        g = self._gap_loc(gap)
        stmts = list(stmts)
        if not stmts:
            raise scheduling_error("nothing to insert")
        return self._replace(g.owner, g.field, g.pos, g.pos, stmts)

    def delete(self, block) -> None:
        """Delete a block (or one statement). An emptied loop/if body keeps a
        ``pass``."""
        b = self._block_loc(block)
        self._replace(b.owner, b.field, b.lo, b.hi, [])

    def _replace(self, owner, field, lo, hi, stmts):
        stmts = list(stmts)
        for s in stmts:
            if not isinstance(s, Stmt):
                raise scheduling_error(f"expected statements, got a {type(s).__name__}")
        new_root, n, filler = splice(self.root, owner, field, lo, hi, stmts)
        new_len = len(field_value(resolve(new_root, owner), field))
        self._push(new_root, ReplaceRange(owner, field, lo, hi, n, new_len, filler))
        if not stmts:
            return InvalidCursor()
        return lift(self._cur, BlockLoc(owner, field, lo, lo + n))

    def wrap(self, block, make: Callable[[list], Stmt]):
        """Replace a block by one new statement ``make(stmts)`` whose ``body``
        is those statements (a ``For`` or an ``If``). Returns a cursor to the
        new statement; cursors into the block forward into its body."""
        b = self._block_loc(block)
        stmts = list(field_value(resolve(self.root, b.owner), b.field)[b.lo:b.hi])
        new = make(stmts)
        if not isinstance(new, (For, If)):
            raise scheduling_error("wrap needs a loop or an if around the block")
        body = list(new.body)
        if len(body) != len(stmts) or any(x is not y for x, y in zip(body, stmts)):
            raise scheduling_error("the wrapping statement's body must be exactly the wrapped statements")
        if isinstance(new, If) and len(new.orelse):
            raise scheduling_error("the wrapping if must have no else branch")
        new_root, _, _ = splice(self.root, b.owner, b.field, b.lo, b.hi, [new])
        new_len = len(field_value(resolve(new_root, b.owner), b.field))
        self._push(new_root, Wrap(b.owner, b.field, b.lo, b.hi, new_len))
        return lift(self._cur, NodeLoc(b.owner + ((b.field, b.lo),)))

    def unwrap(self, stmt, branch: str = "body"):
        """Replace a ``for``/``if`` by the statements of its ``branch``
        (``"body"`` or ``"orelse"``). Returns a BlockCursor to them."""
        loc = self._loc(stmt)
        if not is_stmt_loc(loc):
            raise scheduling_error("expected a cursor to a loop or an if")
        node = resolve(self.root, loc.steps)
        if branch not in BLOCK_FIELDS or not isinstance(node, (For, If)) or (
                branch == "orelse" and not isinstance(node, If)):
            raise scheduling_error(f"cannot unwrap the {branch} of a {type(node).__name__}")
        inner = list(getattr(node, branch))
        owner, field, i = loc.steps[:-1], loc.steps[-1][0], loc.steps[-1][1]
        new_root, n, filler = splice(self.root, owner, field, i, i + 1, inner)
        new_len = len(field_value(resolve(new_root, owner), field))
        self._push(new_root, Unwrap(owner, field, i, branch, 0 if filler else n, new_len))
        if not inner:
            return InvalidCursor()
        return lift(self._cur, BlockLoc(owner, field, i, i + n))

    def move(self, block, gap):
        """Move a block (or statement) to a gap; returns a BlockCursor to the
        moved statements at their new place."""
        b = self._block_loc(block)
        g = self._gap_loc(gap)
        g_pre = g.owner
        n0 = len(b.owner)
        if (len(g_pre) > n0 and g_pre[:n0] == b.owner and g_pre[n0][0] == b.field
                and b.lo <= g_pre[n0][1] < b.hi):
            raise scheduling_error("cannot move a block into itself")
        if g.owner == b.owner and g.field == b.field and b.lo < g.pos < b.hi:
            raise scheduling_error("cannot move a block into itself")
        stmts = list(field_value(resolve(self.root, b.owner), b.field)[b.lo:b.hi])
        # The deletion, then the insertion at the gap as it is after deletion.
        root1, n_del, filler = splice(self.root, b.owner, b.field, b.lo, b.hi, [])
        len1 = len(field_value(resolve(root1, b.owner), b.field))
        delete = ReplaceRange(b.owner, b.field, b.lo, b.hi, n_del, len1, filler)
        if g.owner == b.owner and g.field == b.field and g.pos in (b.lo, b.hi):
            g1 = GapLoc(g.owner, g.field, b.lo, g.anchor)  # the gap where the block was
        else:
            g1 = delete.forward(g)
        if g1 is None:  # pragma: no cover - excluded by the checks above
            raise scheduling_error("the destination gap is inside the moved block")
        pos = g1.pos
        if filler and g1.owner == b.owner and g1.field == b.field:
            # the block became just `pass`; insert in place of it
            root2, _, _ = splice(root1, g1.owner, g1.field, 0, 1, stmts)
            pos = 0
            insert_hi = 1
        else:
            root2, _, _ = splice(root1, g1.owner, g1.field, pos, pos, stmts)
            insert_hi = pos
        len2 = len(field_value(resolve(root2, g1.owner), g1.field))
        insert = ReplaceRange(g1.owner, g1.field, pos, insert_hi, len(stmts), len2)
        self._push(root2, Move(b.owner, b.field, b.lo, b.hi, delete, insert))
        return lift(self._cur, BlockLoc(g1.owner, g1.field, pos, pos + len(stmts)))

    # --- expression-level edits -------------------------------------------
    def replace_expr(self, expr, new: Expr, keep_cursor: bool = False):
        """Replace one expression; returns a cursor to the new expression.
        Cursors to the old expression and below become invalid; with
        ``keep_cursor``, a cursor to the old expression itself forwards to
        the new one (only the ones below become invalid)."""
        loc = self._loc(expr)
        if not isinstance(loc, NodeLoc) or is_stmt_loc(loc) or not loc.steps or (
                loc.steps[0][0] == "args" and len(loc.steps) == 1):
            raise scheduling_error("expected a cursor to an expression")
        if not isinstance(new, Expr):
            raise scheduling_error(f"expected an expression, got a {type(new).__name__}")
        if keep_cursor:
            old = resolve(self.root, loc.steps)
            edit = RewriteExprs({loc.steps: {(f, k) for f in old.expr_fields for k in (None, ANY)}})
        else:
            edit = RewriteExprs({loc.steps[:-1]: {loc.steps[-1]}})
        new_root = rebuild(self.root, loc.steps, lambda _old: new)
        self._push(new_root, edit)
        return lift(self._cur, loc)

    def update(self, node_cursor, **fields):
        """Change non-block fields of a statement or argument (``iter``,
        ``lo``, ``hi``, ``cond``, ``idx``, ``rhs``, ``type``, ``mem``,
        ``name``, ``args``...). The statement's cursors stay valid; cursors
        to expressions in the changed fields become invalid."""
        loc = self._loc(node_cursor)
        if not isinstance(loc, NodeLoc) or not (is_stmt_loc(loc) or (
                len(loc.steps) == 1 and loc.steps[0][0] == "args")):
            raise scheduling_error("expected a cursor to a statement or an argument")
        bad = [f for f in fields if f in BLOCK_FIELDS]
        if bad:
            raise scheduling_error(f"update cannot change the {bad[0]} block; use the block edits")
        old = resolve(self.root, loc.steps)
        try:
            new_root = rebuild(self.root, loc.steps, lambda n: n.update(**fields))
        except TypeError as e:
            raise scheduling_error(f"a {type(old).__name__} cannot take these fields: {e}") from None
        changed = {(f, ANY) if isinstance(getattr(old, f, None), tuple) else (f, None)
                   for f in fields}
        self._push(new_root, RewriteExprs({loc.steps: changed}))
        return lift(self._cur, loc)

    def swap_nest(self, loop):
        """Exchange the headers (iterator, bounds) of a loop and of the loop
        that is its whole body. Each loop's cursor follows that loop (the
        outer one now points one level down), and so do the cursors to its
        bounds; the body's statements keep their places."""
        loc = self._loc(loop)
        outer = resolve(self.root, loc.steps) if is_stmt_loc(loc) else None
        if not (isinstance(outer, For) and len(outer.body) == 1 and isinstance(outer.body[0], For)):
            raise scheduling_error("expected a loop whose body is exactly one loop")
        inner = outer.body[0]
        inner_steps = loc.steps + (("body", 0),)
        root = rebuild(self.root, inner_steps,
                       lambda n: n.update(iter=outer.iter, lo=outer.lo, hi=outer.hi))
        root = rebuild(root, loc.steps, lambda n: n.update(iter=inner.iter, lo=inner.lo, hi=inner.hi))
        self._push(root, SwapNest(loc.steps))
        return lift(self._cur, loc)

    def map_exprs(self, where, fn: Callable[[Expr], Expr]):
        """Apply ``fn`` to every top-level expression (indices, right-hand
        sides, bounds, conditions, call arguments, window expressions) of
        every statement in a block/statement, recursively into nested
        blocks. ``fn`` returns the expression itself to leave it alone.
        Cursors into expressions that changed become invalid."""
        b = self._block_loc(where)
        roots: dict = {}

        def visit_block(owner, field, block, lo, hi):
            out = list(block)
            for k in range(lo, hi):
                out[k] = visit_stmt(owner + ((field, k),), block[k])
            return out

        def visit_stmt(steps, s):
            changes, changed = {}, set()
            for f in s.expr_fields:
                val = getattr(s, f)
                if isinstance(val, tuple):
                    new = tuple([fn(e) for e in val])
                    here = [(f, k) for k, (x, y) in enumerate(zip(val, new)) if x is not y]
                    if here:
                        changed.update(here)
                        changes[f] = new
                else:
                    new = fn(val)
                    if new is not val:
                        changes[f] = new
                        changed.add((f, None))
            for f in s.block_fields:
                blk = getattr(s, f)
                new_blk = visit_block(steps, f, blk, 0, len(blk))
                if any(x is not y for x, y in zip(blk, new_blk)):
                    changes[f] = new_blk
            if changed:
                roots[steps] = changed
            return s.update(**changes) if changes else s

        def edit(owner_node):
            blk = field_value(owner_node, b.field)
            new_blk = visit_block(b.owner, b.field, blk, b.lo, b.hi)
            return owner_node.update(**{b.field: new_blk})

        new_root = rebuild(self.root, b.owner, edit)
        if roots:
            self._push(new_root, RewriteExprs(roots))
        return lift(self._cur, b)

    def rename(self, where, env: dict):
        """Rename symbols in a block/statement, in one pass: every binder
        (loop iterator, allocation, window statement) and every use of a key
        of ``env`` becomes its value, shapes of tensor types included.
        Statement, block and gap cursors stay valid; cursors into expressions
        that changed become invalid (as with `map_exprs`)."""
        for old, new in env.items():
            if not isinstance(old, Sym) or not isinstance(new, Sym):
                raise scheduling_error("rename maps symbols to symbols")
        b = self._block_loc(where)
        blk = field_value(resolve(self.root, b.owner), b.field)
        old = blk[b.lo:b.hi]
        roots: dict = {}
        part = rename_block(old, env, b.owner, b.field, roots, b.lo)
        if any(x is not y for x, y in zip(part, old)):
            new_blk = blk[:b.lo].extend(part).extend(blk[b.hi:])
            new_root = rebuild(self.root, b.owner,
                               lambda owner_node: owner_node.update(**{b.field: new_blk}))
            self._push(new_root, RewriteExprs(roots))
        return lift(self._cur, b)

    # --- procedure-level edits --------------------------------------------
    def update_proc(self, **fields):
        """Change the procedure's ``name``, ``preds`` or ``instr`` (cursors
        are unaffected)."""
        bad = [f for f in fields if f not in ("name", "preds", "instr")]
        if bad:
            raise scheduling_error(f"update_proc cannot change {bad[0]}; use set_args or the block edits")
        self._push(self.root.update(**fields), RewriteExprs({}))

    def set_args(self, args, mapping: dict | None = None):
        """Replace the argument list. ``mapping`` sends old argument indices
        to new ones (absent: the argument was removed); by default, the
        identity when the count is unchanged."""
        args = tuple(args)
        if mapping is None:
            if len(args) != len(self.root.args):
                raise scheduling_error("set_args needs a mapping when the number of arguments changes")
            mapping = {k: k for k in range(len(args))}
        self._push(self.root.update(args=args), RemapArgs(dict(mapping)))
