"""Language switches: keyboard mash vs. real messages, the old rule (lingua alone) next to the new one
(a switch needs a word known in the detected language, tinget.lexicon), both measured in this run.

    .venv/bin/python benchmarks/language_switch.py [--n 1000] [--seed 7] [--variants] [--json OUT.json]

(1) Gibberish: N messages of 2–4 keyboard-mash "words" (2–8 letters: half of the words random letters
    with about one vowel in three and now and then å/ä/ö/æ/ø, half runs along a keyboard row), made
    with a fixed seed. For each conversation language C: the share that switches away from C (lower is
    better).
(2) Real messages: the question texts of ../shared/eval-data (dev sets, MEASUREMENT ONLY: their words
    are never put into the lexicon and the rule is not tuned on them). For a message in language L and
    every conversation language C != L where the old rule switched to L: whether the new rule still does
    (share kept; should stay ~100 %).
(3) Held-out training data: every fifth NLU example (by a stable hash; out_of_scope left out as in the
    lexicon) is held out and the lexicon rebuilt from the rest plus the KB and the common words; the
    same measure as (2). The product's lexicon is built from all of training_data, so (3) is the only
    set here that the lexicon could be tuned on, and it is only approximately unseen (same intents).

--variants also measures design alternatives on (1) and (3) only (never on the dev sets): Norwegian and
Danish as separate evidence pools, two-letter words as evidence, no prefix match, no compound match.
Prints figures, never fails.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import zlib
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EVAL = ROOT.parent / "shared" / "eval-data"
LANGS = ("nb", "nn", "sv", "da", "fi", "en")
# (file, text field): the question texts of the dev sets.
REAL_SETS = {
    "municipal intents": ("municipal/intents-dev.jsonl", "text"),
    "municipal faq queries": ("municipal/faq-dev-queries.jsonl", "query"),
    "swefaq queries (sv)": ("public/swefaq-dev-queries.jsonl", "query"),
    "xsid en/da/nb": (("public/xsid-en-dev.jsonl", "public/xsid-da-dev.jsonl", "public/xsid-nb-dev.jsonl"), "text"),
    "xsid no dialects (nb)": ("public/xsid-no-dialects-dev.jsonl", "text"),
}

VOWELS = "aeiouy"
CONSONANTS = "bcdfghjklmnpqrstvwxz"
NORDIC = "åäöæø"
ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def mash_word(rng: random.Random) -> str:
    n = rng.randint(2, 8)
    if rng.random() < 0.5:  # random letters, some vowels
        out = []
        for _ in range(n):
            r = rng.random()
            out.append(rng.choice(NORDIC) if r < 0.03 else rng.choice(VOWELS) if r < 0.35 else rng.choice(CONSONANTS))
        return "".join(out)
    row = rng.choice(ROWS)  # a run along a keyboard row, back and forth
    i, out = rng.randrange(len(row)), []
    for _ in range(n):
        out.append(row[i])
        i = min(len(row) - 1, max(0, i + rng.choice((-1, 1, 1, 2))))
    return "".join(out)


def gibberish(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(mash_word(rng) for _ in range(rng.randint(2, 4))) for _ in range(n)]


def load_real() -> dict[str, list[tuple[str, str]]]:
    sets = {}
    for name, (files, field) in REAL_SETS.items():
        rows = []
        for f in (files,) if isinstance(files, str) else files:
            with open(EVAL / f, encoding="utf-8") as fh:
                rows += [(r[field], r["lang"]) for r in map(json.loads, fh) if r.get(field)]
        sets[name] = rows
    return sets


def held_out_split() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    from tinget.lexicon import kb_texts, nlu_examples

    train, held = [], []
    for lang, text in nlu_examples():
        (held if zlib.crc32(text.encode()) % 5 == 0 else train).append((lang, text))
    return train + list(kb_texts()), held


class Rules:
    """detect() with the old and the new rule; lingua's values cached per text (the same in both)."""

    def __init__(self):
        import tinget.language as language

        self.language = language
        real = language._detector()
        cache: dict[str, list] = {}

        class Cached:
            def compute_language_confidence_values(self, text):
                if text not in cache:
                    cache[text] = real.compute_language_confidence_values(text)
                return cache[text]

        language._DETECTOR = Cached()

    def old(self, text, current):
        return self.language.detect(text, current, lexical=False)

    def new(self, text, current):
        return self.language.detect(text, current)


def switched(d, current) -> bool:
    return d.source == "detected" and d.lang != current


def measure_gibberish(rules: Rules, texts: list[str]) -> dict:
    out = {}
    for current in LANGS:
        old = [rules.old(t, current) for t in texts]
        new = [rules.new(t, current) for t in texts]
        out[current] = {
            "old": sum(switched(d, current) for d in old) / len(texts),
            "new": sum(switched(d, current) for d in new) / len(texts),
            "old_to": dict(Counter(d.lang for d in old if switched(d, current)).most_common()),
            "new_to": dict(Counter(d.lang for d in new if switched(d, current)).most_common()),
        }
    return out


def measure_real(rules: Rules, rows: list[tuple[str, str]], lost: list | None = None) -> dict:
    per = defaultdict(lambda: {"pairs": 0, "old": 0, "kept": 0, "old_other": 0, "new_other": 0})
    for text, lang in rows:
        for current in LANGS:
            if current == lang:
                continue
            p = per[lang]
            p["pairs"] += 1
            old, new = rules.old(text, current), rules.new(text, current)
            if switched(old, current) and old.lang == lang:
                p["old"] += 1
                kept = switched(new, current) and new.lang == lang
                p["kept"] += kept
                if not kept and lost is not None:
                    lost.append((lang, current, text))
            elif switched(old, current):  # old switched to a third language
                p["old_other"] += 1
                p["new_other"] += switched(new, current)
    total = {k: sum(p[k] for p in per.values()) for k in ("pairs", "old", "kept", "old_other", "new_other")}
    return {"per_language": dict(per), "total": total}


def pct(a, b) -> str:
    return "   –  " if not b else f"{100 * a / b:5.1f}%"


def ratio(new, old) -> str:
    return "  –  " if not old else f"{new / old:5.2f}x"


def print_gibberish(title: str, g: dict) -> None:
    print(f"\n{title}")
    print("current   old switch   new switch   new/old   old went to          new went to")
    for current, r in g.items():
        print(f"{current:8}  {100 * r['old']:9.1f}%  {100 * r['new']:10.1f}%   {ratio(r['new'], r['old'])}   "
              f"{json.dumps(r['old_to'])[:20]:20} {json.dumps(r['new_to'])}")
    old = sum(r["old"] for r in g.values()) / len(g)
    new = sum(r["new"] for r in g.values()) / len(g)
    print(f"{'mean':8}  {100 * old:9.1f}%  {100 * new:10.1f}%   {ratio(new, old)}")


def print_real(title: str, r: dict) -> None:
    t = r["total"]
    print(f"  {title:34} pairs {t['pairs']:5}  old→L {t['old']:5}  new kept {t['kept']:5} = {pct(t['kept'], t['old'])}"
          f"  lost {t['old'] - t['kept']:3}   | old→other {t['old_other']:4}, new still switches {t['new_other']:4}")
    for lang, p in sorted(r["per_language"].items()):
        print(f"      {lang}: old→L {p['old']:5}  kept {pct(p['kept'], p['old'])}  lost {p['old'] - p['kept']}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--variants", action="store_true", help="also measure design alternatives on (1) and (3)")
    ap.add_argument("--no-dev", action="store_true", help="skip (2), the eval-data dev sets")
    ap.add_argument("--show-lost", action="store_true", help="print the messages the new rule no longer switches")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    import tinget.lexicon as lexicon_module

    started = time.monotonic()
    rules = Rules()
    lex = lexicon_module.lexicon()
    print("lexicon (all of training_data minus out_of_scope, kb/content, common words): "
          + ", ".join(f"{lang} {lex.size(lang)}" for lang in LANGS) + " words")
    results = {}
    mash = gibberish(args.n, args.seed)
    print(f"gibberish sample: {mash[:4]}")
    results["gibberish"] = measure_gibberish(rules, mash)
    print_gibberish(f"(1) gibberish, N={args.n}, seed {args.seed}: share that switches away from the "
                    f"conversation's language (lower is better)", results["gibberish"])

    print("\n(2) real messages (eval-data dev sets, measurement only): old rule switched to the message's "
          "language L; share the new rule still switches to L")
    results["real"] = {}
    for name, rows in ({} if args.no_dev else load_real()).items():
        lost = []
        results["real"][name] = measure_real(rules, rows, lost)
        print_real(f"{name} ({len(rows)} msgs)", results["real"][name])
        for lang, current, text in lost if args.show_lost else ():
            print(f"        lost {lang} from {current}: {text!r}")

    train, held = held_out_split()
    held_rows = [(text, lang) for lang, text in held]
    saved = lexicon_module._LEXICON
    try:
        lexicon_module._LEXICON = lexicon_module.build(train)
        print(f"\n(3) held-out training data ({len(held_rows)} NLU examples held out of the lexicon):")
        results["held_out"] = measure_real(rules, held_rows)
        print_real("held-out NLU examples", results["held_out"])
        if args.variants:
            results["variants"] = variants(rules, lexicon_module, train, held_rows, mash)
    finally:
        lexicon_module._LEXICON = saved
    print(f"\n{time.monotonic() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False))


def variants(rules, lexicon_module, train, held_rows, mash) -> dict:
    """Design alternatives, each with the held-out lexicon: gibberish switch share and held-out kept share."""
    # the families live in tinget.language (the lexicon reads them per call)
    from tinget import language as language_module

    out = {}
    families, compounds = language_module.LANGUAGE_FAMILIES, lexicon_module.COMPOUNDS
    min_evidence = lexicon_module.MIN_EVIDENCE
    alternatives = {
        "chosen (nb/nn/da pooled, ≥3 letters, prefix + compound tail)": {},
        "nb, nn, da separate": {"families": ()},
        "two-letter words count as evidence": {"min_evidence": 2},
        "no prefix match": {"no_prefix": True},
        "no compound-tail match": {"no_compounds": True},
        "no prefix, no compound match (exact only)": {"no_prefix": True, "no_compounds": True},
    }
    print("\nvariants (lexicon without the held-out examples; gibberish mean over conversation languages):")
    for name, opt in alternatives.items():
        language_module.LANGUAGE_FAMILIES = opt.get("families", families)
        lex = lexicon_module.build(train)
        lexicon_module.MIN_EVIDENCE = opt.get("min_evidence", min_evidence)
        lexicon_module.COMPOUNDS = not opt.get("no_compounds")
        if opt.get("no_prefix"):
            lex.prefixes = {lang: set() for lang in lex.prefixes}
        lexicon_module._LEXICON = lex
        try:
            g = measure_gibberish(rules, mash)
            h = measure_real(rules, held_rows)["total"]
        finally:
            language_module.LANGUAGE_FAMILIES, lexicon_module.COMPOUNDS = families, compounds
            lexicon_module.MIN_EVIDENCE = min_evidence
        mean = sum(r["new"] for r in g.values()) / len(g)
        out[name] = {"gibberish_new": mean, "held_out_kept": h["kept"] / h["old"] if h["old"] else None}
        print(f"  {name:58} gibberish {100 * mean:5.1f}%   held-out kept {pct(h['kept'], h['old'])} "
              f"(lost {h['old'] - h['kept']})")
    return out


if __name__ == "__main__":
    main()
