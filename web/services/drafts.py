"""Reply drafts for cases from the suggester, and learning from what caseworkers send.

Filled in by the suggester integration; the functions are the stable hooks the case service calls.
"""

from __future__ import annotations

from web.models import Case, Message


def propose(case: Case) -> None:
    """Store up to three drafts on the case (no-op until the suggester is wired)."""


def learn_from_reply(case: Case, reply: Message, *, draft_id: int | None, edited: bool) -> None:
    """Record an accepted/edited reply in the suggester's memory (no-op until wired)."""
