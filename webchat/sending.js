// Sending a message, its outcome and resending it.
// Part of the chat widget: webchat/widget.js is its entry point.
import { DELETED_HEADER, DELETED_PAYLOAD, TIMEOUT_MS, el, state } from "./state.js";
import { focusInput, make, newMessageId } from "./dom.js";
import { t } from "./labels.js";
import { tellHost } from "./host.js";
import { request, serial } from "./transport.js";
import { conversationRefused, ensureConversation } from "./conversation.js";
import { addBubble, hideTyping, record, renderBotMessage, retireQuickReplies, scrollToEnd, showReply, showTyping } from "./render.js";
import { startNewChat } from "./widget.js";

// ---------------------------------------------------------------- sending

export function showError(text, canRetry) {
  el.statusText.textContent = text;
  el.retry.hidden = !canRetry;
  el.status.hidden = false;
}

export function clearError() {
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
export function sendMessage(message, shownText) {
  if (state.busy) { return false; }
  const text = shownText || message;
  const at = new Date();
  const pending = { id: newMessageId(), message: message, shown: shownText, text: text };
  pending.bubble = addBubble("user", text, null, at);
  record("user", text, at);
  scrollToEnd();
  deliver(pending);
  return true;
}

function deliver(pending) {
  return serial(function () { return attempt(pending); });
}

export function attempt(pending) {
  if (pending.delivered) { return Promise.resolve(); }
  clearError();
  markPending(pending, null);
  showTyping();
  const generation = state.generation;
  return ensureConversation().then(function () {
    const body = { sender: state.sender, message: pending.message, message_id: pending.id };
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
  const header = result.headers && result.headers.get ? result.headers.get(DELETED_HEADER) : null;
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
  const before = el.log.lastElementChild;
  const at = new Date();
  result.data.forEach(function (message) { if (message) { renderBotMessage(message, at, true); } });
  const first = before ? before.nextElementSibling : el.log.firstElementChild;
  showReply(first);
  if (first) { tellHost("reply"); }
  focusInput();
}

// The bubble's delivery state: null (sending or delivered), "failed" (chat.not_sent) or
// "unknown" (chat.maybe_sent: a timeout or a server error), with its own resend button.
function markPending(pending, kind) {
  const bubble = pending.bubble;
  bubble.classList.toggle("msg-pending", !!kind);
  bubble.classList.toggle("msg-unknown", kind === "unknown");
  if (pending.row && pending.row.parentNode) { pending.row.parentNode.removeChild(pending.row); }
  pending.row = null;
  if (!kind || !bubble.parentNode) { return; }
  const row = make("div", "msg-state");
  row.appendChild(make("span", "msg-state-text", t(kind === "unknown" ? "chat.maybe_sent" : "chat.not_sent")));
  const button = make("button", "resend", t("chat.resend"));
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
export function retry() {
  const pending = state.failed[state.failed.length - 1];
  if (pending) { resend(pending); }
}
