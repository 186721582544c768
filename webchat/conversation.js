// Which conversation this page holds, and its credential.
// Part of the chat widget: webchat/widget.js is its entry point.
import { EMBED_STORAGE_KEY, WIDGET_SENDER, el, state } from "./state.js";
import { isFramed, storageGet, storageRemove, storageSet } from "./dom.js";
import { t } from "./labels.js";
import { request } from "./transport.js";
import { showNotice, showWelcome } from "./render.js";
import { attempt } from "./sending.js";
import { autoGrow, loadHistory, resetLog, updateCounter } from "./widget.js";

// Inside another site's frame the SameSite=Strict cookie is not sent: use the header.
let headerMode = isFramed();
// ---------------------------------------------------------------- conversation

function useConversation(sender, credential) {
  state.sender = sender;
  state.credential = credential || null;
  state.verified = false;
}

export function forgetConversation(wantNew) {
  state.sender = null;
  state.credential = null;
  state.opening = null;
  state.wantNew = wantNew;
  state.generation += 1;  // an answer to an earlier request no longer counts
  storageRemove(EMBED_STORAGE_KEY);
}

function savedEmbeddedConversation() {
  let saved;
  try { saved = JSON.parse(storageGet(EMBED_STORAGE_KEY) || "null"); } catch { return null; }
  const usable = saved && WIDGET_SENDER.test(saved.sender) && typeof saved.credential === "string";
  return usable ? saved : null;
}

// The conversation to talk in; resolves to true when it is a new (empty) one.
function openConversation() {
  if (headerMode && !state.wantNew) {
    const saved = savedEmbeddedConversation();
    if (saved) { useConversation(saved.sender, saved.credential); return Promise.resolve(false); }
  }
  const body = headerMode ? { "new": true, embed: true } : { "new": state.wantNew };
  const generation = state.generation;
  return request("POST", "session", body).then(function (result) {
    const data = result.data;
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

export function ensureConversation() {
  if (state.sender) { return Promise.resolve(false); }
  if (!state.opening) {
    const opening = openConversation().then(function (isNew) {
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
export function conversationRefused(pending) {
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
