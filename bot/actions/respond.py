"""The one thing both actions do: ask the dialogue (bot.dialogue) what to say, send it, remember it."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.context import Turn, find_municipality, kb_session
from bot.dialogue import Knowledge, Memory, respond


def run_dialogue(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict]:
    turn = Turn.from_tracker(tracker)
    with kb_session() as session:
        municipality = find_municipality(session, turn.municipality)
        if municipality is None:
            dispatcher.utter_message(json_message=turn.payload(type="handoff", reason="no_municipality"))
            return [ConversationPaused()]
        memory = Memory.from_slots(tracker.current_slot_values())
        reply = respond(turn.heard(), memory, Knowledge(session, municipality))
    for message in reply.messages:
        dispatcher.utter_message(json_message=turn.payload(**message))
    events = [SlotSet(name, value) for name, value in reply.memory.as_slots().items()]
    if reply.pause:
        events.append(ConversationPaused())
    return events
