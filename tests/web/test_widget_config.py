"""What the widget loads from /api/v1/widget/config besides its texts: the language families, from the
server's one list (tinget.language.LANGUAGE_FAMILIES) that the lexicon uses too. The widget's texts do
not flip within a family; tests/e2e/test_widget.py shows it in a browser, with this list changed."""

from __future__ import annotations

import tinget.language as language_module
import tinget.lexicon as lexicon_module


def config(client, lang="nb"):
    resp = client.get(f"/api/v1/widget/config?municipality=fjordvik&lang={lang}")
    assert resp.status_code == 200
    return resp.get_json()


def test_the_widget_receives_the_servers_language_families(client):
    assert config(client)["families"] == [list(f) for f in language_module.LANGUAGE_FAMILIES]
    assert ["nb", "nn", "da"] in config(client, "fi")["families"]


def test_a_change_of_the_server_list_reaches_widget_and_lexicon_alike(client, monkeypatch):
    lex = lexicon_module.lexicon()
    assert lex.knows("da", "korleis")  # a nynorsk word is evidence of Danish: one family
    monkeypatch.setattr(language_module, "LANGUAGE_FAMILIES", (("nb", "nn"),))
    assert config(client)["families"] == [["nb", "nn"]]
    assert not lex.knows("da", "korleis") and lex.knows("nb", "korleis")
    monkeypatch.setattr(language_module, "LANGUAGE_FAMILIES", ())
    assert config(client)["families"] == []
    assert not lex.knows("nb", "korleis")
