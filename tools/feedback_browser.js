// The family feedback page in a real browser, driven with the keyboard only, as a family would:
// for each link given (one per version and viewport), open the page, send it empty (the page comes back),
// fill it with Tab, arrow keys, Space and typing (one answer pasted far too long: the page comes back
// with the words kept), shorten it, send with Enter or Space, see the thanks, and open the link again
// (it has been used). axe-core checks every page against WCAG 2.2 AA; the pages must reflow at 320 CSS
// pixels (400% zoom) without scrolling sideways; screenshots go to OUT_DIR.
// Usage: node tools/feedback_browser.js PLAN_JSON OUT_DIR [CHROMIUM]   (prints a JSON report)
// PLAN_JSON: [{"name": "child-phone", "url": "...", "width": 390, "height": 844, "answers": {...}}, ...]
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const puppeteer = require("puppeteer-core");

const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

async function axe(page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }),
    TAGS);
  return {
    violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) })),
    passes: result.passes.length,
    incomplete: result.incomplete.map((v) => v.id), // what axe cannot decide alone: for a person to look at
  };
}

async function sideways(page, width, height) {
  // What a reader at 400% zoom on a 1280-pixel screen sees: 320 CSS pixels across.
  await page.setViewport({ width: 320, height: 640 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await page.setViewport({ width, height });
  return overflow;
}

async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return el ? (el.id || el.name || el.className || el.tagName).toString() : "";
  });
}

async function settledFocus(page) {
  // Where focus is once the browser has run the page's autofocus (at its next rendering, after load).
  try {
    await page.waitForFunction(() => document.activeElement && document.activeElement.id === "summary",
      { timeout: 3000 });
  } catch (err) { /* not there: the report says where it is */ }
  return focused(page);
}

async function tabTo(page, wanted, order) {
  // Tab until the element with id `wanted` has focus; every stop is recorded.
  for (let presses = 0; presses < 40; presses += 1) {
    await page.keyboard.press("Tab");
    const now = await focused(page);
    order.push(now);
    if (now === wanted) return;
  }
  throw new Error(`Tab never reached #${wanted}; the stops were ${order.join(", ")}`);
}

async function pageLoad(page, action) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: "load" }), action()]);
  return { status: response.status() };
}

async function weighed(page) {
  // The page as the browser loaded it: its bytes (the HTML and the stylesheet) and its times.
  return page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const resources = performance.getEntriesByType("resource");
    return {
      htmlBytes: nav.encodedBodySize,
      cssBytes: resources.reduce((sum, r) => sum + r.encodedBodySize, 0),
      requests: 1 + resources.length,
      serverMs: Math.round(nav.responseStart - nav.requestStart),
      loadMs: Math.round(nav.loadEventEnd - nav.startTime),
    };
  });
}

async function look(page, run, step, report) {
  const { width, height } = run;
  report.pages[step] = await weighed(page);
  report.axe[step] = await axe(page);
  report.sideways[step] = await sideways(page, width, height);
  await page.screenshot({ path: path.join(report.outDir, `${run.name}-${step}.png`), fullPage: true });
}

async function rate(page, question, value, order) {
  // A group of radio buttons is one Tab stop: Space chooses the first, the arrow keys move the choice
  // (down is onward in either direction of writing; right would be backward right-to-left).
  await tabTo(page, `${question}-1`, order);
  await page.keyboard.press("Space");
  for (let n = 1; n < value; n += 1) await page.keyboard.press("ArrowDown");
}

async function one(browser, run, outDir) {
  const page = await browser.newPage();
  await page.setViewport({ width: run.width, height: run.height });
  const report = { name: run.name, outDir, axe: {}, sideways: {}, status: {}, pages: {}, order: [] };
  const first = await page.goto(run.url, { waitUntil: "load" });
  report.status.form = first.status();
  report.html = await page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
  await look(page, run, "form", report);

  // Sent with nothing answered: the page comes back saying so, its summary focused.
  await tabTo(page, "send", report.order);
  let loaded = await pageLoad(page, () => page.keyboard.press("Enter"));
  report.status.empty = loaded.status;
  report.emptyFocus = await settledFocus(page);
  report.emptySays = await page.$eval(".summary", (el) => el.innerText);

  const a = run.answers;
  await rate(page, "useful", Number(a.useful), report.order);
  await rate(page, "listened", Number(a.listened), report.order);
  await page.screenshot({ path: path.join(outDir, `${run.name}-focus.png`) }); // where the keyboard is
  await tabTo(page, "changed", report.order);
  await page.keyboard.type(a.changed);
  await tabTo(page, "helped", report.order);
  await page.keyboard.type(a.helped);
  await tabTo(page, "in_the_way", report.order);
  await page.keyboard.sendCharacter("x".repeat(2100)); // pasted: far longer than an answer may be
  report.pasted = await page.$eval("#in_the_way", (el) => el.value.length);
  if (report.pasted !== 2100) throw new Error(`pasted ${report.pasted} characters, focus on ${await focused(page)}`);
  await tabTo(page, "send", report.order);
  loaded = await pageLoad(page, () => page.keyboard.press(run.submitKey || "Enter"));
  report.status.refused = loaded.status;
  report.refusedFocus = await settledFocus(page);
  report.refusedSays = await page.$eval(".summary", (el) => el.innerText);
  report.kept = await page.evaluate(() => ({
    changed: document.getElementById("changed").value,
    in_the_way: document.getElementById("in_the_way").value.length,
    useful: (document.querySelector("input[name=useful]:checked") || {}).value,
    describedBy: document.getElementById("in_the_way").getAttribute("aria-describedby"),
  }));
  await look(page, run, "refused", report);

  await tabTo(page, "in_the_way", report.order);
  await page.keyboard.down("Control");
  await page.keyboard.press("KeyA");
  await page.keyboard.up("Control");
  await page.keyboard.type(a.in_the_way);
  await tabTo(page, "send", report.order);
  loaded = await pageLoad(page, () => page.keyboard.press(run.submitKey || "Enter"));
  report.status.thanks = loaded.status;
  report.thanksSays = await page.$eval("main", (el) => el.innerText);
  await look(page, run, "thanks", report);

  const again = await page.goto(run.url, { waitUntil: "load" });
  report.status.gone = again.status();
  report.goneSays = await page.$eval("main", (el) => el.innerText);
  await look(page, run, "gone", report);
  await page.close();
  return report;
}

async function main() {
  const [planFile, outDir, chromium = "/usr/bin/chromium"] = process.argv.slice(2);
  const plan = JSON.parse(fs.readFileSync(planFile, "utf8"));
  fs.mkdirSync(outDir, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "plf-chromium-"));
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", `--user-data-dir=${profile}`],
  });
  try {
    const reports = [];
    for (const run of plan) {
      try {
        reports.push(await one(browser, run, outDir));
      } catch (err) {
        const [page] = (await browser.pages()).slice(-1);
        if (page) {
          await page.screenshot({ path: path.join(outDir, `${run.name}-failed.png`), fullPage: true });
          err.message += `\n(${run.name}: the page at ${page.url()} says: ${(await page.$eval("body", (b) => b.innerText)).slice(0, 1500)})`;
        }
        throw err;
      }
    }
    process.stdout.write(JSON.stringify(reports, null, 1) + "\n");
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err.stack || err.message); process.exit(1); });
