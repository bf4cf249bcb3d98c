"""action_answer: the KB article for the predicted topic, or the canned text for chitchat."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.context import Turn, find_municipality, kb_session
from kb.store import find_answer, system_text
from tinget.catalog import load_catalogue


class ActionAnswer(Action):
    def name(self) -> str:
        return "action_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict]:
        turn = Turn.from_tracker(tracker)
        route = load_catalogue().route(turn.intent)
        with kb_session() as session:
            municipality = find_municipality(session, turn.municipality)
            if municipality is None:
                dispatcher.utter_message(json_message=turn.payload(type="handoff", reason="no_municipality"))
                return []
            if route == "chitchat":
                text = system_text(session, municipality, turn.intent, turn.lang)
                dispatcher.utter_message(json_message=turn.payload(type="chitchat", text=text))
                return []
            answer = find_answer(session, municipality, turn.intent, turn.lang)
            if answer is None:
                # No article: never improvise. A caseworker answers instead.
                dispatcher.utter_message(json_message=turn.payload(type="handoff", reason="no_article"))
                return []
            note = system_text(session, municipality, "language_fallback", turn.lang) if answer.is_fallback else ""
            dispatcher.utter_message(json_message=turn.payload(
                type="answer", text=answer.body, html=answer.html, title=answer.title,
                source_url=answer.source_url, article_id=answer.article_id, article_version=answer.version,
                article_lang=answer.lang, fallback_note=note, department=answer.department))
        return []
