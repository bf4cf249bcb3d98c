"""Reading the next batch while the current one is triaged gives the same decisions, in order."""

from __future__ import annotations

from tests.mail.conftest import DATA, build


def test_overlapped_batches_decide_as_sequential_ones(model_available):
    from mail.nlu import load_nlu
    from mail.pipeline import triage_stream
    from mail.triage import MailSettings

    raws = [p.read_bytes() for p in sorted(DATA.glob("*.eml"))]
    raws += [b"\x00\xff not a mail at all", build("", "", message_id="<empty@example.org>")]
    nlu, settings = load_nlu(), MailSettings(auto_reply_intents=["library"])

    def run(overlap: bool):
        out = []
        for mails, decisions in triage_stream(raws, nlu, settings, batch=5, overlap=overlap):
            assert len(mails) == len(decisions)
            out += [(m.message_id, d.prediction("x")) for m, d in zip(mails, decisions, strict=True)]
        return out

    overlapped = run(True)
    assert len(overlapped) == len(raws)
    assert overlapped == run(False)
    assert overlapped[-1][1]["action"] == "set_aside"  # the empty mail; the garbage one did not crash
    assert list(triage_stream([], nlu, settings)) == []
