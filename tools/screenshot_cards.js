// Renders var/cards/gallery.html in headless Chromium and saves one PNG per card.
// Usage: node tools/screenshot_cards.js GALLERY_HTML OUT_DIR [CHROMIUM]
"use strict";
const fs = require("fs");
const path = require("path");
const puppeteer = require("puppeteer-core");

async function main() {
  const [gallery, outDir, chromium = "/usr/bin/chromium"] = process.argv.slice(2);
  fs.mkdirSync(outDir, { recursive: true });
  const profile = fs.mkdtempSync(path.join(require("os").tmpdir(), "plf-chromium-"));
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--allow-file-access-from-files",
           `--user-data-dir=${profile}`],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 700, height: 900, deviceScaleFactor: 1 });
    await page.goto("file://" + path.resolve(gallery), { waitUntil: "load" });
    await page.waitForSelector("body[data-rendered=yes]", { timeout: 60000 });
    const cards = await page.$$("[data-card]");
    let count = 0;
    for (const card of cards) {
      const name = await card.evaluate((el) => el.dataset.card);
      await card.screenshot({ path: path.join(outDir, `${name}.png`) });
      count += 1;
      if (count % 25 === 0) process.stderr.write(`  ${count}/${cards.length} screenshots\n`);
    }
    process.stdout.write(`${count} screenshots in ${outDir}\n`);
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err.message); process.exit(1); });
