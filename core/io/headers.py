"""Column names as published: blank and repeated names get unique ones, and each rename is listed.

A spreadsheet opens a header with ``decile_score`` twice or an empty cell; so does synthreview:
``["a", "", "a", "a_2", "a"]`` -> ``["a", "column_2", "a_3", "a_2", "a_4"]``. The first
occurrence keeps its name; a later one gets ``_2``, ``_3``, ... by how many times the name has
appeared, skipping any suffix that is already a name in the header (``a_2`` above); a blank name
(empty or whitespace only) becomes ``column_<position>`` (1-based), suffixed the same way if that
is taken.
"""

from __future__ import annotations

from core.io.report import Rename


def unique_names(header: list[str]) -> tuple[list[str], tuple[Rename, ...]]:
    """Unique column names for ``header`` and the renames made, left to right.

    Args:
        header: The names as written.

    Returns:
        The names to use (same length and order) and one :class:`Rename` per changed name.
    """
    taken = {h for h in header if h.strip()}  # a written name is never given to another column
    seen: dict[str, int] = {}
    names: list[str] = []
    renames: list[Rename] = []
    for position, original in enumerate(header, 1):
        if original.strip():
            seen[original] = k = seen.get(original, 0) + 1
            if k == 1:
                names.append(original)
                continue
            base, name, reason = original, f"{original}_{k}", "duplicate"
        else:
            k, reason = 1, "blank"
            base = name = f"column_{position}"
        while name in taken:
            k += 1
            name = f"{base}_{k}"
        taken.add(name)
        names.append(name)
        renames.append(Rename(position, original, name, reason))
    return names, tuple(renames)
