// Document downloads and the materials dialog (the conversation's documents).
// Part of the chat widget: webchat/widget.js is its entry point.
import { CREDENTIAL_HEADER, base, el, state } from "./state.js";
import { kindName, make } from "./dom.js";
import { isoWhen, t } from "./labels.js";
import { request } from "./transport.js";
import { ensureConversation } from "./conversation.js";
import { documentTitle } from "./cards.js";

// ---------------------------------------------------------------- documents (files)

// The address of a document of this conversation in a format (txt or pdf), from the
// payload's download path ("/webhooks/webchat/documents/ID") or the list's id: always
// this server's documents route, never an address a payload could choose.
function documentHref(download, id, format) {
  const match = typeof download === "string" ? /\/documents\/([A-Za-z0-9_-]{1,64})$/.exec(download) : null;
  const documentId = match ? match[1] : (typeof id === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : null);
  if (!documentId || !state.sender) { return null; }
  return base + "documents/" + documentId + "?sender=" + encodeURIComponent(state.sender) +
    "&format=" + format;
}

// The file name the server gives (Content-Disposition, RFC 5987 filename*), else fallback.
function fileName(response, fallback) {
  const header = response.headers.get("Content-Disposition") || "";
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (utf8) {
    try { return decodeURIComponent(utf8[1]); } catch { /* the plain name below */ }
  }
  const plain = /filename="([^"]+)"/i.exec(header);
  return plain ? plain[1] : fallback;
}

export function saveBlob(blob, name) {
  const link = make("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.appendChild(link);
  link.click();
  document.body.removeChild(link);
  setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
}

// A download link of a document: the page fetches it with the conversation's credential
// (the cookie, or the header inside another site's frame, where no cookie goes along)
// and saves it; a refusal or a missing PDF font says so instead of leaving the page.
function downloadLink(href, text, title, fallbackName) {
  const link = make("a", "download-link", text);
  link.href = href;
  link.setAttribute("download", "");
  link.appendChild(make("span", "visually-hidden", t("materials.download_label", { title: title })));
  link.addEventListener("click", function (event) {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; }
    event.preventDefault();
    const headers = {};
    if (state.credential) { headers[CREDENTIAL_HEADER] = state.credential; }
    fetch(href, { credentials: "same-origin", headers: headers }).then(function (response) {
      if (!response.ok) { throw new Error("status " + response.status); }
      return response.blob().then(function (blob) { saveBlob(blob, fileName(response, fallbackName)); });
    }).catch(function () { downloadFailed(link); });
  });
  return link;
}

// The failure, said next to the link that failed (and read out: role status).
function downloadFailed(link) {
  const holder = link.parentNode;
  if (!holder) { return; }
  let note = holder.querySelector(".download-failed");
  if (!note) {
    note = make("p", "download-failed");
    note.setAttribute("role", "status");
    holder.appendChild(note);
  }
  note.textContent = t("materials.download_failed");
}

// The two links (materials.download_txt, materials.download_pdf) of a document, or null without a usable address.
export function downloadLinks(download, id, title) {
  const txt = documentHref(download, id, "txt");
  const pdf = documentHref(download, id, "pdf");
  if (!txt || !pdf) { return null; }
  const links = make("div", "download-links");
  links.appendChild(downloadLink(txt, t("materials.download_txt"), title, title + ".txt"));
  links.appendChild(downloadLink(pdf, t("materials.download_pdf"), title, title + ".pdf"));
  return links;
}

// ---------------------------------------------------------------- materials (the dialog)

function setMaterialsStatus(text) { el.panelStatus.textContent = text; }

// The conversation's documents (GET documents), newest first.
function showMaterials(documents) {
  const shown = documents.filter(function (doc) {
    return doc && typeof doc === "object" && documentHref(doc.download, doc.id, "txt");
  }).reverse();
  el.panelList.textContent = "";
  el.panelList.hidden = !shown.length;
  setMaterialsStatus(shown.length ? t("materials.count", { count: shown.length }) : t("materials.empty"));
  shown.forEach(function (doc) {
    const title = documentTitle(doc);
    const item = make("li", "material");
    item.appendChild(make("h3", "material-title", title));
    item.appendChild(make("p", "material-meta",
      t("materials.meta", { kind: kindName(doc.kind), time: isoWhen(doc.created_at) })));
    const links = downloadLinks(doc.download, doc.id, title);
    if (links) { item.appendChild(links); }
    el.panelList.appendChild(item);
  });
}

function loadMaterials() {
  state.materialsLoad += 1;
  const load = state.materialsLoad;
  setMaterialsStatus(t("materials.loading"));
  return ensureConversation().then(function () {
    return request("GET", "documents?sender=" + encodeURIComponent(state.sender));
  }).then(function (result) {
    if (load !== state.materialsLoad) { return; }
    const data = result.data;
    if (!result.ok || !data || !Array.isArray(data.documents)) { throw new Error("status " + result.status); }
    showMaterials(data.documents);
  }).catch(function () {
    if (load !== state.materialsLoad) { return; }
    el.panelList.textContent = "";
    el.panelList.hidden = true;
    setMaterialsStatus(t("materials.failed"));
  });
}

// A modal dialog: the rest of the page is inert while it is open, Esc closes it (the
// browser's own), and the focus goes back to the header's materials button.
export function openMaterials() {
  if (el.panel.open) { return; }
  el.panelList.textContent = "";
  el.panelList.hidden = true;
  if (typeof el.panel.showModal === "function") { el.panel.showModal(); } else { el.panel.setAttribute("open", ""); }
  el.materials.setAttribute("aria-expanded", "true");
  el.panelClose.focus();
  loadMaterials();
}

export function closeMaterials() {
  if (typeof el.panel.close === "function") { el.panel.close(); } else { el.panel.removeAttribute("open"); materialsClosed(); }
}

export function materialsClosed() {
  state.materialsLoad += 1;  // a list still on its way is not shown any more
  el.materials.setAttribute("aria-expanded", "false");
  el.materials.focus();
}

// A document the coach just wrote: the open panel lists it at once.
export function documentArrived() {
  if (el.panel.open) { loadMaterials(); }
}
