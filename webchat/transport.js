// Requests to the server, and the queue that runs sends, resends, new chats and deletions one at a time.
// Part of the chat widget: webchat/widget.js is its entry point.
import { CREDENTIAL_HEADER, TIMEOUT_MS, base, el, state } from "./state.js";

// Runs task() after every earlier one has finished (loading the conversation, sends,
// resends, new chat, deletion). The widget is busy (takes no new message) while a send,
// a new chat or a deletion is waiting or running; a message typed while the
// conversation still loads simply waits for it (quiet).
export function serial(task, quiet) {
  if (!quiet) { state.queued += 1; updateBusy(); }
  const result = state.chain.then(function () { return task(); });
  function finish() { if (!quiet) { state.queued -= 1; updateBusy(); } }
  state.chain = result.then(finish, finish);
  return result;
}

function updateBusy() {
  state.busy = state.queued > 0;
  el.send.disabled = state.busy;
  el.log.setAttribute("aria-busy", state.busy ? "true" : "false");
}

// ---------------------------------------------------------------- network

export function request(method, path, body) {
  const controller = window.AbortController ? new AbortController() : null;
  const timer = setTimeout(function () { if (controller) { controller.abort(); } }, TIMEOUT_MS);
  const options = { method: method, headers: { "Accept": "application/json" }, credentials: "same-origin" };
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
    const failure = new Error(error && error.name === "AbortError" ? "timeout" : "offline");
    throw failure;
  });
}
