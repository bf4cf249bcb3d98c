"""gunicorn settings shared by `make run` (Procfile), compose.yaml and benchmarks/roundtrip.py; workers,
threads, bind address and timeout are given by each of them on the command line."""

# Idle keep-alive connections wait 75 s in the worker's poller (not in a thread), as nginx keeps them: with
# gunicorn's 2 s default a resident who types for a few seconds can reuse a connection the server is
# closing that instant, and the request fails.
keepalive = 75

# The access log has no personal data: no client address, query string (console searches and conversation
# tokens travel there), referrer or user agent; time, method, path, status, size and duration only.
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'


def on_starting(server):
    """Check Tinget's settings in the master before any worker starts: a bad value (TINGET_CONFIG=prod, a port
    that is no number, a rate limit that does not parse) stops gunicorn with one line naming each of them,
    instead of every worker failing its import with a traceback, and no request fails on one later."""
    import sys

    from web.config import ConfigError, check_environment

    try:
        check_environment()
    except ConfigError as exc:
        sys.exit(f"Tinget configuration: {exc}")
