"""A definition's flowchart drawn as SVG on the server, the steps that ran and the current ones marked.

Drawn here rather than by Mermaid in the browser: Mermaid writes ``<style>`` elements into its SVG,
which the console's Content-Security-Policy (no inline style) refuses, and a layered layout of a
definition (a tree of sequences, branches and joins: no cycles) is a few lines. Boxes sit in layers
by their longest path from the start; within a layer, in the order the definition names them. The
SVG uses classes only (styled by ``console.css``), so it needs no inline style either.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.definitions.graph import Box, Link

WIDTH, HEIGHT = 190, 46  # a box
GAP_X, GAP_Y = 30, 46
MARGIN = 12
CHARS = 30  # per line of a box, at the drawing's font size
MAX_BOXES = 300  # a definition larger than this is shown as its list of steps only


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    boxes: list[tuple[Box, int, int, str]]  # the box, its top-left corner, its classes
    links: list[tuple[Link, tuple[int, int, int, int], str]]  # the link, from (x, y) to (x, y), classes


def _layers(boxes: list[Box], links: list[Link]) -> dict[str, int]:
    """Each box's layer: the longest path to it from the start (the graph has no cycle)."""
    layer = {box.id: 0 for box in boxes}
    incoming: dict[str, list[str]] = {box.id: [] for box in boxes}
    for link in links:
        if link.source in layer and link.target in layer:
            incoming[link.target].append(link.source)
    done: set[str] = set()

    def depth(node: str, seen: frozenset[str]) -> int:
        if node not in done:
            sources = [s for s in incoming[node] if s not in seen]  # a cycle would stop here
            layer[node] = max((depth(s, seen | {node}) + 1 for s in sources), default=0)
            done.add(node)
        return layer[node]

    for box in boxes:
        depth(box.id, frozenset())
    return layer


def draw(boxes: list[Box], links: list[Link], current: set[str], ran: set[str]) -> Drawing | None:
    """The drawing, ``current`` steps and those that ``ran`` marked by class; None when too large."""
    if not boxes or len(boxes) > MAX_BOXES:
        return None
    layer = _layers(boxes, links)
    rows: dict[int, list[Box]] = {}
    for box in boxes:
        rows.setdefault(layer[box.id], []).append(box)
    widest = max(len(row) for row in rows.values())
    width = 2 * MARGIN + widest * WIDTH + (widest - 1) * GAP_X
    corner: dict[str, tuple[int, int]] = {}
    placed: list[tuple[Box, int, int, str]] = []
    for level, row in sorted(rows.items()):
        span = len(row) * WIDTH + (len(row) - 1) * GAP_X
        left = (width - span) // 2
        for i, box in enumerate(row):
            x, y = left + i * (WIDTH + GAP_X), MARGIN + level * (HEIGHT + GAP_Y)
            corner[box.id] = (x, y)
            marks = [box.shape]
            if box.step in current:
                marks.append("current")
            elif box.step in ran:
                marks.append("ran")
            fitted = Box(box.id, tuple(_fit(line) for line in box.lines), box.shape, box.step)
            placed.append((fitted, x, y, " ".join(marks)))
    drawn = []
    for link in links:
        if link.source not in corner or link.target not in corner:
            continue
        (sx, sy), (tx, ty) = corner[link.source], corner[link.target]
        line = (sx + WIDTH // 2, sy + HEIGHT, tx + WIDTH // 2, ty)
        label = Link(link.source, link.target, _fit(link.label or ""), link.dashed)
        drawn.append((label, line, "dashed" if link.dashed else ""))
    height = 2 * MARGIN + (max(rows) + 1) * HEIGHT + max(rows) * GAP_Y
    return Drawing(width, height, placed, drawn)


def _fit(text: str) -> str:
    return text if len(text) <= CHARS else text[: CHARS - 1] + "…"
