"""The simulated caseworker of the learning replays (benchmarks/learning.py on the dev stream,
benchmarks/suggest_calibrate_memory.py on repository data): one definition, so the replay that
chooses the reply-memory constants and the one that measures them answer cases the same way.

For each case the caseworker accepts the top draft when it answers the case's topic, else edits the
right answer into a reply of their own (the KB answer with a closing sentence added), or, when the
KB has no answer, writes a new reply.
"""

from __future__ import annotations

ADDED = {"nb": "Ta gjerne kontakt igjen om du lurer på noe mer.", "nn": "Ta gjerne kontakt att om du lurer på noko meir.",
         "sv": "Hör gärna av dig igen om du undrar något mer.", "da": "Du er velkommen til at kontakte os igen.",
         "fi": "Otathan yhteyttä, jos sinulla on kysyttävää.", "en": "Feel free to contact us again."}
NEW_REPLY = ("Takk for spørsmålet. Dette står ikke i kunnskapsbasen vår ennå; saksbehandleren har sjekket "
             "saken og svarer deg her med det vi vet. Sak {n}.")


def reply_to_case(svc, text: str, lang: str, top, top_group, gold: str | None, answers: dict[str, str], n: int) -> str:
    """Record what the caseworker sends for one case; returns the id of the learned reply.

    ``top`` is the first draft (or None), ``top_group`` the case topic it answers, ``gold`` the KB
    document that answers this case (None: the KB has no answer), ``answers`` KB id -> answer text,
    ``n`` the case number (new replies differ from each other).
    """
    if gold is not None and top is not None and top_group == gold:
        return svc.record_feedback(text, lang, top.source_id, "accept", final_text=top.text)
    if gold is not None:
        final = f"Hei,\n\n{answers[gold]} {ADDED.get(lang, ADDED['en'])}\n\nMed vennlig hilsen\nSaksbehandler"
        return svc.record_feedback(text, lang, gold, "edit", final_text=final)
    return svc.record_feedback(text, lang, None, "edit", final_text=NEW_REPLY.format(n=n))
