"""The intent catalogue (tinget/intents.yml, a copy of the shared contract).

Routes: ``answer`` (KB article), ``chitchat`` (canned text), ``handoff`` (case for a caseworker).
``personal_case`` and ``out_of_scope`` are not in the file's topic lists but are part of the contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

CATALOGUE_PATH = Path(__file__).with_name("intents.yml")
LANGUAGES = ("nb", "nn", "sv", "da", "fi", "en")
DEFAULT_DEPARTMENT = "service_desk"


@dataclass(frozen=True)
class Intent:
    name: str
    route: str  # answer | chitchat | handoff | out_of_scope
    department: str | None
    example_nb: str = ""


@dataclass(frozen=True)
class Catalogue:
    intents: dict[str, Intent]
    languages: tuple[str, ...]

    @property
    def topics(self) -> list[str]:
        return [n for n, i in self.intents.items() if i.route == "answer"]

    @property
    def departments(self) -> list[str]:
        return sorted({i.department for i in self.intents.values() if i.department})

    def route(self, intent: str | None) -> str:
        found = self.intents.get(intent or "")
        return found.route if found else "handoff"

    def department(self, intent: str | None) -> str:
        found = self.intents.get(intent or "")
        return (found.department if found and found.department else DEFAULT_DEPARTMENT)


@lru_cache(maxsize=1)
def load_catalogue(path: Path = CATALOGUE_PATH) -> Catalogue:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    intents: dict[str, Intent] = {}
    for group in ("topics", "conversation"):
        for name, spec in (data.get(group) or {}).items():
            intents[name] = Intent(name, spec["route"], spec.get("department"), spec.get("example_nb", ""))
    intents.setdefault("personal_case", Intent("personal_case", "handoff", None))
    intents.setdefault("out_of_scope", Intent("out_of_scope", "out_of_scope", None))
    return Catalogue(intents, tuple(data.get("languages") or LANGUAGES))
