"""Read and triage many mails in batches, with reading overlapped with the encoder.

Per batch, reading (MIME parsing and redaction: Python, holding the GIL) and triage (mostly the e5
encoder: C code that releases the GIL) take turns on one thread, so one of the two cores idles while
the other parses. Here a worker thread reads batch k+1 while batch k is triaged; the decisions are
the same as reading and triaging one batch after the other (tests/mail/test_pipeline.py).
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
                  overlap: bool = True) -> Iterator[tuple[list[Mail], list[Decision]]]:
    """(mails, decisions) per batch of ``raws``, in order. ``overlap=False`` reads each batch only
    when the previous one is triaged (the baseline the benchmark compares with)."""
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
