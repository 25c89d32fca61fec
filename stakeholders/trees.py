"""The department tree as plain data (key -> parent key): shared by the bundle and
spreadsheet imports, which check a whole file of parent links for cycles before
anything is written."""

from collections.abc import Hashable, Mapping
from typing import TypeVar

Key = TypeVar("Key", bound=Hashable)


def walk_up(
    start: Key, parent_of: Mapping[Key, Key | None], settled: set[Key]
) -> tuple[list[Key], list[Key]]:
    """Follow parent links from `start`: (the keys walked, the cycle met).

    The walk stops at a top-level key, at a key in `settled` (known to reach the
    top) or at the first key met twice. In the first two cases the cycle is empty
    and the walked keys are added to `settled`, so that no later walk repeats them;
    otherwise the cycle lists its keys from the one met twice, and the caller
    decides whether to settle them.
    """
    walk: list[Key] = []
    position: dict[Key, int] = {}
    current: Key | None = start
    while current is not None and current not in settled and current not in position:
        position[current] = len(walk)
        walk.append(current)
        current = parent_of.get(current)
    if current is None or current in settled:
        settled.update(walk)
        return walk, []
    return walk, walk[position[current] :]
