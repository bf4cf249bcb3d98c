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
