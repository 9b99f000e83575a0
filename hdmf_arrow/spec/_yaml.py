"""YAML in and out, with the YAML 1.2 core schema that hdmf's reader (ruamel) uses.

PyYAML implements YAML 1.1, where ``on``, ``no`` and ``yes`` are booleans, ``1:20`` is an
integer and ``2024-01-02`` a date; hdmf reads those as strings. The loader here resolves only
the 1.2 core forms (``true``/``false``, ``null``/``~``, decimal, ``0o`` and ``0x`` integers,
floats with ``.inf``/``.nan``), so a spec means the same to both. The dumper quotes any string
that either YAML version would read as something else.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

import yaml

from hdmf_arrow.errors import SpecError

if TYPE_CHECKING:
    from hdmf_arrow.spec.model import JSON

__all__ = ["HEADER", "dump_yaml", "load_yaml"]

HEADER = "# hdmf-schema-language=2.0.2\n"

_BASE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CORE: list[tuple[str, re.Pattern[str], str]] = [
    ("bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
    ("null", re.compile(r"^(?:~|null|Null|NULL|)$"), "~nN"),
    ("int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), "-+0123456789"),
    (
        "float",
        re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        "-+.0123456789",
    ),
]


class _Loader(_BASE_LOADER):  # type: ignore[misc]
    """A safe loader with the YAML 1.2 core schema's implicit types only."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {}


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    try:
        if digits.startswith("0o"):
            return sign * int(digits[2:], 8)
        if digits.startswith("0x"):
            return sign * int(digits[2:], 16)
        return sign * int(digits, 10)
    except ValueError:  # past Python's limit on digits (sys.get_int_max_str_digits)
        problem = f"an integer of {len(digits)} digits is too long"
        raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None


def _construct_bool(loader: Any, node: yaml.ScalarNode) -> bool:
    return str(loader.construct_scalar(node)).lower() == "true"


for _name, _pattern, _first in _CORE:
    # an empty scalar (`- ` with nothing after it) is null: its first character is ""
    _extra = [""] if _name == "null" else []
    _Loader.add_implicit_resolver(f"tag:yaml.org,2002:{_name}", _pattern, [*_first, *_extra])
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """A safe dumper (libyaml's emitter when PyYAML has it: 7x faster, which a commit that
    caches NWB's namespaces feels) that also quotes strings which YAML 1.2 would read as
    another type."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: Any, data: str) -> Any:
    # PyYAML writes these line separators raw in plain and single-quoted scalars, where a
    # reader folds them into spaces; double quotes escape them.
    style = '"' if any(c in data for c in "\x85\u2028\u2029\ufeff") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


for _name, _pattern, _first in _CORE:
    _Dumper.add_implicit_resolver(f"tag:yaml.org,2002:{_name}", _pattern, list(_first))
_Dumper.add_representer(str, _represent_str)


def load_yaml(text: str, *, source: str | None = None) -> Any:
    """Parse YAML text with the 1.2 core schema (no dates, no ``yes``/``no`` booleans).

    Raises
    ------
    SpecError
        When the text is not YAML (or is nested too deeply to parse). The message starts with
        ``source`` (the file, when given) and gives the line and column, but quotes nothing
        of the text beyond a few characters: the file may be anything.

    Examples
    --------
    >>> load_yaml("a: [1, 2]\\nb: on")
    {'a': [1, 2], 'b': 'on'}
    >>> load_yaml("a: [1, 2\\nb: 3", source="ns.yaml")
    Traceback (most recent call last):
    hdmf_arrow.errors.SpecError: ns.yaml: not valid YAML at line 2, column 2: ...
    """
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        reason = _describe(exc)
    except RecursionError:
        reason = "nested too deeply to parse"
    msg = f"{source}: {reason}" if source else reason
    raise SpecError(msg)


_LONG_QUOTE = re.compile(r"'([^'\n]{13,})'|\"([^\"\n]{13,})\"")


def _quiet(text: str) -> str:
    """A YAML error's text with what it quotes of the file cut short (a tag or an alias can be
    as long as the file), on one line, at most 120 characters."""
    text = _LONG_QUOTE.sub(lambda m: f"'{(m.group(1) or m.group(2))[:10]}...'", text)
    return " ".join(text.split())[:120]


def _describe(exc: yaml.YAMLError) -> str:
    """Where and what, from the error's parts: never its ``str()``, which may quote a snippet
    of the text (PyYAML's pure-Python reader does) and names the text '<unicode string>'."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = _quiet(exc.problem or "")
        context = _quiet(exc.context or "")
        detail = f"{problem} ({context})" if problem and context else problem or context
        return f"not valid YAML{where}: {detail or type(exc).__name__}"
    if isinstance(exc, yaml.reader.ReaderError):
        return (
            f"not valid YAML at character {exc.position}: character #x{exc.character:04x} "
            f"({_quiet(str(exc.reason))})"
        )
    return f"not valid YAML ({type(exc).__name__})"


def dump_yaml(data: JSON, *, header: bool = True) -> str:
    """YAML text for plain data, keys in the order given, with the schema-language header."""
    text: str = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=100,
    )
    return (HEADER if header else "") + text
