"""What the municipality's KB words (kb.store.kb_lexicon) cost a resident message, on the demo KB.

    .venv/bin/python benchmarks/kb_lexicon.py [--n 2000]

Builds the app on a temporary SQLite database with the demo KB (as the tests do) and reports, in-process:
the lookup every message makes (KB version from its two-second cache, lexicon of that version), the
rebuild after a KB change (one query of the published titles and bodies, words taken), the lexicon's
size, and detect() on messages that need the lexical check (a switch of language), with and without the
municipality's words. Uses no dev set. Prints figures, never fails.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TINGET_CONFIG", "testing")

SWITCHES = [  # (conversation language, message): each makes detect() run the lexical check
    ("nb", "Milloin kirjasto on auki lauantaina?"),
    ("fi", "Hur ansöker jag om förskoleplats?"),
    ("nb", "When is the library open on Saturdays?"),
    ("en", "Hvordan søker jeg om plass i barnehagen?"),
    ("nb", "Jokiniemen kirpputori"),
]


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1e6)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()
    from sqlalchemy import func, select

    from kb import store
    from kb.models import Article
    from tests.conftest import make_app
    from tinget.language import detect, warm_up
    from tinget.models import Municipality
    from web.extensions import db

    warm_up()
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(Path(tmp))
        with app.app_context():
            m = db.session.scalar(select(Municipality).where(Municipality.slug == "fjordvik"))
            published = db.session.scalar(select(func.count(Article.id)).where(
                Article.status == "published",
                (Article.municipality_id == m.id) | Article.municipality_id.is_(None)))
            lex = store.kb_lexicon(db.session, m.id)
            lookup = timed(lambda: store.kb_lexicon(db.session, m.id), args.n)

            def rebuild():
                store._forget()
                store.kb_lexicon(db.session, m.id)

            builds = timed(rebuild, max(5, args.n // 100))
            print(f"demo KB: {published} published articles for {m.slug}; lexicon "
                  f"{sum(len(w) for w in lex.words.values())} words "
                  f"({', '.join(f'{k} {len(v)}' for k, v in lex.words.items())})")
            print(f"per message, KB unchanged (version from cache, lexicon kept): "
                  f"median {statistics.median(lookup):.1f} µs, p90 {sorted(lookup)[int(len(lookup) * .9)]:.1f} µs")
            print(f"after a KB change (one query + words): median {statistics.median(builds) / 1000:.1f} ms, "
                  f"max {max(builds) / 1000:.1f} ms over {len(builds)}")
            lex = store.kb_lexicon(db.session, m.id)
            for current, text in SWITCHES:
                detect(text, current)  # lingua's models warm
                without = statistics.median(timed(lambda t=text, c=current: detect(t, c), args.n // 10))
                with_kb = statistics.median(timed(lambda t=text, c=current: detect(t, c, local=lex), args.n // 10))
                print(f"detect {current} {text!r}: {detect(text, current).lang} -> "
                      f"{detect(text, current, local=lex).lang}; median {without:.0f} µs without, "
                      f"{with_kb:.0f} µs with the KB words")
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
