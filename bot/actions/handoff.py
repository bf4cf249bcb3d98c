"""action_handoff: hand the conversation to a caseworker and pause the bot for it.

The action decides the department (from the catalogue) and the reason; the Flask app opens the
case when it sees the ``handoff`` payload, so cases stay in one place.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.context import Turn
from tinget.catalog import load_catalogue

REASONS = {"personal_case": "personal_case", "out_of_scope": "out_of_scope",
           "human_handoff": "human_handoff", "nlu_fallback": "low_confidence"}


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        turn = Turn.from_tracker(tracker)
        reason = REASONS.get(turn.intent, "low_confidence")
        catalogue = load_catalogue()
        # A low-confidence guess still tells the likely queue; personal cases go to the topic's queue
        # when the classifier's runner-up is a topic.
        guess = turn.top_intent if reason == "low_confidence" else turn.intent
        department = catalogue.department(guess)
        if reason == "personal_case":
            topics = [r["name"] for r in turn.ranking if catalogue.route(r["name"]) == "answer"]
            department = catalogue.department(topics[0]) if topics else catalogue.department(turn.intent)
        dispatcher.utter_message(json_message=turn.payload(type="handoff", reason=reason, department=department))
        return [ConversationPaused()]
