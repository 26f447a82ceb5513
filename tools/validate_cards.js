// Validates Adaptive Card JSON files with the official renderer (npm adaptivecards, schema 1.5).
// Usage: node tools/validate_cards.js FILE.json... ; prints one JSON report on stdout:
// {"FILE": {"bytes": N, "events": ["..."]}, ...}. Exit code 0 even when cards have events:
// the caller (pytest) decides. No DOM is needed to parse and validate.
"use strict";
const fs = require("fs");
const AC = require("adaptivecards/dist/adaptivecards.js");

function executeWithoutVerb(node, path, found) {
  if (Array.isArray(node)) {
    node.forEach((child, i) => executeWithoutVerb(child, `${path}[${i}]`, found));
  } else if (node && typeof node === "object") {
    if (node.type === "Action.Execute" && !node.verb) found.push(`${path}: Action.Execute without a verb`);
    for (const [key, child] of Object.entries(node)) executeWithoutVerb(child, `${path}.${key}`, found);
  }
}

function validate(text) {
  const events = [];
  const json = JSON.parse(text);
  const ctx = new AC.SerializationContext(new AC.Version(1, 5));
  const card = new AC.AdaptiveCard();
  card.parse(json, ctx);
  for (let i = 0; i < ctx.eventCount; i++) {
    const e = ctx.getEventAt(i);
    events.push(`parse: ${e.message}`);
  }
  for (const e of card.validateProperties().validationEvents) events.push(`validate: ${e.message}`);
  executeWithoutVerb(json, "$", events);
  return events;
}

const report = {};
for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, "utf8");
  let events;
  try {
    events = validate(text);
  } catch (err) {
    events = [`error: ${err.message}`];
  }
  report[file] = { bytes: Buffer.byteLength(text, "utf8"), events };
}
process.stdout.write(JSON.stringify(report));
