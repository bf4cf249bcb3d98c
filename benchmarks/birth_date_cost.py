"""What the BIRTH_DATE recognizer adds to a resident message's redaction: two Redactors in one process,
with and without it, each message timed on both, interleaved (order alternating), so machine load hits
both alike; plus the recognizer's own ``find`` alone. Messages as in benchmarks/redact_speed.py (~500
characters, six languages), every other one with a dated sentence (a birth date or a deadline).

    .venv/bin/python benchmarks/birth_date_cost.py [--n 300] [--chars 500] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.redact_speed import SENTENCES, message, percentile  # noqa: E402

DATED = ["Mor er født 12.03.1941 og bor alene.", "Søknadsfristen er 15.03.2027.",
         "Min pappa är född 4 maj 1938.", "Äitini on syntynyt 12. maaliskuuta 1941.",
         "Date of birth: 02/11/1938.", "Mødet er den 12. marts 2027 kl. 10."]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--chars", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    import privacy.recognizers as recognizers
    from privacy.recognizers import NordicBirthDateRecognizer
    from privacy.redactor import Redactor

    rng = random.Random(args.seed)
    langs = list(SENTENCES)
    messages = []
    for i in range(args.n):
        lang = langs[i % len(langs)]
        text = message(rng, lang, args.chars)
        if i % 2:
            text = rng.choice(DATED) + " " + text
        messages.append((lang, text))

    load_before = os.getloadavg()
    with_it = Redactor().warm_up()
    full = recognizers.RECOGNIZERS
    recognizers.RECOGNIZERS = tuple(c for c in full if c is not NordicBirthDateRecognizer)
    try:
        without = Redactor().warm_up()
    finally:
        recognizers.RECOGNIZERS = full
    alone = {lang: NordicBirthDateRecognizer(language=lang) for lang in langs}
    for lang, text in messages[:30]:
        with_it.redact(text, lang)
        without.redact(text, lang)

    times = {"with": [], "without": [], "find": []}
    for i, (lang, text) in enumerate(messages):
        order = (("with", with_it), ("without", without)) if i % 2 else (("without", without), ("with", with_it))
        for name, redactor in order:
            t0 = time.perf_counter()
            redactor.redact(text, lang)
            times[name].append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        list(alone[lang].find(text, None))
        times["find"].append((time.perf_counter() - t0) * 1000)

    print(f"{args.n} messages of ~{statistics.fmean(len(t) for _, t in messages):.0f} characters")
    for name, values in times.items():
        print(f"{name:8} p50 {statistics.median(values):7.3f} ms  p95 {percentile(values, 0.95):7.3f} ms  "
              f"mean {statistics.fmean(values):7.3f} ms")
    diffs = [a - b for a, b in zip(times["with"], times["without"], strict=True)]
    print(f"with - without, per message: median {statistics.median(diffs):.3f} ms, mean {statistics.fmean(diffs):.3f} ms")
    print(f"load average before {[round(x, 2) for x in load_before]}, after {[round(x, 2) for x in os.getloadavg()]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
