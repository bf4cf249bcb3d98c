"""Fill ``{municipality.name}``-style placeholders from a municipality's settings."""

from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDER = re.compile(r"\{([a-z_]+(?:\.[a-z0-9_]+)+)\}")


class MissingPlaceholder(KeyError):
    def __init__(self, name: str):
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        return f"placeholder {{{self.name}}} has no value in the municipality's settings"


def placeholder_values(municipality, lang: str) -> dict[str, str]:
    """Flatten a municipality (ORM row or plain dict from content files) into placeholder values."""
    get = (lambda k, d="": getattr(municipality, k, d)) if not isinstance(municipality, Mapping) else municipality.get
    settings = get("settings", {}) or {}
    values: dict[str, str] = {
        "municipality.name": get("name", ""),
        "municipality.website": get("website", ""),
    }
    for key, value in settings.items():
        if isinstance(value, str | int | float):
            values[f"municipality.{key}"] = str(value)
    for group in ("fees", "hours"):
        for key, value in (settings.get(group) or get(group, {}) or {}).items():
            values[f"{group}.{key}"] = str(value)
    for dep in get("departments", []) or []:
        key = dep["key"] if isinstance(dep, Mapping) else dep.key
        names = dep.get("names", {}) if isinstance(dep, Mapping) else dep.names
        values[f"departments.{key}.name"] = names.get(lang) or names.get("nb") or key
        for attr in ("phone", "email"):
            val = dep.get(attr, "") if isinstance(dep, Mapping) else getattr(dep, attr)
            if val:
                values[f"departments.{key}.{attr}"] = val
    return values


def fill(text: str, values: Mapping[str, str], *, strict: bool = False) -> str:
    """Replace known placeholders. Unknown ones raise in strict mode, else stay visible."""

    def sub(match: re.Match) -> str:
        name = match.group(1)
        if name in values:
            return values[name]
        if strict:
            raise MissingPlaceholder(name)
        return match.group(0)

    return PLACEHOLDER.sub(sub, text)


def used_placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))
