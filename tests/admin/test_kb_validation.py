"""What blocks publishing an article (kb.validation), each problem with its article, field and line."""

from __future__ import annotations

from kb.validation import check_article

VALUES = {"municipality.name": "Fjordvik kommune", "hours.library_weekdays": "10:00–19:00"}


def problems(body, title="Tittel", source="/side", **kw):
    return [(p.code, p.field, p.line, p.params) for p in
            check_article("library", "nb", title, body, source, VALUES, **kw)]


def test_a_good_article_has_no_problems():
    body = ("Biblioteket i {municipality.name} er åpent **{hours.library_weekdays}**.\n\n"
            "- Lån bøker\n- Se [nettsiden](https://www.fjordvik.example/bibliotek) eller <https://x.example> og <post@fjordvik.example>\n\n"
            "Ring [oss](tel:+4755501000) eller skriv til [e-post](mailto:a@b.example). Les [mer](/bibliotek).")
    assert problems(body) == []


def test_placeholders_without_value_or_malformed_are_named_with_their_line():
    body = "Linje en.\nÅpent {hours.library_sunday} og {municipality.name}.\nRing {municipality phone}.\nSe {fees.x"
    assert problems(body) == [
        ("missing_placeholder", "body", 2, {"placeholder": "{hours.library_sunday}"}),
        ("malformed_placeholder", "body", 3, {"placeholder": "{municipality phone}"}),
        ("malformed_placeholder", "body", 4, {"placeholder": "{fees.x"}),
    ]
    assert problems("Tekst.", title="Om {municipality.slogan}") == [
        ("missing_placeholder", "title", 1, {"placeholder": "{municipality.slogan}"})]
    assert problems("Tekst.", source="{municipality.site}/x") == [
        ("missing_placeholder", "source_url", 1, {"placeholder": "{municipality.site}"}),
        ("bad_source_url", "source_url", 0, {"url": "{municipality.site}/x"})]


def test_markdown_that_would_show_broken_is_refused():
    codes = problems("Første <script>alert(1)</script> og <b>fet</B> <b>\n\n**Fet uten slutt\n\nSe [lenke](https://x.example\n\n"
                     "[klikk](javascript:alert(1))\n\n```\nkode")
    assert [(c, line) for c, _f, line, _p in codes] == [
        ("raw_html", 1), ("raw_html", 1), ("unbalanced_emphasis", 3), ("broken_link", 5), ("unsafe_link", 7),
        ("unclosed_code", 10)]
    # one message per tag and line: <script>…</script> was named twice in the editor and the import report
    assert [p["tag"] for c, _f, _line, p in codes if c == "raw_html"] == ["<script>", "<b>"]


def test_empty_fields_bad_source_and_unknown_department():
    assert ("empty", "title", 0, {}) in problems("Tekst", title=" ")
    assert ("empty", "body", 0, {}) in problems("  \n")
    assert problems("Tekst", source="ftp://x.example/y") == [("bad_source_url", "source_url", 0,
                                                             {"url": "ftp://x.example/y"})]
    assert problems("Tekst", departments={"culture"}, department="nowhere") == [
        ("unknown_department", "department", 0, {"department": "nowhere"})]


def test_html_in_the_title_is_refused_naming_the_title():
    """'<b>Bibliotek</b>' was published as the title and shown as literal text (titles are plain text):
    only the body was checked."""
    assert problems("Tekst.", title="<b>Bibliotek</b> og <I>mer</i>") == [
        ("raw_html", "title", 0, {"tag": "<b>"}), ("raw_html", "title", 0, {"tag": "<i>"})]
    assert problems("Tekst.", title="Åpent 10<19 og a>b, se <https://x.example>") == []
