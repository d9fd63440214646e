"""Cursor forwarding: composing the edits between two procedure versions.

A `Procedure` made by a scheduling primitive remembers its parent version
(``_parent``) and the elementary edits that turned the parent into it
(``_edits``, see `exo_core.cursors.edits`). Every edit also remembers the version it
was applied to (``edit.src``), which may be an intermediate version that only
existed inside the primitive, and the version it produced (``edit.dst``).
Forwarding a location from version ``v`` to
version ``p`` walks ``p``'s ancestry back to ``v`` and applies the edits from
``v`` onwards, in order.
"""

from __future__ import annotations

from exo_core.cursors.edits import forward_loc
from exo_core.errors import InvalidCursorError


def edits_between(src, dst) -> list:
    """The edits that turn version ``src`` into version ``dst``, in order.

    Raises InvalidCursorError when ``src`` is not ``dst`` or one of its
    ancestors (or an intermediate version of one of the primitives between
    them).
    """
    chunks = []
    q = dst
    while q is not None:
        if q is src:
            break
        edits = q._edits
        start = None
        for k, edit in enumerate(edits):
            if edit.src is src:
                start = k
                break
            if edit.dst is src:
                start = k + 1
                break
        if start is not None:
            chunks.append(edits[start:])
            break
        chunks.append(edits)
        q = q._parent
    else:
        raise InvalidCursorError(
            f"the cursor is from procedure {src.name()!r} (a version that is not an "
            f"ancestor of this {dst.name()!r}); forwarding needs the procedure the "
            "cursor came from or one derived from it by scheduling"
        )
    out = []
    for chunk in reversed(chunks):
        out.extend(chunk)
    return out


def forward_location(src, dst, loc):
    """The location in version ``dst`` of what ``loc`` designates in version
    ``src`` (None when it no longer exists)."""
    if src is dst:
        return loc
    return forward_loc(loc, edits_between(src, dst))
