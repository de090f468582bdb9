"""What templates and `when:` conditions can read, computed only when they read it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from markupsafe import escape

_UNSET = object()


class Lazy:
    """A value computed on first use: a profile or a round status costs queries, and most
    templates and conditions read only one or two of the variables offered to them."""

    __slots__ = ("_factory", "_value")

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory
        self._value: Any = _UNSET

    def resolve(self) -> Any:
        if self._value is _UNSET:
            self._value = self._factory()
        return self._value

    def __getattr__(self, name: str) -> Any:
        value = self.resolve()
        if isinstance(value, dict):
            try:
                return value[name]
            except KeyError:
                raise AttributeError(name) from None
        return getattr(value, name)

    def __getitem__(self, key: Any) -> Any:
        return self.resolve()[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.resolve())

    def __len__(self) -> int:
        return len(self.resolve())

    def __contains__(self, item: Any) -> bool:
        return item in self.resolve()

    def __bool__(self) -> bool:
        return bool(self.resolve())

    def __eq__(self, other: object) -> bool:
        return self.resolve() == other

    def __hash__(self) -> int:
        return hash(self.resolve())

    def __str__(self) -> str:
        return str(self.resolve())

    def __html__(self) -> str:
        return str(escape(self.resolve()))
