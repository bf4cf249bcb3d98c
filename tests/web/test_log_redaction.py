"""The redacting log filter with the root logger at INFO: the redactor's own INFO records (presidio
logs while it analyses) must not send the filter into endless recursion."""

from __future__ import annotations

import logging
import time

from privacy.logging_filter import RedactingFilter


def test_info_logging_through_the_redacting_filter_terminates_and_redacts(caplog):
    caplog.handler.addFilter(RedactingFilter())
    t0 = time.perf_counter()
    with caplog.at_level(logging.INFO):
        logging.getLogger("tinget.test").info("resident wrote from %s", "ola.testesen@example.com")
    assert time.perf_counter() - t0 < 60
    assert "resident wrote from" in caplog.text
    assert "ola.testesen@example.com" not in caplog.text
