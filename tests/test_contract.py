"""Contracts: the intent catalogue copy equals the shared one; generated Rasa files are current."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.generate import DOMAIN, RULES, domain, render, rules

ROOT = Path(__file__).resolve().parent.parent
SHARED_CATALOGUE = ROOT.parent / "shared" / "spec" / "intents.yml"


@pytest.mark.skipif(not SHARED_CATALOGUE.exists(), reason="shared/ not beside the checkout")
def test_catalogue_is_the_shared_contract():
    import yaml

    ours = yaml.safe_load((ROOT / "tinget" / "intents.yml").read_text())
    shared = yaml.safe_load(SHARED_CATALOGUE.read_text())
    for group in ("topics", "conversation"):
        for name, spec in shared[group].items():
            assert ours[group][name] == spec, name


def test_generated_domain_and_rules_are_current():
    assert DOMAIN.read_text(encoding="utf-8") == render(domain()), "run `tinget bot generate`"
    assert RULES.read_text(encoding="utf-8") == render(rules()), "run `tinget bot generate`"


def test_every_intent_has_training_examples_in_every_language_present():
    import yaml

    from tinget.catalog import LANGUAGES, load_catalogue

    missing = []
    present = [lang for lang in LANGUAGES if (ROOT / "training_data" / "nlu" / lang).is_dir()]
    assert {"nb", "en"} <= set(present), "nb and en training data are required"
    for lang in present:
        for intent in load_catalogue().intents:
            path = ROOT / "training_data" / "nlu" / lang / f"{intent}.yml"
            if not path.exists():
                missing.append(f"{lang}/{intent}")
                continue
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            examples = [e for block in data["nlu"] for e in block["examples"].splitlines() if e.strip()]
            if len(examples) < 8:
                missing.append(f"{lang}/{intent} ({len(examples)} examples)")
    assert not missing, missing


DEV_INTENTS = ROOT.parent / "shared" / "eval-data" / "municipal" / "intents-dev.jsonl"


@pytest.mark.skipif(not DEV_INTENTS.exists(), reason="shared/ not beside the checkout")
def test_training_data_holds_no_dev_set_message():
    """The dev set is for measuring only: no message of three words or more may be a training example."""
    import json
    import re

    import yaml

    def norm(s: str) -> str:
        return re.sub(r"\W+", " ", s.lower()).strip()

    dev = {norm(json.loads(line)["text"]) for line in DEV_INTENTS.read_text(encoding="utf-8").splitlines() if line.strip()}
    dev = {d for d in dev if len(d.split()) >= 3}
    leaked = []
    for path in sorted((ROOT / "training_data" / "nlu").rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            for line in (block.get("examples") or "").splitlines():
                text = line.strip()[2:] if line.strip().startswith("- ") else ""
                if text and norm(text) in dev:
                    leaked.append(f"{path.relative_to(ROOT)}: {text}")
    assert not leaked, leaked
