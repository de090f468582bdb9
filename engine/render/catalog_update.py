"""Merge the texts of the flows and templates into a translator's catalog without churn.

`pybabel update` rewrites a whole catalog: it sorts it again, wraps every line to its own width
and guesses translations for new texts from any text of the catalog. Here an update changes
only what changed: every entry keeps its place and, when nothing about it changed, its exact
lines (so the catalog keeps the wrap width and location style its translator's tools wrote);
a new text goes after the text it follows in the flows and templates; a reworded text takes the
place of the text it replaces, with that old translation marked fuzzy and the old text kept as
`#| msgid` for the translator to compare, and no text gets an unrelated guess.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePath
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import unescape, write_po

# How alike a new text and a vanished one must be (difflib's ratio, case ignored) to be taken
# as one reworded: written at the very same place, or anywhere in the same file.
SAME_PLACE = 0.4
SAME_FILE = 0.6
# `pybabel init` and `msgmerge` wrap at 76 columns unless told otherwise; other tools at one of
# these. A catalog's width is the first of them that nearly all its wrapped lines fit in (a
# translator's editor may have let one run longer).
DEFAULT_WIDTH = 76
WIDTHS = (76, 79, 80, 100, 120)
_LOCATION_LINE = re.compile(r"^#: .*:\d+", re.MULTILINE)
Key = tuple[str, str | None]  # (msgid, msgctxt)


@dataclass
class _Entry:
    """One entry of the catalog as written: its key and its lines, verbatim."""

    key: Key | None  # None: the header
    obsolete: bool
    text: str


def update_catalog(text: str, catalog: Catalog, template: Catalog) -> str:
    """The catalog `catalog` (read from `text`) with the texts of `template` merged in."""
    entries = _entries(text)
    old = copy.deepcopy(catalog)
    merged = copy.deepcopy(catalog)
    merged.update(template, no_fuzzy_matching=True, update_header_comment=False,
                  update_creation_date=False)
    vanished = {key: message for key, message in merged.obsolete.items()
                if _key(message) not in _obsolete_keys(old)}
    _restore(merged, old)
    _match_rewordings(merged, vanished)
    for key, message in vanished.items():  # an untranslated text leaves nothing to keep
        if key in merged.obsolete and not any(_strings(message)):
            del merged.obsolete[key]
    places = _places(entries, merged, old)
    style = _Style.of(text)
    out = [entry.text for entry in entries if entry.key is None]
    for message in sorted((m for m in merged if m.id), key=lambda m: places[_key(m)]):
        before = _active(old, _key(message))
        if before is None or not _same(before, message, _TRANSLATION):
            out.append(style.write(merged, message))
        elif _same(before, message, _SOURCE):
            out.append(_verbatim(entries, _key(message), False))
        else:  # moved in the flows or templates: new `#:` and `#.` lines, the rest as it was
            out.append(_relocated(_verbatim(entries, _key(message), False),
                                  style.write(merged, message)))
    kept = _obsolete_keys(old)
    for message in merged.obsolete.values():
        out.append(_verbatim(entries, _key(message), True) if _key(message) in kept
                   else style.write(merged, message, obsolete=True))
    ending = text[len(text.rstrip("\n")):] or "\n"  # pybabel ends with a blank line
    return "\n\n".join(part.strip("\n") for part in out) + ending


def _key(message: Message) -> Key:
    msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
    return str(msgid), message.context


def _obsolete_keys(catalog: Catalog) -> set[Key]:
    return {_key(message) for message in catalog.obsolete.values()}


def _active(catalog: Catalog, key: Key) -> Message | None:
    message = catalog.get(key[0], context=key[1])
    return message if message is not None and message.id else None


def _restore(merged: Catalog, old: Catalog) -> None:
    """A text that comes back exactly as an obsolete entry had it gets that translation back."""
    for message in merged:
        if not message.id or message.string:
            continue
        gone = next((entry for entry in old.obsolete.values()
                     if _key(entry) == _key(message)), None)
        if gone is not None:
            message.string = gone.string
            del merged.obsolete[next(key for key, entry in merged.obsolete.items()
                                     if _key(entry) == _key(message))]


def _match_rewordings(merged: Catalog, vanished: dict[Any, Message]) -> None:
    """Give each new text the translation of the vanished text it rewords, if any: the most
    alike pairs first, each vanished text to one new text at most."""
    new = [message for message in merged if message.id and not message.string]
    pairs = sorted(((score, index, old_key) for index, message in enumerate(new)
                    for old_key, gone in vanished.items() if any(_strings(gone))
                    if (score := _likeness(message, gone)) is not None), reverse=True)
    taken: set[int] = set()
    used: set[Any] = set()
    for _score, index, old_key in pairs:
        if index in taken or old_key in used:
            continue
        taken.add(index)
        used.add(old_key)
        message, gone = new[index], vanished[old_key]
        message.string = _fit(_strings(gone), message)
        message.flags.add("fuzzy")
        message.previous_id = list(gone.id) if isinstance(gone.id, tuple | list) else [gone.id]
        del merged.obsolete[old_key]


def _likeness(new: Message, gone: Message) -> float | None:
    """How alike a new text is to a vanished one, if they are alike enough to be one text
    reworded: in the same file, and more alike when written at the same place."""
    new_places = {(PurePath(path).as_posix(), line) for path, line in new.locations}
    gone_places = {(PurePath(path).as_posix(), line) for path, line in gone.locations}
    if not {path for path, _ in new_places} & {path for path, _ in gone_places}:
        return None
    ratio = difflib.SequenceMatcher(None, _key(new)[0].casefold(),
                                    _key(gone)[0].casefold()).ratio()
    threshold = SAME_PLACE if new_places & gone_places else SAME_FILE
    return ratio if ratio >= threshold else None


def _strings(message: Message) -> tuple[str, ...]:
    string = message.string
    return tuple(string) if isinstance(string, tuple | list) else (string or "",)


def _fit(strings: tuple[str, ...], message: Message) -> str | tuple[str, ...]:
    """An old translation in the shape of the new text (singular or plural forms)."""
    if isinstance(message.id, tuple | list):
        return strings if len(strings) > 1 else (strings[0], "")
    return strings[0]


# What an entry says (its translation) and where its text is used (the source's lines).
_TRANSLATION = ("id", "string", "flags", "user_comments", "previous_id", "context")
_SOURCE = ("locations", "auto_comments")
_SOURCE_LINES = ("#:", "#.")


def _same(before: Message, after: Message, attributes: tuple[str, ...]) -> bool:
    return all(getattr(before, name) == getattr(after, name) for name in attributes)


def _relocated(old: str, new: str) -> str:
    """The entry `old` with the `#:` and `#.` lines of `new`."""
    source = [line for line in new.splitlines() if line.startswith(_SOURCE_LINES)]
    lines = old.splitlines()
    at = next((index for index, line in enumerate(lines)
               if line.startswith(_SOURCE_LINES) or not line.startswith("# ")), len(lines))
    kept = [line for line in lines if not line.startswith(_SOURCE_LINES)]
    return "\n".join(kept[:at] + source + kept[at:])


def _places(entries: list[_Entry], merged: Catalog, old: Catalog) -> dict[Key, float]:
    """Where each entry goes: where it was; a reworded text where its old text was; a new
    text right after the one it follows in the template."""
    index = {entry.key: number for number, entry in enumerate(entries)
             if entry.key is not None and not entry.obsolete}
    places: dict[Key, float] = {}
    previous = 0.0
    for message in merged:
        if not message.id:
            continue
        key = _key(message)
        found = index.get(key) if _active(old, key) is not None else None
        if found is None and message.previous_id:
            found = index.get((message.previous_id[0], message.context))
        # a new text: after the one it follows, before the next one
        previous = previous + 0.001 if found is None else float(found)
        places[key] = previous
    return places


def _verbatim(entries: Iterable[_Entry], key: Key, obsolete: bool) -> str:
    return next(entry.text for entry in entries if entry.key == key
                and entry.obsolete == obsolete)


def _entries(text: str) -> list[_Entry]:
    """The catalog's entries as written, split at blank lines."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip("\n")):
        lines = block.splitlines()
        obsolete = any(line.startswith("#~ msgid") for line in lines)
        key = _block_key([line[3:] if line.startswith("#~ ") else line for line in lines])
        entries.append(_Entry(None if key == ("", None) else key, obsolete, block))
    return entries


def _block_key(lines: list[str]) -> Key:
    """(msgid, msgctxt) of an entry's lines."""
    strings: dict[str, list[str]] = {}
    current = None
    for line in lines:
        line = line.strip()
        if line.startswith("#") or not line:
            current = None
            continue
        if line.startswith('"'):
            if current is not None:
                strings[current].append(unescape(line))
            continue
        keyword, _, rest = line.partition(" ")
        current = keyword
        strings[keyword] = [unescape(rest)] if rest.startswith('"') else []
    context = strings.get("msgctxt")
    return "".join(strings.get("msgid", [])), "".join(context) if context is not None else None


@dataclass(frozen=True)
class _Style:
    """How a catalog is written: its wrap width (0: not wrapped) and whether its locations
    carry line numbers; entries written anew follow it."""

    width: int
    line_numbers: bool

    @classmethod
    def of(cls, text: str) -> _Style:
        lines = text.splitlines()
        wrapped = [len(line) for index, line in enumerate(lines)
                   if line.startswith('"') and not line.endswith('\\n"')
                   and index + 1 < len(lines) and lines[index + 1].startswith('"')]
        if wrapped:
            typical = sorted(wrapped)[int(len(wrapped) * 0.95)]
            width = next((width for width in WIDTHS if width >= typical), max(wrapped))
        elif any(len(line) > DEFAULT_WIDTH + 4 for line in lines if line.startswith("msg")):
            width = 0
        else:
            width = DEFAULT_WIDTH
        locations = [line for line in lines if line.startswith("#: ")]
        return cls(width, not locations or bool(_LOCATION_LINE.search(text)))

    def write(self, catalog: Catalog, message: Message, obsolete: bool = False) -> str:
        """One entry as `write_po` writes it in this style."""
        single = Catalog(locale=catalog.locale, domain=catalog.domain, charset=catalog.charset)
        single.mime_headers = catalog.mime_headers  # the plural forms
        if obsolete:
            single.obsolete[_key(message)[0]] = message
        else:
            single[message.id] = message
        buffer = BytesIO()
        write_po(buffer, single, width=self.width, omit_header=True, include_previous=True,
                 include_lineno=self.line_numbers)
        return buffer.getvalue().decode("utf-8").strip("\n")
