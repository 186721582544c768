// The offer, debt-plan, document and contact-log cards, their charts and printing.
// Part of the chat widget: webchat/widget.js is its entry point.
import { el } from "./state.js";
import { isNumber, kindName, make, newMessageId, svg, yuan } from "./dom.js";
import { isoWhen, label, t } from "./labels.js";
import { downloadLinks } from "./materials.js";

// ---------------------------------------------------------------- cards: print

function printButton(card, title) {
  const button = make("button", "card-print", t("card.print"));
  button.type = "button";
  button.appendChild(make("span", "visually-hidden", t("card.print_label", { title: title })));
  button.addEventListener("click", function () { printCard(card); });
  return button;
}

// The browser's print dialog with this card alone ("Save as PDF" keeps it as a file).
function printCard(card) {
  const root = document.documentElement;
  function done() {
    root.classList.remove("print-one");
    card.classList.remove("print-target");
    window.removeEventListener("afterprint", done);
  }
  root.classList.add("print-one");
  card.classList.add("print-target");
  window.addEventListener("afterprint", done);
  window.print();
}

// Ctrl+P (not a card's button) prints the whole conversation; folded notes print open.
let unfolded = [];
window.addEventListener("beforeprint", function () {
  if (!document.querySelector(".print-target")) { document.documentElement.classList.remove("print-one"); }
  unfolded = Array.prototype.filter.call(el.log.querySelectorAll("details:not([open])"), function (details) {
    details.open = true;
    return true;
  });
});
window.addEventListener("afterprint", function () {
  unfolded.forEach(function (details) { details.open = false; });
  unfolded = [];
});

// ---------------------------------------------------------------- offer card

// A card: a region named by its heading (h2 under the page's h1), with its print button (card.print).
export function cardShell(className, title) {
  const card = make("section", "card " + className);
  const heading = make("h2", "card-title", title);
  heading.id = "card-" + newMessageId().slice(0, 12);
  card.setAttribute("aria-labelledby", heading.id);
  const head = make("div", "card-head");
  head.appendChild(heading);
  head.appendChild(printButton(card, title));
  card.appendChild(head);
  return card;
}

export function addRow(list, label, value, className) {
  const row = make("div", "card-row" + (className ? " " + className : ""));
  row.appendChild(make("dt", null, label));
  row.appendChild(make("dd", null, value));
  list.appendChild(row);
}

export function plan(monthly, months) {
  if (!isNumber(monthly) || !isNumber(months) || monthly <= 0 || months <= 0) { return t("format.none"); }
  return t("format.plan", { monthly: yuan(monthly), months: months });
}

function waiverNames(list) {
  return (Array.isArray(list) ? list : []).map(function (code) { return label("waivers", code); });
}

// The lump-sum option ({available, suggested_opening, typical_range: [low, high]}) in
// words, or null when the offer has none.
function lumpSumText(lump) {
  if (!lump || typeof lump !== "object" || !isNumber(lump.suggested_opening)) { return null; }
  const range = Array.isArray(lump.typical_range) ? lump.typical_range : [];
  if (lump.suggested_opening <= 0 || !isNumber(range[0]) || !isNumber(range[1])) { return null; }
  return t("offer.lump_sum_value", {
    available: yuan(lump.available), suggested: yuan(lump.suggested_opening),
    low: yuan(range[0]), high: yuan(range[1])
  });
}

export function notesList(notes, className) {
  const list = make("ul", className);
  (Array.isArray(notes) ? notes : []).forEach(function (note) {
    list.appendChild(make("li", null, note));
  });
  return list;
}

export function offerCard(offer) {
  const feasible = offer.feasible !== false;
  const card = cardShell("offer" + (feasible ? "" : " offer-infeasible"),
    t(feasible ? "offer.title" : "offer.title_infeasible"));
  let summary = t("offer.summary_balance", { balance: yuan(offer.balance) });
  if (offer.lender_type) { summary += t("offer.summary_lender", { lender: label("lenders", offer.lender_type) }); }
  if (isNumber(offer.disposable_monthly)) {
    summary += t("offer.summary_disposable", { disposable: yuan(offer.disposable_monthly) });
  }
  card.appendChild(make("p", "card-summary", summary));
  if (!feasible && offer.notes && offer.notes.length) {
    card.appendChild(notesList(offer.notes, "card-notes card-notes-alert"));
  }
  const rows = make("dl", "card-rows");
  addRow(rows, t("offer.opening"), plan(offer.opening_monthly, offer.opening_term_months), "row-opening");
  addRow(rows, t("offer.ceiling"), plan(offer.ceiling_monthly, offer.ceiling_term_months), "row-ceiling");
  const waivers = waiverNames(offer.waiver_request);
  if (waivers.length) { addRow(rows, t("offer.waivers"), waivers.join(t("format.list_separator")), "row-waivers"); }
  const lump = lumpSumText(offer.lump_sum);
  if (lump) { addRow(rows, t("offer.lump_sum"), lump, "row-lump-sum"); }
  card.appendChild(rows);
  if (feasible) {
    const chart = balanceChart(offer);
    if (chart) { card.appendChild(chart); }
    appendNotes(card, offer.notes);
  }
  return card;
}

// The first note stays visible; the rest fold into a "more notes" section.
function appendNotes(card, notes) {
  if (!Array.isArray(notes) || !notes.length) { return; }
  card.appendChild(notesList(notes.slice(0, 1), "card-notes"));
  if (notes.length < 2) { return; }
  const more = make("details", "card-more");
  more.appendChild(make("summary", null, t("offer.more_notes", { count: notes.length - 1 })));
  more.appendChild(notesList(notes.slice(1), "card-notes"));
  card.appendChild(more);
}

function balanceSeries(balance, monthly, months) {
  const points = [];
  for (let month = 0; month <= months; month += 1) {
    points.push([month, Math.max(0, balance - monthly * month)]);
  }
  return points;
}

function chartLine(series, scaleX, scaleY, className) {
  const points = series.map(function (p) {
    return scaleX(p[0]).toFixed(1) + "," + scaleY(p[1]).toFixed(1);
  }).join(" ");
  return svg("polyline", { points: points, "class": className, fill: "none" });
}

function chartText(x, y, text, className, anchor) {
  const node = svg("text", { x: x, y: y, "class": className || "chart-label", "text-anchor": anchor || "start" });
  node.textContent = text;
  return node;
}

function balanceChart(offer) {
  return plansChart(offer.balance, [
    { balance: offer.balance, monthly: offer.opening_monthly, months: offer.opening_term_months, name: t("offer.opening"), css: "line-opening" },
    { balance: offer.balance, monthly: offer.ceiling_monthly, months: offer.ceiling_term_months, name: t("offer.ceiling"), css: "line-ceiling" }
  ]);
}

// Several debts: one line per debt, each falling from its own balance.
const DEBT_LINES = 6;
function debtPlanChart(payload) {
  const debts = payload.debts.filter(function (debt) { return debt && isNumber(debt.balance); });
  const highest = Math.max.apply(null, debts.map(function (debt) { return debt.balance; }).concat([0]));
  return plansChart(highest, debts.map(function (debt, index) {
    return { balance: debt.balance, monthly: debt.monthly, months: debt.term_months,
      name: debt.label ? String(debt.label) : label("lenders", debt.lender_type),
      css: "line-debt line-debt-" + (index % DEBT_LINES) };
  }));
}

// Balances falling month by month, one line per plan ({balance, monthly, months, name, css}).
function plansChart(balance, candidates) {
  const plans = candidates.filter(function (p) {
    return isNumber(p.balance) && p.balance > 0 && isNumber(p.monthly) && p.monthly > 0 && isNumber(p.months) && p.months > 0;
  });
  if (!isNumber(balance) || balance <= 0 || !plans.length) { return null; }

  const width = 320, height = 170, left = 52, right = 12, top = 14, bottom = 30;
  const lastMonth = Math.max.apply(null, plans.map(function (p) { return p.months; }));
  const scaleX = function (m) { return left + (width - left - right) * m / lastMonth; };
  const scaleY = function (v) { return top + (height - top - bottom) * (1 - v / balance); };
  const description = t("chart.label", { description: plans.map(function (p) {
    return t("chart.description", { plan: p.name, monthly: yuan(p.monthly), months: p.months,
      left: yuan(Math.max(0, p.balance - p.monthly * p.months)) });
  }).join(t("chart.description_separator")) });

  const figure = make("figure", "chart");
  const chart = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", "class": "chart-svg",
    "aria-label": description });
  const title = svg("title");
  title.textContent = description;
  chart.appendChild(title);
  chart.appendChild(svg("line", { x1: left, y1: scaleY(0), x2: width - right, y2: scaleY(0), "class": "chart-axis" }));
  chart.appendChild(svg("line", { x1: left, y1: scaleY(balance), x2: left, y2: scaleY(0), "class": "chart-axis" }));
  chart.appendChild(svg("line", { x1: left, y1: scaleY(balance / 2), x2: width - right, y2: scaleY(balance / 2), "class": "chart-grid" }));
  chart.appendChild(chartText(left - 4, scaleY(balance) + 4, yuan(balance), "chart-label", "end"));
  chart.appendChild(chartText(left - 4, scaleY(balance / 2) + 4, yuan(balance / 2), "chart-label", "end"));
  chart.appendChild(chartText(left - 4, scaleY(0) + 4, "0", "chart-label", "end"));
  chart.appendChild(chartText(left, height - 8, t("chart.start"), "chart-label", "start"));
  chart.appendChild(chartText(width - right, height - 8, t("chart.end", { months: lastMonth }), "chart-label", "end"));
  plans.forEach(function (p) {
    chart.appendChild(chartLine(balanceSeries(p.balance, p.monthly, p.months), scaleX, scaleY, "chart-line " + p.css));
  });
  figure.appendChild(chart);
  figure.appendChild(chartLegend(plans));
  return figure;
}

function chartLegend(plans) {
  const legend = make("figcaption", "chart-legend");
  plans.forEach(function (p) {
    const item = make("span", "legend-item");
    item.appendChild(make("span", "legend-swatch " + p.css));
    item.appendChild(make("span", null, p.name + " " + plan(p.monthly, p.months)));
    legend.appendChild(item);
  });
  return legend;
}

export function textRow(name, value) { return t("format.row", { label: name, value: value }); }

export function noteLines(notes) {
  return (Array.isArray(notes) ? notes : []).map(function (note) { return t("format.note", { note: note }); });
}

export function offerText(offer) {
  const lines = [t(offer.feasible === false ? "offer.transcript_title_infeasible" : "offer.transcript_title"),
    textRow(t("offer.balance"), yuan(offer.balance)),
    textRow(t("offer.opening"), plan(offer.opening_monthly, offer.opening_term_months)),
    textRow(t("offer.ceiling"), plan(offer.ceiling_monthly, offer.ceiling_term_months))];
  const waivers = waiverNames(offer.waiver_request);
  if (waivers.length) { lines.push(textRow(t("offer.waivers"), waivers.join(t("format.list_separator")))); }
  const lump = lumpSumText(offer.lump_sum);
  if (lump) { lines.push(textRow(t("offer.lump_sum"), lump)); }
  return lines.concat(noteLines(offer.notes)).join("\n");
}

// ---------------------------------------------------------------- debt plan card

// The debt_plan payload (several debts, docs/contract.md §3): one row per debt.
export function debtPlanCard(payload) {
  if (!Array.isArray(payload.debts) || !payload.debts.length) { return null; }
  const feasible = payload.feasible !== false;
  const card = cardShell("debt-plan" + (feasible ? "" : " offer-infeasible"),
    t(feasible ? "debt_plan.title" : "debt_plan.title_infeasible"));
  card.appendChild(make("p", "card-summary", t("debt_plan.summary", {
    count: payload.debts.length, affordable: yuan(payload.affordable_monthly)
  })));
  if (!feasible && Array.isArray(payload.notes) && payload.notes.length) {
    card.appendChild(notesList(payload.notes, "card-notes card-notes-alert"));
  }
  const rows = make("dl", "card-rows");
  let total = 0;
  payload.debts.forEach(function (debt) {
    if (!debt || typeof debt !== "object") { return; }
    const name = t("debt_plan.debt", {
      label: debt.label ? String(debt.label) : label("lenders", debt.lender_type), balance: yuan(debt.balance)
    });
    let value = plan(debt.monthly, debt.term_months);
    if (debt.priority) { value = t("debt_plan.priority", { plan: value }); }
    if (isNumber(debt.monthly)) { total += debt.monthly; }
    addRow(rows, name, value, debt.priority ? "row-priority" : null);
  });
  if (feasible) { addRow(rows, t("debt_plan.total"), yuan(total), "row-total"); }
  card.appendChild(rows);
  const chart = feasible ? debtPlanChart(payload) : null;
  if (chart) { card.appendChild(chart); }
  if (feasible) { appendNotes(card, payload.notes); }
  return card;
}

export function debtPlanText(payload) {
  const lines = [t(payload.feasible === false ? "debt_plan.transcript_title_infeasible" : "debt_plan.transcript_title")];
  (Array.isArray(payload.debts) ? payload.debts : []).forEach(function (debt) {
    if (!debt || typeof debt !== "object") { return; }
    const name = t("debt_plan.debt", {
      label: debt.label ? String(debt.label) : label("lenders", debt.lender_type), balance: yuan(debt.balance)
    });
    lines.push(textRow(name, plan(debt.monthly, debt.term_months)));
  });
  return lines.concat(noteLines(payload.notes)).join("\n");
}

// ---------------------------------------------------------------- document card

// The lines a document card shows first (folded); the rest fold on inside, so the whole
// text can be read and copied in the chat. The card's print button and the downloads give it whole.
const PREVIEW_LINES = 8;

export function documentTitle(doc) {
  return typeof doc.title === "string" && doc.title.trim() ? doc.title : kindName(doc.kind);
}

function textBlock(lines) {
  const block = make("div", "document-text", lines.join("\n"));
  block.setAttribute("dir", "auto");
  return block;
}

// The text's lines, split after its PREVIEW_LINES-th line that is not empty.
function splitText(text) {
  const lines = text.replace(/\r\n?/g, "\n").replace(/^\s*\n|\s+$/g, "").split("\n");
  let seen = 0;
  let cut = lines.length;
  for (let i = 0; i < lines.length; i += 1) {
    if (lines[i].trim()) { seen += 1; }
    if (seen === PREVIEW_LINES) { cut = i + 1; break; }
  }
  const rest = lines.slice(cut);
  while (rest.length && !rest[0].trim()) { rest.shift(); }
  return { first: lines.slice(0, cut), rest: rest };
}

// The document payload (docs/contract.md §3): title, kind and time, the text folded (its
// first lines, then the rest), the whole text for printing, and its downloads.
export function documentCard(doc) {
  if (typeof doc.text !== "string" || !doc.text.trim()) { return null; }
  const title = documentTitle(doc);
  const card = cardShell("document", title);
  card.appendChild(make("p", "card-summary", t("materials.meta", {
    kind: kindName(doc.kind), time: t("documents.created", { time: isoWhen(doc.created_at) })
  })));
  const parts = splitText(doc.text);
  const restCount = parts.rest.filter(function (line) { return line.trim(); }).length;
  const fold = make("details", "card-more document-preview");
  fold.appendChild(make("summary", null,
    restCount ? t("documents.preview", { count: PREVIEW_LINES }) : t("documents.preview_all")));
  fold.appendChild(textBlock(parts.first));
  if (restCount) {
    const more = make("details", "card-more document-rest");
    more.appendChild(make("summary", null, t("documents.preview_rest", { count: restCount })));
    more.appendChild(textBlock(parts.rest));
    fold.appendChild(more);
  }
  card.appendChild(fold);
  const whole = make("div", "document-full", doc.text);  // printed instead of the folds
  whole.setAttribute("dir", "auto");
  card.appendChild(whole);
  const links = downloadLinks(doc.download, null, title);
  if (links) { card.appendChild(links); }
  return card;
}

export function documentText(doc) {
  return [t("documents.transcript_title", { kind: kindName(doc.kind), title: documentTitle(doc) }),
    String(doc.text || "")].join("\n");
}

// ---------------------------------------------------------------- contact log card

function usableEntries(log) {
  return (Array.isArray(log.entries) ? log.entries : []).filter(function (entry) {
    return entry && typeof entry === "object";
  });
}

function usableViolations(entry) {
  return (Array.isArray(entry.violations) ? entry.violations : []).filter(function (v) {
    return v && typeof v === "object" && typeof v.text === "string" && v.text;
  });
}

function entryWho(entry) {
  return t("contact_log.who", {
    organisation: entry.organisation ? String(entry.organisation) : t("contact_log.no_organisation"),
    collector: entry.collector ? String(entry.collector) : t("contact_log.no_collector")
  });
}

function entryWhen(entry) {
  return t("contact_log.entry", { when: isoWhen(entry.at), channel: label("channels", entry.channel || "other") });
}

// The contact_log payload: one row per recorded contact (when, how, who, what happened)
// and the rules it may have broken. Numbered as the coach numbers them in the chat.
export function contactLogCard(log) {
  const entries = usableEntries(log);
  if (!entries.length) { return null; }
  const card = cardShell("contact-log", t("contact_log.title"));
  card.appendChild(make("p", "card-summary", t("contact_log.summary", { count: entries.length })));
  const list = make("ol", "contact-rows");
  entries.forEach(function (entry) {
    const row = make("li", "contact-row");
    row.appendChild(make("p", "contact-when", entryWhen(entry)));
    row.appendChild(make("p", "contact-who", entryWho(entry)));
    if (entry.summary) {
      const summary = make("p", "contact-summary", entry.summary);
      summary.setAttribute("dir", "auto");
      row.appendChild(summary);
    }
    const violations = usableViolations(entry);
    if (violations.length) {
      row.appendChild(make("p", "contact-violations-title", t("contact_log.violations")));
      const found = make("ul", "contact-violations");
      violations.forEach(function (violation) { found.appendChild(make("li", "violation", violation.text)); });
      row.appendChild(found);
    } else {
      row.appendChild(make("p", "contact-clean", t("contact_log.no_violations")));
    }
    list.appendChild(row);
  });
  card.appendChild(list);
  return card;
}

export function contactLogText(log) {
  const lines = [t("contact_log.transcript_title")];
  usableEntries(log).forEach(function (entry, index) {
    lines.push(t("contact_log.transcript_entry", {
      number: index + 1, when: isoWhen(entry.at), channel: label("channels", entry.channel || "other"),
      who: entryWho(entry), summary: entry.summary ? String(entry.summary) : t("format.none")
    }));
    usableViolations(entry).forEach(function (violation) {
      lines.push(t("contact_log.transcript_violation", { text: violation.text }));
    });
  });
  return lines.join("\n");
}
