"""Locust residents for benchmarks/load_locust.py (run it, not this file: it starts the stack).

Two kinds of user, chosen by class name on locust's command line:

- ``AppResident``: a resident in the widget: opens a conversation, asks a question, polls for replies,
  asks a follow-up or presses the first offered button, sometimes thanks the bot or describes a personal
  case (handed to a caseworker: the widget keeps polling; the next visit is a new conversation);
- ``RasaResident``: the same messages straight to Rasa's REST webhook (the baseline: no app in front).

Think time between a resident's actions: TINGET_LOCUST_THINK="min-max" seconds (default 0.5-2).
Written for this benchmark; all texts are synthetic.
"""

from __future__ import annotations

import os
import random
import uuid

from locust import FastHttpUser, between, task

_lo, _hi = (float(x) for x in os.environ.get("TINGET_LOCUST_THINK", "0.5-2").split("-"))

# (question, follow-up) pairs in the languages residents write; topics the demo KB answers.
CONVERSATIONS = [
    ("Når er biblioteket åpent på lørdag?", "Og på søndag?"),
    ("Når blir søppelet hentet hos meg?", "Hva med glass og metall?"),
    ("Hvordan søker jeg barnehageplass?", "Når er søknadsfristen?"),
    ("Hva koster det å bade i svømmehallen?", "Er det billigere for barn?"),
    ("Når må eiendomsskatten betales?", "Kan jeg betale i avdrag?"),
    ("Hvordan får jeg parkeringsbevis?", "Hva koster det?"),
    ("Hva er besøkstiden på sykehjemmet?", "Kan barn være med?"),
    ("Hvordan melder jeg barnet på SFO?", "Hva koster SFO?"),
    ("Hvor leverer jeg gamle møbler?", "Er det åpent på lørdager?"),
    ("Må jeg søke for å bygge en garasje?", "Hvor lang er behandlingstiden?"),
    ("När har biblioteket öppet?", "Och på söndag?"),
    ("When is the waste collected?", "What about glass?"),
]
PERSONAL = [
    "Jeg har ikke fått svar på søknaden min om startlån fra mars, kan noen sjekke saken min?",
    "Min mor har fått avslag på hjemmetjenester og vi vil klage på vedtaket.",
]
THANKS = ["Takk for hjelpen!", "Tusen takk", "Thanks!"]


class AppResident(FastHttpUser):
    wait_time = between(_lo, _hi)

    def on_start(self):
        self.conv = None
        self.last_id = 0

    def _open(self):
        lang = random.choice(["nb", "nb", "nb", "nn", "sv", "en"])
        with self.client.post("/api/v1/conversations", json={"municipality": "fjordvik", "lang": lang},
                              name="app: open conversation", catch_response=True) as resp:
            if resp.status_code != 201:
                resp.failure(f"HTTP {resp.status_code}")
                return False
            data = resp.json()
        self.conv = (data["id"], {"X-Conversation-Token": data["token"]})
        self.last_id = 0
        return True

    def _say(self, text: str, payload: str | None = None) -> dict | None:
        cid, headers = self.conv
        body = {"text": text} if payload is None else {"text": text, "payload": payload}
        with self.client.post(f"/api/v1/conversations/{cid}/messages", json=body, headers=headers,
                              name="app: send message", catch_response=True) as resp:
            if resp.status_code != 201:
                resp.failure(f"HTTP {resp.status_code}")
                return None
            data = resp.json()
            if not data.get("replies") and data.get("route") != "paused":
                resp.failure("no reply and not stored on a case")
                return None
        for m in [data.get("message") or {}, *data["replies"]]:
            self.last_id = max(self.last_id, int(m.get("id") or 0))
        return data

    def _poll(self):
        cid, headers = self.conv
        with self.client.get(f"/api/v1/conversations/{cid}/messages?after={self.last_id}", headers=headers,
                             name="app: poll", catch_response=True) as resp:
            if resp.status_code != 200:
                resp.failure(f"HTTP {resp.status_code}")

    @task(8)
    def ask(self):
        if not self._open():
            return
        question, follow_up = random.choice(CONVERSATIONS)
        data = self._say(question)
        if data is None:
            return
        self.wait()
        self._poll()
        if data["state"] != "bot":  # handed off: the widget polls for the caseworker; the visit ends
            return
        buttons = [b for r in data["replies"] for b in (r.get("buttons") or [])]
        self.wait()
        if buttons:  # "did you mean A or B?": the resident presses the first
            data = self._say(buttons[0]["title"], buttons[0].get("payload"))
        else:
            data = self._say(follow_up)
        if data is None or data["state"] != "bot":
            return
        if random.random() < 0.4:
            self.wait()
            self._say(random.choice(THANKS))

    @task(1)
    def personal_case(self):
        if not self._open():
            return
        data = self._say(random.choice(PERSONAL))
        if data is None:
            return
        for _ in range(2):  # waits for the caseworker for a while
            self.wait()
            self._poll()


class RasaResident(FastHttpUser):
    """The baseline: the same residents' messages sent straight to Rasa's REST channel."""

    wait_time = between(_lo, _hi)

    def _say(self, sender: str, text: str):
        with self.client.post("/webhooks/rest/webhook", name="rasa: webhook", catch_response=True,
                              json={"sender": sender, "message": text,
                                    "metadata": {"lang": "nb", "municipality": "fjordvik"}}) as resp:
            if resp.status_code != 200 or not resp.json():
                resp.failure(f"HTTP {resp.status_code} or no reply")

    @task
    def ask(self):
        sender = uuid.uuid4().hex
        question, follow_up = random.choice(CONVERSATIONS)
        self._say(sender, question)
        self.wait()
        self._say(sender, follow_up)
