"""Read and triage many mails in batches (the path of `tinget eval mail` and the benchmark).

Per batch, reading (MIME parsing and redaction: Python, holding the GIL) and triage (mostly the e5
encoder: C code that releases the GIL, on both cores) take turns. ``overlap=True`` reads batch k+1
in a worker thread while batch k is triaged; the decisions are the same (tests/mail/test_pipeline.py).
Measured on this 2-core machine (benchmarks/mail_triage.py, interleaved rounds) the overlap was
*slower* than taking turns (1,127 vs 1,257 mails/min at load 5; 830 vs 853 at load 8): the encoder
already keeps both cores busy and the reader only competes with it. So it is off by default and
kept as a measured option for machines with more cores.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

from mail.parse import Mail, read_mail
from mail.triage import Decision, MailSettings, triage_many

BATCH = 64


def read_batch(raws: Sequence[bytes], allow=()) -> list[Mail]:
    return [read_mail(raw, allow=allow) for raw in raws]


def triage_stream(raws: Sequence[bytes], nlu, settings: MailSettings, *, batch: int = BATCH, allow=(),
                  overlap: bool = False) -> Iterator[tuple[list[Mail], list[Decision]]]:
    """(mails, decisions) per batch of ``raws``, in order. ``overlap=True`` reads the next batch in a
    worker thread while the current one is triaged."""
    chunks = [raws[i:i + batch] for i in range(0, len(raws), max(1, batch))]
    if not chunks:
        return
    if not overlap or len(chunks) == 1:
        for chunk in chunks:
            mails = read_batch(chunk, allow)
            yield mails, triage_many(mails, nlu, settings)
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="mail-read") as pool:
        pending = pool.submit(read_batch, chunks[0], allow)
        for k in range(len(chunks)):
            mails = pending.result()  # a reading error surfaces here, as it would without the thread
            if k + 1 < len(chunks):
                pending = pool.submit(read_batch, chunks[k + 1], allow)
            yield mails, triage_many(mails, nlu, settings)
