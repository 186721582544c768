// The host page: postMessage to and from embed.js's loader.
// Part of the chat widget: webchat/widget.js is its entry point.
import { MESSAGE_SOURCE, el, state } from "./state.js";
import { isEmbedParameter, isTouch } from "./dom.js";

// ---------------------------------------------------------------- the host page (embed.js)

// The origin of the page that embeds this one: embed.js passes it as ?host=; where the
// browser tells the frame's ancestors, the two must agree. Null when not embedded.
export function hostOrigin() {
  if (!isEmbedParameter()) { return null; }
  const match = /[?&]host=([^&#]*)/.exec(window.location.search);
  let host;
  try { host = match ? decodeURIComponent(match[1]) : null; } catch { return null; }
  if (!host || !/^https?:\/\/[^/?#\s]+$/.test(host)) { return null; }
  const ancestors = window.location.ancestorOrigins;
  if (ancestors && ancestors.length && ancestors[0] !== host) { return null; }
  return host;
}

// Tells the loader something (only that origin can read it; no conversation text).
export function tellHost(type, count) {
  if (!state.host || window.parent === window) { return; }
  const message = { source: MESSAGE_SOURCE, type: type };
  if (count !== undefined) { message.count = count; }
  window.parent.postMessage(message, state.host);
}

export function onHostMessage(event) {
  if (!state.host || event.source !== window.parent || event.origin !== state.host) { return; }
  const data = event.data;
  if (!data || data.source !== MESSAGE_SOURCE) { return; }
  // The panel opened: the keyboard user lands in the input; on a phone the log takes
  // focus instead, so no keyboard pops up over the chat.
  if (data.type === "focus") { if (isTouch()) { el.log.focus(); } else { el.input.focus(); } }
}
