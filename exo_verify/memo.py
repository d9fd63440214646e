"""A small bounded memo table for solver answers."""

from __future__ import annotations

MISSING = object()


class Memo:
    """A bounded memo table (first-in first-out eviction) with hit statistics."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.table: dict[object, object] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: object) -> object:
        value = self.table.get(key, MISSING)
        if value is MISSING:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, key: object, value: object) -> None:
        if len(self.table) >= self.capacity:
            self.table.pop(next(iter(self.table)))
        self.table[key] = value

    def clear(self) -> None:
        self.table.clear()
        self.hits = self.misses = 0
