"""action_handoff: the RulePolicy's action for personal cases, requests for a person, out-of-scope and
low-confidence messages. The dialogue (bot.dialogue) still looks first whether the message answers the
bot's own question or follows up the last topic; otherwise it hands over and pauses the bot. The Flask
app opens the case when it sees the ``handoff`` payload, so cases stay in one place."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.respond import run_dialogue


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        return run_dialogue(dispatcher, tracker)
