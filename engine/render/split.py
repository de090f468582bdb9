"""Split a Telegram HTML text that is too long into messages Telegram accepts.

Telegram takes at most 4,096 characters per message, counted after the HTML is parsed (tags do
not count, `&amp;` counts one) in UTF-16 units. A longer text is cut at a paragraph break (a
blank line) where possible, else at a line break, else between words, else anywhere; a tag
open at a cut is closed at the end of one part and opened again at the start of the next, so
every part is valid HTML on its own.
"""

from __future__ import annotations

import html
import re
from itertools import accumulate

LIMIT = 4096
# A tag, a character reference, or one character.
_ATOM = re.compile(r"<[^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|\w+);|.", re.DOTALL)
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z][\w-]*)")
_BREAKS = ("\n\n", "\n", " ")


def visible_length(text: str) -> int:
    """How long Telegram counts `text` (HTML) to be."""
    return sum(_length(atom) for atom in _ATOM.findall(text))


def split_html(text: str, limit: int = LIMIT) -> list[str]:
    """`text` as one or more valid HTML texts of at most `limit` visible characters each."""
    if len(text.encode("utf-16-le")) // 2 <= limit:
        return [text]  # tags count nothing and a reference one: never longer than written
    atoms = _ATOM.findall(text)
    lengths = [_length(atom) for atom in atoms]
    if sum(lengths) <= limit:
        return [text]
    ends = list(accumulate(lengths))
    parts: list[list[str]] = []
    start, done = 0, 0  # the next part's first atom, and the visible length before it
    while ends[-1] - done > limit:
        furthest = _furthest_end(ends, done + limit, start)
        cut = _best_cut(atoms, start, furthest)
        parts.append(atoms[start:cut])
        start, done = cut, ends[cut - 1]
    parts.append(atoms[start:])
    return [part for part in _balance(parts) if html.unescape(
        re.sub(r"<[^>]*>", "", part)).strip()]


def _length(atom: str) -> int:
    if atom.startswith("<") and atom.endswith(">"):
        return 0
    text = html.unescape(atom) if atom.startswith("&") else atom
    return len(text.encode("utf-16-le")) // 2


def _furthest_end(ends: list[int], most: int, start: int) -> int:
    """The largest cut index (exclusive end) whose part stays within `most`; at least one atom
    past `start`."""
    low, high = start + 1, len(ends)
    while low < high:
        middle = (low + high + 1) // 2
        if ends[middle - 1] <= most:
            low = middle
        else:
            high = middle - 1
    return low


def _best_cut(atoms: list[str], start: int, furthest: int) -> int:
    """The latest cut at or before `furthest` that follows a paragraph break, else a line break,
    else a space; `furthest` itself when the text has none."""
    for mark in _BREAKS:
        width = len(mark)
        for cut in range(furthest, start + width, -1):
            if "".join(atoms[cut - width:cut]) == mark:
                return cut
    return furthest


def _balance(parts: list[list[str]]) -> list[str]:
    """Close the tags open at the end of each part and reopen them at the start of the next."""
    balanced = []
    open_tags: list[tuple[str, str]] = []  # (name, opening tag as written)
    for atoms in parts:
        prefix = "".join(tag for _name, tag in open_tags)
        for atom in atoms:
            _follow(atom, open_tags)
        suffix = "".join(f"</{name}>" for name, _tag in reversed(open_tags))
        balanced.append(prefix + "".join(atoms) + suffix)
    return balanced


def _follow(atom: str, open_tags: list[tuple[str, str]]) -> None:
    if not atom.startswith("<"):
        return
    match = _TAG_NAME.match(atom)
    if match is None:
        return
    name = match.group(1).lower()
    if atom.startswith("</"):
        for index in range(len(open_tags) - 1, -1, -1):
            if open_tags[index][0] == name:
                del open_tags[index]
                break
    elif not atom.endswith("/>"):
        open_tags.append((name, atom))
