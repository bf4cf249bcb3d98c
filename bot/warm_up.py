"""Warming a loaded Rasa model up before anyone is told it is ready (Rasa environment).

Rasa loads the model's graph but runs none of it until the first message: that first message then
pays for the featurizer's and the classifier's first run (16.5 s on 2 shared cores, later ones 0.02 s)
and for the first policy prediction and action-server call (another second). On a loaded machine the
first resident after a restart waited 20-24 s, past the app's ``RASA_TIMEOUT``, was told the bot was
unavailable and got a case. The same first-message cost scored the first ~15 messages of
``tinget eval intents`` as handed over.

:func:`warm_up` is the one warm-up: the Rasa server runs it as the last step of loading its model,
before it accepts a connection (``bot/rasa_server.py``), so ``/status`` reports the model only once a
message costs what it will cost residents; every way of starting the stack (``make run``/Procfile, the
supervisor, ``bot.servers.Stack`` for the tests and ``tinget eval``) goes through it. The in-process
benchmarks (``bot/nlu_parse.py``) use it as well, parse only.

Nothing is left behind: the parses touch no tracker, and the one full turn runs on a copy of the
processor with an in-memory tracker store, so no conversation appears in the tracker database (which
the app's deletion, retention, teach and analytics read) nor in the app's database (the actions only
read the KB).
"""

from __future__ import annotations

import copy
import logging
import time
from typing import Any

log = logging.getLogger(__name__)

# one message per language family, none of them in a dev set (the benchmarks exclude these)
TEXTS = ("warm up", "hei, når er biblioteket åpent?", "hur ansöker jag om förskola",
         "miten haen rakennuslupaa", "can I talk to a person")
SENDER = "tinget-warm-up"  # the throw-away conversation of the full turn (in memory only)


async def warm_up(agent: Any, texts: tuple[str, ...] = TEXTS, full_turn: bool = True) -> float:
    """Run ``texts`` through the model's NLU pipeline and, with ``full_turn``, one message through the
    whole turn (policies, action server, response) on an in-memory tracker. Returns the seconds spent.
    A failing full turn (e.g. the action server not up yet) is logged and does not stop the start."""
    started = time.perf_counter()
    for text in texts:
        await agent.parse_message(text)
    if full_turn and agent.processor is not None:
        from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
        from rasa.core.tracker_store import InMemoryTrackerStore

        processor = copy.copy(agent.processor)  # the same model and action endpoint, its own tracker store
        processor.tracker_store = InMemoryTrackerStore(agent.domain)
        try:
            await processor.handle_message(UserMessage(texts[1 if len(texts) > 1 else 0], CollectingOutputChannel(),
                                                       sender_id=SENDER))
        except Exception as exc:  # the model is still warm; only the action server's first call is not
            log.warning("Warm-up turn failed (%s); the NLU pipeline is warm", exc.__class__.__name__)
    return time.perf_counter() - started
