"""Change notices between web workers: Redis publish/subscribe when ``REDIS_URL`` is set.

Several gunicorn workers (and, on the scale path, several hosts' workers sharing one Redis) each keep
in-memory state that another worker can make stale: the suggester index of a municipality (an accepted
reply, a published KB article, a deletion request). A worker that changes such state publishes a notice
on a topic (``suggester:<slug>``); every worker's subscriber thread counts the notices per topic.

:meth:`Fanout.changed` answers "may another process have changed this since I last looked?":

- with Redis and a live subscription: only when a notice arrived since the last call (no disk check per
  request);
- without Redis, or while Redis is unreachable (the subscriber reconnects in the background): always
  ``True``, so callers fall back to checking the shared files themselves. A Redis outage therefore costs
  a little speed, never a stale answer, and publishing never raises.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections import Counter

log = logging.getLogger(__name__)

CHANNEL_PREFIX = "tinget:fanout:"


class Fanout:
    def __init__(self, redis_url: str = "", *, reconnect_delay: float = 1.0):
        self.redis_url = redis_url
        self.reconnect_delay = reconnect_delay
        self._lock = threading.Lock()
        self._received: Counter[str] = Counter()
        self._seen: dict[str, tuple[int, int]] = {}  # topic -> (epoch, notices) at the caller's last look
        self._epoch = 0  # +1 each time the subscription (re)starts: notices before it were missed
        self._live = False  # subscribed and listening: notices can be trusted
        self._started_pid: int | None = None
        self._client = None
        self._stop = threading.Event()

    # ------------------------------------------------------------------ publishing
    def publish(self, topic: str, **data) -> bool:
        """Tell the other workers that ``topic`` changed. Returns False if no notice could be sent."""
        if not self.redis_url:
            return False
        try:
            self._redis().publish(CHANNEL_PREFIX + topic, json.dumps(dict(data, pid=os.getpid())))
            return True
        except Exception as exc:  # noqa: BLE001 - Redis down: the others fall back to checking files
            log.warning("fan-out notice for %s not sent: %s", topic, exc.__class__.__name__)
            return False

    # ------------------------------------------------------------------ receiving
    def changed(self, topic: str) -> bool:
        """True when another process may have changed ``topic`` since this worker last asked."""
        if not self.redis_url:
            return True
        self._ensure_listening()
        with self._lock:
            if not self._live:
                return True
            state = (self._epoch, self._received[topic])
            fresh = self._seen.get(topic) != state  # the first look after (re)subscribing is always fresh
            self._seen[topic] = state
            return fresh

    @property
    def live(self) -> bool:
        return self._live

    def close(self) -> None:
        self._stop.set()

    def _redis(self):
        if self._client is None or self._started_pid != os.getpid():
            import redis

            self._client = redis.Redis.from_url(self.redis_url, socket_timeout=2, socket_connect_timeout=2)
        return self._client

    def start(self) -> None:
        """Subscribe in the background (once per process; a no-op without Redis)."""
        if self.redis_url:
            self._ensure_listening()

    def _ensure_listening(self) -> None:
        pid = os.getpid()
        if self._started_pid == pid:
            return
        with self._lock:
            if self._started_pid == pid:
                return
            # a forked gunicorn worker inherits no thread: start its own subscriber
            self._started_pid, self._live, self._client = pid, False, None
            threading.Thread(target=self._listen, name="tinget-fanout", daemon=True).start()

    def _listen(self) -> None:
        import redis

        while not self._stop.is_set():
            try:
                client = redis.Redis.from_url(self.redis_url, socket_connect_timeout=2, health_check_interval=10)
                pubsub = client.pubsub()
                pubsub.psubscribe(CHANNEL_PREFIX + "*")
                while not self._stop.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message and message.get("type") == "psubscribe":
                        with self._lock:  # the server confirmed: from here on no notice is missed
                            self._epoch += 1
                            self._live = True
                    elif message and message.get("type") == "pmessage":
                        topic = message["channel"].decode()[len(CHANNEL_PREFIX):]
                        with self._lock:
                            self._received[topic] += 1
            except Exception as exc:  # noqa: BLE001 - keep reconnecting; callers check files meanwhile
                if self._live:
                    log.warning("fan-out subscription lost (%s); reconnecting", exc.__class__.__name__)
                with self._lock:
                    self._live = False
                time.sleep(self.reconnect_delay)


def fanout():
    """The app's :class:`Fanout` (one per app and process)."""
    from flask import current_app

    hub = current_app.extensions.get("tinget.fanout")
    if hub is None:
        hub = current_app.extensions["tinget.fanout"] = Fanout(current_app.config.get("REDIS_URL", ""))
    hub.start()
    return hub
