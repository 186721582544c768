/*
 * Embeds the debt-negotiation coach on any page with one tag:
 *   <script src="https://host/webhooks/webchat/static/embed.js" data-server="https://host"></script>
 * Adds a floating chat button; clicking it opens the chat in a panel (an iframe of
 * https://host/webhooks/webchat/?embed=1). Optional: data-label="..." (the button's text).
 * Its texts come from the server (GET /webhooks/webchat/labels, content/widget.yml); only
 * when the server cannot be reached within a few seconds does it fall back to FALLBACK.
 * Everything is styled inline, so the host page's CSS cannot break it (and vice versa).
 * The host site must be listed in the server's frame_ancestors (credentials.yml), else
 * the browser refuses the frame. The conversation's credential never reaches this page:
 * the widget keeps it in its own origin's sessionStorage (webchat/README.md).
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__debtCoachEmbedded) { return; }
  window.__debtCoachEmbedded = true;

  var server = (script.getAttribute("data-server") || new URL(script.src, location.href).origin)
    .replace(/\/+$/, "");
  var PANEL_ID = "debt-coach-panel";
  var LABELS_TIMEOUT_MS = 4000;
  // Only for a server that does not answer in time (then the chat itself cannot load
  // either); the texts are owned by content/widget.yml (name, embed.close).
  var FALLBACK = { name: "债务沟通教练", embed: { close: "关闭聊天" } };
  var labels = FALLBACK;
  var label = "";

  function closeLabel() {
    var embed = labels.embed || FALLBACK.embed;
    return typeof embed.close === "string" ? embed.close : FALLBACK.embed.close;
  }

  function buttonLabel() {
    var name = typeof labels.name === "string" ? labels.name : FALLBACK.name;
    return script.getAttribute("data-label") || name;
  }

  // The server's labels, or FALLBACK when they do not come within LABELS_TIMEOUT_MS.
  function loadLabels(done) {
    var finished = false;
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

  function style(node, rules) {
    Object.keys(rules).forEach(function (name) { node.style[name] = rules[name]; });
    return node;
  }

  function isPhone() { return window.innerWidth < 520; }

  function makeButton() {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "💬 " + label;
    button.setAttribute("aria-controls", PANEL_ID);
    button.setAttribute("aria-expanded", "false");
    return style(button, {
      position: "fixed", right: "16px", bottom: "16px", zIndex: "2147483000",
      padding: "12px 18px", border: "0", borderRadius: "999px", background: "#1f6f5c",
      color: "#fff", font: "600 15px/1.2 system-ui, 'PingFang SC', 'Microsoft YaHei', sans-serif",
      boxShadow: "0 4px 14px rgba(0,0,0,.25)", cursor: "pointer"
    });
  }

  function makeClose() {
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", closeLabel());
    return style(close, {
      position: "absolute", top: "6px", right: "8px", width: "32px", height: "32px",
      border: "0", borderRadius: "50%", background: "rgba(0,0,0,.06)", color: "#1f2933",
      font: "22px/1 system-ui, sans-serif", cursor: "pointer", zIndex: "1"
    });
  }

  function makePanel(close) {
    var panel = document.createElement("div");
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
    var frame = document.createElement("iframe");
    frame.src = server + "/webhooks/webchat/?embed=1";
    frame.title = label;
    frame.setAttribute("referrerpolicy", "no-referrer");
    return style(frame, { width: "100%", height: "100%", border: "0", display: "block" });
  }

  function place(panel) {
    var phone = isPhone();
    style(panel, phone
      ? { inset: "0", right: "0", bottom: "0", width: "100%", height: "100%", borderRadius: "0" }
      : { inset: "auto", right: "16px", bottom: "76px", width: "380px",
        height: "min(640px, calc(100vh - 96px))", borderRadius: "14px" });
  }

  function mount() {
    label = buttonLabel();
    var button = makeButton();
    var close = makeClose();
    var panel = makePanel(close);

    function open() {
      if (!panel.querySelector("iframe")) { panel.appendChild(makeFrame()); }
      place(panel);
      panel.hidden = false;
      button.setAttribute("aria-expanded", "true");
      if (isPhone()) { button.style.display = "none"; }
    }

    function hide() {
      panel.hidden = true;
      button.setAttribute("aria-expanded", "false");
      button.style.display = "";
      button.focus();
    }

    button.addEventListener("click", function () { if (panel.hidden) { open(); } else { hide(); } });
    close.addEventListener("click", hide);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !panel.hidden) { hide(); }
    });
    window.addEventListener("resize", function () { if (!panel.hidden) { place(panel); } });
    document.body.appendChild(panel);
    document.body.appendChild(button);
  }

  function mountWhenReady() {
    if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }
  }

  loadLabels(mountWhenReady);
}());
