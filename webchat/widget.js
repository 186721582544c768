/*
 * The debt-negotiation coach's chat widget. Vanilla JS, no build step, no CDN.
 * Served by addons/channels/webchat.py at /webhooks/webchat/; talks to the same server:
 *   POST session {new}                        -> {sender, new} and the credential cookie
 *   POST webhook {sender, message, metadata}  -> [{text, buttons} | {custom}]
 *   GET  history?sender=ID                    -> {messages: [{role, text|buttons|custom}]}
 *   POST delete {sender}                      -> {deleted}
 * The conversation id and its credential come from the server. On its own page the
 * credential is an HttpOnly cookie this script never sees; inside another site's iframe
 * (where that cookie is not sent) it is kept in this origin's sessionStorage and sent as
 * the X-Webchat-Credential header (webchat/README.md, "Whose conversation is it").
 * Bot text is always inserted with textContent, never as HTML.
 * Every text comes from the server (content/widget.yml and the files owning lender,
 * waiver, persona and criterion names): the page carries it as JSON data in
 * <script type="application/json" id="coach-labels">; without it, GET labels. This file
 * holds no text of its own.
 */
(function () {
  "use strict";

  var TIMEOUT_MS = 15000;
  var EMBED_STORAGE_KEY = "debtCoach.embeddedConversation";
  var CREDENTIAL_HEADER = "X-Webchat-Credential";
  var WIDGET_SENDER = /^web-[0-9a-f]{32}$/;
  var DELETED_HEADER = "X-Conversation-Deleted";
  var SVG_NS = "http://www.w3.org/2000/svg";

  var LABELS_ELEMENT = "coach-labels";
  var labels = {};  // filled by loadLabels() before anything is shown

  var base = apiBase();
  var el = {
    log: byId("log"), input: byId("input"), form: byId("composer"), send: byId("send"),
    status: byId("status"), statusText: byId("status-text"), retry: byId("retry")
  };
  var state = {
    sender: null, credential: null, opening: null, wantNew: false, verified: false, generation: 0,
    busy: false, failed: null, transcript: [], typing: null
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

  function scrollToEnd() { el.log.scrollTop = el.log.scrollHeight; }

  function speaker(role) { return t("chat.speaker", { who: t(role === "user" ? "chat.you" : "chat.coach") }); }

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
      deliver(pending);
      return;
    }
    hideTyping();
    setBusy(false);
    forgetConversation(false);
    resetLog();
    showNotice(t("chat.lost"));
    if (!pending.shown) { el.input.value = pending.message; autoGrow(); }
    ensureConversation().then(function (isNew) {
      return isNew ? showWelcome() : loadHistory();
    }, function () { showWelcome(); });
  }

  // ---------------------------------------------------------------- rendering

  function addBubble(role, text, extraClass) {
    var bubble = make("div", "msg msg-" + role + (extraClass ? " " + extraClass : ""));
    var who = make("span", "visually-hidden", speaker(role));
    bubble.appendChild(who);
    bubble.appendChild(make("span", "msg-text", text));
    el.log.appendChild(bubble);
    scrollToEnd();
    return bubble;
  }

  function record(role, text) {
    state.transcript.push({ role: role, text: text, at: new Date() });
  }

  function retireQuickReplies() {
    var buttons = el.log.querySelectorAll(".quick-replies button");
    Array.prototype.forEach.call(buttons, function (button) { button.disabled = true; });
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
      node.addEventListener("click", function () {
        if (!state.busy) { sendMessage(button.payload, title); }
      });
      group.appendChild(node);
    });
    el.log.appendChild(group);
  }

  function renderBotMessage(message) {
    if (typeof message.text === "string" && message.text.trim()) {
      addBubble("bot", message.text);
      record("bot", message.text);
    }
    if (Array.isArray(message.buttons) && message.buttons.length) {
      addButtons(message.buttons);
    }
    if (message.custom && typeof message.custom === "object") {
      renderCustom(message.custom);
    }
    scrollToEnd();
  }

  function renderCustom(custom) {
    var card = null;
    if (custom.type === "repayment_offer") { card = offerCard(custom); }
    if (custom.type === "roleplay_score") { card = scoreCard(custom); }
    if (!card) { return; }  // unknown payload types are ignored
    el.log.appendChild(card);
    record("bot", custom.type === "repayment_offer" ? offerText(custom) : scoreText(custom));
  }

  function renderHistoryMessage(message) {
    if (message.role === "user") {
      retireQuickReplies();
      addBubble("user", message.text || "");
      record("user", message.text || "");
    } else {
      renderBotMessage(message);
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
    typing.setAttribute("aria-label", t("chat.typing"));
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

  // ---------------------------------------------------------------- offer card

  function cardShell(className, title) {
    var card = make("section", "card " + className);
    card.setAttribute("aria-label", title);
    card.appendChild(make("h3", "card-title", title));
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
    var balance = offer.balance;
    var plans = [
      { monthly: offer.opening_monthly, months: offer.opening_term_months, name: t("offer.opening"), css: "line-opening" },
      { monthly: offer.ceiling_monthly, months: offer.ceiling_term_months, name: t("offer.ceiling"), css: "line-ceiling" }
    ].filter(function (p) { return isNumber(p.monthly) && p.monthly > 0 && isNumber(p.months) && p.months > 0; });
    if (!isNumber(balance) || balance <= 0 || !plans.length) { return null; }

    var width = 320, height = 170, left = 52, right = 12, top = 14, bottom = 30;
    var lastMonth = Math.max.apply(null, plans.map(function (p) { return p.months; }));
    var scaleX = function (m) { return left + (width - left - right) * m / lastMonth; };
    var scaleY = function (v) { return top + (height - top - bottom) * (1 - v / balance); };
    var description = t("chart.label", { description: plans.map(function (p) {
      return t("chart.description", { plan: p.name, monthly: yuan(p.monthly), months: p.months,
        left: yuan(Math.max(0, balance - p.monthly * p.months)) });
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
      chart.appendChild(chartLine(balanceSeries(balance, p.monthly, p.months), scaleX, scaleY, "chart-line " + p.css));
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

  function scoreCard(score) {
    var card = cardShell("score", t("score.title"));
    var value = isNumber(score.score) ? Math.max(0, Math.min(100, Math.round(score.score))) : 0;
    var big = make("p", "score-value");
    big.appendChild(make("span", "score-number", value));
    big.appendChild(make("span", "score-max", t("score.out_of")));
    card.appendChild(big);
    if (score.persona) {
      card.appendChild(make("p", "card-summary", t("score.opponent", { persona: label("personas", score.persona) })));
    }
    var list = make("ul", "criteria");
    Object.keys(score.criteria || {}).forEach(function (key) {
      var m = mark(score.criteria[key]);
      var item = make("li", "crit " + m.css);
      var symbol = make("span", "crit-mark", m.symbol);
      symbol.setAttribute("aria-label", m.label);
      item.appendChild(symbol);
      item.appendChild(make("span", null, label("criteria", key)));
      list.appendChild(item);
    });
    card.appendChild(list);
    var agreed = score.agreed && isNumber(score.agreed.monthly)
      ? plan(score.agreed.monthly, score.agreed.term_months) : t("score.no_agreement");
    var rows = make("dl", "card-rows");
    addRow(rows, t("score.agreed"), agreed);
    card.appendChild(rows);
    if (score.tips && score.tips.length) {
      card.appendChild(make("h4", "card-subtitle", t("score.tips")));
      card.appendChild(notesList(score.tips, "card-notes"));
    }
    return card;
  }

  function scoreText(score) {
    var lines = [t("score.transcript_title", { score: score.score })];
    Object.keys(score.criteria || {}).forEach(function (key) {
      lines.push(mark(score.criteria[key]).symbol + " " + label("criteria", key));
    });
    return lines.concat(noteLines(score.tips)).join("\n");
  }

  // ---------------------------------------------------------------- sending

  function setBusy(busy) {
    state.busy = busy;
    el.send.disabled = busy;
    el.log.setAttribute("aria-busy", busy ? "true" : "false");
  }

  function showError(text) {
    el.statusText.textContent = text;
    el.status.hidden = false;
    scrollToEnd();
  }

  function clearError() {
    el.status.hidden = true;
    el.statusText.textContent = "";
  }

  function errorText(error, status) {
    if (error && error.message === "timeout") { return t("chat.timeout", { seconds: TIMEOUT_MS / 1000 }); }
    if (status) { return t("chat.server_error"); }
    return t("chat.offline");
  }

  function sendMessage(message, shownText) {
    if (state.busy) { return; }
    var text = shownText || message;
    if (state.failed) { state.failed.bubble.classList.add("msg-failed"); state.failed = null; }
    retireQuickReplies();
    var bubble = addBubble("user", text);
    record("user", text);
    deliver({ message: message, shown: shownText, bubble: bubble });
  }

  function deliver(pending) {
    clearError();
    setBusy(true);
    showTyping();
    ensureConversation().then(function () {
      var body = { sender: state.sender, message: pending.message };
      if (pending.shown) { body.metadata = { display_text: pending.shown }; }
      return request("POST", "webhook", body);
    }).then(function (result) {
      if (result.status === 403) { return conversationRefused(pending); }
      if (result.ok && Array.isArray(result.data)) { state.verified = true; return delivered(pending, result); }
      if (result.status === 400 && result.data && result.data.message) {
        return delivered(pending, { data: [{ text: result.data.message }], headers: result.headers });
      }
      failed(pending, null, result.status);
    }, function (error) { failed(pending, error, 0); });
  }

  function delivered(pending, result) {
    hideTyping();
    setBusy(false);
    pending.bubble.classList.remove("msg-failed", "msg-pending");
    result.data.forEach(renderBotMessage);
    if (result.headers && result.headers.get && result.headers.get(DELETED_HEADER) === "true") {
      // The server deleted the conversation: the next message starts a new one.
      forgetConversation(true);
      state.transcript = [];
      ensureConversation().catch(function () { /* retried with the next message */ });
    }
    el.input.focus();
  }

  function failed(pending, error, status) {
    hideTyping();
    setBusy(false);
    pending.bubble.classList.add("msg-pending");
    pending.bubble.setAttribute("title", t("chat.not_sent"));
    state.failed = pending;
    showError(errorText(error, status));
  }

  function retry() {
    if (!state.failed || state.busy) { return; }
    var pending = state.failed;
    state.failed = null;
    deliver(pending);
  }

  // ---------------------------------------------------------------- actions

  function resetLog() {
    hideTyping();
    clearError();
    state.failed = null;
    state.transcript = [];
    el.log.textContent = "";
  }

  // New chat: a new conversation id and a new credential (the old cookie is replaced).
  function startNewChat(notice) {
    forgetConversation(true);
    resetLog();
    if (notice) { showNotice(notice); }
    showWelcome();
    el.input.focus();
    return ensureConversation().catch(function () { /* retried with the next message */ });
  }

  function deleteRecords() {
    if (!window.confirm(t("chat.delete_confirm"))) { return; }
    ensureConversation().then(function () {
      return request("POST", "delete", { sender: state.sender });
    }).then(function (result) {
      if (!result.ok) { throw new Error("status " + result.status); }
      return startNewChat(t("chat.deleted"));
    }).catch(function () { showNotice(t("chat.delete_failed")); });
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
      var messages = result.ok && result.data && Array.isArray(result.data.messages) ? result.data.messages : [];
      if (!messages.length) { showWelcome(); return; }
      messages.forEach(renderHistoryMessage);
      scrollToEnd();
    }, function () { showWelcome(); });
  }

  // ---------------------------------------------------------------- input

  function submitInput() {
    var text = el.input.value;
    if (state.busy) { return; }
    if (!text.trim()) { el.input.focus(); return; }
    el.input.value = "";
    autoGrow();
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

  function bind() {
    el.form.addEventListener("submit", function (event) { event.preventDefault(); submitInput(); });
    el.input.addEventListener("keydown", onKeyDown);
    el.input.addEventListener("input", autoGrow);
    el.retry.addEventListener("click", retry);
    byId("practice").addEventListener("click", function () { sendMessage("/start_roleplay", t("chat.practice")); });
    byId("new-chat").addEventListener("click", function () { if (!state.busy) { startNewChat(t("chat.new_chat")); } });
    byId("download").addEventListener("click", downloadTranscript);
    byId("delete").addEventListener("click", deleteRecords);
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
    loadLabels().then(function (loaded) {
      labels = loaded;
      return ensureConversation().then(function (isNew) {
        return isNew ? showWelcome() : loadHistory();
      }, function () { showWelcome(); });
    });
  }

  window.debtCoach = { sendMessage: sendMessage, conversationId: function () { return state.sender; } };
  start();
}());
