"""The dialogue rules (bot/dialogue.py) on the demo municipality's real KB and settings.

The NLU result is given here as the classifier would give it; tests marked ``rasa`` in
test_dialogues_rasa.py run the same conversations through the trained model and the API.
"""

from __future__ import annotations

import json

import pytest

from bot.dialogue import Heard, Knowledge, Memory, days_in, respond
from kb.places import find_street, fold


def heard(intent, text, conf=0.9, lang="nb", ranking=None, entities=None, street=""):
    ranking = ranking or [{"name": intent, "confidence": conf}]
    top = ranking[0]["name"] if intent == "nlu_fallback" else intent
    top_conf = ranking[0]["confidence"] if intent == "nlu_fallback" else conf
    if intent == "nlu_fallback" and ranking[0]["name"] == "nlu_fallback":
        top, top_conf = ranking[1]["name"], ranking[1]["confidence"]
    return Heard(intent=intent, top_intent=top, top_confidence=top_conf, ranking=ranking, lang=lang, text=text,
                 entities=entities or {}, street=street)


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    from sqlalchemy import select

    from tests.conftest import make_app
    from tinget.models import Municipality
    from web.extensions import db

    app = make_app(tmp_path_factory.mktemp("dialogue"))  # read-only use: one app for the module
    with app.app_context():
        yield Knowledge(db.session, db.session.scalars(select(Municipality)).first())
        db.session.remove()
        db.engine.dispose()


def test_visiting_hours_asks_which_nursing_home_then_gives_its_hours(kb):
    first = respond(heard("elder_care_visiting", "Når kan jeg besøke mor på sykehjemmet?"), Memory(), kb)
    ask = first.messages[0]
    assert ask["ask"] == "nursing_home" and not first.pause
    assert [b["title"] for b in ask["buttons"]] == [h["name"] for h in kb.nursing_homes]
    assert "Havbakken omsorgssenter" in ask["text"]  # the names are in the text too, for any client

    # the resident presses a button ...
    payload = ask["buttons"][1]["payload"]
    assert payload.startswith("/elder_care_visiting{")
    assert json.loads(payload[payload.index("{"):]) == {"nursing_home": "havbakken_omsorgssenter"}
    chosen = respond(heard("elder_care_visiting", payload, conf=1.0,
                           entities={"nursing_home": "havbakken_omsorgssenter"}), first.memory, kb)
    text = chosen.messages[0]["text"]
    assert "Havbakken omsorgssenter" in text and "12:00–18:00" in text and "+47 55 50 22 00" in text
    assert chosen.messages[0]["source_url"].startswith("https://")

    # ... and follows up within the topic
    sunday = respond(heard("nlu_fallback", "og på søndager?", ranking=[
        {"name": "nlu_fallback", "confidence": 0.4}, {"name": "library", "confidence": 0.2}]), chosen.memory, kb)
    assert sunday.messages[0]["text"] == "På søndager er besøkstiden på Havbakken omsorgssenter 11:00–19:00. " \
                                         "Telefon til avdelingen: +47 55 50 22 00."


@pytest.mark.parametrize("reply, home", [
    ("Havbakken", "Havbakken omsorgssenter"),
    ("det er lia sykehjem", "Lia bu- og behandlingssenter"),
    ("sjukeheimen i sentrum", "Fjordvik sjukeheim"),
    ("Fjordvik sjukeheim på lørdag", "Fjordvik sjukeheim"),
])
def test_typed_nursing_home_names_are_understood(kb, reply, home):
    asked = Memory(topic="elder_care_visiting", pending="nursing_home")
    out = respond(heard("out_of_scope", reply, conf=0.7), asked, kb)
    assert home in out.messages[0]["text"] and not out.pause


def test_an_unknown_home_gets_every_homes_hours_not_a_guess(kb):
    asked = Memory(topic="elder_care_visiting", pending="nursing_home")
    out = respond(heard("nlu_fallback", "den gule bygningen", ranking=[{"name": "nlu_fallback", "confidence": 0.4},
                                                                       {"name": "library", "confidence": 0.1}]),
                  asked, kb)
    text = out.messages[0]["text"]
    assert all(h["name"] in text for h in kb.nursing_homes)


def test_a_clear_new_topic_overrides_the_pending_question(kb):
    asked = Memory(topic="elder_care_visiting", pending="nursing_home")
    out = respond(heard("library", "når åpner biblioteket?", conf=0.95), asked, kb)
    assert out.messages[0]["intent"] == "library" and out.memory.topic == "library"


def test_a_short_answer_to_the_street_question_is_not_a_personal_case(kb):
    asked = Memory(topic="school_placement", pending="street")
    out = respond(heard("personal_case", "Vi bor i <ADDRESS>", street="Granlia"), asked, kb)
    assert "Lia skule" in out.messages[0]["text"] and not out.pause


def test_personal_case_always_goes_to_a_person_even_mid_dialogue(kb):
    asked = Memory(topic="elder_care_visiting", pending="nursing_home")
    out = respond(heard("personal_case", "mor på Havbakken fikk feil medisin i går", ranking=[
        {"name": "personal_case", "confidence": 0.8}, {"name": "elder_care_visiting", "confidence": 0.1}]), asked, kb)
    assert out.pause and out.messages[0] == {"type": "handoff", "reason": "personal_case",
                                             "department": "health_care"}


@pytest.mark.parametrize("text, street, school", [
    ("Vi bor i <ADDRESS>", "Granlia", "Lia skule"),  # the app passes the street name of the redacted address
    ("storgata", "", "Fjordvik barneskule"),
    ("Maakevegen", "", "Havbakken skule"),  # å typed as aa
])
def test_school_placement_asks_the_street_and_answers_from_the_district_table(kb, text, street, school):
    first = respond(heard("school_placement", "Hvilken skole skal sønnen min gå på?"), Memory(), kb)
    assert first.messages[0]["type"] == "answer" and first.messages[-1]["ask"] == "street"
    out = respond(heard("nlu_fallback", text, ranking=[{"name": "nlu_fallback", "confidence": 0.4},
                                                       {"name": "out_of_scope", "confidence": 0.3}], street=street),
                  first.memory, kb)
    assert school in out.messages[0]["text"] and out.messages[0]["source_url"].startswith("https://")


def test_school_with_the_street_in_the_question_answers_at_once(kb):
    out = respond(heard("school_placement", "hvilken skole hører Bjørkeslettet til?"), Memory(), kb)
    assert "Lia skule" in out.messages[0]["text"] and not out.memory.pending


def test_unknown_address_says_so_and_does_not_guess(kb):
    asked = Memory(topic="school_placement", pending="street")
    out = respond(heard("nlu_fallback", "<ADDRESS>", ranking=[{"name": "nlu_fallback", "confidence": 0.4},
                                                              {"name": "out_of_scope", "confidence": 0.3}]), asked, kb)
    assert "skolekrets" in out.messages[0]["text"] and not out.pause


@pytest.mark.parametrize("lang, words", [("nb", "skrivemåten"), ("nn", "skrivemåten"), ("sv", "stavningen"),
                                         ("da", "stavningen"), ("fi", "kirjoitusasu"), ("en", "spelling")])
def test_unknown_street_as_answer_to_the_street_question_is_not_a_personal_case(kb, lang, words):
    """"Vi bor i Månegata 99" (not in the table) reads like a personal case to the classifier once the
    address is redacted; after "which street?" it answers the question: not found, check the spelling, the
    school page, or a caseworker. The question stays open, so the corrected street is looked up."""
    asked = Memory(topic="school_placement", pending="street")
    out = respond(heard("personal_case", "Vi bor i <ADDRESS>", lang=lang), asked, kb)
    reply = out.messages[0]
    assert not out.pause and reply["type"] == "answer" and reply["intent"] == "school_placement", out
    assert words in reply["text"] and reply["source_url"].startswith("https://"), reply
    assert out.memory.pending == "street"
    corrected = respond(heard("personal_case", "Vi bor i <ADDRESS>", lang=lang, street="Granlia"), out.memory, kb)
    assert "Lia skule" in corrected.messages[0]["text"] and not corrected.pause


def test_unknown_street_in_the_school_question_says_so_instead_of_asking_for_it(kb):
    out = respond(heard("school_placement", "Hvilken skole hører <ADDRESS> til?"), Memory(), kb)
    assert out.messages[0]["type"] == "answer" and out.messages[0]["article_id"]
    assert "skrivemåten" in out.messages[-1]["text"] and not any(m.get("ask") for m in out.messages)
    assert out.memory.pending == "street" and not out.pause


def test_a_long_personal_case_with_an_address_still_goes_to_a_person(kb):
    asked = Memory(topic="school_placement", pending="street")
    out = respond(heard("personal_case", "Vi bor i <ADDRESS> og naboen har bygget en garasje uten å søke"),
                  asked, kb)
    assert out.pause and out.messages[0]["reason"] == "personal_case"


def test_close_topics_get_one_clarifying_question_then_a_person(kb):
    ranking = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "kindergarten_fees", "confidence": 0.38},
               {"name": "after_school_care", "confidence": 0.35}]
    first = respond(heard("nlu_fallback", "hva koster det", ranking=ranking), Memory(), kb)
    msg = first.messages[0]
    assert msg["type"] == "clarify" and [b["payload"] for b in msg["buttons"]] == \
        ["/kindergarten_fees", "/after_school_care"]
    assert "«" in msg["text"] and not first.pause
    picked = respond(heard("after_school_care", "/after_school_care", conf=1.0), first.memory, kb)
    assert picked.messages[0]["intent"] == "after_school_care" and picked.messages[0]["article_id"]
    still_unclear = respond(heard("nlu_fallback", "vet ikke", ranking=ranking), first.memory, kb)
    assert still_unclear.pause and still_unclear.messages[0]["reason"] == "low_confidence"
    assert still_unclear.messages[0]["department"] == "education"


def test_a_vague_message_without_close_topics_goes_to_a_person(kb):
    out = respond(heard("nlu_fallback", "xkcd", ranking=[{"name": "nlu_fallback", "confidence": 0.4},
                                                         {"name": "library", "confidence": 0.2},
                                                         {"name": "out_of_scope", "confidence": 0.15}]), Memory(), kb)
    assert out.pause and out.messages[0]["type"] == "handoff"


def test_follow_up_on_another_topic_repeats_that_topic(kb):
    out = respond(heard("out_of_scope", "og på lørdager?", conf=0.5), Memory(topic="library"), kb)
    assert out.messages[0]["intent"] == "library" and out.messages[0]["type"] == "answer"


def test_a_long_unrelated_message_is_not_a_follow_up(kb):
    out = respond(heard("out_of_scope", "hva blir været på søndag i Bergen og resten av Vestlandet neste uke da",
                        conf=0.9), Memory(topic="library"), kb)
    assert out.pause and out.messages[0]["reason"] == "out_of_scope"


@pytest.mark.parametrize("lang, text", [("nb", "søndag"), ("nn", "sundag"), ("sv", "söndag"), ("da", "søndag"),
                                        ("fi", "sunnuntaina"), ("en", "Sunday"), ("nb", "sondag")])
def test_day_words_in_six_languages(lang, text):
    assert days_in(f"og {text}?") == ["sunday"]


def test_weekend_means_both_days():
    assert days_in("what about the weekend") == ["saturday", "sunday"]


def test_the_finnish_monday_is_a_weekday():  # folded "maanantai" is "manantai" (kb.places.fold: aa -> a)
    assert days_in("entä maanantaina?") == ["weekdays"]


@pytest.mark.parametrize("typed", ["Bjørkeslettet 4", "bjorkeslettet", "BJOERKESLETTET", "Bjørkeslettet"])
def test_streets_match_how_residents_type_them(typed):
    districts = [{"school": "X", "streets": ["Bjørkeslettet", "Lia"]}]
    assert find_street(f"vi bor i {typed}", districts) == "Bjørkeslettet"
    assert fold("Måkevegen") == fold("Maakevegen")


# A handed-over message that names its service goes to that service's queue, as a mail does (mail.vocabulary).
# The model's ranking below is what it gave for such messages: a personal case or fallback whose next topic
# is some other department's, or none at all.
NAMED_SERVICE = [
    ("personal_case", "Home care for my mother", [{"name": "personal_case", "confidence": 0.35},
                                                  {"name": "contact_opening_hours", "confidence": 0.2}], "en"),
    ("nlu_fallback", "hjemmesykepleien kom ikke i dag", [{"name": "nlu_fallback", "confidence": 0.4},
                                                         {"name": "personal_case", "confidence": 0.3}], "nb"),
    ("out_of_scope", "mamma har hemtjänst men ingen har kommit", [{"name": "out_of_scope", "confidence": 0.5}], "sv"),
    ("personal_case", "kotihoito ei ole käynyt isäni luona", [{"name": "personal_case", "confidence": 0.6},
                                                             {"name": "invoice_payment", "confidence": 0.2}], "fi"),
]


@pytest.mark.parametrize("intent, text, ranking, lang", NAMED_SERVICE, ids=[t for _i, t, _r, _l in NAMED_SERVICE])
def test_a_handed_over_message_that_names_its_service_goes_to_that_department(kb, intent, text, ranking, lang):
    out = respond(heard(intent, text, ranking=ranking, lang=lang), Memory(), kb)
    assert out.pause and out.messages[0]["type"] == "handoff"
    assert out.messages[0]["department"] == "health_care"


def test_a_topic_the_model_guessed_keeps_its_department_and_no_named_service_changes_nothing(kb):
    # low confidence on a topic: that topic's queue, even if another service is named in passing
    out = respond(heard("nlu_fallback", "faktura for hjemmehjelp", ranking=[
        {"name": "nlu_fallback", "confidence": 0.4}, {"name": "invoice_payment", "confidence": 0.35}]), Memory(), kb)
    assert out.messages[0]["department"] == "finance"
    # a personal case that names no service: the best topic in the ranking, as before
    out = respond(heard("personal_case", "mor på Havbakken fikk feil medisin i går", ranking=[
        {"name": "personal_case", "confidence": 0.8}, {"name": "elder_care_visiting", "confidence": 0.1}]), Memory(), kb)
    assert out.messages[0]["department"] == "health_care"
    out = respond(heard("out_of_scope", "hva mener ordføreren om bompenger?", ranking=[
        {"name": "out_of_scope", "confidence": 0.9}]), Memory(), kb)
    assert out.messages[0]["department"] == "service_desk"


# Written after the rule (bot.dialogue.CASE_REFERENCE), not used to choose it: the classifier's topic
# as it might come, and the department the case should reach.
@pytest.mark.parametrize("intent, text, lang, department", [
    ("building_permit", "Hei! Når blir byggesak 2022/1534 behandlet?", "nb", "planning"),
    ("property_tax", "eg har eit spørsmål om eigedomsskatten, saknr 19/2231", "nn", "finance"),
    ("kindergarten_apply", "Har ni fått min förskoleansökan? Ärendenummer: KS-2024-117", "sv", "education"),
    ("municipal_housing", "Jeg venter på svar i sag 24-08812 om en lejebolig", "da", "welfare"),
    ("home_care_services", "kotihoitohakemus, asianumero 4471/2024, milloin päätös?", "fi", "health_care"),
    ("parking_permit", "I applied for resident parking, reference no. 88213 - any news?", "en", "technical"),
])
def test_a_message_citing_a_case_number_goes_to_a_caseworker_not_the_article(kb, intent, text, lang, department):
    out = respond(heard(intent, text, conf=0.85, lang=lang), Memory(), kb)
    assert out.pause
    assert out.messages[0] == {"type": "handoff", "reason": "personal_case", "department": department}


@pytest.mark.parametrize("intent, text", [
    ("library", "Er biblioteket åpent 17. mai?"),
    ("waste_collection", "når hentes søpla i Kirkeveien 14"),
    ("swimming_sports", "hva koster 10 bad i svømmehallen"),
    ("job_vacancies", "har dere jobber for 16 åringer i sommer"),
    ("building_permit", "må jeg søke om en sak på 20 m2"),
])
def test_numbers_that_are_no_case_number_keep_the_answer(kb, intent, text):
    out = respond(heard(intent, text), Memory(), kb)
    assert not out.pause and out.messages[0]["type"] == "answer"


# Written after the rule (bot.dialogue._ADD_ON), not used to choose it: add-on questions the classifier
# cannot place on their own, right after an answer.
FALLBACK = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "kindergarten_fees", "confidence": 0.25},
            {"name": "elder_care_apply", "confidence": 0.2}]


@pytest.mark.parametrize("topic, intent, text, lang", [
    ("swimming_sports", "nlu_fallback", "og for pensjonister?", "nb"),
    ("recycling_station", "out_of_scope", "and what does it cost?", "en"),
    ("after_school_care", "nlu_fallback", "och för syskon?", "sv"),
    ("library", "nlu_fallback", "entä lapset?", "fi"),
    ("library", "nlu_fallback", "ja lapsille?", "fi"),
    ("property_tax", "nlu_fallback", "og for sommerhuse?", "da"),
    ("parking_permit", "nlu_fallback", "kva med gjester?", "nn"),
])
def test_an_add_on_question_stays_with_the_answer_just_given(kb, topic, intent, text, lang):
    ranking = FALLBACK if intent == "nlu_fallback" else None
    out = respond(heard(intent, text, conf=0.5, lang=lang, ranking=ranking), Memory(topic=topic), kb)
    assert not out.pause
    assert out.messages[0]["type"] == "answer" and out.messages[0]["intent"] == topic
    assert out.memory.topic == topic


@pytest.mark.parametrize("intent, text, conf", [
    ("nlu_fallback", "ja", 0.4),                     # yes, not "and"
    ("nlu_fallback", "og?", 0.4),
    ("nlu_fallback", "men det har jeg prøvd", 0.4),  # but: a reply, not an add-on question
    ("kindergarten_apply", "og hvordan søker jeg barnehageplass?", 0.9),  # a new topic, surely
])
def test_replies_and_sure_new_topics_are_no_add_on(kb, intent, text, conf):
    ranking = FALLBACK if intent == "nlu_fallback" else None
    out = respond(heard(intent, text, conf=conf, ranking=ranking), Memory(topic="swimming_sports"), kb)
    assert not (out.messages[0]["type"] == "answer" and out.messages[0].get("intent") == "swimming_sports")


@pytest.mark.parametrize("topic, text, lang, hours, word", [
    ("swimming_sports", "og på søndag?", "nb", "10:00–17:00", "søndager"),  # swimming_pool_weekend
    ("swimming_sports", "og om lørdagen?", "da", "10:00–17:00", "lørdagen"),
    ("library", "og på lørdag?", "nb", "10:00–15:00", "lørdager"),
    ("library", "entä lauantaina?", "fi", "10:00–15:00", "Lauantaisin"),
    ("recycling_station", "and on Saturdays?", "en", "09:00–14:00", "Saturdays"),
    ("library", "hva med mandag?", "nb", "10:00–19:00", "hverdager"),
])
def test_a_day_follow_up_gets_that_days_opening_hours(kb, topic, text, lang, hours, word):
    out = respond(heard("out_of_scope", text, conf=0.5, lang=lang), Memory(topic=topic), kb)
    msg = out.messages[0]
    assert msg["type"] == "answer" and msg["intent"] == topic and msg["source_url"], msg
    assert hours in msg["text"] and word in msg["text"], msg["text"]
    assert len(msg["text"]) < 80  # that day, not the article
    assert out.memory.topic == topic


def test_a_day_without_hours_in_the_settings_gets_the_article_not_a_guess(kb):
    """The library keeps no Sunday hours (only the staffless opening every day, in the article): the
    article answers, the bot does not say it is closed."""
    out = respond(heard("out_of_scope", "og på søndag?", conf=0.5), Memory(topic="library"), kb)
    msg = out.messages[0]
    assert msg["type"] == "answer" and msg["intent"] == "library" and "07:00–22:00" in msg["text"]


def test_a_price_question_without_a_service_stays_with_the_topic(kb):
    sure_elsewhere = heard("kindergarten_fees", "hva koster det for barn?", conf=0.95)
    out = respond(sure_elsewhere, Memory(topic="swimming_sports"), kb)
    assert out.messages[0]["intent"] == "swimming_sports"
    named = heard("kindergarten_fees", "hva koster barnehage?", conf=0.95)
    assert respond(named, Memory(topic="swimming_sports"), kb).messages[0]["intent"] == "kindergarten_fees"


@pytest.mark.parametrize("topic, text, lang, line", [
    ("swimming_sports", "Når er svømmehallen åpen på søndag?", "nb", "På søndager er åpningstiden 10:00–17:00."),
    ("library", "Har biblioteket åpent på lørdag?", "nb", "På lørdager er åpningstiden 10:00–15:00."),
    ("library", "Kva tid er biblioteket ope på laurdag?", "nn", "På laurdagar er opningstida 10:00–15:00."),
    ("swimming_sports", "Har simhallen öppet i helgen?", "sv",
     "På lördagar är öppettiden 10:00–17:00. På söndagar är öppettiden 10:00–17:00."),
    ("recycling_station", "Har genbrugsstationen åbent om lørdagen?", "da", "Om lørdagen er åbningstiden 09:00–14:00."),
    ("library", "Onko kirjasto auki maanantaina?", "fi", "Arkisin aukioloaika on 10:00–19:00."),
    ("recycling_station", "Is the recycling station open on Saturday?", "en",
     "On Saturdays, the opening hours are 09:00–14:00."),
    # the service desk (settings "service_desk_hours", the article's Monday-Friday): it had the article only
    ("contact_opening_hours", "När har kommunens kundtjänst öppet på fredag?", "sv", "På vardagar är öppettiden 08:00–15:30."),
    ("contact_opening_hours", "Har borgerservice åbent om onsdagen?", "da", "På hverdage er åbningstiden 08:00–15:30."),
])
def test_a_question_that_names_a_day_gets_that_days_hours_then_the_article(kb, topic, text, lang, line):
    out = respond(heard(topic, text, lang=lang), Memory(), kb)
    day, article = out.messages
    assert day["type"] == "answer" and day["intent"] == topic and day["text"] == line, day
    assert article["type"] == "answer" and article["intent"] == topic and article["source_url"], article
    assert article == respond(heard(topic, "?", lang=lang), Memory(), kb).messages[0]  # the article as always
    assert out.memory.topic == topic and not out.pause


@pytest.mark.parametrize("topic, text", [
    ("library", "Har biblioteket åpent på søndag?"),  # no Sunday hours in the settings: the article only
    ("kindergarten_fees", "Hva koster barnehagen på lørdag?"),  # no hours per day
    ("library", "Når er biblioteket åpent?"),  # no day
    ("contact_opening_hours", "Onko asiakaspalvelu auki lauantaina?"),  # no Saturday hours: not said to be closed
])
def test_a_question_without_a_day_with_hours_gets_the_article_only(kb, topic, text):
    out = respond(heard(topic, text), Memory(), kb)
    assert len(out.messages) == 1 and out.messages[0]["intent"] == topic and out.messages[0]["source_url"]


def test_today_and_tomorrow_are_read_on_the_municipalitys_date(kb, monkeypatch):
    import datetime as dt

    monkeypatch.setattr(Knowledge, "today", lambda self: dt.date(2026, 12, 11))  # a Friday
    out = respond(heard("library", "Er biblioteket åpent i morgen?"), Memory(), kb)
    assert out.messages[0]["text"] == "På lørdager er åpningstiden 10:00–15:00."
    follow = respond(heard("out_of_scope", "og i dag?", conf=0.5), out.memory, kb)
    assert follow.messages[0]["text"] == "På hverdager er åpningstiden 10:00–19:00."


@pytest.mark.parametrize("intent, text, lang", [
    ("kindergarten_fees", "is it free for children?", "en"),  # named no aspect: the model's topic was taken
    ("home_care_services", "og for pensjonister?", "nb"),  # matched the glossary's pension: a new topic
    ("elder_care_apply", "och för pensionärer?", "sv"),
])
def test_an_aspect_without_a_service_stays_with_the_topic_however_sure_the_model_is(kb, intent, text, lang):
    out = respond(heard(intent, text, conf=0.95, lang=lang), Memory(topic="swimming_sports"), kb)
    assert out.messages[0]["intent"] == "swimming_sports" and not out.pause, out.messages


# Written after the rule (bot.dialogue.PERSON_REQUEST), not used to choose it: an explicit request for a
# person, with the topic the classifier might read in it. A caseworker gets it; no article is the answer.
@pytest.mark.parametrize("intent, text, lang", [
    ("contact_opening_hours", "Kan en saksbehandler ringe meg i morgen?", "nb"),
    ("invoice_payment", "Fakturaen er feil. Jeg vil snakke med en person.", "nb"),
    ("property_tax", "Skatten min er feil, noen må rette opp i dette", "nb"),
    ("building_permit", "Kan de ringje meg om teikningane?", "nn"),
    ("kindergarten_fees", "Eg vil prata med ein sakshandsamar om dette", "nn"),
    ("waste_collection", "Soptunnan har inte tömts på tre veckor, kan ni ringa upp mig?", "sv"),
    ("municipal_housing", "Jag vill tala med en människa, inte en robot", "sv"),
    ("invoice_payment", "Vem kan hjälpa mig med detta?", "sv"),
    ("parking_permit", "Kan en medarbejder ringe til mig?", "da"),
    ("school_change", "Jeg vil tale med en sagsbehandler om min datters skoleskift", "da"),
    ("contact_opening_hours", "Voisiko joku soittaa minulle huomenna?", "fi"),
    ("water_sewage_fees", "Vesilaskussa on virhe, haluan puhua virkailijan kanssa", "fi"),
    ("library", "Kuka voi auttaa minua?", "fi"),
    ("invoice_payment", "This invoice is wrong and someone needs to fix it", "en"),
    ("contact_opening_hours", "Could somebody phone me this afternoon?", "en"),
    ("snow_clearing", "I'd like to speak to a caseworker please", "en"),
])
def test_an_explicit_request_for_a_person_goes_to_a_caseworker_whatever_the_topic(kb, intent, text, lang):
    out = respond(heard(intent, text, conf=0.85, lang=lang), Memory(), kb)
    assert out.pause, out.messages
    assert out.messages[0]["type"] == "handoff" and out.messages[0]["reason"] == "human_handoff"


# The department of such a request: the topic's where the message names a matter, else the service desk (the
# model's topic in a bare "kan ni ringa upp mig?" was waste collection, 0.92, with the Dec 2026 model).
@pytest.mark.parametrize("intent, text, lang, department", [
    ("waste_collection", "kan noen ringe meg?", "nb", "service_desk"),
    ("contact_opening_hours", "Kan en saksbehandler ringe meg i morgen?", "nb", "service_desk"),
    ("library", "Kan nokon ringje meg?", "nn", "service_desk"),
    ("waste_collection", "kan ni ringa upp mig?", "sv", "service_desk"),
    ("parking_permit", "Kan en medarbejder ringe til mig?", "da", "service_desk"),
    ("library", "Kuka voi auttaa minua?", "fi", "service_desk"),
    ("snow_clearing", "I'd like to speak to a caseworker please", "en", "service_desk"),
    ("waste_collection", "Kan noen ringe meg om søppeltømmingen?", "nb", "technical"),
    ("building_permit", "Kan någon ringa mig om bygglovet?", "sv", "planning"),
    ("school_change", "Jeg vil tale med en sagsbehandler om min datters skoleskift", "da", "education"),
    ("water_sewage_fees", "Vesilaskussa on virhe, haluan puhua virkailijan kanssa", "fi", "finance"),
    ("library", "Could somebody from the library phone me?", "en", "culture"),
    ("invoice_payment", "This invoice is wrong and someone needs to fix it", "en", "finance"),
])
def test_a_request_for_a_person_goes_to_the_topics_department_only_when_it_names_a_matter(kb, intent, text, lang,
                                                                                            department):
    out = respond(heard(intent, text, conf=0.92, lang=lang), Memory(), kb)
    assert out.messages[0] == {"type": "handoff", "reason": "human_handoff", "department": department}


# The other side of the boundary: asking for a number, or who to call about a named topic, is a topic question
# the article answers (the number is in it).
@pytest.mark.parametrize("intent, text, lang", [
    ("waste_collection", "Hvem ringer jeg om søppeltømmingen?", "nb"),
    ("library", "Hva er telefonnummeret til biblioteket?", "nb"),
    ("snow_clearing", "Kven kan eg ringje om brøytinga?", "nn"),
    ("contact_opening_hours", "Kva tid kan eg ringje servicetorget?", "nn"),
    ("waste_collection", "Vem kan jag ringa om sophämtningen?", "sv"),
    ("library", "Vilket telefonnummer har biblioteket?", "sv"),
    ("recycling_station", "Hvem skal jeg ringe til om genbrugspladsen?", "da"),
    ("library", "Hvad er bibliotekets telefonnummer?", "da"),
    ("waste_collection", "Kenelle voin soittaa jätehuollosta?", "fi"),
    ("library", "Mikä on kirjaston puhelinnumero?", "fi"),
    ("waste_collection", "Who can I call about waste collection?", "en"),
    ("library", "What is the phone number of the library?", "en"),
    ("snow_clearing", "Who can help me with snow clearing on my street?", "en"),
])
def test_asking_whom_to_call_about_a_topic_keeps_the_answer(kb, intent, text, lang):
    out = respond(heard(intent, text, conf=0.85, lang=lang), Memory(), kb)
    assert not out.pause and out.messages[0]["type"] == "answer", out.messages


# A report of bullying (mail.vocabulary.REPORTED_MATTERS) is no question the KB answers: the school's
# caseworkers get it, whatever topic the classifier reads (the Danish one: school_change 0.45, the article on
# changing schools).
@pytest.mark.parametrize("intent, text, lang", [
    ("school_change", "Datteren min blir mobbet og skolen gjør ingenting", "nb"),
    ("after_school_care", "Sonen vår vert mobba på SFO, kven tek tak i det?", "nn"),
    ("school_placement", "Mitt barn blir mobbat varje dag, vad gör kommunen?", "sv"),
    ("nlu_fallback", "Vores dreng bliver mobbet i frikvarteret, hvem tager sig af det?", "da"),
    ("library", "Tytärtäni kiusataan koulumatkalla, mitä voitte tehdä?", "fi"),
    ("out_of_scope", "My son is being bullied in his class and nobody acts", "en"),
])
def test_a_report_of_bullying_goes_to_the_schools_caseworkers(kb, intent, text, lang):
    ranking = FALLBACK if intent == "nlu_fallback" else None
    out = respond(heard(intent, text, conf=0.6, lang=lang, ranking=ranking), Memory(), kb)
    assert out.pause
    assert out.messages[0] == {"type": "handoff", "reason": "personal_case", "department": "education"}


# An unsure handoff goes to the department of the service the message names when the model's guess is no topic.
@pytest.mark.parametrize("text, lang, ranking", [
    ("Rektoren svarer aldri på e-postene mine", "nb",
     [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "personal_case", "confidence": 0.3}]),
    ("The head teacher never answers my emails", "en",
     [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "out_of_scope", "confidence": 0.3}]),
])
def test_an_unsure_handoff_goes_to_the_department_the_message_names(kb, text, lang, ranking):
    out = respond(heard("nlu_fallback", text, lang=lang, ranking=ranking), Memory(pending="clarify"), kb)
    assert out.messages[0] == {"type": "handoff", "reason": "low_confidence", "department": "education"}


# A bare acknowledgement or a question about the conversation itself (bot.smalltalk) after an answer: the model
# read "ok" as out_of_scope (0.72) and "ja" as an unsure greeting, and both opened a case ("a caseworker will
# answer you") and paused the bot; "kan jeg skrive på engelsk" and "do you speak english" were out_of_scope.
@pytest.mark.parametrize("intent, text, lang, words", [
    ("out_of_scope", "ok", "nb", "Greit! Skriv gjerne"),
    ("nlu_fallback", "ja", "nb", "Greit! Skriv gjerne"),
    ("personal_case", "nei", "nb", "Ha det bra!"),
    ("out_of_scope", "greitt", "nn", "Greitt! Skriv gjerne"),
    ("out_of_scope", "got it", "en", "All right!"),
    ("out_of_scope", "kan jeg skrive på engelsk", "nb", "bokmål, nynorsk, svensk, dansk, finsk og engelsk"),
    ("out_of_scope", "kan eg skrive nynorsk til deg?", "nn", "Eg svarar på bokmål, nynorsk"),
    ("human_handoff", "Can you help me? I don't speak norwegian", "en", "I answer in Norwegian (bokmål and nynorsk)"),
    ("social_assistance", "hva kan du hjelpe med", "nb", "barnehage og SFO"),
    ("out_of_scope", "what can i ask you", "en", "Fjordvik"),
    ("human_handoff", "kan du hjelpe meg?", "nb", "Skriv spørsmålet med dine egne ord"),  # was a case
    ("social_assistance", "i need help", "en", "Write your question in your own words"),  # was the NAV article
])
def test_smalltalk_gets_its_text_opens_no_case_and_keeps_the_topic(kb, intent, text, lang, words):
    ranking = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "greet", "confidence": 0.37}] \
        if intent == "nlu_fallback" else None
    out = respond(heard(intent, text, conf=0.72, lang=lang, ranking=ranking), Memory(topic="library"), kb)
    msg = out.messages[0]
    assert not out.pause and msg["type"] == "chitchat" and words in msg["text"], out.messages
    assert out.memory.topic == "library"
    # the topic is kept: a follow-up still answers from it
    follow = respond(heard("out_of_scope", "og på lørdag?", conf=0.5, lang=lang), out.memory, kb)
    assert follow.messages[0]["intent"] == "library"


def test_an_acknowledgement_leaves_the_bots_open_question_to_decide(kb):
    """With "did you mean A or B?" open, a bare "ja" answers neither: one clarifying question only, then a person."""
    asked = Memory(pending="clarify", options=["kindergarten_fees", "library"])
    out = respond(heard("thanks", "ja", conf=0.96), asked, kb)
    assert out.pause and out.messages[0]["department"] == "education"


# A request for a person right after an answer is about that answer's topic: "can someone come back for it"
# after the waste collection answer (human_handoff 0.81) went to the service desk.
@pytest.mark.parametrize("topic, intent, text, lang, department", [
    ("waste_collection", "human_handoff", "can someone come back for it", "en", "technical"),
    ("kindergarten_apply", "human_handoff", "kan jeg snakke med noen om dette?", "nb", "education"),
    ("home_care_services", "human_handoff", "eg vil snakke med eit menneske", "nn", "health_care"),
    # a bare request names no matter: the model's topic in it is a guess at nothing; the topic just answered wins
    ("library", "contact_opening_hours", "kan noen ringe meg?", "nb", "culture"),
    ("library", "human_handoff", "kan jeg snakke med noen om hjemmesykepleie?", "nb", "health_care"),  # named
    ("", "human_handoff", "jeg vil snakke med et menneske", "nb", "service_desk"),  # no topic: the service desk
    ("home_care_services", "social_assistance", "kven kan hjelpe meg", "nn", "health_care"),  # unsure: 0.49 below
])
def test_a_request_for_a_person_after_an_answer_goes_to_that_topics_department(kb, topic, intent, text, lang,
                                                                              department):
    conf = 0.49 if intent == "social_assistance" else 0.8
    out = respond(heard(intent, text, conf=conf, lang=lang), Memory(topic=topic), kb)
    assert out.pause and out.messages[0]["department"] == department, out.messages


# Answers to "which street?" as residents type them: the bokmål, definite form of the table's nynorsk name, or a
# street the table does not know (exploratory conversations: "storgaten" went to technical as a road fault,
# "liaveien" got "did you mean road faults or snow clearing?", "Bakkevegen" went to the service desk).
@pytest.mark.parametrize("intent, text, lang, school", [
    ("road_fault_report", "storgaten", "nb", "Fjordvik barneskule"),
    ("nlu_fallback", "liaveien", "nb", "Lia skule"),
    ("out_of_scope", "me bur i Kirkeveien", "nn", "Fjordvik barneskule"),
    ("nlu_fallback", "Bakkevegen", "nb", "Jeg fant ikke den gaten"),
    ("road_fault_report", "vi bor i Elvegata", "nb", "Jeg fant ikke den gaten"),
])
def test_a_typed_street_answers_the_street_question(kb, intent, text, lang, school):
    asked = Memory(topic="school_placement", pending="street")
    ranking = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "greet", "confidence": 0.17}] \
        if intent == "nlu_fallback" else None
    out = respond(heard(intent, text, conf=0.39, lang=lang, ranking=ranking), asked, kb)
    assert not out.pause and out.messages[0]["intent"] == "school_placement", out.messages
    assert school in out.messages[0]["text"] and out.messages[0]["source_url"]


# A follow-up that names only a day, as typed on a phone or in dialect ("i morra?" after the library answer was
# read as a greeting, 0.64, and got "Hei! ... Hva kan jeg hjelpe deg med?").
@pytest.mark.parametrize("intent, conf, text, lang, line", [
    ("greet", 0.64, "i morra?", "nb", "På lørdager er åpningstiden 10:00–15:00."),
    ("greet", 0.7, "imorn", "nb", "På lørdager er åpningstiden 10:00–15:00."),
    ("out_of_scope", 0.8, "og i mårå då?", "nn", "På laurdagar er opningstida 10:00–15:00."),
    ("goodbye", 0.7, "what about tomorrow?", "en", "On Saturdays, the opening hours are 10:00–15:00."),
    ("greet", 0.7, "i kveld?", "nb", "På hverdager er åpningstiden 10:00–19:00."),
])
def test_a_day_alone_after_an_hours_answer_gets_that_days_hours(kb, monkeypatch, intent, conf, text, lang, line):
    import datetime as dt

    monkeypatch.setattr(Knowledge, "today", lambda self: dt.date(2026, 12, 11))  # a Friday
    out = respond(heard(intent, text, conf=conf, lang=lang), Memory(topic="library"), kb)
    msg = out.messages[0]
    assert msg["intent"] == "library" and msg["text"] == line and msg["source_url"], out.messages


# An aspect the topic just answered does not cover goes to the close topic that does (bot.dialogue.ASPECT_SIBLINGS):
# "kva kostar det" after how to apply for kindergarten got the application article again (no price in it).
@pytest.mark.parametrize("topic, intent, text, lang, answered, words", [
    ("kindergarten_apply", "kindergarten_apply", "kva kostar det", "nn", "kindergarten_fees", "kr"),
    ("kindergarten_apply", "kindergarten_fees", "hva koster det?", "nb", "kindergarten_fees", "kr"),
    ("kindergarten_apply", "kindergarten_apply", "and is there a discount?", "en", "kindergarten_fees", "kr"),
    ("elder_care_visiting", "elder_care_visiting", "hva koster det?", "nb", "elder_care_apply", "Korttidsopphold"),
    ("elder_care_visiting", "elder_care_apply", "og korleis søkjer ein?", "nn", "elder_care_apply", "søk"),
    ("kindergarten_fees", "kindergarten_fees", "og rabatt?", "nb", "kindergarten_fees", "kr"),  # its own aspect
    ("swimming_sports", "kindergarten_fees", "hva koster det?", "nb", "swimming_sports", "kr"),  # no sibling
    ("property_tax", "property_tax", "kan eg betale i avdrag", "nn", "invoice_payment", "avdrag"),  # property_tax 0.96
    ("kindergarten_fees", "kindergarten_fees", "can I pay in instalments?", "en", "invoice_payment", "Instalment plan"),
])
def test_an_aspect_the_topic_does_not_cover_goes_to_its_sibling(kb, topic, intent, text, lang, answered, words):
    out = respond(heard(intent, text, conf=0.32, lang=lang), Memory(topic=topic), kb)
    msg = out.messages[0]
    assert msg["intent"] == answered and words in msg["text"] and msg["source_url"], out.messages
    assert out.memory.topic == answered


@pytest.mark.parametrize("intent, text, lang, department", [
    ("snow_clearing", "jeg ble overkjørt av brøytebilen sin plog og bilen min er ødelagt hvem betaler", "nb",
     "technical"),  # snow_clearing 0.86 in the exploratory conversation: the ploughing order article
    ("waste_collection", "søppelbilen knuste postkassa vår i dag", "nb", "technical"),
    ("snow_clearing", "the snowplough damaged our fence, who do I send the bill to?", "en", "technical"),
])
def test_a_claim_for_damage_goes_to_the_topics_caseworkers(kb, intent, text, lang, department):
    out = respond(heard(intent, text, conf=0.86, lang=lang), Memory(), kb)
    assert out.pause and out.messages[0]["reason"] == "personal_case" and out.messages[0]["department"] == department


def test_ok_to_the_street_question_keeps_it_open(kb):
    """"ok" after "which street?" is no street (the question was optional): the short reply, and the street typed
    next still answers the question."""
    asked = Memory(topic="school_placement", pending="street")
    ok = respond(heard("out_of_scope", "ok", conf=0.72), asked, kb)
    assert ok.messages[0]["type"] == "chitchat" and ok.memory.pending == "street"
    street = respond(heard("nlu_fallback", "liaveien", ranking=[{"name": "nlu_fallback", "confidence": 0.4},
                                                                {"name": "road_fault_report", "confidence": 0.39}]),
                     ok.memory, kb)
    assert "Lia skule" in street.messages[0]["text"]


@pytest.mark.parametrize("text, ranking, answered", [
    # "ka kosta barnehage" (dialect) with the trained model: the application first, the fees close behind
    ("ka kosta barnehage", [("kindergarten_apply", 0.56), ("kindergarten_fees", 0.37)], "kindergarten_fees"),
    ("kan eg betale eigedomsskatten i avdrag?", [("property_tax", 0.7), ("invoice_payment", 0.25)], "invoice_payment"),
    # the sibling without weight, or a question that is not only about the sibling's aspects: as the model says
    ("ka kosta barnehage", [("kindergarten_apply", 0.9), ("kindergarten_fees", 0.05)], "kindergarten_apply"),
    ("når er fristen og hva koster det", [("kindergarten_apply", 0.56), ("kindergarten_fees", 0.37)],
     "kindergarten_apply"),
])
def test_a_question_about_an_aspect_only_the_close_sibling_answers_gets_the_sibling(kb, text, ranking, answered):
    ranked = [{"name": n, "confidence": c} for n, c in ranking]
    out = respond(heard(ranking[0][0], text, conf=ranking[0][1], lang="nn", ranking=ranked), Memory(), kb)
    assert out.messages[0]["intent"] == answered and not out.pause, out.messages


def test_thanks_after_did_you_mean_is_no_unclear_second_message(kb):
    """"takk" after "Mente du «Beboerparkering» eller «Kontakt kommunen»?" went to a caseworker (low_confidence)."""
    asked = Memory(pending="clarify", options=["parking_permit", "contact_opening_hours"])
    out = respond(heard("thanks", "takk", conf=0.99), asked, kb)
    assert not out.pause and out.messages[0]["text"].startswith("Bare hyggelig!"), out.messages


@pytest.mark.parametrize("memory, text, ranking, department", [
    # after the school answer (its street question open): building_permit 0.28 sent it to planning
    (Memory(topic="school_placement", pending="street"), "do they need to bring anything",
     [("nlu_fallback", 0.45), ("building_permit", 0.28), ("school_placement", 0.2)], "education"),
    # a service named in the message still decides; a long new message keeps the model's guess
    (Memory(topic="library"), "og hjemmesykepleie da?", [("nlu_fallback", 0.45), ("home_care_services", 0.3)],
     "health_care"),  # was the library article (an add-on to the answer)
    (Memory(topic="library"), "min far er 91 og bor alene og vi er veldig bekymret for ham",
     [("nlu_fallback", 0.45), ("home_care_services", 0.3)], "health_care"),
])
def test_a_short_unclear_message_after_an_answer_goes_to_that_topics_department(kb, memory, text, ranking, department):
    ranked = [{"name": n, "confidence": c} for n, c in ranking]
    out = respond(heard("nlu_fallback", text, lang="en", ranking=ranked), memory, kb)
    assert out.pause and out.messages[0]["department"] == department, out.messages

@pytest.mark.parametrize("text, lang, start", [
    ("Är biblioteket gratis?", "sv", "**Lånekortet är gratis.**"),
    ("Koster det noget at få et lånerkort?", "da", "**Lånerkortet er gratis.**"),
    ("Onko kirjastokortti maksuton?", "fi", "**Kirjastokortti on maksuton.**"),
    ("Paljonko kirjastokortti maksaa?", "fi", "**Kirjastokortti on maksuton.**"),  # "maksaa" with "how much"
    ("Is the library card free of charge?", "en", "**The library card is free.**"),
])
def test_a_price_question_gets_the_articles_price_paragraph_first(kb, text, lang, start):
    """The library article opens with its hours; the price of the card is its fourth paragraph."""
    out = respond(heard("library", text, lang=lang), Memory(), kb)
    lead, article = out.messages
    assert lead["text"].startswith(start) and "10:00" not in lead["text"], lead
    assert article == respond(heard("library", "?", lang=lang), Memory(), kb).messages[0]  # then the article
    assert out.memory.topic == "library"


@pytest.mark.parametrize("topic, text", [
    ("kindergarten_fees", "Hva koster barnehagen?"),  # the article is about the price as a whole (its title)
    ("swimming_sports", "Hva koster det å bade?"),  # the article opens with its prices
    ("library", "Når er biblioteket åpent?"),  # no price asked
])
def test_no_price_paragraph_first_where_the_article_answers_it_at_once(kb, topic, text):
    out = respond(heard(topic, text), Memory(), kb)
    assert len(out.messages) == 1 and out.messages[0]["source_url"]


@pytest.mark.parametrize("text, lang, start", [
    ("er det gratis?", "da", "**Lånerkortet er gratis.**"),  # it repeated the whole article
    ("onko se ilmainen?", "fi", "**Kirjastokortti on maksuton.**"),
    ("och kostar lånekortet något?", "sv", "**Lånekortet är gratis.**"),
])
def test_a_price_follow_up_gets_the_price_paragraph_alone(kb, text, lang, start):
    out = respond(heard("kindergarten_fees", text, conf=0.5, lang=lang), Memory(topic="library"), kb)
    [msg] = out.messages
    assert msg["intent"] == "library" and msg["text"].startswith(start) and msg["source_url"], msg
    assert out.memory.topic == "library"


# sv, da, fi acknowledgements (bot.smalltalk), as the bokmål, nynorsk and English ones above
@pytest.mark.parametrize("text, lang, reply", [
    ("ok", "sv", "Okej! Skriv gärna om det är något mer du undrar över."),  # out_of_scope 0.72: it opened a case
    ("selvä", "fi", "Selvä! Kirjoita, jos haluat kysyä vielä jotain."),
    ("fint", "da", "Fint! Skriv endelig, hvis der er mere, du gerne vil vide."),  # a low-confidence handover to the desk
    ("Greit!", "nb", "Greit! Skriv gjerne hvis det er noe mer du lurer på."),
    ("jaha, ok", "nn", "Greitt! Skriv gjerne om det er noko meir du lurer på."),
    ("got it 👍", "en", "All right! Just write if there is anything else you would like to know."),
])
def test_a_bare_acknowledgement_is_acknowledged_not_handed_over(kb, text, lang, reply):
    memory = Memory(topic="library")
    out = respond(heard("out_of_scope", text, conf=0.72, lang=lang), memory, kb)
    [msg] = out.messages
    assert (msg["type"], msg["key"], msg["text"]) == ("chitchat", "acknowledged", reply) and not out.pause
    assert out.memory == memory  # "og på lørdag?" next still follows up the library


def test_an_acknowledgement_to_the_bots_open_question_opens_no_case(kb):
    """"ok" to "which home?" is no home: the open question decides (bot.smalltalk is not asked while a question of
    the bot's is open, but for "did you mean A or B?"): the visiting hours of every home, and no case."""
    asked = respond(heard("elder_care_visiting", "Når er besøkstiden på sykehjemmet?"), Memory(), kb)
    ok = respond(heard("out_of_scope", "ok", conf=0.7), asked.memory, kb)
    assert not ok.pause and ok.messages[0]["intent"] == "elder_care_visiting", ok.messages


@pytest.mark.parametrize("intent, text", [
    ("out_of_scope", "ok, men hva koster det?"),  # a question after it
    ("thanks", "ok takk"),  # thanks: the model's own intent and reply
    ("personal_case", "ok, men jeg har fortsatt ikke fått svar på søknaden min"),
])
def test_more_than_an_acknowledgement_is_read_as_usual(kb, intent, text):
    out = respond(heard(intent, text, conf=0.9, ranking=FALLBACK if intent == "nlu_fallback" else None),
                  Memory(topic="library"), kb)
    assert out.messages[0].get("key") != "acknowledged", out.messages


# A low-confidence handoff below GUESS_FLOOR: the model's guess is no evidence of the queue. Then the service the
# message names, else the topic just answered (a short message right after it), else the service desk. At the floor
# or above the guess picks the queue, however vague the message (benchmarks/handoff_floor_calibrate.py: on held-out
# training examples the guess's department is right more often than the alternative at every value on its grid).
@pytest.mark.parametrize("memory, text, lang, ranking, department", [
    (Memory(), "hjälp", "sv", [("social_assistance", 0.08)], "service_desk"),
    (Memory(), "jeg lurer på noe om hjemmesykepleien", "nb", [("building_permit", 0.09)], "health_care"),  # named
    (Memory(topic="library"), "hva må jeg gjøre", "nb", [("social_assistance", 0.09)], "culture"),  # just answered
    (Memory(topic="library"), "jeg vet ikke helt hvordan jeg skal si dette men jeg lurer på det meste her",
     "nb", [("social_assistance", 0.09)], "service_desk"),  # long: not a follow-up of the answer
    # at the floor and above: the guess, as before (colleagues' report: "i'm new in fjordvik ..." at 0.22 -> welfare)
    (Memory(), "i'm new in fjordvik, what do i need to do", "en", [("social_assistance", 0.22)], "welfare"),
    (Memory(), "faktura for hjemmehjelp", "nb", [("invoice_payment", 0.10)], "finance"),
    # the topics of a clarifying question already asked are evidence: the likelier one's queue, however weak now
    (Memory(pending="clarify", options=["kindergarten_fees", "library"]), "vet ikke", "nb",
     [("social_assistance", 0.05)], "education"),
])
def test_a_guess_below_the_floor_does_not_pick_the_queue(kb, memory, text, lang, ranking, department):
    ranked = [{"name": "nlu_fallback", "confidence": 0.4}] + [{"name": n, "confidence": c} for n, c in ranking]
    out = respond(heard("nlu_fallback", text, lang=lang, ranking=ranked), memory, kb)
    assert out.pause and out.messages[0] == {"type": "handoff", "reason": "low_confidence",
                                             "department": department}, out.messages


def test_a_price_follow_up_to_an_article_about_the_price_gets_all_of_it(kb):
    """The fees article is about the price as a whole: its first paragraph naming a price is the discounts ("Slik
    kan du betale mindre"), and "kva kostar det" after the kindergarten application got only those (found by the
    CI run at 582e234, where the chat branches' price paragraph and aspect siblings met)."""
    out = respond(heard("kindergarten_apply", "kva kostar det", conf=0.6, lang="nn"),
                  Memory(topic="kindergarten_apply"), kb)
    msg = out.messages[0]
    assert msg["intent"] == "kindergarten_fees" and msg["text"].startswith("Makspris"), out.messages
