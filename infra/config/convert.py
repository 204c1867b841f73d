"""TOML tables to the typed sections: unknown keys and wrong types get the one-line ConfigError."""

from __future__ import annotations

import types
import typing
from dataclasses import MISSING, fields, is_dataclass
from enum import Enum
from typing import Any

from infra.config.errors import ConfigError

_SCALARS: dict[type, str] = {
    bool: "true or false",
    int: "an integer",
    float: "a number",
    str: "a string",
}


def build(cls: type, data: dict[str, Any], path: str) -> Any:
    """An instance of the dataclass ``cls`` from ``data``; absent fields keep their defaults.

    A table given for a field whose default is itself a dataclass is laid over that default, so
    ``[compute.beat] cpu = 512`` changes the CPU and keeps the other figures.
    """
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ConfigError(_join(path, unknown[0]), data[unknown[0]], ", ".join(known))
    hints = typing.get_type_hints(cls)
    values = {}
    for name, value in data.items():
        default = known[name].default
        if is_dataclass(default) and isinstance(value, dict):
            value = {**as_dict(default), **value}
        values[name] = _convert(hints[name], value, _join(path, name))
    missing = [n for n, f in known.items() if n not in values and _required(f)]
    if missing:
        raise ConfigError(_join(path, missing[0]), None, "a value (the field is required)")
    return cls(**values)


def as_dict(value: Any) -> Any:
    """A plain-data view of a config object (for summaries, the cost model, layering)."""
    if is_dataclass(value):
        return {f.name: as_dict(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple):
        return [as_dict(item) for item in value]
    return value


def _required(field: Any) -> bool:
    return field.default is MISSING and field.default_factory is MISSING


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _convert(hint: Any, value: Any, path: str) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return None if value is None else _convert(options[0], value, path)
    if is_dataclass(hint):
        if isinstance(value, hint):
            return value
        if not isinstance(value, dict):
            raise ConfigError(path, value, "a table")
        return build(hint, value, path)
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise ConfigError(path, value, "a list")
        item = typing.get_args(hint)[0]
        return tuple(_convert(item, v, f"{path}[{i}]") for i, v in enumerate(value))
    if isinstance(hint, type) and issubclass(hint, Enum):
        try:
            return hint(value)
        except ValueError:
            raise ConfigError(path, value, ", ".join(str(m.value) for m in hint)) from None
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return value  # an int is a number too; kept as written
    if type(value) is not hint:
        raise ConfigError(path, value, _SCALARS.get(hint, str(hint)))
    return value
