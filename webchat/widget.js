/*
 * The debt-negotiation coach's chat widget. Vanilla JS, no build step, no CDN.
 * Served by addons/channels/webchat.py at /webhooks/webchat/; talks to the same server:
 *   POST session {new}                                    -> {sender, new} and the credential cookie
 *   POST webhook {sender, message, message_id, metadata}  -> [{text, buttons} | {custom}]
 *   GET  history?sender=ID                                -> {messages: [{role, text|buttons|custom}], times}
 *   POST delete {sender}                                  -> {deleted}
 *   GET  documents?sender=ID                              -> {documents: [{id, kind, title, created_at, download}]}
 *   GET  documents/ID?sender=ID&format=txt|pdf            -> the document as a file (materials dialog, document cards)
 * The conversation id and its credential come from the server. On its own page the
 * credential is an HttpOnly cookie this script never sees; inside another site's iframe
 * (where that cookie is not sent) it is kept in this origin's sessionStorage and sent as
 * the X-Webchat-Credential header (webchat/README.md, "Whose conversation is it").
 * Bot text is always inserted with textContent (and tel: links built as elements), never
 * as HTML.
 * Every text comes from the server (content/widget.yml and the files owning lender,
 * waiver, persona and criterion names): the page carries it as JSON data in
 * <script type="application/json" id="coach-labels">; without it, GET labels. This file
 * holds no text of its own.
 *
 * Nothing lost, nothing sent twice: every message has its own message_id, and a resend
 * (the bubble's button or the banner's) carries the same id, so the server answers a
 * message that had arrived with its earlier reply instead of handling it again. Sending,
 * resending, a new chat and deleting run one after another (serial()): a deletion waits for
 * the reply in flight, and nothing is sent to a conversation being deleted.
 */
(function () {
  "use strict";

  var TIMEOUT_MS = 15000;
  // The most characters the server takes (addons/channels/guard.py MAX_MESSAGE_LENGTH;
  // tests/unit/addons/channels/test_labels.py checks they agree); the counter shows from
  // COUNTER_FROM on. A longer message is not sent and stays in the input box.
  var MAX_MESSAGE = 1000;
  var COUNTER_FROM = 800;
  var EMBED_STORAGE_KEY = "debtCoach.embeddedConversation";
  var CREDENTIAL_HEADER = "X-Webchat-Credential";
  var WIDGET_SENDER = /^web-[0-9a-f]{32}$/;
  var DELETED_HEADER = "X-Conversation-Deleted";
  var DELETED_PAYLOAD = "conversation_deleted";
  // postMessage between this page (in embed.js's iframe) and the loader on the host page.
  var MESSAGE_SOURCE = "debt-coach";
  var SVG_NS = "http://www.w3.org/2000/svg";

  var LABELS_ELEMENT = "coach-labels";
  var labels = {};  // filled by loadLabels() before anything is shown

  var base = apiBase();
  var el = {
    log: byId("log"), input: byId("input"), form: byId("composer"), send: byId("send"),
    status: byId("status"), statusText: byId("status-text"), retry: byId("retry"),
    latest: byId("latest"), counter: byId("counter"),
    materials: byId("materials"), panel: byId("materials-panel"), panelClose: byId("materials-close"),
    panelStatus: byId("materials-status"), panelList: byId("materials-list")
  };
  var state = {
    sender: null, credential: null, opening: null, wantNew: false, verified: false, generation: 0,
    busy: false, queued: 0, chain: Promise.resolve(), failed: [], transcript: [], typing: null,
    host: hostOrigin(), telPattern: undefined, materialsLoad: 0
  };
  // Inside another site's frame the SameSite=Strict cookie is not sent: use the header.
  var headerMode = isFramed();

  // ---------------------------------------------------------------- helpers

  function byId(id) { return document.getElementById(id); }

  function has(object, key) {
    return object !== null && typeof object === "object" && Object.prototype.hasOwnProperty.call(object, key);
  }

  // "{name}" in a template becomes values.name; unknown names stay as they are.
  function fill(template, values) {
    return template.replace(/\{([a-z_]+)\}/g, function (whole, name) {
      return has(values, name) ? String(values[name]) : whole;
    });
  }

  // The text at a dotted path of the labels ("offer.title"), filled with values; the path
  // itself when there is no such text (tests/unit/addons/channels/test_labels.py checks
  // that every path used here exists).
  function t(path, values) {
    var value = labels;
    path.split(".").forEach(function (part) { value = has(value, part) ? value[part] : undefined; });
    return typeof value === "string" ? fill(value, values) : path;
  }

  // A name from a group of labels owned by another content file (lenders, waivers,
  // personas, criteria); the code itself when the server has no name for it.
  function label(group, code) {
    var names = labels[group];
    return has(names, code) && typeof names[code] === "string" ? names[code] : String(code);
  }

  function locale() { return typeof labels.locale === "string" ? labels.locale : undefined; }

  // An ISO local time of the case file ("2026-11-29T23:10", or a date alone) in words
  // (date.day, date.day_time). Read from its digits, never through Date: a date alone
  // would be taken for UTC midnight and could show as the day before.
  function isoWhen(value) {
    var match = typeof value === "string"
      ? /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(value) : null;
    if (!match) { return t("date.unknown"); }
    var day = t("date.day", { year: match[1], month: Number(match[2]), day: Number(match[3]) });
    return match[4] ? t("date.day_time", { day: day, hour: match[4], minute: match[5] }) : day;
  }

  function kindName(kind) {
    var kinds = has(labels, "documents") ? labels.documents.kinds : null;
    return has(kinds, kind) && typeof kinds[kind] === "string" ? kinds[kind] : String(kind || "");
  }

  function apiBase() {
    var script = document.currentScript;
    var src = script && script.src ? script.src : window.location.href;
    return src.replace(/static\/widget\.js(\?.*)?$/, "").replace(/[?#].*$/, "");
  }

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function svg(tag, attributes) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, String(attributes[name]));
    });
    return node;
  }

  function yuan(value) {
    var number = Number(value);
    if (!isFinite(number)) { return t("format.none"); }
    return t("format.money", { amount: Math.round(number).toLocaleString(locale()) });
  }

  function isNumber(value) { return typeof value === "number" && isFinite(value); }

  function isEmbedParameter() { return /[?&]embed=1(&|$)/.test(window.location.search); }

  function isFramed() {
    if (isEmbedParameter()) { return true; }
    try { return window.self !== window.top; } catch (e) { return true; }
  }

  // A phone or tablet: focusing the input there pops the keyboard up over the reply.
  function isTouch() {
    return !!(window.matchMedia && window.matchMedia("(hover: none) and (pointer: coarse)").matches);
  }

  function focusInput() { if (!isTouch()) { el.input.focus(); } }

  // 128 random bits as hex: the message's id, kept for its resends.
  function newMessageId() {
    var bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(bytes);
    } else {
      for (var i = 0; i < bytes.length; i += 1) { bytes[i] = Math.floor(Math.random() * 256); }
    }
    return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }

  // sessionStorage of this origin: the host page cannot read it, and it ends with the tab.
  var memoryStore = {};
  function storageGet(key) {
    try { return window.sessionStorage.getItem(key); } catch (e) { return memoryStore[key] || null; }
  }
  function storageSet(key, value) {
    try { window.sessionStorage.setItem(key, value); } catch (e) { memoryStore[key] = value; }
  }
  function storageRemove(key) {
    try { window.sessionStorage.removeItem(key); } catch (e) { /* memory only */ }
    delete memoryStore[key];
  }

  function speaker(role) { return t("chat.speaker", { who: t(role === "user" ? "chat.you" : "chat.coach") }); }

  // ---------------------------------------------------------------- the host page (embed.js)

  // The origin of the page that embeds this one: embed.js passes it as ?host=; where the
  // browser tells the frame's ancestors, the two must agree. Null when not embedded.
  function hostOrigin() {
    if (!isEmbedParameter()) { return null; }
    var match = /[?&]host=([^&#]*)/.exec(window.location.search);
    var host = null;
    try { host = match ? decodeURIComponent(match[1]) : null; } catch (e) { return null; }
    if (!host || !/^https?:\/\/[^\/?#\s]+$/.test(host)) { return null; }
    var ancestors = window.location.ancestorOrigins;
    if (ancestors && ancestors.length && ancestors[0] !== host) { return null; }
    return host;
  }

  // Tells the loader something (only that origin can read it; no conversation text).
  function tellHost(type, count) {
    if (!state.host || window.parent === window) { return; }
    var message = { source: MESSAGE_SOURCE, type: type };
    if (count !== undefined) { message.count = count; }
    window.parent.postMessage(message, state.host);
  }

  function onHostMessage(event) {
    if (!state.host || event.source !== window.parent || event.origin !== state.host) { return; }
    var data = event.data;
    if (!data || data.source !== MESSAGE_SOURCE) { return; }
    // The panel opened: the keyboard user lands in the input; on a phone the log takes
    // focus instead, so no keyboard pops up over the chat.
    if (data.type === "focus") { if (isTouch()) { el.log.focus(); } else { el.input.focus(); } }
  }

  // ---------------------------------------------------------------- network

  function request(method, path, body) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () { if (controller) { controller.abort(); } }, TIMEOUT_MS);
    var options = { method: method, headers: { "Accept": "application/json" }, credentials: "same-origin" };
    if (state.credential) { options.headers[CREDENTIAL_HEADER] = state.credential; }
    if (controller) { options.signal = controller.signal; }
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(base + path, options).then(function (response) {
      clearTimeout(timer);
      return response.json().catch(function () { return null; }).then(function (data) {
        return { ok: response.ok, status: response.status, data: data, headers: response.headers };
      });
    }, function (error) {
      clearTimeout(timer);
      var failure = new Error(error && error.name === "AbortError" ? "timeout" : "offline");
      throw failure;
    });
  }

  // ---------------------------------------------------------------- documents (files)

  // The address of a document of this conversation in a format (txt or pdf), from the
  // payload's download path ("/webhooks/webchat/documents/ID") or the list's id: always
  // this server's documents route, never an address a payload could choose.
  function documentHref(download, id, format) {
    var match = typeof download === "string" ? /\/documents\/([A-Za-z0-9_-]{1,64})$/.exec(download) : null;
    var documentId = match ? match[1] : (typeof id === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : null);
    if (!documentId || !state.sender) { return null; }
    return base + "documents/" + documentId + "?sender=" + encodeURIComponent(state.sender) +
      "&format=" + format;
  }

  // The file name the server gives (Content-Disposition, RFC 5987 filename*), else fallback.
  function fileName(response, fallback) {
    var header = response.headers.get("Content-Disposition") || "";
    var utf8 = /filename\*=UTF-8''([^;]+)/i.exec(header);
    if (utf8) {
      try { return decodeURIComponent(utf8[1]); } catch (e) { /* the plain name below */ }
    }
    var plain = /filename="([^"]+)"/i.exec(header);
    return plain ? plain[1] : fallback;
  }

  function saveBlob(blob, name) {
    var link = make("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  // A download link of a document: the page fetches it with the conversation's credential
  // (the cookie, or the header inside another site's frame, where no cookie goes along)
  // and saves it; a refusal or a missing PDF font says so instead of leaving the page.
  function downloadLink(href, text, title, fallbackName) {
    var link = make("a", "download-link", text);
    link.href = href;
    link.setAttribute("download", "");
    link.appendChild(make("span", "visually-hidden", t("materials.download_label", { title: title })));
    link.addEventListener("click", function (event) {
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; }
      event.preventDefault();
      var headers = {};
      if (state.credential) { headers[CREDENTIAL_HEADER] = state.credential; }
      fetch(href, { credentials: "same-origin", headers: headers }).then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.blob().then(function (blob) { saveBlob(blob, fileName(response, fallbackName)); });
      }).catch(function () { downloadFailed(link); });
    });
    return link;
  }

  // The failure, said next to the link that failed (and read out: role status).
  function downloadFailed(link) {
    var holder = link.parentNode;
    if (!holder) { return; }
    var note = holder.querySelector(".download-failed");
    if (!note) {
      note = make("p", "download-failed");
      note.setAttribute("role", "status");
      holder.appendChild(note);
    }
    note.textContent = t("materials.download_failed");
  }

  // The two links (materials.download_txt, materials.download_pdf) of a document, or null without a usable address.
  function downloadLinks(download, id, title) {
    var txt = documentHref(download, id, "txt");
    var pdf = documentHref(download, id, "pdf");
    if (!txt || !pdf) { return null; }
    var links = make("div", "download-links");
    links.appendChild(downloadLink(txt, t("materials.download_txt"), title, title + ".txt"));
    links.appendChild(downloadLink(pdf, t("materials.download_pdf"), title, title + ".pdf"));
    return links;
  }

  // Runs task() after every earlier one has finished (loading the conversation, sends,
  // resends, new chat, deletion). The widget is busy (takes no new message) while a send,
  // a new chat or a deletion is waiting or running; a message typed while the
  // conversation still loads simply waits for it (quiet).
  function serial(task, quiet) {
    if (!quiet) { state.queued += 1; updateBusy(); }
    var result = state.chain.then(function () { return task(); });
    function finish() { if (!quiet) { state.queued -= 1; updateBusy(); } }
    state.chain = result.then(finish, finish);
    return result;
  }

  function updateBusy() {
    state.busy = state.queued > 0;
    el.send.disabled = state.busy;
    el.log.setAttribute("aria-busy", state.busy ? "true" : "false");
  }

  // ---------------------------------------------------------------- conversation

  function useConversation(sender, credential) {
    state.sender = sender;
    state.credential = credential || null;
    state.verified = false;
  }

  function forgetConversation(wantNew) {
    state.sender = null;
    state.credential = null;
    state.opening = null;
    state.wantNew = wantNew;
    state.generation += 1;  // an answer to an earlier request no longer counts
    storageRemove(EMBED_STORAGE_KEY);
  }

  function savedEmbeddedConversation() {
    var saved = null;
    try { saved = JSON.parse(storageGet(EMBED_STORAGE_KEY) || "null"); } catch (e) { return null; }
    var usable = saved && WIDGET_SENDER.test(saved.sender) && typeof saved.credential === "string";
    return usable ? saved : null;
  }

  // The conversation to talk in; resolves to true when it is a new (empty) one.
  function openConversation() {
    if (headerMode && !state.wantNew) {
      var saved = savedEmbeddedConversation();
      if (saved) { useConversation(saved.sender, saved.credential); return Promise.resolve(false); }
    }
    var body = headerMode ? { "new": true, embed: true } : { "new": state.wantNew };
    var generation = state.generation;
    return request("POST", "session", body).then(function (result) {
      var data = result.data;
      if (generation !== state.generation) { return ensureConversation(); }
      if (!result.ok || !data || !WIDGET_SENDER.test(data.sender)) { throw new Error("session " + result.status); }
      if (headerMode && typeof data.credential !== "string") { throw new Error("no credential"); }
      useConversation(data.sender, headerMode ? data.credential : null);
      if (headerMode) {
        storageSet(EMBED_STORAGE_KEY, JSON.stringify({ sender: data.sender, credential: data.credential }));
      }
      state.wantNew = false;
      return data["new"] === true;
    });
  }

  function ensureConversation() {
    if (state.sender) { return Promise.resolve(false); }
    if (!state.opening) {
      var opening = openConversation().then(function (isNew) {
        if (state.opening === opening) { state.opening = null; }
        return isNew;
      }, function (error) {
        if (state.opening === opening) { state.opening = null; }
        throw error;
      });
      state.opening = opening;
    }
    return state.opening;
  }

  // The server refused the conversation (403). Before anything worked with it, the
  // browser probably refused the cookie: carry on with the header instead, once.
  function conversationRefused(pending) {
    if (!state.verified && !pending.refusedOnce) {
      pending.refusedOnce = true;
      headerMode = true;
      forgetConversation(true);
      return attempt(pending);
    }
    forgetConversation(false);
    resetLog();
    showNotice(t("chat.lost"));
    if (!pending.shown) { el.input.value = pending.message; autoGrow(); updateCounter(); }
    return ensureConversation().then(function (isNew) {
      return isNew ? showWelcome() : loadHistory();
    }, function () { showWelcome(); });
  }

  // ---------------------------------------------------------------- rendering

  function timeStamp(at) {
    var date = at instanceof Date ? at : new Date(at);
    if (isNaN(date.getTime())) { return null; }
    var text = date.toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit" });
    var node = make("time", "msg-time", t("chat.sent_at", { time: text }));
    node.setAttribute("datetime", date.toISOString());
    node.setAttribute("title", date.toLocaleString(locale()));
    return node;
  }

  function addBubble(role, text, extraClass, at) {
    var bubble = make("div", "msg msg-" + role + (extraClass ? " " + extraClass : ""));
    bubble.appendChild(make("span", "visually-hidden", speaker(role)));
    var body = make("span", "msg-text");
    body.setAttribute("dir", "auto");  // an Arabic or Hebrew line reads right to left
    if (role === "bot") { appendWithTelLinks(body, text); } else { body.textContent = text; }
    bubble.appendChild(body);
    var stamp = at ? timeStamp(at) : null;
    if (stamp) { bubble.appendChild(stamp); }
    el.log.appendChild(bubble);
    return bubble;
  }

  // Hotline numbers (labels.hotlines, from content/facts.yml) as tel: links; a number
  // that is part of an amount, a date or a count (labels.tel_links) stays text.
  function telPattern() {
    if (state.telPattern !== undefined) { return state.telPattern; }
    var numbers = (Array.isArray(labels.hotlines) ? labels.hotlines : []).filter(function (n) {
      return typeof n === "string" && /^[0-9]{3,15}$/.test(n);
    }).sort(function (a, b) { return b.length - a.length; });
    var rules = has(labels, "tel_links") ? labels.tel_links : {};
    var notAfter = typeof rules.not_after === "string" ? rules.not_after : "";
    var escaped = notAfter.replace(/[\]\\^\-]/g, "\\$&");
    state.telPattern = numbers.length
      ? new RegExp("(^|[^0-9" + escaped + "])(" + numbers.join("|") + ")", "g") : null;
    return state.telPattern;
  }

  function isPartOfFigure(text, end) {
    var next = text.charAt(end);
    if (/[0-9]/.test(next) || (/[.,]/.test(next) && /[0-9]/.test(text.charAt(end + 1)))) { return true; }
    var rest = text.slice(end).replace(/^[ \u00a0]+/, "");
    var units = has(labels, "tel_links") && Array.isArray(labels.tel_links.not_before) ? labels.tel_links.not_before : [];
    return units.some(function (unit) { return typeof unit === "string" && unit && rest.indexOf(unit) === 0; });
  }

  function appendWithTelLinks(node, text) {
    var pattern = telPattern();
    var last = 0;
    var match;
    if (pattern) {
      pattern.lastIndex = 0;
      while ((match = pattern.exec(text)) !== null) {
        var start = match.index + match[1].length;
        var end = start + match[2].length;
        if (isPartOfFigure(text, end)) { pattern.lastIndex = end; continue; }
        node.appendChild(document.createTextNode(text.slice(last, start)));
        var link = make("a", "tel-link", match[2]);
        link.href = "tel:" + match[2];
        node.appendChild(link);
        last = end;
        pattern.lastIndex = end;
      }
    }
    node.appendChild(document.createTextNode(text.slice(last)));
  }

  function record(role, text, at) {
    state.transcript.push({ role: role, text: text, at: at || new Date() });
  }

  function quickReplyButtons() { return el.log.querySelectorAll(".quick-replies button"); }

  function retireQuickReplies() {
    Array.prototype.forEach.call(quickReplyButtons(), function (button) { button.disabled = true; });
  }

  function addButtons(buttons) {
    var group = make("div", "quick-replies");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", t("chat.quick_replies_label"));
    buttons.forEach(function (button) {
      if (!button || typeof button.payload !== "string") { return; }
      var title = String(button.title || button.payload);
      var node = make("button", "quick-reply", title);
      node.type = "button";
      node.setAttribute("dir", "auto");
      node.addEventListener("click", function () {
        if (!state.busy && !node.disabled) { sendMessage(button.payload, title); }
      });
      group.appendChild(node);
    });
    el.log.appendChild(group);
  }

  function renderBotMessage(message, at, live) {
    if (typeof message.text === "string" && message.text.trim()) {
      addBubble("bot", message.text, null, at);
      record("bot", message.text, at);
    }
    if (Array.isArray(message.buttons) && message.buttons.length) {
      addButtons(message.buttons);
    }
    if (message.custom && typeof message.custom === "object") {
      renderCustom(message.custom, live);
    }
  }

  // live: it came just now (not redrawn from the history).
  function renderCustom(custom, live) {
    var card = null;
    var text = null;
    if (custom.type === "repayment_offer") { card = offerCard(custom); text = offerText(custom); }
    if (custom.type === "roleplay_score") { card = scoreCard(custom); text = scoreText(custom); }
    if (custom.type === "debt_plan") { card = debtPlanCard(custom); text = debtPlanText(custom); }
    if (custom.type === "document") { card = documentCard(custom); text = documentText(custom); }
    if (custom.type === "contact_log") { card = contactLogCard(custom); text = contactLogText(custom); }
    if (!card) { return; }  // unknown payload types are ignored
    el.log.appendChild(card);
    record("bot", text);
    if (live && custom.type === "document") { documentArrived(); }
  }

  function renderHistoryMessage(message, at) {
    var when = isNumber(at) ? new Date(at * 1000) : null;
    if (message.role === "user") {
      retireQuickReplies();
      addBubble("user", message.text || "", null, when);
      record("user", message.text || "", when);
    } else {
      renderBotMessage(message, when);
    }
  }

  function showWelcome() {
    addBubble("bot", t("chat.welcome"), "msg-local");
  }

  function showNotice(text) {
    var notice = make("p", "notice", text);
    el.log.appendChild(notice);
    scrollToEnd();
  }

  function showTyping() {
    hideTyping();
    var typing = make("div", "msg msg-bot typing");
    typing.appendChild(make("span", "visually-hidden", t("chat.typing")));
    for (var i = 0; i < 3; i += 1) {
      typing.appendChild(make("span", "dot")).setAttribute("aria-hidden", "true");
    }
    el.log.appendChild(typing);
    state.typing = typing;
    scrollToEnd();
  }

  function hideTyping() {
    if (state.typing && state.typing.parentNode) { state.typing.parentNode.removeChild(state.typing); }
    state.typing = null;
  }

  // ---------------------------------------------------------------- scrolling

  function isNearEnd() { return el.log.scrollHeight - el.log.scrollTop - el.log.clientHeight < 48; }

  function updateLatest() { el.latest.hidden = isNearEnd(); }

  function scrollToEnd() {
    el.log.scrollTop = el.log.scrollHeight;
    updateLatest();
  }

  // A reply taller than the log starts at the top of the view (the reader begins at its
  // first line, not its last); the "latest messages" pill (page.latest) then leads to the end.
  function showReply(first) {
    if (!first) { scrollToEnd(); return; }
    var top = Math.max(0, first.offsetTop - 8);
    if (el.log.scrollHeight - top > el.log.clientHeight) {
      el.log.scrollTop = top;
      updateLatest();
    } else {
      scrollToEnd();
    }
  }

  function goToLatest() {
    var hadFocus = document.activeElement === el.latest;
    scrollToEnd();
    if (hadFocus) { el.log.focus(); }
  }

  // ---------------------------------------------------------------- cards: print

  function printButton(card, title) {
    var button = make("button", "card-print", t("card.print"));
    button.type = "button";
    button.appendChild(make("span", "visually-hidden", t("card.print_label", { title: title })));
    button.addEventListener("click", function () { printCard(card); });
    return button;
  }

  // The browser's print dialog with this card alone ("Save as PDF" keeps it as a file).
  function printCard(card) {
    var root = document.documentElement;
    function done() {
      root.classList.remove("print-one");
      card.classList.remove("print-target");
      window.removeEventListener("afterprint", done);
    }
    root.classList.add("print-one");
    card.classList.add("print-target");
    window.addEventListener("afterprint", done);
    window.print();
  }

  // Ctrl+P (not a card's button) prints the whole conversation; folded notes print open.
  var unfolded = [];
  window.addEventListener("beforeprint", function () {
    if (!document.querySelector(".print-target")) { document.documentElement.classList.remove("print-one"); }
    unfolded = Array.prototype.filter.call(el.log.querySelectorAll("details:not([open])"), function (details) {
      details.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    unfolded.forEach(function (details) { details.open = false; });
    unfolded = [];
  });

  // ---------------------------------------------------------------- offer card

  // A card: a region named by its heading (h2 under the page's h1), with its print button (card.print).
  function cardShell(className, title) {
    var card = make("section", "card " + className);
    var heading = make("h2", "card-title", title);
    heading.id = "card-" + newMessageId().slice(0, 12);
    card.setAttribute("aria-labelledby", heading.id);
    var head = make("div", "card-head");
    head.appendChild(heading);
    head.appendChild(printButton(card, title));
    card.appendChild(head);
    return card;
  }

  function addRow(list, label, value, className) {
    var row = make("div", "card-row" + (className ? " " + className : ""));
    row.appendChild(make("dt", null, label));
    row.appendChild(make("dd", null, value));
    list.appendChild(row);
  }

  function plan(monthly, months) {
    if (!isNumber(monthly) || !isNumber(months) || monthly <= 0 || months <= 0) { return t("format.none"); }
    return t("format.plan", { monthly: yuan(monthly), months: months });
  }

  function waiverNames(list) {
    return (Array.isArray(list) ? list : []).map(function (code) { return label("waivers", code); });
  }

  // The lump-sum option ({available, suggested_opening, typical_range: [low, high]}) in
  // words, or null when the offer has none.
  function lumpSumText(lump) {
    if (!lump || typeof lump !== "object" || !isNumber(lump.suggested_opening)) { return null; }
    var range = Array.isArray(lump.typical_range) ? lump.typical_range : [];
    if (lump.suggested_opening <= 0 || !isNumber(range[0]) || !isNumber(range[1])) { return null; }
    return t("offer.lump_sum_value", {
      available: yuan(lump.available), suggested: yuan(lump.suggested_opening),
      low: yuan(range[0]), high: yuan(range[1])
    });
  }

  function notesList(notes, className) {
    var list = make("ul", className);
    (Array.isArray(notes) ? notes : []).forEach(function (note) {
      list.appendChild(make("li", null, note));
    });
    return list;
  }

  function offerCard(offer) {
    var feasible = offer.feasible !== false;
    var card = cardShell("offer" + (feasible ? "" : " offer-infeasible"),
      t(feasible ? "offer.title" : "offer.title_infeasible"));
    var summary = t("offer.summary_balance", { balance: yuan(offer.balance) });
    if (offer.lender_type) { summary += t("offer.summary_lender", { lender: label("lenders", offer.lender_type) }); }
    if (isNumber(offer.disposable_monthly)) {
      summary += t("offer.summary_disposable", { disposable: yuan(offer.disposable_monthly) });
    }
    card.appendChild(make("p", "card-summary", summary));
    if (!feasible && offer.notes && offer.notes.length) {
      card.appendChild(notesList(offer.notes, "card-notes card-notes-alert"));
    }
    var rows = make("dl", "card-rows");
    addRow(rows, t("offer.opening"), plan(offer.opening_monthly, offer.opening_term_months), "row-opening");
    addRow(rows, t("offer.ceiling"), plan(offer.ceiling_monthly, offer.ceiling_term_months), "row-ceiling");
    var waivers = waiverNames(offer.waiver_request);
    if (waivers.length) { addRow(rows, t("offer.waivers"), waivers.join(t("format.list_separator")), "row-waivers"); }
    var lump = lumpSumText(offer.lump_sum);
    if (lump) { addRow(rows, t("offer.lump_sum"), lump, "row-lump-sum"); }
    card.appendChild(rows);
    if (feasible) {
      var chart = balanceChart(offer);
      if (chart) { card.appendChild(chart); }
      appendNotes(card, offer.notes);
    }
    return card;
  }

  // The first note stays visible; the rest fold into a "more notes" section.
  function appendNotes(card, notes) {
    if (!Array.isArray(notes) || !notes.length) { return; }
    card.appendChild(notesList(notes.slice(0, 1), "card-notes"));
    if (notes.length < 2) { return; }
    var more = make("details", "card-more");
    more.appendChild(make("summary", null, t("offer.more_notes", { count: notes.length - 1 })));
    more.appendChild(notesList(notes.slice(1), "card-notes"));
    card.appendChild(more);
  }

  function balanceSeries(balance, monthly, months) {
    var points = [];
    for (var month = 0; month <= months; month += 1) {
      points.push([month, Math.max(0, balance - monthly * month)]);
    }
    return points;
  }

  function chartLine(series, scaleX, scaleY, className) {
    var points = series.map(function (p) {
      return scaleX(p[0]).toFixed(1) + "," + scaleY(p[1]).toFixed(1);
    }).join(" ");
    return svg("polyline", { points: points, "class": className, fill: "none" });
  }

  function chartText(x, y, text, className, anchor) {
    var node = svg("text", { x: x, y: y, "class": className || "chart-label", "text-anchor": anchor || "start" });
    node.textContent = text;
    return node;
  }

  function balanceChart(offer) {
    return plansChart(offer.balance, [
      { balance: offer.balance, monthly: offer.opening_monthly, months: offer.opening_term_months, name: t("offer.opening"), css: "line-opening" },
      { balance: offer.balance, monthly: offer.ceiling_monthly, months: offer.ceiling_term_months, name: t("offer.ceiling"), css: "line-ceiling" }
    ]);
  }

  // Several debts: one line per debt, each falling from its own balance.
  var DEBT_LINES = 6;
  function debtPlanChart(payload) {
    var debts = payload.debts.filter(function (debt) { return debt && isNumber(debt.balance); });
    var highest = Math.max.apply(null, debts.map(function (debt) { return debt.balance; }).concat([0]));
    return plansChart(highest, debts.map(function (debt, index) {
      return { balance: debt.balance, monthly: debt.monthly, months: debt.term_months,
        name: debt.label ? String(debt.label) : label("lenders", debt.lender_type),
        css: "line-debt line-debt-" + (index % DEBT_LINES) };
    }));
  }

  // Balances falling month by month, one line per plan ({balance, monthly, months, name, css}).
  function plansChart(balance, candidates) {
    var plans = candidates.filter(function (p) {
      return isNumber(p.balance) && p.balance > 0 && isNumber(p.monthly) && p.monthly > 0 && isNumber(p.months) && p.months > 0;
    });
    if (!isNumber(balance) || balance <= 0 || !plans.length) { return null; }

    var width = 320, height = 170, left = 52, right = 12, top = 14, bottom = 30;
    var lastMonth = Math.max.apply(null, plans.map(function (p) { return p.months; }));
    var scaleX = function (m) { return left + (width - left - right) * m / lastMonth; };
    var scaleY = function (v) { return top + (height - top - bottom) * (1 - v / balance); };
    var description = t("chart.label", { description: plans.map(function (p) {
      return t("chart.description", { plan: p.name, monthly: yuan(p.monthly), months: p.months,
        left: yuan(Math.max(0, p.balance - p.monthly * p.months)) });
    }).join(t("chart.description_separator")) });

    var figure = make("figure", "chart");
    var chart = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", "class": "chart-svg",
      "aria-label": description });
    var title = svg("title");
    title.textContent = description;
    chart.appendChild(title);
    chart.appendChild(svg("line", { x1: left, y1: scaleY(0), x2: width - right, y2: scaleY(0), "class": "chart-axis" }));
    chart.appendChild(svg("line", { x1: left, y1: scaleY(balance), x2: left, y2: scaleY(0), "class": "chart-axis" }));
    chart.appendChild(svg("line", { x1: left, y1: scaleY(balance / 2), x2: width - right, y2: scaleY(balance / 2), "class": "chart-grid" }));
    chart.appendChild(chartText(left - 4, scaleY(balance) + 4, yuan(balance), "chart-label", "end"));
    chart.appendChild(chartText(left - 4, scaleY(balance / 2) + 4, yuan(balance / 2), "chart-label", "end"));
    chart.appendChild(chartText(left - 4, scaleY(0) + 4, "0", "chart-label", "end"));
    chart.appendChild(chartText(left, height - 8, t("chart.start"), "chart-label", "start"));
    chart.appendChild(chartText(width - right, height - 8, t("chart.end", { months: lastMonth }), "chart-label", "end"));
    plans.forEach(function (p) {
      chart.appendChild(chartLine(balanceSeries(p.balance, p.monthly, p.months), scaleX, scaleY, "chart-line " + p.css));
    });
    figure.appendChild(chart);
    figure.appendChild(chartLegend(plans));
    return figure;
  }

  function chartLegend(plans) {
    var legend = make("figcaption", "chart-legend");
    plans.forEach(function (p) {
      var item = make("span", "legend-item");
      item.appendChild(make("span", "legend-swatch " + p.css));
      item.appendChild(make("span", null, p.name + " " + plan(p.monthly, p.months)));
      legend.appendChild(item);
    });
    return legend;
  }

  function textRow(name, value) { return t("format.row", { label: name, value: value }); }

  function noteLines(notes) {
    return (Array.isArray(notes) ? notes : []).map(function (note) { return t("format.note", { note: note }); });
  }

  function offerText(offer) {
    var lines = [t(offer.feasible === false ? "offer.transcript_title_infeasible" : "offer.transcript_title"),
      textRow(t("offer.balance"), yuan(offer.balance)),
      textRow(t("offer.opening"), plan(offer.opening_monthly, offer.opening_term_months)),
      textRow(t("offer.ceiling"), plan(offer.ceiling_monthly, offer.ceiling_term_months))];
    var waivers = waiverNames(offer.waiver_request);
    if (waivers.length) { lines.push(textRow(t("offer.waivers"), waivers.join(t("format.list_separator")))); }
    var lump = lumpSumText(offer.lump_sum);
    if (lump) { lines.push(textRow(t("offer.lump_sum"), lump)); }
    return lines.concat(noteLines(offer.notes)).join("\n");
  }

  // ---------------------------------------------------------------- score card

  function mark(value) {
    if (value === true) {
      return { symbol: t("score.marks.yes.symbol"), css: "crit-yes", label: t("score.marks.yes.label") };
    }
    if (value === false) {
      return { symbol: t("score.marks.no.symbol"), css: "crit-no", label: t("score.marks.no.label") };
    }
    return { symbol: t("score.marks.na.symbol"), css: "crit-na", label: t("score.marks.na.label") };
  }

  // The three parts of the score, each with its label path (content/widget.yml score.parts).
  var PARTS = [
    ["outcome", "score.parts.outcome"], ["process", "score.parts.process"], ["conduct", "score.parts.conduct"]
  ];

  function percent(value) { return Math.max(0, Math.min(100, Math.round(value))); }

  // A round that was scored: finished is not false and the score is a number. An
  // unfinished round (finished false, score null) shows score.unfinished, never a 0.
  function isScored(score) { return score.finished !== false && isNumber(score.score); }

  // Outcome, process and conduct: a row each, the value in words ("68 / 100") and a bar
  // that only draws it (aria-hidden). Outcome without a deal says so instead of a number.
  function partsList(parts) {
    var list = make("dl", "score-parts");
    PARTS.forEach(function (part) {
      var value = has(parts, part[0]) ? parts[part[0]] : null;
      var row = make("div", "score-part score-part-" + part[0]);
      row.appendChild(make("dt", null, t(part[1])));
      var cell = make("dd");
      if (isNumber(value)) {
        cell.appendChild(make("span", "part-value", t("score.part_value", { value: percent(value) })));
        var bar = make("span", "part-bar");
        bar.setAttribute("aria-hidden", "true");
        var fill = bar.appendChild(make("span", "part-fill"));
        fill.style.width = percent(value) + "%";
        cell.appendChild(bar);
      } else {
        cell.appendChild(make("span", "part-value part-none",
          part[0] === "outcome" ? label("practice", "no_outcome") : t("format.none")));
      }
      row.appendChild(cell);
      list.appendChild(row);
    });
    return list;
  }

  function usableComments(comments) {
    return (Array.isArray(comments) ? comments : []).filter(function (c) {
      return c && typeof c === "object" && typeof c.comment === "string" && c.comment;
    });
  }

  function commentLabel(comment) {
    return t("score.debrief_label", {
      kind: comment.kind_text ? String(comment.kind_text) : String(comment.kind || ""),
      label: comment.label_text ? String(comment.label_text) : String(comment.label || "")
    });
  }

  // The coach's comments (debrief): each its label, the learner's words it is about, the
  // comment and a sentence to say instead.
  function debriefList(comments) {
    var list = make("ol", "debrief");
    comments.forEach(function (comment) {
      var item = make("li", "debrief-item debrief-" + (comment.kind === "strength" ? "strength" : "error"));
      item.appendChild(make("p", "debrief-label", commentLabel(comment)));
      if (comment.quote && isNumber(comment.turn)) {
        var quote = make("p", "debrief-quote", t("score.debrief_quote", { turn: comment.turn, quote: comment.quote }));
        quote.setAttribute("dir", "auto");
        item.appendChild(quote);
      }
      item.appendChild(make("p", "debrief-comment", comment.comment));
      if (comment.say) { item.appendChild(make("p", "debrief-say", t("score.debrief_say", { say: comment.say }))); }
      list.appendChild(item);
    });
    return list;
  }

  function progressLines(progress) {
    if (typeof progress === "string") { return progress.trim() ? [progress] : []; }
    return (Array.isArray(progress) ? progress : []).filter(function (line) {
      return typeof line === "string" && line.trim();
    });
  }

  function usableTurns(turns) {
    return (Array.isArray(turns) ? turns : []).filter(function (turn) { return turn && typeof turn === "object"; });
  }

  function turnFound(turn) {
    var found = (Array.isArray(turn.found) ? turn.found : []).filter(function (code) {
      return typeof code === "string" && code !== "silent";
    }).map(function (code) { return label("found", code); });
    return found.length ? t("score.replay_found", { found: found.join(t("score.replay_separator")) }) : null;
  }

  function turnSaid(turn, index) {
    var said = typeof turn.text === "string" && turn.text.trim() ? turn.text : t("score.replay_nothing");
    return t("score.replay_turn", { turn: isNumber(turn.turn) ? turn.turn : index + 1, text: said });
  }

  // The replay (score.replay): folded, every turn of the learner with the coach's note on it.
  function replaySection(turns) {
    var fold = make("details", "card-more replay");
    fold.appendChild(make("summary", null, t("score.replay", { count: turns.length })));
    var list = make("ul", "replay-turns");
    turns.forEach(function (turn, index) {
      var item = make("li", "replay-turn");
      var said = make("p", "replay-said", turnSaid(turn, index));
      said.setAttribute("dir", "auto");
      item.appendChild(said);
      if (typeof turn.note === "string" && turn.note) { item.appendChild(make("p", "replay-note", turn.note)); }
      var found = turnFound(turn);
      if (found) { item.appendChild(make("p", "replay-found", found)); }
      list.appendChild(item);
    });
    fold.appendChild(list);
    return fold;
  }

  function criteriaList(criteria) {
    var list = make("ul", "criteria");
    Object.keys(criteria || {}).forEach(function (key) {
      var m = mark(criteria[key]);
      var item = make("li", "crit " + m.css);
      var symbol = make("span", "crit-mark", m.symbol);
      symbol.setAttribute("aria-hidden", "true");  // the mark is said in words instead
      item.appendChild(symbol);
      item.appendChild(make("span", "visually-hidden crit-label", t("score.mark_label", { label: m.label })));
      item.appendChild(make("span", null, label("criteria", key)));
      list.appendChild(item);
    });
    return list;
  }

  function scoreCard(score) {
    var scored = isScored(score);
    var card = cardShell("score" + (scored ? "" : " score-unfinished"), t("score.title"));
    var big = make("p", "score-value");
    if (scored) {
      big.appendChild(make("span", "score-number", percent(score.score)));
      big.appendChild(make("span", "score-max", t("score.out_of")));
    } else {
      big.appendChild(make("span", "score-status", t("score.unfinished")));
    }
    card.appendChild(big);
    if (score.persona) {
      card.appendChild(make("p", "card-summary", t("score.opponent", { persona: label("personas", score.persona) })));
    }
    if (!scored) {
      card.appendChild(make("p", "score-todo", label("practice", "unfinished")));
    } else {
      if (score.parts && typeof score.parts === "object") {
        card.appendChild(make("h3", "card-subtitle", t("score.parts_title")));
        card.appendChild(partsList(score.parts));
      }
      card.appendChild(criteriaList(score.criteria));
      var agreed = score.agreed && isNumber(score.agreed.monthly)
        ? plan(score.agreed.monthly, score.agreed.term_months) : t("score.no_agreement");
      var rows = make("dl", "card-rows");
      addRow(rows, t("score.agreed"), agreed);
      card.appendChild(rows);
      var comments = usableComments(score.debrief);
      if (comments.length) {
        card.appendChild(make("h3", "card-subtitle", t("score.debrief_title")));
        card.appendChild(debriefList(comments));
      }
      // progress: its own heading line (which round this is), then what changed.
      var progress = progressLines(score.progress);
      if (progress.length) {
        var heading = progress.length > 1 ? progress[0] : t("score.progress_title");
        card.appendChild(make("h3", "card-subtitle", heading));
        card.appendChild(notesList(progress.length > 1 ? progress.slice(1) : progress, "card-notes score-progress"));
      }
      if (score.tips && score.tips.length) {
        card.appendChild(make("h3", "card-subtitle", t("score.tips")));
        card.appendChild(notesList(score.tips, "card-notes"));
      }
    }
    var turns = usableTurns(score.turns);
    if (turns.length) { card.appendChild(replaySection(turns)); }
    return card;
  }

  function scoreText(score) {
    if (!isScored(score)) {
      return [t("score.transcript_unfinished"), label("practice", "unfinished")].join("\n");
    }
    var lines = [t("score.transcript_title", { score: percent(score.score) })];
    if (score.parts && typeof score.parts === "object") {
      PARTS.forEach(function (part) {
        var value = score.parts[part[0]];
        lines.push(textRow(t(part[1]), isNumber(value) ? t("score.part_value", { value: percent(value) })
          : (part[0] === "outcome" ? label("practice", "no_outcome") : t("format.none"))));
      });
    }
    Object.keys(score.criteria || {}).forEach(function (key) {
      lines.push(mark(score.criteria[key]).symbol + " " + label("criteria", key));
    });
    usableComments(score.debrief).forEach(function (comment) {
      lines.push(t("format.note", { note: commentLabel(comment) + " " + comment.comment }));
    });
    return lines.concat(progressLines(score.progress), noteLines(score.tips)).join("\n");
  }

  // ---------------------------------------------------------------- debt plan card

  // The debt_plan payload (several debts, docs/contract.md §3): one row per debt.
  function debtPlanCard(payload) {
    if (!Array.isArray(payload.debts) || !payload.debts.length) { return null; }
    var feasible = payload.feasible !== false;
    var card = cardShell("debt-plan" + (feasible ? "" : " offer-infeasible"),
      t(feasible ? "debt_plan.title" : "debt_plan.title_infeasible"));
    card.appendChild(make("p", "card-summary", t("debt_plan.summary", {
      count: payload.debts.length, affordable: yuan(payload.affordable_monthly)
    })));
    if (!feasible && Array.isArray(payload.notes) && payload.notes.length) {
      card.appendChild(notesList(payload.notes, "card-notes card-notes-alert"));
    }
    var rows = make("dl", "card-rows");
    var total = 0;
    payload.debts.forEach(function (debt) {
      if (!debt || typeof debt !== "object") { return; }
      var name = t("debt_plan.debt", {
        label: debt.label ? String(debt.label) : label("lenders", debt.lender_type), balance: yuan(debt.balance)
      });
      var value = plan(debt.monthly, debt.term_months);
      if (debt.priority) { value = t("debt_plan.priority", { plan: value }); }
      if (isNumber(debt.monthly)) { total += debt.monthly; }
      addRow(rows, name, value, debt.priority ? "row-priority" : null);
    });
    if (feasible) { addRow(rows, t("debt_plan.total"), yuan(total), "row-total"); }
    card.appendChild(rows);
    var chart = feasible ? debtPlanChart(payload) : null;
    if (chart) { card.appendChild(chart); }
    if (feasible) { appendNotes(card, payload.notes); }
    return card;
  }

  function debtPlanText(payload) {
    var lines = [t(payload.feasible === false ? "debt_plan.transcript_title_infeasible" : "debt_plan.transcript_title")];
    (Array.isArray(payload.debts) ? payload.debts : []).forEach(function (debt) {
      if (!debt || typeof debt !== "object") { return; }
      var name = t("debt_plan.debt", {
        label: debt.label ? String(debt.label) : label("lenders", debt.lender_type), balance: yuan(debt.balance)
      });
      lines.push(textRow(name, plan(debt.monthly, debt.term_months)));
    });
    return lines.concat(noteLines(payload.notes)).join("\n");
  }

  // ---------------------------------------------------------------- document card

  // The lines a document card shows first (folded); the rest fold on inside, so the whole
  // text can be read and copied in the chat. The card's print button and the downloads give it whole.
  var PREVIEW_LINES = 8;

  function documentTitle(doc) {
    return typeof doc.title === "string" && doc.title.trim() ? doc.title : kindName(doc.kind);
  }

  function textBlock(lines) {
    var block = make("div", "document-text", lines.join("\n"));
    block.setAttribute("dir", "auto");
    return block;
  }

  // The text's lines, split after its PREVIEW_LINES-th line that is not empty.
  function splitText(text) {
    var lines = text.replace(/\r\n?/g, "\n").replace(/^\s*\n|\s+$/g, "").split("\n");
    var seen = 0;
    var cut = lines.length;
    for (var i = 0; i < lines.length; i += 1) {
      if (lines[i].trim()) { seen += 1; }
      if (seen === PREVIEW_LINES) { cut = i + 1; break; }
    }
    var rest = lines.slice(cut);
    while (rest.length && !rest[0].trim()) { rest.shift(); }
    return { first: lines.slice(0, cut), rest: rest };
  }

  // The document payload (docs/contract.md §3): title, kind and time, the text folded (its
  // first lines, then the rest), the whole text for printing, and its downloads.
  function documentCard(doc) {
    if (typeof doc.text !== "string" || !doc.text.trim()) { return null; }
    var title = documentTitle(doc);
    var card = cardShell("document", title);
    card.appendChild(make("p", "card-summary", t("materials.meta", {
      kind: kindName(doc.kind), time: t("documents.created", { time: isoWhen(doc.created_at) })
    })));
    var parts = splitText(doc.text);
    var restCount = parts.rest.filter(function (line) { return line.trim(); }).length;
    var fold = make("details", "card-more document-preview");
    fold.appendChild(make("summary", null,
      restCount ? t("documents.preview", { count: PREVIEW_LINES }) : t("documents.preview_all")));
    fold.appendChild(textBlock(parts.first));
    if (restCount) {
      var more = make("details", "card-more document-rest");
      more.appendChild(make("summary", null, t("documents.preview_rest", { count: restCount })));
      more.appendChild(textBlock(parts.rest));
      fold.appendChild(more);
    }
    card.appendChild(fold);
    var whole = make("div", "document-full", doc.text);  // printed instead of the folds
    whole.setAttribute("dir", "auto");
    card.appendChild(whole);
    var links = downloadLinks(doc.download, null, title);
    if (links) { card.appendChild(links); }
    return card;
  }

  function documentText(doc) {
    return [t("documents.transcript_title", { kind: kindName(doc.kind), title: documentTitle(doc) }),
      String(doc.text || "")].join("\n");
  }

  // ---------------------------------------------------------------- contact log card

  function usableEntries(log) {
    return (Array.isArray(log.entries) ? log.entries : []).filter(function (entry) {
      return entry && typeof entry === "object";
    });
  }

  function usableViolations(entry) {
    return (Array.isArray(entry.violations) ? entry.violations : []).filter(function (v) {
      return v && typeof v === "object" && typeof v.text === "string" && v.text;
    });
  }

  function entryWho(entry) {
    return t("contact_log.who", {
      organisation: entry.organisation ? String(entry.organisation) : t("contact_log.no_organisation"),
      collector: entry.collector ? String(entry.collector) : t("contact_log.no_collector")
    });
  }

  function entryWhen(entry) {
    return t("contact_log.entry", { when: isoWhen(entry.at), channel: label("channels", entry.channel || "other") });
  }

  // The contact_log payload: one row per recorded contact (when, how, who, what happened)
  // and the rules it may have broken. Numbered as the coach numbers them in the chat.
  function contactLogCard(log) {
    var entries = usableEntries(log);
    if (!entries.length) { return null; }
    var card = cardShell("contact-log", t("contact_log.title"));
    card.appendChild(make("p", "card-summary", t("contact_log.summary", { count: entries.length })));
    var list = make("ol", "contact-rows");
    entries.forEach(function (entry) {
      var row = make("li", "contact-row");
      row.appendChild(make("p", "contact-when", entryWhen(entry)));
      row.appendChild(make("p", "contact-who", entryWho(entry)));
      if (entry.summary) {
        var summary = make("p", "contact-summary", entry.summary);
        summary.setAttribute("dir", "auto");
        row.appendChild(summary);
      }
      var violations = usableViolations(entry);
      if (violations.length) {
        row.appendChild(make("p", "contact-violations-title", t("contact_log.violations")));
        var found = make("ul", "contact-violations");
        violations.forEach(function (violation) { found.appendChild(make("li", "violation", violation.text)); });
        row.appendChild(found);
      } else {
        row.appendChild(make("p", "contact-clean", t("contact_log.no_violations")));
      }
      list.appendChild(row);
    });
    card.appendChild(list);
    return card;
  }

  function contactLogText(log) {
    var lines = [t("contact_log.transcript_title")];
    usableEntries(log).forEach(function (entry, index) {
      lines.push(t("contact_log.transcript_entry", {
        number: index + 1, when: isoWhen(entry.at), channel: label("channels", entry.channel || "other"),
        who: entryWho(entry), summary: entry.summary ? String(entry.summary) : t("format.none")
      }));
      usableViolations(entry).forEach(function (violation) {
        lines.push(t("contact_log.transcript_violation", { text: violation.text }));
      });
    });
    return lines.join("\n");
  }

  // ---------------------------------------------------------------- materials (the dialog)

  function setMaterialsStatus(text) { el.panelStatus.textContent = text; }

  // The conversation's documents (GET documents), newest first.
  function showMaterials(documents) {
    var shown = documents.filter(function (doc) {
      return doc && typeof doc === "object" && documentHref(doc.download, doc.id, "txt");
    }).reverse();
    el.panelList.textContent = "";
    el.panelList.hidden = !shown.length;
    setMaterialsStatus(shown.length ? t("materials.count", { count: shown.length }) : t("materials.empty"));
    shown.forEach(function (doc) {
      var title = documentTitle(doc);
      var item = make("li", "material");
      item.appendChild(make("h3", "material-title", title));
      item.appendChild(make("p", "material-meta",
        t("materials.meta", { kind: kindName(doc.kind), time: isoWhen(doc.created_at) })));
      var links = downloadLinks(doc.download, doc.id, title);
      if (links) { item.appendChild(links); }
      el.panelList.appendChild(item);
    });
  }

  function loadMaterials() {
    state.materialsLoad += 1;
    var load = state.materialsLoad;
    setMaterialsStatus(t("materials.loading"));
    return ensureConversation().then(function () {
      return request("GET", "documents?sender=" + encodeURIComponent(state.sender));
    }).then(function (result) {
      if (load !== state.materialsLoad) { return; }
      var data = result.data;
      if (!result.ok || !data || !Array.isArray(data.documents)) { throw new Error("status " + result.status); }
      showMaterials(data.documents);
    }).catch(function () {
      if (load !== state.materialsLoad) { return; }
      el.panelList.textContent = "";
      el.panelList.hidden = true;
      setMaterialsStatus(t("materials.failed"));
    });
  }

  // A modal dialog: the rest of the page is inert while it is open, Esc closes it (the
  // browser's own), and the focus goes back to the header's materials button.
  function openMaterials() {
    if (el.panel.open) { return; }
    el.panelList.textContent = "";
    el.panelList.hidden = true;
    if (typeof el.panel.showModal === "function") { el.panel.showModal(); } else { el.panel.setAttribute("open", ""); }
    el.materials.setAttribute("aria-expanded", "true");
    el.panelClose.focus();
    loadMaterials();
  }

  function closeMaterials() {
    if (typeof el.panel.close === "function") { el.panel.close(); } else { el.panel.removeAttribute("open"); materialsClosed(); }
  }

  function materialsClosed() {
    state.materialsLoad += 1;  // a list still on its way is not shown any more
    el.materials.setAttribute("aria-expanded", "false");
    el.materials.focus();
  }

  // A document the coach just wrote: the open panel lists it at once.
  function documentArrived() {
    if (el.panel.open) { loadMaterials(); }
  }

  // ---------------------------------------------------------------- sending

  function showError(text, canRetry) {
    el.statusText.textContent = text;
    el.retry.hidden = !canRetry;
    el.status.hidden = false;
  }

  function clearError() {
    el.status.hidden = true;
    el.statusText.textContent = "";
  }

  function isUnknownOutcome(error, status) {
    return (error && error.message === "timeout") || status >= 500;
  }

  function errorText(error, status) {
    if (error && error.message === "timeout") { return t("chat.timeout", { seconds: TIMEOUT_MS / 1000 }); }
    if (status) { return t("chat.server_error"); }
    return t("chat.offline");
  }

  // A message the user wrote: its bubble now, its delivery in turn (serial()).
  function sendMessage(message, shownText) {
    if (state.busy) { return false; }
    var text = shownText || message;
    var at = new Date();
    var pending = { id: newMessageId(), message: message, shown: shownText, text: text };
    pending.bubble = addBubble("user", text, null, at);
    record("user", text, at);
    scrollToEnd();
    deliver(pending);
    return true;
  }

  function deliver(pending) {
    return serial(function () { return attempt(pending); });
  }

  function attempt(pending) {
    if (pending.delivered) { return Promise.resolve(); }
    clearError();
    markPending(pending, null);
    showTyping();
    var generation = state.generation;
    return ensureConversation().then(function () {
      var body = { sender: state.sender, message: pending.message, message_id: pending.id };
      if (pending.shown) { body.metadata = { display_text: pending.shown }; }
      return request("POST", "webhook", body);
    }).then(function (result) {
      hideTyping();
      if (generation !== state.generation) { return; }  // another conversation by now
      if (result.status === 403) { return conversationRefused(pending); }
      if (result.ok && Array.isArray(result.data)) { state.verified = true; return delivered(pending, result); }
      if (result.status === 400 && result.data && result.data.message) {
        return delivered(pending, { data: [{ text: result.data.message }], headers: result.headers });
      }
      failed(pending, null, result.status);
    }, function (error) {
      hideTyping();
      failed(pending, error, 0);
    });
  }

  function isDeletion(result) {
    var header = result.headers && result.headers.get ? result.headers.get(DELETED_HEADER) : null;
    return header === "true" || result.data.some(function (message) {
      return message && message.custom && message.custom.type === DELETED_PAYLOAD;
    });
  }

  function delivered(pending, result) {
    pending.delivered = true;
    markPending(pending, null);
    state.failed = state.failed.filter(function (other) { return other !== pending; });
    if (isDeletion(result)) {
      // The user confirmed a deletion in words: the server deleted the conversation, so
      // the screen is cleared exactly as the delete button does it.
      return startNewChat(t("chat.deleted"));
    }
    retireQuickReplies();  // only now: a failed message leaves them usable
    var before = el.log.lastElementChild;
    var at = new Date();
    result.data.forEach(function (message) { if (message) { renderBotMessage(message, at, true); } });
    var first = before ? before.nextElementSibling : el.log.firstElementChild;
    showReply(first);
    if (first) { tellHost("reply"); }
    focusInput();
  }

  // The bubble's delivery state: null (sending or delivered), "failed" (chat.not_sent) or
  // "unknown" (chat.maybe_sent: a timeout or a server error), with its own resend button.
  function markPending(pending, kind) {
    var bubble = pending.bubble;
    bubble.classList.toggle("msg-pending", !!kind);
    bubble.classList.toggle("msg-unknown", kind === "unknown");
    if (pending.row && pending.row.parentNode) { pending.row.parentNode.removeChild(pending.row); }
    pending.row = null;
    if (!kind || !bubble.parentNode) { return; }
    var row = make("div", "msg-state");
    row.appendChild(make("span", "msg-state-text", t(kind === "unknown" ? "chat.maybe_sent" : "chat.not_sent")));
    var button = make("button", "resend", t("chat.resend"));
    button.type = "button";
    button.addEventListener("click", function () { resend(pending); });
    row.appendChild(button);
    bubble.parentNode.insertBefore(row, bubble.nextSibling);
    pending.row = row;
  }

  function failed(pending, error, status) {
    markPending(pending, isUnknownOutcome(error, status) ? "unknown" : "failed");
    if (state.failed.indexOf(pending) < 0) { state.failed.push(pending); }
    showError(errorText(error, status), true);
  }

  function resend(pending) {
    if (state.busy || pending.delivered) { return; }
    deliver(pending);
  }

  // The banner's retry button: the latest message that was not delivered.
  function retry() {
    var pending = state.failed[state.failed.length - 1];
    if (pending) { resend(pending); }
  }

  // ---------------------------------------------------------------- actions

  function resetLog() {
    if (el.panel.open) { closeMaterials(); }  // it listed the conversation that is gone
    hideTyping();
    clearError();
    state.failed = [];
    state.transcript = [];
    el.log.textContent = "";
    updateLatest();
  }

  // New chat: a new conversation id and a new credential (the old cookie is replaced).
  function startNewChat(notice) {
    forgetConversation(true);
    resetLog();
    if (notice) { showNotice(notice); }
    showWelcome();
    focusInput();
    return ensureConversation().catch(function () { /* retried with the next message */ });
  }

  // After the message in flight: a new conversation never takes an old reply.
  function newChat() {
    return serial(function () { return startNewChat(t("chat.new_chat")); });
  }

  // Deleting waits for the message in flight (its reply is written first, then deleted
  // with the rest); nothing is sent meanwhile, so nothing lands in the deleted one.
  function deleteRecords() {
    if (!window.confirm(t("chat.delete_confirm"))) { return Promise.resolve(); }
    return serial(function () {
      return ensureConversation().then(function () {
        return request("POST", "delete", { sender: state.sender });
      }).then(function (result) {
        if (!result.ok) { throw new Error("status " + result.status); }
        return startNewChat(t("chat.deleted"));
      }).catch(function () { showNotice(t("chat.delete_failed")); });
    });
  }

  function transcriptText() {
    var lines = [t("transcript.title", { name: t("name") }),
      t("transcript.exported", { time: new Date().toLocaleString(locale()) }), t("transcript.disclaimer"), ""];
    state.transcript.forEach(function (entry) { lines.push(speaker(entry.role) + entry.text, ""); });
    return lines.join("\n");
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function downloadTranscript() {
    var now = new Date();
    var stamp = now.getFullYear() + pad(now.getMonth() + 1) + pad(now.getDate()) +
      "-" + pad(now.getHours()) + pad(now.getMinutes());
    var name = t("transcript.file_name", { stamp: stamp });
    var blob = new Blob(["\ufeff" + transcriptText()], { type: "text/plain;charset=utf-8" });
    var link = make("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  function loadHistory() {
    return request("GET", "history?sender=" + encodeURIComponent(state.sender)).then(function (result) {
      if (result.status === 403) { forgetConversation(true); }  // a stale credential: start afresh
      if (result.ok) { state.verified = true; }
      var data = result.ok && result.data ? result.data : {};
      var messages = Array.isArray(data.messages) ? data.messages : [];
      var times = Array.isArray(data.times) ? data.times : [];
      if (!messages.length) { showWelcome(); return; }
      messages.forEach(function (message, index) { renderHistoryMessage(message, times[index]); });
      scrollToEnd();
    }, function () { showWelcome(); });
  }

  // ---------------------------------------------------------------- input

  // Characters as the server counts them (code points, not UTF-16 units).
  function messageLength(text) {
    var trimmed = text.trim();
    return Array.from ? Array.from(trimmed).length : trimmed.length;
  }

  function updateCounter() {
    var count = messageLength(el.input.value);
    var over = count - MAX_MESSAGE;
    el.counter.hidden = count < COUNTER_FROM;
    el.counter.textContent = over > 0
      ? t("page.counter_over", { over: over, limit: MAX_MESSAGE })
      : t("page.counter", { count: count, limit: MAX_MESSAGE });
    el.counter.classList.toggle("counter-over", over > 0);
    if (over > 0) { el.input.setAttribute("aria-invalid", "true"); } else { el.input.removeAttribute("aria-invalid"); }
    return over;
  }

  function submitInput() {
    var text = el.input.value;
    if (state.busy) { return; }
    if (!text.trim()) { el.input.focus(); return; }
    if (updateCounter() > 0) {  // kept, not sent: the user shortens it
      showError(t("chat.too_long", { limit: MAX_MESSAGE }), false);
      el.input.focus();
      return;
    }
    el.input.value = "";
    autoGrow();
    updateCounter();
    sendMessage(text);
  }

  function isComposing(event) {
    return event.isComposing || event.keyCode === 229;
  }

  function onKeyDown(event) {
    if (event.key !== "Enter" || event.shiftKey || isComposing(event)) { return; }
    event.preventDefault();
    submitInput();
  }

  function autoGrow() {
    el.input.style.height = "auto";
    el.input.style.height = Math.min(el.input.scrollHeight, 140) + "px";
  }

  // Esc anywhere in the embedded chat closes the loader's panel.
  function onDocumentKeyDown(event) {
    if (el.panel.open) { return; }  // Esc closes the materials dialog first (its own cancel)
    if (event.key === "Escape" && !isComposing(event) && state.host) {
      tellHost("close");
    }
  }

  function bind() {
    el.form.addEventListener("submit", function (event) { event.preventDefault(); submitInput(); });
    el.input.addEventListener("keydown", onKeyDown);
    el.input.addEventListener("input", function () { autoGrow(); updateCounter(); });
    el.retry.addEventListener("click", retry);
    el.latest.addEventListener("click", goToLatest);
    var ticking = false;
    el.log.addEventListener("scroll", function () {
      if (ticking) { return; }
      ticking = true;
      window.requestAnimationFrame(function () { ticking = false; updateLatest(); });
    });
    byId("practice").addEventListener("click", function () { sendMessage("/start_roleplay", t("chat.practice")); });
    byId("new-chat").addEventListener("click", newChat);
    byId("download").addEventListener("click", downloadTranscript);
    byId("delete").addEventListener("click", deleteRecords);
    el.materials.addEventListener("click", openMaterials);
    el.panelClose.addEventListener("click", closeMaterials);
    el.panel.addEventListener("close", materialsClosed);
    document.addEventListener("keydown", onDocumentKeyDown);
    window.addEventListener("message", onHostMessage);
  }

  // ---------------------------------------------------------------- labels

  function embeddedLabels() {
    var node = byId(LABELS_ELEMENT);
    if (!node) { return null; }
    try {
      var data = JSON.parse(node.textContent);
      return data && typeof data === "object" ? data : null;
    } catch (e) { return null; }
  }

  // The page's own labels; on a page without them, the server's (GET labels).
  function loadLabels() {
    var embedded = embeddedLabels();
    if (embedded) { return Promise.resolve(embedded); }
    return request("GET", "labels").then(function (result) {
      return result.ok && result.data && typeof result.data === "object" ? result.data : {};
    }, function () { return {}; });
  }

  function start() {
    if (isEmbedParameter()) { document.documentElement.classList.add("embedded"); }
    bind();
    tellHost("ready");
    loadLabels().then(function (loaded) {
      labels = loaded;
      state.telPattern = undefined;
      return serial(function () {
        return ensureConversation().then(function (isNew) {
          return isNew ? showWelcome() : loadHistory();
        }, function () { showWelcome(); });
      }, true);
    });
  }

  window.debtCoach = { sendMessage: sendMessage, conversationId: function () { return state.sender; } };
  start();
}());
