// Small DOM, number and storage helpers.
// Part of the chat widget: webchat/widget.js is its entry point.
import { SVG_NS, el } from "./state.js";
import { labels, locale, t } from "./labels.js";

// ---------------------------------------------------------------- helpers

export function byId(id) { return document.getElementById(id); }

export function has(object, key) {
  return object !== null && typeof object === "object" && Object.prototype.hasOwnProperty.call(object, key);
}

export function kindName(kind) {
  const kinds = has(labels, "documents") ? labels.documents.kinds : null;
  return has(kinds, kind) && typeof kinds[kind] === "string" ? kinds[kind] : String(kind || "");
}

export function apiBase() {
  const script = document.currentScript;
  const src = script && script.src ? script.src : window.location.href;
  return src.replace(/static\/widget\.js(\?.*)?$/, "").replace(/[?#].*$/, "");
}

export function make(tag, className, text) {
  const node = document.createElement(tag);
  if (className) { node.className = className; }
  if (text !== undefined && text !== null) { node.textContent = String(text); }
  return node;
}

export function svg(tag, attributes) {
  const node = document.createElementNS(SVG_NS, tag);
  Object.keys(attributes || {}).forEach(function (name) {
    node.setAttribute(name, String(attributes[name]));
  });
  return node;
}

export function yuan(value) {
  const number = Number(value);
  if (!isFinite(number)) { return t("format.none"); }
  return t("format.money", { amount: Math.round(number).toLocaleString(locale()) });
}

export function isNumber(value) { return typeof value === "number" && isFinite(value); }

export function isEmbedParameter() { return /[?&]embed=1(&|$)/.test(window.location.search); }

export function isFramed() {
  if (isEmbedParameter()) { return true; }
  try { return window.self !== window.top; } catch { return true; }
}

// A phone or tablet: focusing the input there pops the keyboard up over the reply.
export function isTouch() {
  return !!(window.matchMedia && window.matchMedia("(hover: none) and (pointer: coarse)").matches);
}

export function focusInput() { if (!isTouch()) { el.input.focus(); } }

// 128 random bits as hex: the message's id, kept for its resends.
export function newMessageId() {
  const bytes = new Uint8Array(16);
  if (window.crypto && window.crypto.getRandomValues) {
    window.crypto.getRandomValues(bytes);
  } else {
    for (let i = 0; i < bytes.length; i += 1) { bytes[i] = Math.floor(Math.random() * 256); }
  }
  return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
}

// sessionStorage of this origin: the host page cannot read it, and it ends with the tab.
const memoryStore = {};
export function storageGet(key) {
  try { return window.sessionStorage.getItem(key); } catch { return memoryStore[key] || null; }
}
export function storageSet(key, value) {
  try { window.sessionStorage.setItem(key, value); } catch { memoryStore[key] = value; }
}
export function storageRemove(key) {
  try { window.sessionStorage.removeItem(key); } catch { /* memory only */ }
  delete memoryStore[key];
}
