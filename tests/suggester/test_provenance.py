"""suggester.provenance: which lines of an earlier reply are the KB's, and what of a placeholder can come back."""

from suggester.documents import Document
from suggester.provenance import KbText, trace

ARTICLES = [
    Document(id="article:a:nb", lang="nb", title="Eiendomsskatt", url="https://k.example/skatt",
             text="Skatten er 2 promille.\n\nSpørsmål: Økonomi, +47 55 50 50 00."),
    Document(id="article:b:nb", lang="nb", title="Vann", url="https://k.example/vann",
             text="Spørsmål: Teknisk, +47 55 50 60 00.\n\nSpørsmål: Økonomi, faktura@k.example."),
]


def test_a_line_is_the_kbs_when_each_sentence_is_in_an_article():
    kb = KbText(ARTICLES, ["Les mer"])
    text, lines = trace("Skatten er 2 promille.\n\nSøknaden din fra 3. mars er mottatt. Skatten er 2 promille.\n\n"
                        "Les mer: https://k.example/skatt", kb)
    assert text.startswith("Skatten er 2 promille.")
    assert lines == ["Søknaden din fra 3. mars er mottatt. Skatten er 2 promille."]


def test_a_placeholder_comes_back_only_from_one_whole_article_line():
    kb = KbText(ARTICLES, ["Les mer"])
    assert kb.restore("Spørsmål: Teknisk, <PHONE>.") == "Spørsmål: Teknisk, +47 55 50 60 00."
    assert kb.restore("Spørsmål: Økonomi, <PHONE>.") is None  # two article lines fit: no guess
    assert kb.restore("Ring <PHONE>.") is None  # too little fixed text to know the line
    text, lines = trace("Spørsmål: Teknisk, <PHONE>.\n\nVi ringer deg på <PHONE>.", kb)
    assert text == "Spørsmål: Teknisk, +47 55 50 60 00.\n\nVi ringer deg på <PHONE>."
    assert lines == ["Vi ringer deg på <PHONE>."]


def test_a_read_more_line_redacted_as_a_name_is_the_articles_link():
    kb = KbText(ARTICLES, ["Lue lisää", "Les mer"])
    text, lines = trace("<PERSON>: https://k.example/vann", kb, "Lue lisää")
    assert (text, lines) == ("Lue lisää: https://k.example/vann", [])
    assert trace("<PERSON>: https://elsewhere.example/x", kb, "Lue lisää")[1] == ["<PERSON>: https://elsewhere.example/x"]


def test_putting_a_placeholder_back_stays_cheap_on_a_pathological_kb():
    """The pattern has a lazy gap per placeholder: it runs only on the lines that have the longest fixed part,
    with at most two placeholders (a long line of one repeated word made three gaps take seconds)."""
    import time

    kb = KbText([Document(id="article:x:nb", lang="nb", text="\n".join(["a " * 300] * 200))])
    start = time.process_time()
    assert kb.restore("a <PERSON> a a a a a a a a a a a a a <PHONE> a b") is None
    assert kb.restore("a <PERSON> a <PERSON> a a a a a a a a a a <PHONE> a") is None  # three: not tried
    assert time.process_time() - start < 0.5
