/*
 * The debt-negotiation coach's chat widget. Vanilla JS as native ES modules served as they
 * are: no build step, no CDN. This is the entry point; beside it: state.js (constants, the
 * elements, the one state object), dom.js, labels.js, host.js (embed.js's loader),
 * transport.js (requests and the one-at-a-time queue), conversation.js, render.js,
 * cards.js (offer, debt plan, document, contact log; charts; printing), practice.js (the
 * score card), materials.js and sending.js.
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
import { COUNTER_FROM, MAX_MESSAGE, el, state } from "./state.js";
import { byId, focusInput, isEmbedParameter } from "./dom.js";
import { loadLabels, locale, setLabels, t } from "./labels.js";
import { onHostMessage, tellHost } from "./host.js";
import { request, serial } from "./transport.js";
import { ensureConversation, forgetConversation } from "./conversation.js";
import { goToLatest, hideTyping, renderHistoryMessage, scrollToEnd, showNotice, showWelcome, speaker, updateLatest } from "./render.js";
import { closeMaterials, materialsClosed, openMaterials, saveBlob } from "./materials.js";
import { clearError, retry, sendMessage, showError } from "./sending.js";

function start() {
  if (isEmbedParameter()) { document.documentElement.classList.add("embedded"); }
  bind();
  tellHost("ready");
  loadLabels().then(function (loaded) {
    setLabels(loaded);
    state.telPattern = undefined;
    return serial(function () {
      return ensureConversation().then(function (isNew) {
        return isNew ? showWelcome() : loadHistory();
      }, function () { showWelcome(); });
    }, true);
  });
}

// ---------------------------------------------------------------- actions

export function resetLog() {
  if (el.panel.open) { closeMaterials(); }  // it listed the conversation that is gone
  hideTyping();
  clearError();
  state.failed = [];
  state.transcript = [];
  el.log.textContent = "";
  updateLatest();
}

// New chat: a new conversation id and a new credential (the old cookie is replaced).
export function startNewChat(notice) {
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
  const lines = [t("transcript.title", { name: t("name") }),
    t("transcript.exported", { time: new Date().toLocaleString(locale()) }), t("transcript.disclaimer"), ""];
  state.transcript.forEach(function (entry) { lines.push(speaker(entry.role) + entry.text, ""); });
  return lines.join("\n");
}

function pad(n) { return (n < 10 ? "0" : "") + n; }

function downloadTranscript() {
  const now = new Date();
  const stamp = now.getFullYear() + pad(now.getMonth() + 1) + pad(now.getDate()) +
    "-" + pad(now.getHours()) + pad(now.getMinutes());
  const name = t("transcript.file_name", { stamp: stamp });
  const blob = new Blob(["\ufeff" + transcriptText()], { type: "text/plain;charset=utf-8" });
  saveBlob(blob, name);
}

export function loadHistory() {
  return request("GET", "history?sender=" + encodeURIComponent(state.sender)).then(function (result) {
    if (result.status === 403) { forgetConversation(true); }  // a stale credential: start afresh
    if (result.ok) { state.verified = true; }
    const data = result.ok && result.data ? result.data : {};
    const messages = Array.isArray(data.messages) ? data.messages : [];
    const times = Array.isArray(data.times) ? data.times : [];
    if (!messages.length) { showWelcome(); return; }
    messages.forEach(function (message, index) { renderHistoryMessage(message, times[index]); });
    scrollToEnd();
  }, function () { showWelcome(); });
}

// ---------------------------------------------------------------- input

// Characters as the server counts them (code points, not UTF-16 units).
function messageLength(text) {
  const trimmed = text.trim();
  return Array.from ? Array.from(trimmed).length : trimmed.length;
}

export function updateCounter() {
  const count = messageLength(el.input.value);
  const over = count - MAX_MESSAGE;
  el.counter.hidden = count < COUNTER_FROM;
  el.counter.textContent = over > 0
    ? t("page.counter_over", { over: over, limit: MAX_MESSAGE })
    : t("page.counter", { count: count, limit: MAX_MESSAGE });
  el.counter.classList.toggle("counter-over", over > 0);
  if (over > 0) { el.input.setAttribute("aria-invalid", "true"); } else { el.input.removeAttribute("aria-invalid"); }
  return over;
}

function submitInput() {
  const text = el.input.value;
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

export function autoGrow() {
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
  let ticking = false;
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

window.debtCoach = { sendMessage: sendMessage, conversationId: function () { return state.sender; } };
start();
