"""Parse a JSONL file of messages with a trained Rasa model, in-process (Rasa environment).

    .venv-rasa/bin/python -m bot.nlu_parse MODEL IN.jsonl OUT.jsonl

Each output line: {"id", "intent", "confidence", "ranking", "parse_ms"}. Used by the benchmarks
(NLU latency, CLINC150, default-pipeline baseline); the product path goes through the Rasa server.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time


async def main(model: str, src: str, dst: str) -> None:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    rows = [json.loads(line) for line in open(src, encoding="utf-8") if line.strip()]
    await agent.parse_message("warm up")
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


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
