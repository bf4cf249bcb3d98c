/* Tinget resident widget.
 * Embed with one tag:
 *   <script src="https://<tinget-host>/widget.js" data-municipality="fjordvik" data-lang="nb" async></script>
 * Everything lives in an open shadow root (styles isolated, no page globals besides one custom element),
 * no inline code or eval (works under a strict Content-Security-Policy on the host page).
 */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[src*='widget.js'][data-municipality]");
  if (!script || customElements.get("tinget-chat")) { return; }
  var BASE = new URL(script.src, document.baseURI).origin;
  var MUNI = script.getAttribute("data-municipality") || "";
  var PAGE_LANG = script.getAttribute("data-lang") || (document.documentElement.lang || navigator.language || "nb").slice(0, 2);
  var PAGE_PHONE = script.getAttribute("data-phone") || "";
  var STORE = "tinget:" + MUNI;
  var CFG_STORE = "tinget-cfg:" + MUNI + ":";
  // Phones, and small windows such as 200 % zoom: the panel takes the whole screen (a floating box with
  // margins left ~250 px for the conversation on a 390 x 844 phone).
  var FULL = "(max-width: 480px), (max-height: 480px)";
  // Shown when the server cannot be reached before any text came from it.
  var OFFLINE = {
    nb: "Chatten er ikke tilgjengelig akkurat nå. Ring oss på {phone}.",
    nn: "Chatten er ikkje tilgjengeleg akkurat no. Ring oss på {phone}.",
    sv: "Chatten är inte tillgänglig just nu. Ring oss på {phone}.",
    da: "Chatten er ikke tilgængelig lige nu. Ring til os på {phone}.",
    fi: "Chat ei ole juuri nyt käytettävissä. Soita meille: {phone}.",
    en: "The chat is not available right now. Please call us on {phone}."
  };
  // Built-in English texts for a key missing from the texts in use (web/widget_strings.py, "en"): a browser
  // offline with texts saved by an older version shows these, never a raw key such as "privacy_summary".
  var EN = {
    open: "Ask the municipality", close: "Close chat", title: "The municipality's digital assistant",
    input_label: "Write your question", send: "Send", typing: "The assistant is typing …",
    caseworker_pending: "A caseworker will answer you here.", you: "You", bot: "Assistant",
    caseworker: "Caseworker", source: "Source",
    error: "Something went wrong. Your message was not sent. Try again, or call us.",
    privacy: "Do not write your national ID number or health details. Personal data is removed automatically.",
    privacy_summary: "Privacy", privacy_link: "Privacy policy", delete: "Delete this conversation",
    deleted: "The conversation has been deleted.", language: "Language",
    new_conversation: "New conversation", email_label: "Also get the answer by e-mail (optional)",
    email_address: "E-mail address", email_save: "Save",
    email_saved: "The answer will also come by e-mail.", email_invalid: "Check the e-mail address.",
    new_tab: "opens in a new tab", choices: "Reply options",
    e_text_too_long: "The message is too long. Shorten it and try again.",
    e_too_many_requests: "Too many messages. Wait a moment and try again.",
    r_PERSON: "name removed", r_NATIONAL_ID: "national ID number removed", r_PHONE: "phone number removed",
    r_EMAIL: "e-mail address removed", r_ADDRESS: "address removed", r_BANK_ACCOUNT: "account number removed",
    r_BIRTH_DATE: "date of birth removed"
  };
  // The redactor's placeholders (privacy.types.LABELS) in a resident's message as the server stores it.
  var REDACTED = /<(PERSON|NATIONAL_ID|PHONE|EMAIL|ADDRESS|BANK_ACCOUNT|BIRTH_DATE)>/;

  var CSS = [
    ":host{all:initial;position:fixed;right:16px;bottom:16px;z-index:2147483000;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:16px;line-height:1.5;color:#1b1b1b}",
    "*{box-sizing:border-box}",
    "button{font:inherit;cursor:pointer}",
    ".launcher{background:#0b5394;color:#fff;border:none;border-radius:24px;padding:12px 20px;box-shadow:0 2px 8px rgba(0,0,0,.3)}",
    ".panel{display:flex;flex-direction:column;width:min(380px,calc(100vw - 32px));height:min(600px,calc(100vh - 32px));background:#fff;border:1px solid #767676;border-radius:8px;box-shadow:0 4px 16px rgba(0,0,0,.3);overflow:hidden}",
    ".panel[hidden]{display:none}",
    ".head{display:flex;align-items:center;justify-content:space-between;gap:8px;background:#0b5394;color:#fff;padding:8px 12px}",
    ".head h2{font-size:1rem;margin:0}",
    ".head button{background:transparent;color:#fff;border:2px solid #fff;border-radius:4px;padding:2px 8px}",
    ".tools{display:flex;flex-wrap:wrap;gap:8px;align-items:center;padding:6px 12px;border-bottom:1px solid #d0d0d0;font-size:.875rem}",
    ".tools select{font:inherit;font-size:.875rem}",
    ".tools button{background:#fff;color:#0b5394;border:1px solid #0b5394;border-radius:4px;padding:2px 6px;font-size:.875rem}",
    "summary{padding:6px 12px;color:#0b5394;font-weight:600;cursor:pointer}",
    ".privacy{background:#f3f3f3;font-size:.875rem}",
    ".notice{margin:0;padding:0 12px 6px}",
    ".notice a{color:#0b5394}",
    ".log{flex:1;overflow-y:auto;overscroll-behavior:contain;padding:12px;margin:0;list-style:none}",
    ".msg{margin:0 0 10px;max-width:90%;overflow-wrap:anywhere;word-break:break-word}",
    ".msg .who{display:block;font-size:.75rem;color:#555;font-weight:600}",
    ".msg .body{display:block;padding:8px 10px;border-radius:8px;background:#eef2f7}",
    ".msg.resident{margin-left:auto}.msg.resident .body{background:#0b5394;color:#fff}",
    ".msg.caseworker .body{background:#e6f2e6}", ".msg .redacted{font-style:italic}",
    ".msg .body p{margin:0 0 6px}.msg .body p:last-child{margin:0}",
    ".msg .body ul,.msg .body ol{margin:0 0 6px;padding-left:20px}",
    ".msg a{color:#0b5394}.msg.resident a{color:#fff}",
    ".source{display:block;font-size:.8rem;margin-top:4px}",
    ".status{font-size:.875rem;color:#555;margin:0;padding:4px 12px;min-height:calc(1.5em + 8px)}",
    ".mailbox{font-size:.875rem;border-top:1px solid #d0d0d0}",
    ".mail{display:flex;flex-wrap:wrap;gap:4px;padding:0 12px 6px}.mail label{flex-basis:100%}.mail input{flex:1;font:inherit;min-width:0;min-height:36px;padding:4px 6px;border:1px solid #767676;border-radius:4px}" +
      ".mail button{background:#0b5394;color:#fff;border:none;border-radius:4px;padding:0 14px;min-height:36px}",
    "form{display:flex;gap:8px;padding:8px 12px;border-top:1px solid #d0d0d0}",
    "label.vh,.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
    "textarea{flex:1;font:inherit;padding:6px;border:1px solid #767676;border-radius:4px;resize:none;min-height:44px}",
    ".send{background:#0b5394;color:#fff;border:none;border-radius:4px;padding:0 14px;min-height:44px}",
    ".quick{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}",
    ".quick button{background:#fff;color:#0b5394;border:1px solid #0b5394;border-radius:16px;padding:4px 10px}",
    // Two-colour focus ring (WCAG 2.1 1.4.11, C40): dark outline around a yellow ring, visible on any background;
    // after the rules above so that it replaces their own shadows (the launcher's) while focused.
    ":focus-visible{outline:3px solid #0b0c0c;outline-offset:2px;box-shadow:0 0 0 2px #ffbf47}",
    "summary:focus-visible,.log:focus-visible{outline-offset:-3px;box-shadow:inset 0 0 0 5px #ffbf47}",
    "@media " + FULL + "{.panel{position:fixed;top:0;left:0;right:0;width:auto;height:100vh;height:100dvh;border:none;border-radius:0;box-shadow:none;" +
      "padding:env(safe-area-inset-top) env(safe-area-inset-right) env(safe-area-inset-bottom) env(safe-area-inset-left)}}",
    "@media (prefers-reduced-motion: no-preference){.msg{animation:in .15s ease-out}@keyframes in{from{opacity:0}to{opacity:1}}}"
  ].join("\n");

  function el(tag, attrs, text) {
    var n = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    if (text != null) { n.textContent = text; }
    return n;
  }

  function api(method, path, body, token) {
    var headers = { "Accept": "application/json" };
    if (body) { headers["Content-Type"] = "application/json"; }
    if (token) { headers["X-Conversation-Token"] = token; }
    return fetch(BASE + "/api/v1" + path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (data) {
          if (!r.ok) { var e = new Error(); e.status = r.status; e.code = data.error && data.error.code; throw e; }
          return data;
        });
      });
  }

  class TingetChat extends HTMLElement {
    constructor() {
      super();
      this.root = this.attachShadow({ mode: "open" });
      this.state = JSON.parse(localStorage.getItem(STORE) || "null") || {};
      this.language = this.state.lang || PAGE_LANG;
      this.lastId = 0;
      this.seen = {};
      this.pollTimer = null;
    }

    connectedCallback() {
      // Constructed stylesheets are not inline styles: they work under a host page's strict
      // Content-Security-Policy (no 'unsafe-inline' needed). Older browsers get a <style> element.
      if (this.root.adoptedStyleSheets !== undefined && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
        var sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); this.root.adoptedStyleSheets = [sheet];
      } else {
        var style = el("style"); style.textContent = CSS; this.root.appendChild(style);
      }
      this.launcher = el("button", { "class": "launcher", "type": "button", "aria-expanded": "false", "aria-controls": "tinget-panel" }, "…");
      this.panel = el("section", { "class": "panel", "id": "tinget-panel", "role": "dialog", "aria-modal": "false", "aria-labelledby": "tinget-title", "hidden": "" });
      var head = el("div", { "class": "head" });
      this.titleEl = el("h2", { "id": "tinget-title" });
      this.closeBtn = el("button", { "type": "button" });
      head.appendChild(this.titleEl); head.appendChild(this.closeBtn);
      var tools = el("div", { "class": "tools" });
      this.langLabel = el("label", { "for": "tinget-lang" });
      this.langSelect = el("select", { "id": "tinget-lang" });
      this.deleteBtn = el("button", { "type": "button" });
      tools.appendChild(this.langLabel); tools.appendChild(this.langSelect); tools.appendChild(this.deleteBtn);
      // The privacy notice is open until the first message, then one line that reopens it.
      this.privacy = el("details", { "class": "privacy" });
      this.privacy.open = !this.state.id;
      this.privacySummary = el("summary");
      this.notice = el("p", { "class": "notice" });
      this.privacy.appendChild(this.privacySummary); this.privacy.appendChild(this.notice);
      this.log = el("ol", { "class": "log", "aria-label": "", "tabindex": "0" });
      this.live = el("div", { "class": "vh", "aria-live": "polite", "aria-atomic": "false", "role": "status" });
      this.status = el("p", { "class": "status", "aria-live": "polite" });
      this.mailBox = el("details", { "class": "mailbox", "hidden": "" });
      this.mailSummary = el("summary");
      this.mail = el("form", { "class": "mail", "novalidate": "" });
      this.mailLabel = el("label", { "for": "tinget-email" });
      this.mailInput = el("input", { "id": "tinget-email", "type": "email", "maxlength": "150", "autocomplete": "email" });
      this.mailBtn = el("button", { "type": "submit" });
      this.mail.appendChild(this.mailLabel); this.mail.appendChild(this.mailInput); this.mail.appendChild(this.mailBtn);
      this.mailBox.appendChild(this.mailSummary); this.mailBox.appendChild(this.mail);
      this.form = el("form", { "novalidate": "" });
      this.inputLabel = el("label", { "class": "vh", "for": "tinget-input" });
      this.input = el("textarea", { "id": "tinget-input", "rows": "2", "maxlength": "4000", "autocomplete": "off" });
      this.sendBtn = el("button", { "class": "send", "type": "submit" });
      this.form.appendChild(this.inputLabel); this.form.appendChild(this.input); this.form.appendChild(this.sendBtn);
      [head, tools, this.privacy, this.log, this.status, this.mailBox, this.form, this.live].forEach(function (n) { this.panel.appendChild(n); }, this);
      this.root.appendChild(this.launcher); this.root.appendChild(this.panel);

      var self = this;
      this.launcher.addEventListener("click", function () { self.open(); });
      this.closeBtn.addEventListener("click", function () { self.close(); });
      this.panel.addEventListener("keydown", function (e) {
        if (e.key === "Escape") { self.close(); return; }
        // Full screen hides the page, so Tab goes round inside the panel (Escape and × still leave).
        var a = self.root.activeElement;
        var to = e.key !== "Tab" || self.panel.getAttribute("aria-modal") !== "true" ? null
          : e.shiftKey ? (a === self.closeBtn && self.sendBtn) : (a === self.sendBtn && self.closeBtn);
        if (to) { e.preventDefault(); to.focus(); }
      });
      this.full = window.matchMedia(FULL);
      var modal = function () { self.panel.setAttribute("aria-modal", String(self.full.matches)); };
      modal();
      if (this.full.addEventListener) { this.full.addEventListener("change", modal); } else { this.full.addListener(modal); }
      this.form.addEventListener("submit", function (e) { e.preventDefault(); self.send(self.input.value); });
      this.input.addEventListener("keydown", function (e) {
        if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); self.send(self.input.value); }
      });
      this.mail.addEventListener("submit", function (e) { e.preventDefault(); self.saveEmail(); });
      this.langSelect.addEventListener("change", function () { self.setLang(self.langSelect.value, true); });
      this.deleteBtn.addEventListener("click", function () { self.deleteConversation(); });
      this.loadConfig(this.language).then(function () {
        if (self.state.id) { self.poll(true); }
        if (self.state.open) { self.open(true); }
      });
    }

    loadConfig(lang) {
      var self = this;
      return api("GET", "/widget/config?municipality=" + encodeURIComponent(MUNI) + "&lang=" + encodeURIComponent(lang))
        .then(function (cfg) {
          self.cfg = cfg; self.lang = self.language = cfg.lang; self.offline = false; self.render();
          try { localStorage.setItem(CFG_STORE + lang, JSON.stringify(cfg)); } catch (e) { /* storage full */ }
        })
        .catch(function () {
          // The last configuration this browser saw keeps the widget in the resident's language.
          var cached = null;
          try { cached = JSON.parse(localStorage.getItem(CFG_STORE + lang) || "null"); } catch (e) { cached = null; }
          self.offline = true;
          if (cached && cached.strings) { self.cfg = cached; self.lang = self.language = cached.lang; self.render(); }
          else { self.cfg = null; self.renderOffline(); }
          self.status.textContent = self.offlineText();
        });
    }

    t(key) { return (this.cfg && this.cfg.strings[key]) || EN[key] || ""; }

    render() {
      this.launcher.textContent = this.t("open");
      this.titleEl.textContent = this.t("title");
      this.closeBtn.textContent = "×"; this.closeBtn.setAttribute("aria-label", this.t("close"));
      this.langLabel.textContent = this.t("language");
      this.deleteBtn.textContent = this.t("delete");
      this.inputLabel.textContent = this.t("input_label");
      this.input.setAttribute("placeholder", this.t("input_label"));
      this.sendBtn.textContent = this.t("send");
      this.mailSummary.textContent = this.t("email_label");
      this.mailLabel.textContent = this.t("email_address"); this.mailBtn.textContent = this.t("email_save");
      this.log.setAttribute("aria-label", this.t("title"));
      this.panel.setAttribute("lang", this.language);
      this.langSelect.textContent = "";
      var names = this.cfg.languages;
      Object.keys(names).forEach(function (code) {
        var o = el("option", { "value": code, "lang": code }, names[code]);
        if (code === this.language) { o.selected = true; }
        this.langSelect.appendChild(o);
      }, this);
      this.privacy.hidden = false; this.privacySummary.textContent = this.t("privacy_summary");
      this.notice.textContent = this.t("privacy") + " ";
      if (this.cfg.municipality.privacy_policy_url) {
        var a = el("a", { "href": this.cfg.municipality.privacy_policy_url, "target": "_blank", "rel": "noopener" }, this.t("privacy_link"));
        this.notice.appendChild(this.newTab(a));
      }
    }

    // A link that opens a new tab says so (WCAG G201).
    newTab(a) { a.appendChild(el("span", { "class": "vh" }, " (" + this.t("new_tab") + ")")); return a; }

    renderOffline() {
      this.launcher.textContent = "Chat";
      this.titleEl.textContent = "Chat";
      this.closeBtn.textContent = "×"; this.closeBtn.setAttribute("aria-label", "Close");
      this.inputLabel.textContent = "Chat"; this.sendBtn.textContent = "→"; this.sendBtn.setAttribute("aria-label", "Send");
      this.langLabel.textContent = ""; this.langSelect.hidden = true; this.deleteBtn.hidden = true; this.privacy.hidden = true;
      this.log.setAttribute("aria-label", "Chat");
    }

    save() { localStorage.setItem(STORE, JSON.stringify(this.state)); }

    open(silent) {
      this.panel.hidden = false;
      this.launcher.hidden = true;
      this.launcher.setAttribute("aria-expanded", "true");
      this.state.open = true; this.save();
      if (!silent || document.activeElement === this) { this.input.focus(); }
      this.startPolling();
    }

    close() {
      this.panel.hidden = true;
      this.launcher.hidden = false;
      this.launcher.setAttribute("aria-expanded", "false");
      this.state.open = false; this.save();
      this.launcher.focus();
    }

    setLang(lang, fixed) {
      this.language = lang;
      this.state.lang = lang; this.state.langFixed = !!fixed; this.save();
      return this.loadConfig(lang);
    }

    // The widget's own texts follow the language the resident writes in (the server detects it), unless
    // the resident chose one in the selector. Readers within a language family (the server's list:
    // bokmål, nynorsk, Danish) read each other's texts, and short messages are often detected as the
    // neighbour: the texts change only between families (a Finnish resident on a Norwegian page).
    followLanguage(lang) {
      var cur = this.language, near = lang === cur || ((this.cfg && this.cfg.families) || []).some(function (f) {
        return f.indexOf(lang) >= 0 && f.indexOf(cur) >= 0;
      });
      if (!lang || this.state.langFixed || this.offline || near) { return; }
      if (this.cfg && this.cfg.languages && !this.cfg.languages[lang]) { return; }
      var self = this;
      this.setLang(lang, false).then(function () { self.showState(self.state.convState); });
    }

    ensureConversation() {
      var self = this;
      if (this.state.id) { return Promise.resolve(this.state); }
      return api("POST", "/conversations", { municipality: MUNI, lang: this.language, lang_fixed: !!this.state.langFixed })
        .then(function (c) { self.state.id = c.id; self.state.token = c.token; self.save(); return self.state; });
    }

    send(text, payload) {
      text = (text || "").trim();
      if (!text || this.busy) { return; }
      var self = this;
      this.busy = true;
      this.status.textContent = this.t("typing");
      this.ensureConversation()
        .then(function (c) {
          var body = { text: text };
          if (payload) { body.payload = payload; }
          if (self.state.langFixed) { body.lang = self.lang; body.lang_fixed = true; }
          return api("POST", "/conversations/" + c.id + "/messages", body, c.token);
        })
        .then(function (res) {
          self.input.value = "";
          self.addMessage(res.message);
          (res.replies || []).forEach(function (m) { self.addMessage(m); });
          self.showState(res.state);
          self.startPolling();
          self.followLanguage(res.message && res.message.lang);
        })
        .catch(function (err) {
          if (err.status === 404) { self.state = { lang: self.lang, open: true }; self.save(); }
          // The widget's own text for the error code (the server's message is English).
          self.status.textContent = !err.status ? self.offlineText() : self.t("e_" + err.code) || self.t("error");
        })
        .then(function () { self.busy = false; if (self.status.textContent === self.t("typing")) { self.status.textContent = ""; } });
    }

    offlineText() {
      var phone = (this.cfg && this.cfg.municipality.phone) || PAGE_PHONE;
      var text = (this.cfg && this.cfg.strings.offline) || OFFLINE[this.language] || OFFLINE.en;
      if (!phone) { text = text.replace(/[^.!]*\{phone\}[^.!]*[.!]?/, "").trim(); }
      return text.replace("{phone}", phone);
    }

    showState(state) {
      this.state.convState = state; this.save();
      this.status.textContent = state === "handoff" ? this.t("caseworker_pending") : "";
      this.mailBox.hidden = state !== "handoff" || !!this.state.mailSaved;
    }

    saveEmail() {
      var self = this;
      api("POST", "/conversations/" + this.state.id + "/email", { email: this.mailInput.value.trim() }, this.state.token)
        .then(function () {
          self.state.mailSaved = true; self.save(); self.mailBox.hidden = true;
          self.status.textContent = self.t("email_saved"); self.input.focus();
        })
        .catch(function () { self.status.textContent = self.t("email_invalid"); self.mailInput.focus(); });
    }

    addMessage(m) {
      if (!m || this.seen[m.id]) { return; }
      this.seen[m.id] = true;
      if (!this.log.children.length) { this.privacy.open = false; }
      this.lastId = Math.max(this.lastId, m.id);
      var li = el("li", { "class": "msg " + m.sender });
      li.appendChild(el("span", { "class": "who" }, this.t(m.sender === "resident" ? "you" : m.sender)));
      var body = el("span", { "class": "body" });
      // WCAG 2.1 3.1.2 (language of parts): a reply in another language than the panel's is read in its own.
      if (m.lang) { body.setAttribute("lang", m.lang); }
      if (m.html && m.sender !== "resident") {
        // Server-sanitised HTML (allow-listed tags only, see kb/render.py).
        body.innerHTML = m.html;
      } else {
        this.fillText(body, m.text || "");
      }
      li.appendChild(body);
      if (m.source_url) {
        var src = el("a", { "class": "source", "href": m.source_url, "target": "_blank", "rel": "noopener" }, (m.source_label || this.t("source")) + ": " + m.source_url);
        li.appendChild(src);
      }
      var self = this;
      if (m.buttons && m.buttons.length) {
        var quick = el("div", { "class": "quick", "role": "group", "aria-label": this.t("choices") });
        m.buttons.forEach(function (b) {
          var btn = el("button", { "type": "button" }, b.title);
          btn.addEventListener("click", function () { self.input.focus(); self.send(b.title, b.payload); });
          quick.appendChild(btn);
        });
        li.appendChild(quick);
      }
      if (m.sender !== "resident") {
        // What the panel shows, not the Markdown source (a screen reader read out "**" and "- ").
        this.live.textContent = this.t(m.sender) + ": " + body.textContent.replace(/\s+/g, " ").trim().slice(0, 500);
      }
      li.querySelectorAll("a[target]").forEach(function (a) { self.newTab(a); });
      var log = this.log;
      log.appendChild(li);
      // Replies are read from their start: the first since the resident's message (or poll) at the top.
      if (m.sender === "resident") { this.from = null; log.scrollTop = log.scrollHeight; return; }
      if (this.from == null) { this.from = li.offsetTop - log.firstChild.offsetTop; }
      log.scrollTop = this.from;
    }

    // The resident's words as stored: what the redactor removed is said in the panel's language
    // ("[address removed]"), not as its placeholder ("<ADDRESS>"), which read as a fault.
    fillText(body, text) {
      var parts = text.split(REDACTED);  // text, label, text, label, ..., text
      for (var i = 0; i < parts.length; i++) {
        if (i % 2 === 0) { if (parts[i]) { body.appendChild(document.createTextNode(parts[i])); } continue; }
        body.appendChild(el("span", { "class": "redacted" }, "[" + this.t("r_" + parts[i]) + "]"));
      }
    }

    startPolling() {
      var self = this;
      if (this.pollTimer || !this.state.id) { return; }
      var interval = 3000;
      this.pollTimer = setInterval(function () { self.poll(false); }, interval);
    }

    poll(initial) {
      var self = this;
      if (!this.state.id) { return Promise.resolve(); }
      return api("GET", "/conversations/" + this.state.id + "/messages?after=" + this.lastId, null, this.state.token)
        .then(function (res) {
          self.from = null;
          (res.messages || []).forEach(function (m) { self.addMessage(m); });
          if (initial || res.state !== self.state.convState) { self.showState(res.state); }
        })
        .catch(function (err) {
          if (err.status === 404 || err.status === 403) {
            self.state = { lang: self.lang, open: self.state.open }; self.save();
            clearInterval(self.pollTimer); self.pollTimer = null;
          }
        });
    }

    deleteConversation() {
      var self = this;
      if (!this.state.id) { this.log.textContent = ""; this.status.textContent = this.t("deleted"); return; }
      function forget() {
        clearInterval(self.pollTimer); self.pollTimer = null;
        self.state = { lang: self.lang, open: true }; self.save();
        self.log.textContent = ""; self.seen = {}; self.lastId = 0; self.privacy.open = true;
        self.status.textContent = self.t("deleted");
        self.input.focus();
      }
      // Said "deleted" only when the server deleted it (404: it already had); otherwise the conversation,
      // its id and token stay, so that the resident can try again (it was forgotten and said deleted).
      api("DELETE", "/conversations/" + this.state.id, null, this.state.token)
        .then(forget, function (err) {
          if (err.status === 404) { forget(); } else { self.status.textContent = self.offlineText(); }
        });
    }
  }

  customElements.define("tinget-chat", TingetChat);
  function mount() { document.body.appendChild(document.createElement("tinget-chat")); }
  if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }
})();
