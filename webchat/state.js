// The widget's constants, its elements and its one state object.
// Part of the chat widget: webchat/widget.js is its entry point.
import { apiBase, byId } from "./dom.js";
import { hostOrigin } from "./host.js";

export const TIMEOUT_MS = 15000;
// The most characters the server takes (addons/channels/guard.py MAX_MESSAGE_LENGTH;
// tests/unit/addons/channels/test_labels.py checks they agree); the counter shows from
// COUNTER_FROM on. A longer message is not sent and stays in the input box.
export const MAX_MESSAGE = 1000;
export const COUNTER_FROM = 800;
export const EMBED_STORAGE_KEY = "debtCoach.embeddedConversation";
export const CREDENTIAL_HEADER = "X-Webchat-Credential";
export const WIDGET_SENDER = /^web-[0-9a-f]{32}$/;
export const DELETED_HEADER = "X-Conversation-Deleted";
export const DELETED_PAYLOAD = "conversation_deleted";
// postMessage between this page (in embed.js's iframe) and the loader on the host page.
export const MESSAGE_SOURCE = "debt-coach";
export const SVG_NS = "http://www.w3.org/2000/svg";

export const base = apiBase();
export const el = {
  log: byId("log"), input: byId("input"), form: byId("composer"), send: byId("send"),
  status: byId("status"), statusText: byId("status-text"), retry: byId("retry"),
  latest: byId("latest"), counter: byId("counter"),
  materials: byId("materials"), panel: byId("materials-panel"), panelClose: byId("materials-close"),
  panelStatus: byId("materials-status"), panelList: byId("materials-list")
};
export const state = {
  sender: null, credential: null, opening: null, wantNew: false, verified: false, generation: 0,
  busy: false, queued: 0, chain: Promise.resolve(), failed: [], transcript: [], typing: null,
  host: hostOrigin(), telPattern: undefined, materialsLoad: 0
};
