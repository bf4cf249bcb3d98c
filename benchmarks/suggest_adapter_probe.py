"""Probe: does a query-side adapter, inverse-cloze pseudo-queries or pseudo-relevance feedback lift top-1?

    .venv/bin/python benchmarks/suggest_adapter_probe.py [--only swefaq|municipal] [--ideas adapter,ict,prf]

(about 10 minutes on the 2-core machine, most of it the softmax adapter's cross-validation.)

Issue #10 (SweFAQ dev top-1 >= 0.75). Three ideas, every figure measured beside the service's
own hybrid / BM25 / dense from the same run:

1. ``adapter``: a linear map on the e5 *query* vector, learned from the repository's own
   (resident question, KB article) pairs: the Rasa NLU examples of training_data/nlu/<lang>/<intent>.yml
   (six languages) paired with the article of the same intent and language in
   kb/content/national/<intent>.yml. Three forms, each regularised toward the identity:
   ridge least squares (q W ~ article vector), orthogonal Procrustes blended with the identity,
   and an in-batch-negative softmax fit (W = I + D, L2 on D). The regularisation of each form is
   chosen by leave-intents-out cross-validation on those repository pairs only (5 folds grouped by
   intent, metric: held-out question -> held-out article MRR). The chosen adapter maps the
   question vector before the service ranks (``rank(query_vec=...)``): whole-text and window
   cosines change, BM25 and sparse terms do not.
2. ``ict``: inverse-cloze pseudo-queries from the corpus alone (no labels): each answer sentence
   (>= 4 words) is a pseudo-query whose positive is its own answer. A softmax adapter is fitted on
   them as in 1 (regularisation fixed from 1's cross-validation; the positive is the answer's
   vector with the sentence left out), and the lexical weights (char, word) are re-scaled per
   corpus by x0.25 .. x4, whichever finds the pseudo-queries' answers best with every feature of
   the source answer computed without the sentence (whole text, windows, BM25 rows, sparse terms).
3. ``prf``: pseudo-relevance feedback with textbook constants, not tuned: dense Rocchio
   q' = q + 0.75 * mean(top-3 whole-text vectors) (SMART's beta), and an RM3-like lexical
   expansion of both BM25 indexes (Anserini's defaults: 10 feedback answers from the hybrid's first
   pass, 10 terms, original query weight 0.5).

Nothing is chosen on the dev sets; they only measure. Never fails.
"""

from __future__ import annotations

import argparse
import atexit
import glob
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import copy  # noqa: E402

import numpy as np  # noqa: E402
import yaml  # noqa: E402

from benchmarks.suggest_calibrate import nlu_questions  # noqa: E402
from suggester.documents import sentences  # noqa: E402
from suggester.evaluation import (  # noqa: E402
    METHODS,
    _read_jsonl,
    _summary,
    corpus_documents,
    gold_rank_and_confidence,
)
from suggester.service import NO_DRAFT_BELOW, WEIGHTS, SuggesterService, _match_text  # noqa: E402

DATA = ROOT.parent / "shared" / "eval-data"
SETS = {
    "municipal": (DATA / "municipal" / "faq-dev-corpus.jsonl", DATA / "municipal" / "faq-dev-queries.jsonl"),
    "swefaq": (DATA / "public" / "swefaq-dev-corpus.jsonl", DATA / "public" / "swefaq-dev-queries.jsonl"),
}
CACHE = Path(tempfile.gettempdir()) / "tinget-adapter-probe-pairs.npz"


# ------------------------------------------------------------------ repository pairs
def _plain(md: str) -> str:
    md = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1", md or "")
    md = re.sub(r"\*\*([^*]+)\*\*", r"\1", md)
    md = re.sub(r"\{[a-z_.]+\}", "", md)
    return md.strip()


def repo_pairs() -> tuple[list[str], list[int], list[str], list[str], list[str]]:
    """(questions, article index per question, article texts, article intents, article langs)."""
    arts: dict[tuple[str, str], int] = {}
    texts, intents, langs = [], [], []
    for f in sorted(glob.glob(str(ROOT / "kb" / "content" / "national" / "*.yml"))):
        d = yaml.safe_load(open(f, encoding="utf-8"))
        if not d.get("intent"):
            continue
        for lang, a in sorted((d.get("articles") or {}).items()):
            arts[(d["intent"], lang)] = len(texts)
            texts.append(f"{a.get('title', '')}\n{_plain(a.get('body', ''))}")
            intents.append(d["intent"])
            langs.append(lang)
    qs, gold = [], []
    # the calibration's reader of the NLU examples, in this probe's order (language folders alphabetically)
    for q, intent, lang in sorted(nlu_questions(), key=lambda row: row[2]):
        if (intent, lang) in arts:
            qs.append(q)
            gold.append(arts[(intent, lang)])
    return qs, gold, texts, intents, langs


def pair_vectors(encoder):
    qs, gold, texts, intents, langs = repo_pairs()
    if CACHE.exists():
        z = np.load(CACHE, allow_pickle=False)
        if z["Q"].shape[0] == len(qs) and z["P"].shape[0] == len(texts):
            return z["Q"], np.asarray(gold), z["P"], np.asarray(intents), np.asarray(langs)
    t0 = time.perf_counter()
    Q = encoder.encode_queries(qs)
    P = encoder.encode_passages(texts)
    print(f"encoded {len(qs)} questions, {len(texts)} articles in {time.perf_counter() - t0:.0f} s")
    np.savez(CACHE, Q=Q, P=P)
    return Q, np.asarray(gold), P, np.asarray(intents), np.asarray(langs)


# ------------------------------------------------------------------ adapters
def _norm(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12)


def fit_ridge(Q, T, lam):
    d = Q.shape[1]
    return np.linalg.solve(Q.T @ Q + lam * np.eye(d), Q.T @ T + lam * np.eye(d))


def fit_procrustes(Q, T, alpha):
    u, _, vt = np.linalg.svd(Q.T @ T)
    return (1 - alpha) * np.eye(Q.shape[1]) + alpha * (u @ vt)


def fit_softmax(Q, gold, P, mu, tau=0.05, steps=100, lr=0.5, pos=None):
    """W = I + D minimising mean CE(softmax(norm(qW) . P / tau), gold) + mu |D|^2 (full batch, Adam).
    ``pos`` (optional, one row per question) replaces the gold column's vector for that question."""
    d = Q.shape[1]
    D = np.zeros((d, d))
    m = np.zeros_like(D)
    v = np.zeros_like(D)
    b1, b2 = 0.9, 0.999
    Y = np.zeros((len(Q), len(P)))
    Y[np.arange(len(Q)), gold] = 1
    for t in range(1, steps + 1):
        X = Q @ (np.eye(d) + D)
        n = np.linalg.norm(X, axis=1, keepdims=True)
        Xn = X / n
        S = Xn @ P.T / tau
        rows = np.arange(len(Q))
        if pos is not None:
            S[rows, gold] = (Xn * pos).sum(1) / tau
        S -= S.max(1, keepdims=True)
        A = np.exp(S)
        A /= A.sum(1, keepdims=True)
        if pos is None:
            G = (A - Y) @ P / tau / len(Q)                 # dL/dXn
        else:
            A_off = A.copy()
            A_off[rows, gold] = 0
            G = (A_off @ P + (A[rows, gold] - 1)[:, None] * pos) / tau / len(Q)
        G = (G - (G * Xn).sum(1, keepdims=True) * Xn) / n  # through the normalisation
        grad = Q.T @ G + 2 * mu * D
        m = b1 * m + (1 - b1) * grad
        v = b2 * v + (1 - b2) * grad * grad
        D -= lr * 1e-2 * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + 1e-8)
    return np.eye(d) + D


def _mrr(Q, gold, P, cand):
    S = _norm(Q) @ P[cand].T
    pos = {a: i for i, a in enumerate(cand)}
    g = np.asarray([pos[a] for a in gold])
    r = (S > S[np.arange(len(g)), g][:, None]).sum(1)
    return float(np.mean(1.0 / (r + 1))), float(np.mean(r == 0))


def _intent_folds(intents, gold, folds):
    """Leave-intents-out folds: (fold of each article, fold of each query), the same for every caller."""
    uniq = sorted(set(intents.tolist()))
    rng = np.random.default_rng(0)
    rng.shuffle(uniq)
    fold_of = {it: i % folds for i, it in enumerate(uniq)}
    art_fold = np.asarray([fold_of[i] for i in intents])
    return art_fold, art_fold[gold]


def cv_choose(Q, gold, P, intents, folds=5):
    """Leave-intents-out CV on the repository pairs; returns {form: (param, W on all pairs, table)}."""
    art_fold, q_fold = _intent_folds(intents, gold, folds)
    grids = {"ridge": [1, 10, 100, 1000, 1e4], "procrustes": [0.0, 0.1, 0.25, 0.5],
             "softmax": [0.01, 0.1, 1.0, 10.0]}
    out = {}
    for form, grid in grids.items():
        table = []
        for p in grid:
            mrrs, t1s = [], []
            for f in range(folds):
                tr, te = q_fold != f, q_fold == f
                tr_art = np.flatnonzero(art_fold != f)
                te_art = np.flatnonzero(art_fold == f)
                W = _fit(form, Q[tr], gold[tr], P, tr_art, p)
                mrr, t1 = _mrr(Q[te] @ W, gold[te], P, te_art)
                mrrs.append(mrr)
                t1s.append(t1)
            table.append((p, float(np.mean(mrrs)), float(np.mean(t1s))))
        best = max(table, key=lambda r: r[1])[0]
        out[form] = (best, _fit(form, Q, gold, P, np.arange(len(P)), best), table)
    return out


def cv_identity(Q, gold, P, intents, folds=5):
    """The same folds as :func:`cv_choose` without an adapter."""
    art_fold, q_fold = _intent_folds(intents, gold, folds)
    rows = [_mrr(Q[q_fold == f], gold[q_fold == f], P, np.flatnonzero(art_fold == f)) for f in range(folds)]
    return float(np.mean([r[0] for r in rows])), float(np.mean([r[1] for r in rows]))


def _fit(form, Q, gold, P, arts, p):
    if form == "ridge":
        return fit_ridge(Q, P[gold], p)
    if form == "procrustes":
        return fit_procrustes(Q, P[gold], p)
    pos = {a: i for i, a in enumerate(arts)}
    return fit_softmax(Q, np.asarray([pos[g] for g in gold]), P[arts], p)


# ------------------------------------------------------------------ dev-set measurement
def build(name):
    corpus, queries = SETS[name]
    docs = corpus_documents([r for r in _read_jsonl(corpus, ("id", "answer", "lang"), "corpus")
                             if str(r.get("answer") or "").strip()])
    qrows = _read_jsonl(queries, ("id", "query", "lang"), "queries")
    tmp = tempfile.mkdtemp(prefix="tinget-probe-")
    atexit.register(shutil.rmtree, tmp, True)
    svc = SuggesterService(Path(tmp) / "index", "e5", autosave=False)
    svc.build(docs)
    return svc, docs, qrows


def measure(svc, docs, qrows, qmap=None):
    """_summary per method with query vectors mapped by ``qmap``."""
    doc_lang = {d.id: d.lang for d in docs}
    recs = {m: [] for m in METHODS}
    full_k = max(10, len(docs))
    for q in qrows:
        text, lang, gold = str(q["query"]), str(q["lang"]), q.get("answer_id")
        qv = svc.encoder.encode_queries([text])[0]
        if qmap is not None:
            qv = qmap(qv, text).astype(np.float32)
        for m, use in METHODS.items():
            rk = svc.rank(text, lang, k=full_k, use=use, query_vec=qv)
            rank, conf = gold_rank_and_confidence(svc, m, rk, gold, text, lang)
            recs[m].append({"gold": gold, "rank": rank, "conf": conf, "lang": lang,
                            "no_answer": (not rk) or conf < NO_DRAFT_BELOW})
    return {m: _summary(r, doc_lang) for m, r in recs.items()}


def show(label, s, name):
    keys = ("top1", "top3", "mrr") + (("no_answer_auroc", "crosslingual_top3") if name == "municipal" else ())
    cells = "  ".join(f"{m} " + "/".join(f"{s[m][k]:.3f}" if s[m][k] is not None else "-" for k in keys)
                      for m in ("hybrid", "bm25", "dense"))
    print(f"{name:9} {label:28} {cells}", flush=True)


def full_vectors(svc):
    slots = [svc.slot_of[i] for i in svc.docs]
    return np.asarray(svc.vectors.reconstruct([s * 64 for s in slots]), dtype=np.float64)


def ict_pairs(svc, docs):
    """Pseudo-queries: answer sentences of >= 4 words; positives: leave-sentence-out answer vectors."""
    qs, gold, rest = [], [], []
    for di, d in enumerate(docs):
        sents = [s for s in sentences(d.text) if len(s.split()) >= 4]
        if len(sents) < 2:
            continue
        for s in sents:
            qs.append(s)
            gold.append(di)
            rest.append(d.text.replace(s, " ").strip())
    return qs, np.asarray(gold), rest


RM3_DOCS, RM3_TERMS = 10, 10  # Anserini's RM3 defaults (fb_docs, fb_terms), not tuned


def rm3_terms(svc, text, lang, qv):
    """RM3 feedback terms: the 10 words with the most weight in the first pass's top 10, weight =
    sum over those answers of P(w|answer) x the answer's first-pass probability (softmax of the
    fused score), words of the question and stop words left out; weights sum to 1."""
    from collections import Counter

    from kb import textnorm
    first = svc.rank(text, lang, k=RM3_DOCS, query_vec=qv)
    if not first:
        return []
    fused = np.asarray([r.fused for r in first])
    pd = np.exp(fused - fused.max())
    pd /= pd.sum()
    have = set(textnorm.words(text))
    weight = Counter()
    for r, p_d in zip(first, pd.tolist(), strict=True):
        ws = [w for w in textnorm.words(_match_text(r.doc)) if w not in textnorm.STOPWORDS and len(w) > 2]
        for w, c in Counter(ws).items():
            if w not in have:
                weight[w] += p_d * c / max(1, len(ws))
    top = weight.most_common(RM3_TERMS)
    total = sum(v for _, v in top) or 1.0
    return [(w, v / total) for w, v in top]


class RM3Scores:
    """Wraps a BM25 index: score = (1 - 0.5) * BM25(question) + 0.5 * sum_t w_t BM25(t) scaled to
    the question's score range (Anserini's original_query_weight 0.5)."""

    def __init__(self, svc):
        self.svc = svc
        self.terms = {}

    def install(self):
        for lex in (self.svc.char, self.svc.word):
            orig = lex.scores

            def scores(text, lang="nb", max_df_ratio=None, orig=orig):
                base = orig(text, lang, max_df_ratio)
                terms = self.terms.get(text)
                if not terms:
                    return base
                exp = sum(w * orig(t, lang, max_df_ratio) for t, w in terms)
                scale = (base.max() / exp.max()) if exp.max() > 0 and base.max() > 0 else 1.0
                return (0.5 * base + 0.5 * scale * exp).astype(np.float32)
            lex.scores = scores

    def uninstall(self):
        for lex in (self.svc.char, self.svc.word):
            lex.__dict__.pop("scores", None)


def rocchio(F):
    """q' = q + 0.75 * mean of the 3 nearest whole-text vectors (dense Rocchio, SMART's beta)."""
    def qmap(v, text):
        top = np.argsort(-(F @ v))[:3]
        return _norm(v + 0.75 * F[top].mean(0))
    return qmap


ICT_MU = 0.01  # the softmax adapter's regularisation chosen by 1's cross-validation (repository pairs)
LEX_GRID = (0.25, 0.5, 1.0, 2.0, 4.0)


def ict_weights(svc, docs, qs, gold, IQ, R):
    """The lexical multiplier (char, word weights) under which pseudo-queries find their own answer
    best, every feature of the source answer computed with the sentence left out (ties: 1.0)."""
    char, word = copy.deepcopy(svc.char), copy.deepcopy(svc.word)
    cand = [svc.slot_of[d.id] for d in docs]
    feats = {f: [] for f in ("full", "chunk", "char", "word", "sparse")}
    for q, gi, qv, rv in zip(qs, gold.tolist(), IQ, R, strict=True):
        d = docs[gi]
        slot = cand[gi]
        rest = d.text.replace(q, " ").strip()
        for lex in (char, word):
            lex.remove(slot, _match_text(d), d.lang)
            lex.add(slot, f"{d.title}\n{rest}" if d.title else rest, d.lang, compact=False)
        f = svc._features(qv.astype(np.float32), cand, char.scores(q, d.lang), word.scores(q, d.lang), q,
                          {"sparse": 1} if svc.use_sparse else {})
        for lex in (char, word):
            lex.remove(slot)
            lex.add(slot, _match_text(d), d.lang, compact=False)
        f["full"][gi] = float(qv @ rv)
        # windows holding the sentence are left out of the source's best window
        wins = [u for u in svc._units(d) if u[0] >= 2 and q not in u[2]]
        vec = svc.vectors.reconstruct([slot * 64 + j for j, _, _ in wins]) if wins else None
        f["chunk"][gi] = float((vec @ qv).max()) if vec is not None else f["full"][gi]
        if svc.use_sparse:
            si, sv = svc.encoder.sparse([rest])[0]
            qi, qw = svc.encoder.sparse([q])[0]
            qd = dict(zip(qi.tolist(), qw.tolist(), strict=True))
            f["sparse"][gi] = sum(qd.get(i, 0.0) * v for i, v in zip(si.tolist(), sv.tolist(), strict=True)) / (
                (np.linalg.norm(qw) or 1) * (np.linalg.norm(sv) or 1))
        for k in feats:
            if k in f:
                feats[k].append(np.asarray(f[k], dtype=np.float64))
    Z = {k: np.stack([_zrow(r) for r in v]) for k, v in feats.items() if v}
    best, best_t1 = 1.0, -1.0
    table = []
    for m in LEX_GRID:
        fused = sum(WEIGHTS[k] * (m if k in ("char", "word") else 1.0) * Z[k] for k in Z if k in WEIGHTS)
        t1 = float(np.mean(fused.argmax(1) == gold))
        table.append(f"{m}:{t1:.3f}")
        if t1 > best_t1 + 1e-9 or (abs(t1 - best_t1) <= 1e-9 and m == 1.0):
            best, best_t1 = m, t1
    print("  ict pseudo-query top-1 by lexical multiplier: " + ", ".join(table))
    return best


def _zrow(v):
    s = v.std()
    return (v - v.mean()) / s if s > 1e-9 else v * 0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--only", choices=sorted(SETS))
    p.add_argument("--ideas", default="adapter,ict,prf")
    args = p.parse_args()
    ideas = set(args.ideas.split(","))
    from suggester.encoder import get_encoder
    enc = get_encoder("e5")
    adapters = {}
    if "adapter" in ideas:
        Q, gold, P, intents, langs = pair_vectors(enc)
        Q, P = Q.astype(np.float64), P.astype(np.float64)
        print(f"repository pairs: {len(Q)} questions -> {len(P)} articles ({len(set(intents))} intents)")
        print(f"  identity: all-article MRR {_mrr(Q, gold, P, np.arange(len(P)))[0]:.3f}")
        mrr0, t10 = cv_identity(Q, gold, P, intents)
        print(f"  identity leave-intents-out CV (MRR, top1): {mrr0:.3f}/{t10:.3f}")
        t0 = time.perf_counter()
        chosen = cv_choose(Q, gold, P, intents)
        for form, (best, W, table) in chosen.items():
            print(f"  {form:10} leave-intents-out CV (param, MRR, top1): "
                  + ", ".join(f"{p_}:{m:.3f}/{t:.3f}" for p_, m, t in table) + f" -> {best}")
            adapters[form] = W
        print(f"  CV took {time.perf_counter() - t0:.0f} s")
    for name in SETS:
        if args.only and name != args.only:
            continue
        if not SETS[name][0].exists():
            print(f"{name}: not found")
            continue
        svc, docs, qrows = build(name)
        show("service (no change)", measure(svc, docs, qrows), name)
        if "adapter" in ideas:
            for form, W in adapters.items():
                show(f"adapter {form}", measure(svc, docs, qrows, lambda v, t, W=W: _norm(v @ W)), name)
        if "prf" in ideas:
            show("prf dense rocchio", measure(svc, docs, qrows, rocchio(full_vectors(svc))), name)
            rm = RM3Scores(svc)
            enc_q = {q["query"]: svc.encoder.encode_queries([q["query"]])[0] for q in qrows}
            rm.terms = {t: rm3_terms(svc, t, q["lang"], enc_q[t]) for q in qrows for t in [q["query"]]}
            rm.install()
            show("prf rm3 lexical (0.5)", measure(svc, docs, qrows), name)
            rm.uninstall()
        if "ict" in ideas:
            t0 = time.perf_counter()
            qs, g, rest = ict_pairs(svc, docs)
            IQ = enc.encode_queries(qs).astype(np.float64)
            R = enc.encode_passages(rest).astype(np.float64)
            F = full_vectors(svc)
            mu = chosen["softmax"][0] if "adapter" in ideas else ICT_MU
            W = fit_softmax(IQ, g, F, mu, pos=R)
            print(f"{name:9} ict: {len(qs)} pseudo-queries, fit in {time.perf_counter() - t0:.1f} s (mu {mu})")
            show("ict softmax adapter", measure(svc, docs, qrows, lambda v, t, W=W: _norm(v @ W)), name)
            t0 = time.perf_counter()
            mult = ict_weights(svc, docs, qs, g, IQ, R)
            print(f"{name:9} ict re-weighting chose lexical x{mult} ({time.perf_counter() - t0:.1f} s)")
            saved = dict(WEIGHTS)
            WEIGHTS["char"] *= mult
            WEIGHTS["word"] *= mult
            show(f"ict lexical x{mult}", measure(svc, docs, qrows), name)
            WEIGHTS.clear()
            WEIGHTS.update(saved)


if __name__ == "__main__":
    main()
