"""Custom actions served by rasa-sdk (`python -m rasa_sdk --actions bot.actions`).

The actions are thin: they read the NLU result and metadata from the tracker, ask the KB, and send
one JSON message back. The Flask app renders it, opens cases and keeps the transparency log.
"""

from bot.actions.answer import ActionAnswer
from bot.actions.handoff import ActionHandoff

__all__ = ["ActionAnswer", "ActionHandoff"]
