// The practice call's score card.
// Part of the chat widget: webchat/widget.js is its entry point.
import { has, isNumber, make } from "./dom.js";
import { label, t } from "./labels.js";
import { addRow, cardShell, noteLines, notesList, plan, textRow } from "./cards.js";

// ---------------------------------------------------------------- score card

function mark(value) {
  if (value === true) {
    return { symbol: t("score.marks.yes.symbol"), css: "crit-yes", label: t("score.marks.yes.label") };
  }
  if (value === false) {
    return { symbol: t("score.marks.no.symbol"), css: "crit-no", label: t("score.marks.no.label") };
  }
  return { symbol: t("score.marks.na.symbol"), css: "crit-na", label: t("score.marks.na.label") };
}

// The three parts of the score, each with its label path (content/widget.yml score.parts).
const PARTS = [
  ["outcome", "score.parts.outcome"], ["process", "score.parts.process"], ["conduct", "score.parts.conduct"]
];

function percent(value) { return Math.max(0, Math.min(100, Math.round(value))); }

// A round that was scored: finished is not false and the score is a number. An
// unfinished round (finished false, score null) shows score.unfinished, never a 0.
function isScored(score) { return score.finished !== false && isNumber(score.score); }

// Outcome, process and conduct: a row each, the value in words ("68 / 100") and a bar
// that only draws it (aria-hidden). Outcome without a deal says so instead of a number.
function partsList(parts) {
  const list = make("dl", "score-parts");
  PARTS.forEach(function (part) {
    const value = has(parts, part[0]) ? parts[part[0]] : null;
    const row = make("div", "score-part score-part-" + part[0]);
    row.appendChild(make("dt", null, t(part[1])));
    const cell = make("dd");
    if (isNumber(value)) {
      cell.appendChild(make("span", "part-value", t("score.part_value", { value: percent(value) })));
      const bar = make("span", "part-bar");
      bar.setAttribute("aria-hidden", "true");
      const fill = bar.appendChild(make("span", "part-fill"));
      fill.style.width = percent(value) + "%";
      cell.appendChild(bar);
    } else {
      cell.appendChild(make("span", "part-value part-none",
        part[0] === "outcome" ? label("practice", "no_outcome") : t("format.none")));
    }
    row.appendChild(cell);
    list.appendChild(row);
  });
  return list;
}

function usableComments(comments) {
  return (Array.isArray(comments) ? comments : []).filter(function (c) {
    return c && typeof c === "object" && typeof c.comment === "string" && c.comment;
  });
}

function commentLabel(comment) {
  return t("score.debrief_label", {
    kind: comment.kind_text ? String(comment.kind_text) : String(comment.kind || ""),
    label: comment.label_text ? String(comment.label_text) : String(comment.label || "")
  });
}

// The coach's comments (debrief): each its label, the learner's words it is about, the
// comment and a sentence to say instead.
function debriefList(comments) {
  const list = make("ol", "debrief");
  comments.forEach(function (comment) {
    const item = make("li", "debrief-item debrief-" + (comment.kind === "strength" ? "strength" : "error"));
    item.appendChild(make("p", "debrief-label", commentLabel(comment)));
    if (comment.quote && isNumber(comment.turn)) {
      const quote = make("p", "debrief-quote", t("score.debrief_quote", { turn: comment.turn, quote: comment.quote }));
      quote.setAttribute("dir", "auto");
      item.appendChild(quote);
    }
    item.appendChild(make("p", "debrief-comment", comment.comment));
    if (comment.say) { item.appendChild(make("p", "debrief-say", t("score.debrief_say", { say: comment.say }))); }
    list.appendChild(item);
  });
  return list;
}

function progressLines(progress) {
  if (typeof progress === "string") { return progress.trim() ? [progress] : []; }
  return (Array.isArray(progress) ? progress : []).filter(function (line) {
    return typeof line === "string" && line.trim();
  });
}

function usableTurns(turns) {
  return (Array.isArray(turns) ? turns : []).filter(function (turn) { return turn && typeof turn === "object"; });
}

function turnFound(turn) {
  const found = (Array.isArray(turn.found) ? turn.found : []).filter(function (code) {
    return typeof code === "string" && code !== "silent";
  }).map(function (code) { return label("found", code); });
  return found.length ? t("score.replay_found", { found: found.join(t("score.replay_separator")) }) : null;
}

function turnSaid(turn, index) {
  const said = typeof turn.text === "string" && turn.text.trim() ? turn.text : t("score.replay_nothing");
  return t("score.replay_turn", { turn: isNumber(turn.turn) ? turn.turn : index + 1, text: said });
}

// The replay (score.replay): folded, every turn of the learner with the coach's note on it.
function replaySection(turns) {
  const fold = make("details", "card-more replay");
  fold.appendChild(make("summary", null, t("score.replay", { count: turns.length })));
  const list = make("ul", "replay-turns");
  turns.forEach(function (turn, index) {
    const item = make("li", "replay-turn");
    const said = make("p", "replay-said", turnSaid(turn, index));
    said.setAttribute("dir", "auto");
    item.appendChild(said);
    if (typeof turn.note === "string" && turn.note) { item.appendChild(make("p", "replay-note", turn.note)); }
    const found = turnFound(turn);
    if (found) { item.appendChild(make("p", "replay-found", found)); }
    list.appendChild(item);
  });
  fold.appendChild(list);
  return fold;
}

function criteriaList(criteria) {
  const list = make("ul", "criteria");
  Object.keys(criteria || {}).forEach(function (key) {
    const m = mark(criteria[key]);
    const item = make("li", "crit " + m.css);
    const symbol = make("span", "crit-mark", m.symbol);
    symbol.setAttribute("aria-hidden", "true");  // the mark is said in words instead
    item.appendChild(symbol);
    item.appendChild(make("span", "visually-hidden crit-label", t("score.mark_label", { label: m.label })));
    item.appendChild(make("span", null, label("criteria", key)));
    list.appendChild(item);
  });
  return list;
}

export function scoreCard(score) {
  const scored = isScored(score);
  const card = cardShell("score" + (scored ? "" : " score-unfinished"), t("score.title"));
  const big = make("p", "score-value");
  if (scored) {
    big.appendChild(make("span", "score-number", percent(score.score)));
    big.appendChild(make("span", "score-max", t("score.out_of")));
  } else {
    big.appendChild(make("span", "score-status", t("score.unfinished")));
  }
  card.appendChild(big);
  if (score.persona) {
    card.appendChild(make("p", "card-summary", t("score.opponent", { persona: label("personas", score.persona) })));
  }
  if (!scored) {
    card.appendChild(make("p", "score-todo", label("practice", "unfinished")));
  } else {
    if (score.parts && typeof score.parts === "object") {
      card.appendChild(make("h3", "card-subtitle", t("score.parts_title")));
      card.appendChild(partsList(score.parts));
    }
    card.appendChild(criteriaList(score.criteria));
    const agreed = score.agreed && isNumber(score.agreed.monthly)
      ? plan(score.agreed.monthly, score.agreed.term_months) : t("score.no_agreement");
    const rows = make("dl", "card-rows");
    addRow(rows, t("score.agreed"), agreed);
    card.appendChild(rows);
    const comments = usableComments(score.debrief);
    if (comments.length) {
      card.appendChild(make("h3", "card-subtitle", t("score.debrief_title")));
      card.appendChild(debriefList(comments));
    }
    // progress: its own heading line (which round this is), then what changed.
    const progress = progressLines(score.progress);
    if (progress.length) {
      const heading = progress.length > 1 ? progress[0] : t("score.progress_title");
      card.appendChild(make("h3", "card-subtitle", heading));
      card.appendChild(notesList(progress.length > 1 ? progress.slice(1) : progress, "card-notes score-progress"));
    }
    if (score.tips && score.tips.length) {
      card.appendChild(make("h3", "card-subtitle", t("score.tips")));
      card.appendChild(notesList(score.tips, "card-notes"));
    }
  }
  const turns = usableTurns(score.turns);
  if (turns.length) { card.appendChild(replaySection(turns)); }
  return card;
}

export function scoreText(score) {
  if (!isScored(score)) {
    return [t("score.transcript_unfinished"), label("practice", "unfinished")].join("\n");
  }
  const lines = [t("score.transcript_title", { score: percent(score.score) })];
  if (score.parts && typeof score.parts === "object") {
    PARTS.forEach(function (part) {
      const value = score.parts[part[0]];
      lines.push(textRow(t(part[1]), isNumber(value) ? t("score.part_value", { value: percent(value) })
        : (part[0] === "outcome" ? label("practice", "no_outcome") : t("format.none"))));
    });
  }
  Object.keys(score.criteria || {}).forEach(function (key) {
    lines.push(mark(score.criteria[key]).symbol + " " + label("criteria", key));
  });
  usableComments(score.debrief).forEach(function (comment) {
    lines.push(t("format.note", { note: commentLabel(comment) + " " + comment.comment }));
  });
  return lines.concat(progressLines(score.progress), noteLines(score.tips)).join("\n");
}
