"""Redaction speed: p50/p95 for ~500-character resident messages (target p95 <= 15 ms), our Nordic
redactor beside Presidio's default English configuration, in the same run; then the same for messages
with links.

    .venv/bin/python benchmarks/redact_speed.py [--n 400] [--chars 500] [--seed 1]

Messages are built from synthetic sentences in the six languages (IDs, phones, e-mails, accounts,
addresses and names planted; numbers computed to pass their checksums) and cut to about ``--chars``
characters at a word boundary. The link-bearing set has the same sentences with a synthetic link after
each one (plain links, and links carrying names, phones and e-mails in their query values, path slugs
and ``mailto:``, or a number written right after them), so ours reads every link's values too; it is
printed beside the first set with the same baseline (Presidio, timed in the same run on the same
messages) and with the cost of the links (ours with links over ours without, p50 and p95). Both analyzers are warmed up first; each message is timed once per
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
# Links as a resident pastes them (synthetic hosts); "{phone}" after a link is typed after it.
LINKS = [
    "https://fjordvik.example/tenester/renovasjon/tommekalender?lang={lang}&id={n}#hentedagar",
    "https://fjordvik.example/sak?navn={first}+{last}&tlf={phone}",
    "https://fjordvik.example/person/{first_l}-{last_l}/",
    "https://fjordvik.example/skjema?email={first_l}.{n}%40example.org&side={n}",
    "mailto:{first_l}.{n}@example.org?subject=Soknad",
    "www.fjordvik.example/brev/brev-til-{first_l}-{last_l}-{n}.pdf",
    "https://fjordvik.example/kontakt {phone}",
    "https://fjordvik.example/politikk/moter/2024-05-{n}?sok=barnehage&side=2",
]
FIRST = ["Kari", "Ola", "Ingrid", "Lars", "Anna", "Erik", "Mette", "Jens", "Aino", "Mikko", "Sofia", "Emil"]
LAST = ["Nordmann", "Hansen", "Lindqvist", "Johansson", "Kristensen", "Virtanen", "Korhonen", "Berg"]


def message(rng: random.Random, lang: str, chars: int, links: bool = False) -> str:
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < chars:
        first = rng.choice(FIRST)
        parts.append(rng.choice(SENTENCES[lang]).format(
            name=f"{first} {rng.choice(LAST)}", first=first, n=rng.randint(1, 99), fnr=syn.no_fnr(rng),
            pnr=syn.se_pnr(rng), cpr=syn.dk_cpr(rng), hetu=syn.fi_hetu(rng), phone=f"9{rng.randint(1000000, 9999999)}",
            account=syn.no_account(rng), iban=syn.iban_for(rng, "NO"), street="Fjellveien",
            email=f"{first.lower()}.{rng.randint(1, 99)}@example.org"))
        if links:
            last = rng.choice(LAST)
            parts.append(rng.choice(LINKS).format(
                lang=lang, first=first, last=last, first_l=first.lower(), last_l=last.lower(),
                n=rng.randint(10, 28), phone=f"4{rng.randint(1000000, 9999999)}"))
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
    sets = {"plain": [(langs[i % len(langs)], message(rng, langs[i % len(langs)], args.chars)) for i in range(args.n)]}
    sets["links"] = [(langs[i % len(langs)], message(rng, langs[i % len(langs)], args.chars, links=True))
                     for i in range(args.n)]
    ours = get_redactor().warm_up()
    presidio = PresidioDefault()
    anonymizer = AnonymizerEngine()
    for lang, text in sets["plain"][:30] + sets["links"][:30]:  # warm both (caches, lazy loads such as the Finnish model)
        ours.redact(text, lang)
        anonymizer.anonymize(text=text, analyzer_results=presidio.engine.analyze(text=text, language="en"))

    def stats(values):
        return {"p50": round(statistics.median(values), 2), "p95": round(percentile(values, 0.95), 2),
                "mean": round(statistics.fmean(values), 2), "n": len(values)}

    def timed(messages) -> dict:
        times: dict[str, dict[str, list[float]]] = {"ours": {}, "presidio": {}}
        for lang, text in messages:
            t0 = time.perf_counter()
            ours.redact(text, lang)
            t1 = time.perf_counter()
            anonymizer.anonymize(text=text, analyzer_results=presidio.engine.analyze(text=text, language="en"))
            t2 = time.perf_counter()
            times["ours"].setdefault(lang, []).append((t1 - t0) * 1000)
            times["presidio"].setdefault(lang, []).append((t2 - t1) * 1000)
        out = {"chars_mean": round(statistics.fmean(len(t) for _, t in messages), 1), "per_lang": {}}
        for lang in langs:
            out["per_lang"][lang] = {"ours": stats(times["ours"][lang]), "presidio": stats(times["presidio"][lang])}
        out["all"] = {"ours": stats([v for vs in times["ours"].values() for v in vs]),
                      "presidio": stats([v for vs in times["presidio"].values() for v in vs])}
        out["p95_ratio_ours_over_presidio"] = round(out["all"]["ours"]["p95"] / out["all"]["presidio"]["p95"], 2)
        return out

    summary = timed(sets["plain"])
    summary["presidio_ner_model"] = presidio.ner_model or "none (blank en tokenizer)"
    summary["target_p95_ms"] = 15
    summary["meets_target"] = summary["all"]["ours"]["p95"] <= 15
    summary["meets_target_every_language"] = all(row["ours"]["p95"] <= 15 for row in summary["per_lang"].values())
    with_links = summary["with_links"] = timed(sets["links"])
    with_links["meets_target"] = with_links["all"]["ours"]["p95"] <= 15
    with_links["link_cost_ours"] = {q: round(with_links["all"]["ours"][q] / summary["all"]["ours"][q], 2)
                                    for q in ("p50", "p95")}
    summary["load_average"] = {"before": [round(x, 2) for x in load_before],
                               "after": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count()}
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(f"{args.n} messages of ~{summary['chars_mean']:.0f} characters; Presidio NER model: "
          f"{summary['presidio_ner_model']}")
    print(f"{'':8} {'ours p50':>9} {'p95':>7} | {'presidio p50':>12} {'p95':>7} | p95 ratio"
          f" || with links: {'ours p50':>9} {'p95':>7} | {'presidio p50':>12} {'p95':>7} | p95 ratio")
    rows = list(summary["per_lang"].items()) + [("all", summary["all"])]
    link_rows = list(with_links["per_lang"].values()) + [with_links["all"]]
    for (lang, row), lrow in zip(rows, link_rows, strict=True):
        o, p, lo, lp = row["ours"], row["presidio"], lrow["ours"], lrow["presidio"]
        print(f"{lang:8} {o['p50']:9.2f} {o['p95']:7.2f} | {p['p50']:12.2f} {p['p95']:7.2f} | {o['p95'] / p['p95']:9.2f}"
              f" || {'':11} {lo['p50']:9.2f} {lo['p95']:7.2f} | {lp['p50']:12.2f} {lp['p95']:7.2f} | "
              f"{lo['p95'] / lp['p95']:.2f}")
    print(f"target p95 <= 15 ms: {'met' if summary['meets_target'] else 'NOT met'} overall, "
          f"{'met' if summary['meets_target_every_language'] else 'NOT met'} in every language; "
          f"with links (~{with_links['chars_mean']:.0f} characters): "
          f"{'met' if with_links['meets_target'] else 'NOT met'} overall")
    cost = with_links["link_cost_ours"]
    print(f"cost of the links, ours with links / without: p50 {cost['p50']:.2f}, p95 {cost['p95']:.2f}")
    load = summary["load_average"]
    print(f"load average (1/5/15 min) before {load['before']}, after {load['after']}, {load['cpus']} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
