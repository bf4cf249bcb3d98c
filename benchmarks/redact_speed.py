"""Redaction speed: p50/p95 for ~500-character resident messages (target p95 <= 15 ms), our Nordic
redactor beside Presidio's default English configuration, in the same run.

    .venv/bin/python benchmarks/redact_speed.py [--n 400] [--chars 500] [--seed 1]

Messages are built from synthetic sentences in the six languages (IDs, phones, e-mails, accounts,
addresses and names planted; numbers computed to pass their checksums) and cut to about ``--chars``
characters at a word boundary. Both analyzers are warmed up first; each message is timed once per
analyzer, interleaved, so machine load hits both alike; the load average before and after the
run is printed with the figures (the machine is shared: compare only figures of one run). Our figure is ``Redactor.redact`` (analysis
+ replacement), Presidio's is ``AnalyzerEngine.analyze`` + ``AnonymizerEngine.anonymize`` with its
predefined recognizers (offline: see privacy.evaluation.PresidioDefault). Never part of `make test`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.privacy import synthetic as syn  # noqa: E402

SENTENCES = {
    "nb": ["Hei, jeg heter {name} og lurer på når søppelet blir hentet i Storgata {n}.",
           "Fødselsnummeret mitt er {fnr}, og dere kan ringe meg på {phone}.",
           "Sønnen min {first} skal begynne på skolen i august, og vi har flyttet til {street} {n}.",
           "Kan refusjonen settes inn på kontonummer {account}? Mvh {name}",
           "Jeg har sendt søknad om barnehageplass, saksnummer 2024/{n}0, men har ikke fått svar."],
    "nn": ["Eg heiter {name} og bur i {street} {n}, 5003 Bergen.",
           "Fødselsnummeret mitt er {fnr}. Ring meg gjerne på {phone} etter klokka fire.",
           "Dottera mi {first} treng plass i SFO frå hausten. Helsing {name}"],
    "sv": ["Hej, jag heter {name} och mitt personnummer är {pnr}.",
           "Ring mig på 070-{n}1 23 45 eller mejla {email}.",
           "Min dotter {first} ska börja i förskolan, vi bor på Drottninggatan {n}, 111 51 Stockholm."],
    "da": ["Hej, jeg hedder {name}, og mit CPR-nummer er {cpr}.",
           "I kan ringe til mig på 20 {n} 34 56 eller skrive til {email}.",
           "Vi bor på Nørregade {n}, 2. tv., og min søn {first} går i 3. klasse. Venlig hilsen {name}"],
    "fi": ["Hei, nimeni on {name} ja henkilötunnukseni on {hetu}.",
           "Voitteko soittaa numeroon 040 {n}3 4567? Asun osoitteessa Hämeenkatu {n}, 33100 Tampere.",
           "Tyttäreni {first} aloittaa koulun syksyllä. Terveisin {name}"],
    "en": ["Hi, my name is {name} and my national ID number is {fnr}.",
           "Please call me on +47 {phone} or email {email} about the invoice.",
           "My daughter {first} needs a place in kindergarten; we live at Kongens gate {n}, 7011 Trondheim.",
           "Please refund to IBAN {iban}. Kind regards, {name}"],
}
FIRST = ["Kari", "Ola", "Ingrid", "Lars", "Anna", "Erik", "Mette", "Jens", "Aino", "Mikko", "Sofia", "Emil"]
LAST = ["Nordmann", "Hansen", "Lindqvist", "Johansson", "Kristensen", "Virtanen", "Korhonen", "Berg"]


def message(rng: random.Random, lang: str, chars: int) -> str:
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < chars:
        first = rng.choice(FIRST)
        parts.append(rng.choice(SENTENCES[lang]).format(
            name=f"{first} {rng.choice(LAST)}", first=first, n=rng.randint(1, 99), fnr=syn.no_fnr(rng),
            pnr=syn.se_pnr(rng), cpr=syn.dk_cpr(rng), hetu=syn.fi_hetu(rng), phone=f"9{rng.randint(1000000, 9999999)}",
            account=syn.no_account(rng), iban=syn.iban_for(rng, "NO"), street="Fjellveien",
            email=f"{first.lower()}.{rng.randint(1, 99)}@example.org"))
    text = " ".join(parts)
    return text[:chars].rsplit(" ", 1)[0] if len(text) > chars else text


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=400, help="messages (spread over the six languages)")
    parser.add_argument("--chars", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from presidio_anonymizer import AnonymizerEngine

    from privacy import get_redactor
    from privacy.evaluation import PresidioDefault

    load_before = os.getloadavg()
    rng = random.Random(args.seed)
    langs = list(SENTENCES)
    messages = [(langs[i % len(langs)], message(rng, langs[i % len(langs)], args.chars)) for i in range(args.n)]
    ours = get_redactor().warm_up()
    presidio = PresidioDefault()
    anonymizer = AnonymizerEngine()
    for lang, text in messages[:30]:  # warm both (caches, lazy loads such as the Finnish model)
        ours.redact(text, lang)
        anonymizer.anonymize(text=text, analyzer_results=presidio.engine.analyze(text=text, language="en"))

    times: dict[str, dict[str, list[float]]] = {"ours": {}, "presidio": {}}
    for lang, text in messages:
        t0 = time.perf_counter()
        ours.redact(text, lang)
        t1 = time.perf_counter()
        anonymizer.anonymize(text=text, analyzer_results=presidio.engine.analyze(text=text, language="en"))
        t2 = time.perf_counter()
        times["ours"].setdefault(lang, []).append((t1 - t0) * 1000)
        times["presidio"].setdefault(lang, []).append((t2 - t1) * 1000)

    def stats(values):
        return {"p50": round(statistics.median(values), 2), "p95": round(percentile(values, 0.95), 2),
                "mean": round(statistics.fmean(values), 2), "n": len(values)}

    summary = {"chars_mean": round(statistics.fmean(len(t) for _, t in messages), 1),
               "presidio_ner_model": presidio.ner_model or "none (blank en tokenizer)", "per_lang": {}}
    for lang in langs:
        summary["per_lang"][lang] = {"ours": stats(times["ours"][lang]), "presidio": stats(times["presidio"][lang])}
    all_ours = [v for vs in times["ours"].values() for v in vs]
    all_presidio = [v for vs in times["presidio"].values() for v in vs]
    summary["all"] = {"ours": stats(all_ours), "presidio": stats(all_presidio)}
    summary["p95_ratio_ours_over_presidio"] = round(summary["all"]["ours"]["p95"] / summary["all"]["presidio"]["p95"], 2)
    summary["target_p95_ms"] = 15
    summary["meets_target"] = summary["all"]["ours"]["p95"] <= 15
    summary["meets_target_every_language"] = all(row["ours"]["p95"] <= 15 for row in summary["per_lang"].values())
    summary["load_average"] = {"before": [round(x, 2) for x in load_before],
                               "after": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count()}
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(f"{args.n} messages of ~{summary['chars_mean']:.0f} characters; Presidio NER model: "
          f"{summary['presidio_ner_model']}")
    print(f"{'':8} {'ours p50':>9} {'p95':>7} | {'presidio p50':>12} {'p95':>7} | p95 ratio")
    for lang, row in list(summary["per_lang"].items()) + [("all", summary["all"])]:
        o, p = row["ours"], row["presidio"]
        print(f"{lang:8} {o['p50']:9.2f} {o['p95']:7.2f} | {p['p50']:12.2f} {p['p95']:7.2f} | {o['p95'] / p['p95']:.2f}")
    print(f"target p95 <= 15 ms: {'met' if summary['meets_target'] else 'NOT met'} overall, "
          f"{'met' if summary['meets_target_every_language'] else 'NOT met'} in every language")
    load = summary["load_average"]
    print(f"load average (1/5/15 min) before {load['before']}, after {load['after']}, {load['cpus']} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
