// Bubbles, buttons, the typing indicator and scrolling.
// Part of the chat widget: webchat/widget.js is its entry point.
import { el, state } from "./state.js";
import { has, isNumber, make } from "./dom.js";
import { labels, locale, t } from "./labels.js";
import { contactLogCard, contactLogText, debtPlanCard, debtPlanText, documentCard, documentText, offerCard, offerText } from "./cards.js";
import { scoreCard, scoreText } from "./practice.js";
import { documentArrived } from "./materials.js";
import { sendMessage } from "./sending.js";

export function speaker(role) { return t("chat.speaker", { who: t(role === "user" ? "chat.you" : "chat.coach") }); }

// ---------------------------------------------------------------- rendering

function timeStamp(at) {
  const date = at instanceof Date ? at : new Date(at);
  if (isNaN(date.getTime())) { return null; }
  const text = date.toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit" });
  const node = make("time", "msg-time", t("chat.sent_at", { time: text }));
  node.setAttribute("datetime", date.toISOString());
  node.setAttribute("title", date.toLocaleString(locale()));
  return node;
}

export function addBubble(role, text, extraClass, at) {
  const bubble = make("div", "msg msg-" + role + (extraClass ? " " + extraClass : ""));
  bubble.appendChild(make("span", "visually-hidden", speaker(role)));
  const body = make("span", "msg-text");
  body.setAttribute("dir", "auto");  // an Arabic or Hebrew line reads right to left
  if (role === "bot") { appendWithTelLinks(body, text); } else { body.textContent = text; }
  bubble.appendChild(body);
  const stamp = at ? timeStamp(at) : null;
  if (stamp) { bubble.appendChild(stamp); }
  el.log.appendChild(bubble);
  return bubble;
}

// Hotline numbers (labels.hotlines, from content/facts.yml) as tel: links; a number
// that is part of an amount, a date or a count (labels.tel_links) stays text.
function telPattern() {
  if (state.telPattern !== undefined) { return state.telPattern; }
  const numbers = (Array.isArray(labels.hotlines) ? labels.hotlines : []).filter(function (n) {
    return typeof n === "string" && /^[0-9]{3,15}$/.test(n);
  }).sort(function (a, b) { return b.length - a.length; });
  const rules = has(labels, "tel_links") ? labels.tel_links : {};
  const notAfter = typeof rules.not_after === "string" ? rules.not_after : "";
  const escaped = notAfter.replace(/[\]\\^-]/g, "\\$&");
  state.telPattern = numbers.length
    ? new RegExp("(^|[^0-9" + escaped + "])(" + numbers.join("|") + ")", "g") : null;
  return state.telPattern;
}

function isPartOfFigure(text, end) {
  const next = text.charAt(end);
  if (/[0-9]/.test(next) || (/[.,]/.test(next) && /[0-9]/.test(text.charAt(end + 1)))) { return true; }
  const rest = text.slice(end).replace(/^[ \u00a0]+/, "");
  const units = has(labels, "tel_links") && Array.isArray(labels.tel_links.not_before) ? labels.tel_links.not_before : [];
  return units.some(function (unit) { return typeof unit === "string" && unit && rest.indexOf(unit) === 0; });
}

function appendWithTelLinks(node, text) {
  const pattern = telPattern();
  let last = 0;
  let match;
  if (pattern) {
    pattern.lastIndex = 0;
    while ((match = pattern.exec(text)) !== null) {
      const start = match.index + match[1].length;
      const end = start + match[2].length;
      if (isPartOfFigure(text, end)) { pattern.lastIndex = end; continue; }
      node.appendChild(document.createTextNode(text.slice(last, start)));
      const link = make("a", "tel-link", match[2]);
      link.href = "tel:" + match[2];
      node.appendChild(link);
      last = end;
      pattern.lastIndex = end;
    }
  }
  node.appendChild(document.createTextNode(text.slice(last)));
}

export function record(role, text, at) {
  state.transcript.push({ role: role, text: text, at: at || new Date() });
}

function quickReplyButtons() { return el.log.querySelectorAll(".quick-replies button"); }

export function retireQuickReplies() {
  Array.prototype.forEach.call(quickReplyButtons(), function (button) { button.disabled = true; });
}

function addButtons(buttons) {
  const group = make("div", "quick-replies");
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", t("chat.quick_replies_label"));
  buttons.forEach(function (button) {
    if (!button || typeof button.payload !== "string") { return; }
    const title = String(button.title || button.payload);
    const node = make("button", "quick-reply", title);
    node.type = "button";
    node.setAttribute("dir", "auto");
    node.addEventListener("click", function () {
      if (!state.busy && !node.disabled) { sendMessage(button.payload, title); }
    });
    group.appendChild(node);
  });
  el.log.appendChild(group);
}

export function renderBotMessage(message, at, live) {
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
  let card = null;
  let text = null;
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

export function renderHistoryMessage(message, at) {
  const when = isNumber(at) ? new Date(at * 1000) : null;
  if (message.role === "user") {
    retireQuickReplies();
    addBubble("user", message.text || "", null, when);
    record("user", message.text || "", when);
  } else {
    renderBotMessage(message, when);
  }
}

export function showWelcome() {
  addBubble("bot", t("chat.welcome"), "msg-local");
}

export function showNotice(text) {
  const notice = make("p", "notice", text);
  el.log.appendChild(notice);
  scrollToEnd();
}

export function showTyping() {
  hideTyping();
  const typing = make("div", "msg msg-bot typing");
  typing.appendChild(make("span", "visually-hidden", t("chat.typing")));
  for (let i = 0; i < 3; i += 1) {
    typing.appendChild(make("span", "dot")).setAttribute("aria-hidden", "true");
  }
  el.log.appendChild(typing);
  state.typing = typing;
  scrollToEnd();
}

export function hideTyping() {
  if (state.typing && state.typing.parentNode) { state.typing.parentNode.removeChild(state.typing); }
  state.typing = null;
}

// ---------------------------------------------------------------- scrolling

function isNearEnd() { return el.log.scrollHeight - el.log.scrollTop - el.log.clientHeight < 48; }

export function updateLatest() { el.latest.hidden = isNearEnd(); }

export function scrollToEnd() {
  el.log.scrollTop = el.log.scrollHeight;
  updateLatest();
}

// A reply taller than the log starts at the top of the view (the reader begins at its
// first line, not its last); the "latest messages" pill (page.latest) then leads to the end.
export function showReply(first) {
  if (!first) { scrollToEnd(); return; }
  const top = Math.max(0, first.offsetTop - 8);
  if (el.log.scrollHeight - top > el.log.clientHeight) {
    el.log.scrollTop = top;
    updateLatest();
  } else {
    scrollToEnd();
  }
}

export function goToLatest() {
  const hadFocus = document.activeElement === el.latest;
  scrollToEnd();
  if (hadFocus) { el.log.focus(); }
}
