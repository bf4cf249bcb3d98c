"""Parse a JSONL file of messages with trained Rasa models, in-process (Rasa environment).

    .venv-rasa/bin/python -m bot.nlu_parse MODEL IN.jsonl OUT.jsonl
    .venv-rasa/bin/python -m bot.nlu_parse --latency IN.jsonl OUT.json MODEL [MODEL ...]

First form: each output line {"id", "intent", "confidence", "ranking", "parse_ms"}. Used by the
benchmarks (CLINC150, default-pipeline baseline); the product path goes through the Rasa server.

Second form (NLU parse latency, benchmarks/intents.py): every model is loaded in this one process and
warmed up on a few messages that are not in the file (excluded from the figures); then each message is
parsed once by every model, the models taking turns message by message, so that all models meet the same
load on a shared machine. Per model: wall-clock p50/p95/max per message and the CPU time of the process
per message (what the parse costs, whatever else the machine is doing). Writes a JSON summary.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time

from bot.warm_up import TEXTS as WARM_UP
from bot.warm_up import warm_up


def percentiles(values: list[float]) -> dict:
    v = sorted(values)
    return {"n": len(v), "p50": round(v[len(v) // 2], 2), "p95": round(v[min(len(v) - 1, int(len(v) * 0.95))], 2),
            "max": round(v[-1], 2), "mean": round(sum(v) / len(v), 2)} if v else {"n": 0}


async def parse(model: str, src: str, dst: str) -> None:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    rows = [json.loads(line) for line in open(src, encoding="utf-8") if line.strip()]
    await warm_up(agent, full_turn=False)
    with open(dst, "w", encoding="utf-8") as out:
        for row in rows:
            started = time.perf_counter()
            parsed = await agent.parse_message(row["text"])
            elapsed = (time.perf_counter() - started) * 1000
            intent = parsed.get("intent") or {}
            ranking = [{"name": r["name"], "confidence": round(float(r["confidence"]), 4)}
                       for r in (parsed.get("intent_ranking") or [])[:5]]
            out.write(json.dumps({"id": row["id"], "intent": intent.get("name"),
                                  "confidence": round(float(intent.get("confidence") or 0), 4),
                                  "ranking": ranking, "parse_ms": round(elapsed, 2)}) + "\n")


async def latency(src: str, dst: str, models: list[str]) -> None:
    from rasa.core.agent import Agent

    agents = [Agent.load(m) for m in models]
    texts = [json.loads(line)["text"] for line in open(src, encoding="utf-8") if line.strip()]
    for agent in agents:
        await warm_up(agent, full_turn=False)
    wall: list[list[float]] = [[] for _ in agents]
    cpu: list[list[float]] = [[] for _ in agents]
    load_before = os.getloadavg()[0]
    for n, text in enumerate(texts):
        order = range(len(agents)) if n % 2 == 0 else reversed(range(len(agents)))
        for i in order:
            c, t = time.process_time(), time.perf_counter()
            await agents[i].parse_message(text)
            wall[i].append((time.perf_counter() - t) * 1000)
            cpu[i].append((time.process_time() - c) * 1000)
    summary = {"models": {os.path.basename(m): {"wall_ms": percentiles(w), "cpu_ms": percentiles(c)}
                          for m, w, c in zip(models, wall, cpu, strict=True)},
               "load_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
               "cores": os.cpu_count(), "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
               "warm_up_messages": len(WARM_UP)}
    with open(dst, "w", encoding="utf-8") as out:
        json.dump(summary, out, indent=2)


if __name__ == "__main__":
    if sys.argv[1] == "--latency":
        asyncio.run(latency(sys.argv[2], sys.argv[3], sys.argv[4:]))
    else:
        asyncio.run(parse(*sys.argv[1:4]))
