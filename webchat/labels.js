// Every text the widget shows, from the server (content/widget.yml): t() and label().
// Part of the chat widget: webchat/widget.js is its entry point.
import { byId, has } from "./dom.js";
import { request } from "./transport.js";

export let labels = {};  // filled by loadLabels() before anything is shown
const LABELS_ELEMENT = "coach-labels";
// "{name}" in a template becomes values.name; unknown names stay as they are.
function fill(template, values) {
  return template.replace(/\{([a-z_]+)\}/g, function (whole, name) {
    return has(values, name) ? String(values[name]) : whole;
  });
}

// The text at a dotted path of the labels ("offer.title"), filled with values; the path
// itself when there is no such text (tests/unit/addons/channels/test_labels.py checks
// that every path used here exists).
export function t(path, values) {
  let value = labels;
  path.split(".").forEach(function (part) { value = has(value, part) ? value[part] : undefined; });
  return typeof value === "string" ? fill(value, values) : path;
}

// A name from a group of labels owned by another content file (lenders, waivers,
// personas, criteria); the code itself when the server has no name for it.
export function label(group, code) {
  const names = labels[group];
  return has(names, code) && typeof names[code] === "string" ? names[code] : String(code);
}

export function locale() { return typeof labels.locale === "string" ? labels.locale : undefined; }

// An ISO local time of the case file ("2026-11-29T23:10", or a date alone) in words
// (date.day, date.day_time). Read from its digits, never through Date: a date alone
// would be taken for UTC midnight and could show as the day before.
export function isoWhen(value) {
  const match = typeof value === "string"
    ? /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(value) : null;
  if (!match) { return t("date.unknown"); }
  const day = t("date.day", { year: match[1], month: Number(match[2]), day: Number(match[3]) });
  return match[4] ? t("date.day_time", { day: day, hour: match[4], minute: match[5] }) : day;
}

// ---------------------------------------------------------------- labels

function embeddedLabels() {
  const node = byId(LABELS_ELEMENT);
  if (!node) { return null; }
  try {
    const data = JSON.parse(node.textContent);
    return data && typeof data === "object" ? data : null;
  } catch { return null; }
}

// The page's own labels; on a page without them, the server's (GET labels).
export function loadLabels() {
  const embedded = embeddedLabels();
  if (embedded) { return Promise.resolve(embedded); }
  return request("GET", "labels").then(function (result) {
    return result.ok && result.data && typeof result.data === "object" ? result.data : {};
  }, function () { return {}; });
}

// start() sets them once they are loaded (an imported binding cannot be assigned).
export function setLabels(loaded) { labels = loaded; }
