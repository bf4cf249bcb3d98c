"""Learning from caseworkers: accepted/edited replies are drafts at once; rejections demote."""

from __future__ import annotations

import pytest

from suggester import SuggesterService
from suggester.drafts import strip_salutations

QUESTION = "Kan jeg få låne en tilhenger fra kommunen for å kjøre hageavfall?"
PARAPHRASE = "går det an å leie kommunens henger til hageavfallet mitt?"
REPLY = ("Kommunen låner ikke ut tilhengere. Hageavfall kan du levere gratis på gjenbruksstasjonen "
         "på Testvik, som har åpent tirsdag og torsdag fra 12 til 19.")


def test_accepted_reply_becomes_top_draft_for_a_paraphrase(fresh, e5):
    before = fresh.suggest(PARAPHRASE, "nb")
    assert all(d.sources[0]["kind"] == "article" for d in before.drafts)
    rid = fresh.record_feedback(QUESTION, "nb", None, "edit", final_text=f"Hei,\n\n{REPLY}\n\nMed vennlig hilsen\nKari")
    after = fresh.suggest(PARAPHRASE, "nb")
    top = after.drafts[0]
    assert top.source_id == rid and top.sources[0]["kind"] == "reply"
    assert REPLY in top.text and top.text.count("Med vennlig hilsen") == 1
    assert not after.no_good_draft
    # persisted: a new process sees it
    assert SuggesterService(fresh.index_dir, e5).suggest(PARAPHRASE, "nb").drafts[0].source_id == rid


def test_accept_unchanged_draft_stores_the_source_answer(fresh):
    q = "hvor lenge kan jeg låne en bok på Testvik bibliotek"
    rid = fresh.record_feedback(q, "nb", "kb-library", "accept")
    doc = fresh.docs[rid]
    assert doc.kind == "reply" and doc.question == q and "fire uker" in doc.answer
    assert doc.meta["from_source"] == "kb-library"
    res = fresh.suggest("hvor lenge er lånetiden for bøker på biblioteket", "nb")
    assert res.drafts[0].source_id == rid


def test_reject_demotes_the_source_for_similar_questions(fresh, e5):
    q = "hvor mye koster sfo for to søsken"
    first = fresh.suggest(q, "nb").drafts[0].source_id
    assert first == "kb-sfo-price"
    fresh.record_feedback(q, "nb", first, "reject")
    assert fresh.suggest(q, "nb").drafts[0].source_id != first
    assert fresh.suggest("hva koster sfo for to søsken?", "nb").drafts[0].source_id != first
    # a different question still gets that article
    assert fresh.suggest("pris for full plass i skolefritidsordningen", "nb").drafts[0].source_id == first
    # persisted
    again = SuggesterService(fresh.index_dir, e5)
    assert again.suggest(q, "nb").drafts[0].source_id != first
    assert again.forget_rejections("kb-sfo-price") == 1
    assert again.suggest(q, "nb").drafts[0].source_id == first


def test_retention_forgets_only_the_rejections_older_than_its_cut_off(fresh, e5, monkeypatch):
    """Retention drops rejections recorded before a time (they hold the question's vector, without a case
    to delete them with); younger ones still demote, also in a new process reading the journal."""
    import time

    old_q, young_q = "hvor mye koster sfo for to søsken", "hva koster skolefritidsordningen per måned"
    now = time.time()
    with monkeypatch.context() as m:  # recorded over a year ago
        m.setattr("suggester.service.time.time", lambda: now - 400 * 86400)
        fresh.record_feedback(old_q, "nb", "kb-sfo-price", "reject")
    fresh.record_feedback(young_q, "nb", "kb-sfo-price", "reject")
    assert fresh.forget_rejections(before=time.time() - 365 * 86400) == 1
    assert [r["at"] > time.time() - 60 for r in fresh.rejections] == [True]
    assert fresh.suggest(old_q, "nb").drafts[0].source_id == "kb-sfo-price"
    again = SuggesterService(fresh.index_dir, e5)
    assert len(again.rejections) == 1 and again.suggest(young_q, "nb").drafts[0].source_id != "kb-sfo-price"


def test_removing_a_learned_reply(fresh):
    rid = fresh.record_feedback(QUESTION, "nb", None, "edit", final_text=REPLY)
    assert fresh.remove([rid]) == 1
    assert all(d.source_id != rid for d in fresh.suggest(PARAPHRASE, "nb").drafts)


@pytest.mark.parametrize("args, message", [
    (("spørsmål", "nb", "kb-pool", "like"), "accept, edit or reject"),
    (("", "nb", "kb-pool", "accept"), "empty"),
    (("spørsmål", "nb", "no-such-id", "reject"), "unknown draft source"),
    (("spørsmål", "nb", None, "accept"), "needs final_text"),
])
def test_bad_feedback_is_a_clear_error(kb, args, message):
    with pytest.raises(ValueError, match=message):
        kb.record_feedback(*args)


@pytest.mark.parametrize("sent, kept", [
    ("Hei Ola,\n\nSvaret er ja.\n\nMed vennlig hilsen\nKari Testesen\nTestvik kommune", "Svaret er ja."),
    ("Hej!\nSvaret är ja.\nMed vänlig hälsning\nKarin", "Svaret är ja."),
    ("Svaret er ja.", "Svaret er ja."),
    ("Hello,\nYes.\nKind regards,\nKim", "Yes."),
])
def test_strip_salutations(sent, kept):
    assert strip_salutations(sent) == kept


def test_learning_is_journaled_and_erasure_leaves_no_trace(fresh, e5):
    rid = fresh.record_feedback(QUESTION, "nb", None, "edit", final_text=REPLY)
    journal = fresh.index_dir / "journal.jsonl"
    assert journal.exists() and "tilhengere" in journal.read_text("utf-8")
    assert fresh.remove([rid]) == 1
    for path in fresh.index_dir.iterdir():  # deletion rewrites the index: the text is gone everywhere
        assert b"tilhengere" not in path.read_bytes(), path.name
    assert rid not in SuggesterService(fresh.index_dir, e5).docs


def test_unfinished_last_journal_line_is_ignored(fresh, e5, caplog):
    rid = fresh.record_feedback(QUESTION, "nb", None, "edit", final_text=REPLY)
    with open(fresh.index_dir / "journal.jsonl", "a", encoding="utf-8") as f:
        f.write('{"op": "add", "docs": [')  # a crash in the middle of an append
    svc = SuggesterService(fresh.index_dir, e5)
    assert not svc.needs_rebuild and rid in svc.docs
    assert "unfinished last line" in caplog.text


# A small replayed stream: cases the KB cannot answer, each replied to by a caseworker, then the
# same case again in other words (and one in Swedish). Target: the learned reply is top-1 for
# >= 95 % of repeats; with six repeats that means every one.
STREAM = [
    ("Kan jeg få låne en tilhenger fra kommunen for å kjøre hageavfall?", "nb",
     "Kommunen låner ikke ut tilhengere. Hageavfall leverer du gratis på gjenbruksstasjonen.",
     "går det an å leie kommunens henger til hageavfallet mitt?", "nb"),
    ("Må jeg ha hunden i bånd på stranda i juli?", "nb",
     "Ja, det er båndtvang i hele Testvik fra 1. april til 20. august, også på strendene.",
     "gjelder båndtvangen for hunder på badestranda om sommeren?", "nb"),
    ("Hvor kan jeg kjøpe fiskekort til Testvikvatnet?", "nb",
     "Fiskekort til Testvikvatnet kjøper du hos Testvik jeger- og fiskeforening, 120 kroner døgnet.",
     "hvem selger fiskekort for vannet i Testvik?", "nb"),
    ("Kan vi leie rådhussalen til bryllupsfest?", "nb",
     "Rådhussalen leies ut til private selskap i helgene for 4 000 kroner. Bestill hos servicetorget.",
     "er det mulig å leie salen i rådhuset til et bryllup?", "nb"),
    ("Naboen spiller høy musikk hver natt, hva kan kommunen gjøre?", "nb",
     "Kommunen behandler ikke støy mellom naboer; ved nattlig bråk kan du ringe politiet på 02800.",
     "kan kommunen hjelpe meg med en nabo som bråker om natta?", "nb"),
    ("Får pensjonister rabatt på kulturhusets kinoforestillinger?", "nb",
     "Honnørbillett på kino i kulturhuset koster 90 kroner for alle over 67 år.",
     "finns det pensionärsrabatt på bion i kulturhuset?", "sv"),
]


def test_replayed_stream_repeats_get_their_learned_reply_first(fresh):
    learned = {}
    for question, lang, reply, _, _ in STREAM:
        learned[question] = fresh.record_feedback(question, lang, None, "edit",
                                                  final_text=f"Hei,\n\n{reply}\n\nMed vennlig hilsen\nKari")
    hits = 0
    for question, _, reply, repeat, lang in STREAM:
        top = fresh.suggest(repeat, lang).drafts[0]
        hits += top.source_id == learned[question] and reply in top.text
    assert hits / len(STREAM) >= 0.95, f"{hits}/{len(STREAM)} repeats got their reply first"
    # and a question the KB answers still gets its article, not one of the learned replies
    assert fresh.suggest("pris halv plass sfo", "nb").drafts[0].source_id == "kb-sfo-price"


def test_a_learned_reply_is_matched_on_its_answer_not_on_the_residents_wording(fresh):
    """A long message in Swedish answered with the water-leak article must not pull that reply
    to the top for an unrelated Swedish question that shares the resident's wording."""
    email = ("Hej! Det rinner vatten ur asfalten utanför vårt hus sedan två dagar. Hur länge får man "
             "vänta innan någon kommer? Vi har väntat länge nu och undrar hur man får hjälp snabbast, "
             "och om man får vänta på plats i kön hela veckan. Tack, Anna")
    water = fresh.docs["kb-water-leak"].answer
    rid = fresh.record_feedback(email, "sv", "kb-water-leak", "edit", final_text=water + " Vi skickar någon i dag.")
    res = fresh.suggest("hur länge får man vänta på plats i förskolan?", "sv")
    assert res.drafts[0].source_id == "kb-kindergarten-apply"
    assert all(d.source_id != rid for d in res.drafts[:1])
    # the reply itself is still found for its own case
    assert fresh.suggest("vatten rinner upp ur gatan, vem ringer jag?", "sv").drafts[0].source_id == rid
