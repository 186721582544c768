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
 */
(function () {
  "use strict";

  var TIMEOUT_MS = 15000;
  var EMBED_STORAGE_KEY = "debtCoach.embeddedConversation";
  var CREDENTIAL_HEADER = "X-Webchat-Credential";
  var WIDGET_SENDER = /^web-[0-9a-f]{32}$/;
  var DELETED_HEADER = "X-Conversation-Deleted";
  var SVG_NS = "http://www.w3.org/2000/svg";

  var TEXT = {
    welcome: "你好，我是债务沟通教练。\n可以直接说说你的情况，比如欠了多少、逾期多久、催收说了什么；" +
      "也可以点上面的“练习一通催收电话”。",
    typing: "教练正在输入…",
    offline: "连不上教练服务，你的消息还没有送到。请检查网络后点“重试”。",
    timeout: "教练这次回复太慢了（超过 15 秒）。请点“重试”再发一次。",
    serverError: "服务器暂时出了问题，你的消息可能没有送到。请稍后点“重试”。",
    notSent: "未送达",
    deleteConfirm: "确定删除这段对话的全部记录吗？删除后无法恢复。",
    deleted: "你的对话记录已从服务器删除。现在是一段新的对话。",
    deleteFailed: "删除没有成功，请稍后再试。",
    newChat: "已开始新对话。",
    lost: "这段对话已在别的窗口结束或已失效，下面是当前的对话。你刚才的消息没有送出，可以再发一次。",
    practice: "练习一通催收电话",
    you: "我",
    coach: "教练"
  };

  var LENDER = { credit_card: "信用卡", bank_loan: "银行贷款", online_lender: "网贷", other: "其他借款" };
  var WAIVER = {
    penalty_interest: "罚息", breach_fee: "违约金", fees: "其他费用", fee: "手续费",
    late_fees: "滞纳金", late_fee: "滞纳金", default_penalty: "违约金", interest: "利息",
    compound_interest: "复利"
  };
  var PERSONA = { polite: "礼貌型催收员", pushy: "强硬型催收员", abusive: "违规型催收员" };
  var CRITERIA = {
    introduced_self: "开场做了自我介绍",
    acknowledged_debt: "承认欠款并表示愿意还",
    concrete_plan: "提出了具体的每月金额和期数",
    asked_waiver: "争取了减免罚息或费用",
    stayed_calm: "全程保持冷静",
    verified_details: "核实了欠款明细或催收员身份",
    stood_ground: "没有答应超出承受能力的要求",
    asserted_rights: "识别并指出了违规催收"
  };

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
    if (!isFinite(number)) { return "—"; }
    return "¥" + Math.round(number).toLocaleString("zh-CN");
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
    showNotice(TEXT.lost);
    if (!pending.shown) { el.input.value = pending.message; autoGrow(); }
    ensureConversation().then(function (isNew) {
      return isNew ? showWelcome() : loadHistory();
    }, function () { showWelcome(); });
  }

  // ---------------------------------------------------------------- rendering

  function addBubble(role, text, extraClass) {
    var bubble = make("div", "msg msg-" + role + (extraClass ? " " + extraClass : ""));
    var who = make("span", "visually-hidden", (role === "user" ? TEXT.you : TEXT.coach) + "：");
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
    group.setAttribute("aria-label", "可选回复");
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
    addBubble("bot", TEXT.welcome, "msg-local");
  }

  function showNotice(text) {
    var notice = make("p", "notice", text);
    el.log.appendChild(notice);
    scrollToEnd();
  }

  function showTyping() {
    hideTyping();
    var typing = make("div", "msg msg-bot typing");
    typing.setAttribute("aria-label", TEXT.typing);
    typing.appendChild(make("span", "visually-hidden", TEXT.typing));
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
    if (!isNumber(monthly) || !isNumber(months) || monthly <= 0 || months <= 0) { return "—"; }
    return yuan(monthly) + " × " + months + " 个月";
  }

  function waiverNames(list) {
    return (Array.isArray(list) ? list : []).map(function (key) {
      return WAIVER[key] || String(key);
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
      feasible ? "你的还款方案" : "目前还凑不出可行的分期方案");
    var summary = "欠款 " + yuan(offer.balance);
    if (offer.lender_type) { summary += "（" + (LENDER[offer.lender_type] || offer.lender_type) + "）"; }
    if (isNumber(offer.disposable_monthly)) { summary += " · 每月可支配 " + yuan(offer.disposable_monthly); }
    card.appendChild(make("p", "card-summary", summary));
    if (!feasible && offer.notes && offer.notes.length) {
      card.appendChild(notesList(offer.notes, "card-notes card-notes-alert"));
    }
    var rows = make("dl", "card-rows");
    addRow(rows, "开场提议", plan(offer.opening_monthly, offer.opening_term_months), "row-opening");
    addRow(rows, "最多能接受", plan(offer.ceiling_monthly, offer.ceiling_term_months), "row-ceiling");
    var waivers = waiverNames(offer.waiver_request);
    if (waivers.length) { addRow(rows, "争取减免", waivers.join("、")); }
    if (isNumber(offer.lump_sum) && offer.lump_sum > 0) {
      addRow(rows, "一次性还款", "可以提出一次性还 " + yuan(offer.lump_sum) + "，请求减免部分欠款");
    }
    card.appendChild(rows);
    if (feasible) {
      var chart = balanceChart(offer);
      if (chart) { card.appendChild(chart); }
      appendNotes(card, offer.notes);
    }
    return card;
  }

  // The first note stays visible; the rest fold into a "更多说明" section.
  function appendNotes(card, notes) {
    if (!Array.isArray(notes) || !notes.length) { return; }
    card.appendChild(notesList(notes.slice(0, 1), "card-notes"));
    if (notes.length < 2) { return; }
    var more = make("details", "card-more");
    more.appendChild(make("summary", null, "更多说明（" + (notes.length - 1) + " 条）"));
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
      { monthly: offer.opening_monthly, months: offer.opening_term_months, name: "开场提议", css: "line-opening" },
      { monthly: offer.ceiling_monthly, months: offer.ceiling_term_months, name: "最多能接受", css: "line-ceiling" }
    ].filter(function (p) { return isNumber(p.monthly) && p.monthly > 0 && isNumber(p.months) && p.months > 0; });
    if (!isNumber(balance) || balance <= 0 || !plans.length) { return null; }

    var width = 320, height = 170, left = 52, right = 12, top = 14, bottom = 30;
    var lastMonth = Math.max.apply(null, plans.map(function (p) { return p.months; }));
    var scaleX = function (m) { return left + (width - left - right) * m / lastMonth; };
    var scaleY = function (v) { return top + (height - top - bottom) * (1 - v / balance); };
    var description = plans.map(function (p) {
      return p.name + "每月" + yuan(p.monthly) + "，" + p.months + "个月后剩 " +
        yuan(Math.max(0, balance - p.monthly * p.months));
    }).join("；");

    var figure = make("figure", "chart");
    var chart = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", "class": "chart-svg",
      "aria-label": "欠款余额逐月下降：" + description });
    var title = svg("title");
    title.textContent = "欠款余额逐月下降：" + description;
    chart.appendChild(title);
    chart.appendChild(svg("line", { x1: left, y1: scaleY(0), x2: width - right, y2: scaleY(0), "class": "chart-axis" }));
    chart.appendChild(svg("line", { x1: left, y1: scaleY(balance), x2: left, y2: scaleY(0), "class": "chart-axis" }));
    chart.appendChild(svg("line", { x1: left, y1: scaleY(balance / 2), x2: width - right, y2: scaleY(balance / 2), "class": "chart-grid" }));
    chart.appendChild(chartText(left - 4, scaleY(balance) + 4, yuan(balance), "chart-label", "end"));
    chart.appendChild(chartText(left - 4, scaleY(balance / 2) + 4, yuan(balance / 2), "chart-label", "end"));
    chart.appendChild(chartText(left - 4, scaleY(0) + 4, "0", "chart-label", "end"));
    chart.appendChild(chartText(left, height - 8, "现在", "chart-label", "start"));
    chart.appendChild(chartText(width - right, height - 8, "第 " + lastMonth + " 个月", "chart-label", "end"));
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

  function offerText(offer) {
    var lines = [offer.feasible === false ? "【还款方案：目前不可行】" : "【还款方案】",
      "欠款：" + yuan(offer.balance),
      "开场提议：" + plan(offer.opening_monthly, offer.opening_term_months),
      "最多能接受：" + plan(offer.ceiling_monthly, offer.ceiling_term_months)];
    var waivers = waiverNames(offer.waiver_request);
    if (waivers.length) { lines.push("争取减免：" + waivers.join("、")); }
    if (isNumber(offer.lump_sum) && offer.lump_sum > 0) { lines.push("一次性还款：" + yuan(offer.lump_sum)); }
    (offer.notes || []).forEach(function (note) { lines.push("· " + note); });
    return lines.join("\n");
  }

  // ---------------------------------------------------------------- score card

  function mark(value) {
    if (value === true) { return { symbol: "✓", css: "crit-yes", label: "做到了" }; }
    if (value === false) { return { symbol: "✗", css: "crit-no", label: "没做到" }; }
    return { symbol: "—", css: "crit-na", label: "这一轮没遇到" };
  }

  function scoreCard(score) {
    var card = cardShell("score", "练习得分");
    var value = isNumber(score.score) ? Math.max(0, Math.min(100, Math.round(score.score))) : 0;
    var big = make("p", "score-value");
    big.appendChild(make("span", "score-number", value));
    big.appendChild(make("span", "score-max", " / 100"));
    card.appendChild(big);
    if (score.persona) { card.appendChild(make("p", "card-summary", "对手：" + (PERSONA[score.persona] || score.persona))); }
    var list = make("ul", "criteria");
    Object.keys(score.criteria || {}).forEach(function (key) {
      var m = mark(score.criteria[key]);
      var item = make("li", "crit " + m.css);
      var symbol = make("span", "crit-mark", m.symbol);
      symbol.setAttribute("aria-label", m.label);
      item.appendChild(symbol);
      item.appendChild(make("span", null, CRITERIA[key] || key));
      list.appendChild(item);
    });
    card.appendChild(list);
    var agreed = score.agreed && isNumber(score.agreed.monthly)
      ? plan(score.agreed.monthly, score.agreed.term_months) : "这一轮没有谈成具体方案";
    var rows = make("dl", "card-rows");
    addRow(rows, "约定方案", agreed);
    card.appendChild(rows);
    if (score.tips && score.tips.length) {
      card.appendChild(make("h4", "card-subtitle", "下次可以这样做"));
      card.appendChild(notesList(score.tips, "card-notes"));
    }
    return card;
  }

  function scoreText(score) {
    var lines = ["【练习得分】" + score.score + " / 100"];
    Object.keys(score.criteria || {}).forEach(function (key) {
      lines.push(mark(score.criteria[key]).symbol + " " + (CRITERIA[key] || key));
    });
    (score.tips || []).forEach(function (tip) { lines.push("· " + tip); });
    return lines.join("\n");
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
    if (error && error.message === "timeout") { return TEXT.timeout; }
    if (status) { return TEXT.serverError; }
    return TEXT.offline;
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
    pending.bubble.setAttribute("title", TEXT.notSent);
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

  // 新对话: a new conversation id and a new credential (the old cookie is replaced).
  function startNewChat(notice) {
    forgetConversation(true);
    resetLog();
    if (notice) { showNotice(notice); }
    showWelcome();
    el.input.focus();
    return ensureConversation().catch(function () { /* retried with the next message */ });
  }

  function deleteRecords() {
    if (!window.confirm(TEXT.deleteConfirm)) { return; }
    ensureConversation().then(function () {
      return request("POST", "delete", { sender: state.sender });
    }).then(function (result) {
      if (!result.ok) { throw new Error("status " + result.status); }
      return startNewChat(TEXT.deleted);
    }).catch(function () { showNotice(TEXT.deleteFailed); });
  }

  function transcriptText() {
    var lines = ["债务沟通教练 · 对话记录", "导出时间：" + new Date().toLocaleString("zh-CN"),
      "说明：教练不是律师，内容不构成法律意见。", ""];
    state.transcript.forEach(function (entry) {
      lines.push((entry.role === "user" ? TEXT.you : TEXT.coach) + "：" + entry.text, "");
    });
    return lines.join("\n");
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function downloadTranscript() {
    var now = new Date();
    var name = "对话记录-" + now.getFullYear() + pad(now.getMonth() + 1) + pad(now.getDate()) +
      "-" + pad(now.getHours()) + pad(now.getMinutes()) + ".txt";
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
    byId("practice").addEventListener("click", function () { sendMessage("/start_roleplay", TEXT.practice); });
    byId("new-chat").addEventListener("click", function () { if (!state.busy) { startNewChat(TEXT.newChat); } });
    byId("download").addEventListener("click", downloadTranscript);
    byId("delete").addEventListener("click", deleteRecords);
  }

  function start() {
    if (isEmbedParameter()) { document.documentElement.classList.add("embedded"); }
    bind();
    ensureConversation().then(function (isNew) {
      return isNew ? showWelcome() : loadHistory();
    }, function () { showWelcome(); });
  }

  window.debtCoach = { sendMessage: sendMessage, conversationId: function () { return state.sender; } };
  start();
}());
