/*
 * Embeds the debt-negotiation coach on any page with one tag:
 *   <script src="https://host/webhooks/webchat/static/embed.js" data-server="https://host"></script>
 * Adds a floating chat button (an inline SVG icon and the coach's name); clicking it opens
 * the chat in a panel (an iframe of https://host/webhooks/webchat/?embed=1&host=ORIGIN).
 * Optional: data-label="..." (the button's text).
 * Focus moves into the panel when it opens and back to the button when it closes; Esc
 * closes it, also from inside the chat (the frame asks by postMessage; only messages
 * from the server's origin and from that frame count). On a phone the panel covers the
 * screen and is modal: the rest of the page is inert until it closes. Replies that come
 * while the panel is closed show as a badge on the button.
 * Its texts come from the server (GET /webhooks/webchat/labels, content/widget.yml); only
 * when the server cannot be reached within a few seconds does it fall back to FALLBACK.
 * Everything is styled inline, so the host page's CSS cannot break it (and vice versa).
 * The host site must be listed in the server's frame_ancestors (credentials.yml), else
 * the browser refuses the frame. The conversation's credential never reaches this page:
 * the widget keeps it in its own origin's sessionStorage (webchat/README.md).
 */
(function () {
  "use strict";

  const script = document.currentScript;
  if (!script || window.__debtCoachEmbedded) { return; }
  window.__debtCoachEmbedded = true;

  const server = (script.getAttribute("data-server") || new URL(script.src, location.href).origin)
    .replace(/\/+$/, "");
  const PANEL_ID = "debt-coach-panel";
  const LABELS_TIMEOUT_MS = 4000;
  // Only for a server that does not answer in time (then the chat itself cannot load
  // either); the texts are owned by content/widget.yml (name, embed.close).
  const FALLBACK = { name: "债务沟通教练", embed: { close: "关闭聊天" } };
  let labels = FALLBACK;
  let label = "";

  function closeLabel() {
    const embed = labels.embed || FALLBACK.embed;
    return typeof embed.close === "string" ? embed.close : FALLBACK.embed.close;
  }

  function buttonLabel() {
    const name = typeof labels.name === "string" ? labels.name : FALLBACK.name;
    return script.getAttribute("data-label") || name;
  }

  // The server's labels, or FALLBACK when they do not come within LABELS_TIMEOUT_MS.
  function loadLabels(done) {
    let finished = false;
    function finish(loaded) {
      if (finished) { return; }
      finished = true;
      if (loaded && typeof loaded === "object") { labels = loaded; }
      done();
    }
    setTimeout(function () { finish(null); }, LABELS_TIMEOUT_MS);
    if (!window.fetch) { finish(null); return; }
    fetch(server + "/webhooks/webchat/labels", { credentials: "omit", referrerPolicy: "no-referrer" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(finish, function () { finish(null); });
  }

  const SERVER_ORIGIN = new URL(server).origin;
  const MESSAGE_SOURCE = "debt-coach";

  function style(node, rules) {
    Object.keys(rules).forEach(function (name) { node.style[name] = rules[name]; });
    return node;
  }

  function isPhone() { return window.innerWidth < 520; }

  function unreadLabel(count) {
    const embed = labels.embed || {};
    return typeof embed.unread === "string" ? embed.unread.replace("{count}", String(count)) : String(count);
  }

  const HIDDEN_TEXT = {
    position: "absolute", width: "1px", height: "1px", margin: "-1px", padding: "0",
    overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap", border: "0"
  };

  // A speech bubble, drawn inline (no emoji font or image file needed).
  function icon() {
    const ns = "http://www.w3.org/2000/svg";
    const drawing = document.createElementNS(ns, "svg");
    drawing.setAttribute("viewBox", "0 0 24 24");
    drawing.setAttribute("width", "20");
    drawing.setAttribute("height", "20");
    drawing.setAttribute("aria-hidden", "true");
    drawing.setAttribute("focusable", "false");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z");
    path.setAttribute("fill", "currentColor");
    drawing.appendChild(path);
    return style(drawing, { flex: "none", display: "block" });
  }

  function makeButton() {
    const button = document.createElement("button");
    button.type = "button";
    button.setAttribute("aria-controls", PANEL_ID);
    button.setAttribute("aria-expanded", "false");
    button.appendChild(icon());
    const text = document.createElement("span");
    text.textContent = label;
    button.appendChild(text);
    return style(button, {
      position: "fixed", right: "16px", bottom: "16px", zIndex: "2147483000",
      display: "inline-flex", alignItems: "center", gap: "8px",
      padding: "12px 18px", border: "0", borderRadius: "999px", background: "#1f6f5c",
      color: "#fff", font: "600 15px/1.2 system-ui, 'PingFang SC', 'Microsoft YaHei', sans-serif",
      boxShadow: "0 4px 14px rgba(0,0,0,.25)", cursor: "pointer", outlineColor: "#174ea6"
    });
  }

  // The number of replies not yet seen, on the button while the panel is closed.
  function makeBadge() {
    const badge = document.createElement("span");
    badge.className = "debt-coach-badge";
    badge.hidden = true;
    const number = document.createElement("span");
    number.setAttribute("aria-hidden", "true");
    const words = style(document.createElement("span"), HIDDEN_TEXT);
    badge.appendChild(number);
    badge.appendChild(words);
    style(badge, {
      minWidth: "20px", height: "20px", padding: "0 6px", borderRadius: "999px",
      background: "#b3261e", color: "#fff", font: "700 12px/20px system-ui, sans-serif",
      textAlign: "center", position: "relative"
    });
    return { node: badge, number: number, words: words };
  }

  function makeClose() {
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "\u00d7";
    close.setAttribute("aria-label", closeLabel());
    return style(close, {
      position: "absolute", top: "6px", right: "8px", width: "32px", height: "32px",
      border: "0", borderRadius: "50%", background: "rgba(0,0,0,.06)", color: "#1f2933",
      font: "22px/1 system-ui, sans-serif", cursor: "pointer", zIndex: "1", outlineColor: "#174ea6"
    });
  }

  function makePanel(close) {
    const panel = document.createElement("div");
    panel.id = PANEL_ID;
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", label);
    panel.hidden = true;
    style(panel, {
      position: "fixed", zIndex: "2147483001", background: "#fff", overflow: "hidden",
      boxShadow: "0 8px 30px rgba(0,0,0,.3)"
    });
    panel.appendChild(close);
    return panel;
  }

  function makeFrame() {
    const frame = document.createElement("iframe");
    frame.src = server + "/webhooks/webchat/?embed=1&host=" + encodeURIComponent(window.location.origin);
    frame.title = label;
    frame.setAttribute("referrerpolicy", "no-referrer");
    return style(frame, { width: "100%", height: "100%", border: "0", display: "block" });
  }

  function place(panel) {
    const phone = isPhone();
    style(panel, phone
      ? { inset: "0", right: "0", bottom: "0", width: "100%", height: "100%", borderRadius: "0" }
      : { inset: "auto", right: "16px", bottom: "76px", width: "380px",
        height: "min(640px, calc(100vh - 96px))", borderRadius: "14px" });
  }

  function mount() {
    label = buttonLabel();
    const button = makeButton();
    const badge = makeBadge();
    const close = makeClose();
    const panel = makePanel(close);
    let frame = null;
    let ready = false;
    let unread = 0;
    let inerted = [];

    button.appendChild(badge.node);

    function showUnread() {
      badge.node.hidden = unread === 0;
      badge.number.textContent = unread > 99 ? "99+" : String(unread);
      badge.words.textContent = unreadLabel(unread);
    }

    function tellFrame(type) {
      if (frame && frame.contentWindow) {
        frame.contentWindow.postMessage({ source: MESSAGE_SOURCE, type: type }, SERVER_ORIGIN);
      }
    }

    // The chat takes the focus: the frame, then (once it runs) its input box.
    function focusChat() {
      if (!frame) { return; }
      frame.focus();
      if (ready) { tellFrame("focus"); }
    }

    // On a phone the panel is modal: everything else on the page is inert meanwhile.
    function makeModal(modal) {
      inerted.forEach(function (node) { node.inert = false; });
      inerted = [];
      panel.setAttribute("aria-modal", modal ? "true" : "false");
      if (!modal) { return; }
      Array.prototype.forEach.call(document.body.children, function (node) {
        if (node !== panel && !node.inert && node.tagName !== "SCRIPT") {
          node.inert = true;
          inerted.push(node);
        }
      });
    }

    function open() {
      if (!frame) { frame = makeFrame(); panel.appendChild(frame); }
      place(panel);
      panel.hidden = false;
      button.setAttribute("aria-expanded", "true");
      if (isPhone()) { button.style.display = "none"; }
      makeModal(isPhone());
      unread = 0;
      showUnread();
      focusChat();
    }

    function hide() {
      if (panel.hidden) { return; }
      makeModal(false);
      panel.hidden = true;
      button.setAttribute("aria-expanded", "false");
      button.style.display = "inline-flex";
      button.focus();
    }

    window.addEventListener("message", function (event) {
      if (event.origin !== SERVER_ORIGIN || !frame || event.source !== frame.contentWindow) { return; }
      const data = event.data;
      if (!data || typeof data !== "object" || data.source !== MESSAGE_SOURCE) { return; }
      if (data.type === "ready") {
        ready = true;
        if (!panel.hidden) { focusChat(); }
      } else if (data.type === "close") {
        hide();
      } else if (data.type === "reply" && panel.hidden) {
        unread += 1;
        showUnread();
      }
    });

    button.addEventListener("click", function () { if (panel.hidden) { open(); } else { hide(); } });
    close.addEventListener("click", hide);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !panel.hidden) { hide(); }
    });
    window.addEventListener("resize", function () {
      if (panel.hidden) { return; }
      place(panel);
      button.style.display = isPhone() ? "none" : "inline-flex";
      makeModal(isPhone());
    });
    document.body.appendChild(panel);
    document.body.appendChild(button);
  }

  function mountWhenReady() {
    if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }
  }

  loadLabels(mountWhenReady);
}());
