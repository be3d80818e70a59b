// Browser benchmark of the panel on the demo portal page (a benchmark, not a
// test: it prints figures and exits 0 whatever they are).
//
//   node tests/e2e/perf.mjs ORIGIN [INCIDENT_ID] [--runs N]
//   npm run --prefix tests/e2e perf -- ORIGIN [INCIDENT_ID]
//
// ORIGIN is a running `incident-report serve` that serves the widget and, by
// default, large.json from gen_large.py (incident 900001: 10k history entries,
// 500 alerts, 2k machine actions), e.g. set up as scripts/test does:
//   python3 ../shared/fixtures/gen_large.py > DIR/large.json
//   incident-report serve --data DIR --widget-dir dist/widget --addr 127.0.0.1:8080
//   node tests/e2e/perf.mjs http://127.0.0.1:8080
// Build the server with --release for figures worth quoting.
//
// It opens /?incident=ID, waits for the panel, then, after one warm-up, runs
// N times (default 5) and reports the median and the maximum of:
// - click Generate -> first report section on screen (goal < 200 ms);
// - click Generate -> all seven sections on screen (goal < 1 s);
// - the longest long task during the generation (goal: none over 200 ms);
// - in the same page, fetch + JSON.parse of the raw incident
//   (GET /api/incidents/ID), the time a page would need before it could show
//   anything of its own (goal: the whole report on screen sooner).
// Everything is timed inside the page (performance.now(), a MutationObserver
// on the panel's shadow root, the frame after the change), so no Playwright
// round trip is counted.
import { chromium } from "playwright-core";

const args = process.argv.slice(2);
const runsFlag = args.indexOf("--runs");
const RUNS = runsFlag >= 0 ? Number(args.splice(runsFlag, 2)[1]) : 5;
const [originArg, INCIDENT = "900001"] = args;
if (!originArg || !(RUNS > 0)) {
  console.error("usage: node tests/e2e/perf.mjs ORIGIN [INCIDENT_ID] [--runs N]");
  process.exit(2);
}
const ORIGIN = originArg.replace(/\/+$/, "");
const TIMEOUT = 120_000;

/** Installed in the page: one generation, timed from the click. */
function inPage() {
  const host = document.querySelector("incident-report-panel");
  const root = host.shadowRoot;
  const shown = (el) => el && el.isConnected && el.getClientRects().length > 0;
  /** performance.now() of the next frame: the change is painted in it. */
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));

  window.__irpPerf = {
    async generate() {
      const button = [...root.querySelectorAll(".irp-controls button")].find((b) =>
        /^(Generate incident report|Regenerate)$/.test(b.textContent.trim()),
      );
      if (!button) throw new Error("no Generate or Regenerate button");
      const longTasks = [];
      const longObserver = new PerformanceObserver((list) => longTasks.push(...list.getEntries()));
      longObserver.observe({ type: "longtask", buffered: true });
      let start = 0;
      let first = null;
      let all = null;
      let done = null;
      // When each section appeared (DOM time), to see which one is slow.
      const landed = [];
      const finished = new Promise((resolve, reject) => {
        const check = () => {
          const sections = root.querySelectorAll(".irp-report .irp-section");
          while (landed.length < sections.length) landed.push(performance.now() - start);
          if (first === null && shown(sections[0])) first = nextFrame();
          if (all === null && sections.length === 7 && [...sections].every(shown)) all = nextFrame();
          const status = root.querySelector(".irp-progress")?.textContent ?? "";
          if (/^Report generated/.test(status)) {
            done = { at: performance.now(), status };
            mutations.disconnect();
            resolve();
          } else if (/could not be generated|Cancelled/.test(status)) {
            mutations.disconnect();
            reject(new Error(status));
          }
        };
        const mutations = new MutationObserver(check);
        mutations.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
      });
      // The click clears the previous report at once (synchronously), so
      // every change the observer sees belongs to this run.
      start = performance.now();
      button.click();
      await finished;
      const [firstAt, allAt] = await Promise.all([first, all]);
      // Long tasks are reported after they end: give the observer a moment.
      await new Promise((resolve) => setTimeout(resolve, 200));
      longObserver.disconnect();
      const during = longTasks.filter((t) => t.startTime + t.duration >= start && t.startTime <= done.at);
      return {
        first: firstAt - start,
        all: allAt - start,
        done: done.at - start,
        status: done.status,
        longest: Math.max(0, ...during.map((t) => t.duration)),
        longTasks: during.length,
        landed,
      };
    },

    /** fetch + JSON.parse of the raw incident, as a page without the panel would. */
    async fetchIncident(id) {
      const start = performance.now();
      const res = await fetch(`/api/incidents/${encodeURIComponent(id)}`, { cache: "no-store" });
      const text = await res.text();
      const fetched = performance.now();
      const bundle = JSON.parse(text);
      const end = performance.now();
      if (!res.ok || typeof bundle !== "object") throw new Error(`GET /api/incidents/${id}: ${res.status}`);
      return { total: end - start, parse: end - fetched, bytes: text.length };
    },
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => `${x.toFixed(0)} ms`;

const browser = await chromium.launch({
  executablePath: process.env.IRP_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${ORIGIN}/?incident=${encodeURIComponent(INCIDENT)}`);
  const loadStart = Date.now();
  await page.getByRole("button", { name: "Generate incident report" }).waitFor({ timeout: TIMEOUT });
  const readyIn = Date.now() - loadStart;
  await page.evaluate(inPage);

  const runs = [];
  const fetches = [];
  for (let i = 0; i <= RUNS; i++) {
    const run = await page.evaluate(() => window.__irpPerf.generate());
    const fetched = await page.evaluate((id) => window.__irpPerf.fetchIncident(id), INCIDENT);
    const label = i === 0 ? "warm-up" : `run ${i}`;
    console.error(
      `${label}: first section ${ms(run.first)}, seven sections ${ms(run.all)}, done ${ms(run.done)}, ` +
        `longest long task ${ms(run.longest)} (${run.longTasks} long tasks); ` +
        `fetch + JSON.parse ${ms(fetched.total)} (parse ${ms(fetched.parse)}); ${run.status} ` +
        `Sections landed at ${run.landed.map((t) => t.toFixed(0)).join(", ")} ms.`,
    );
    if (i > 0) {
      runs.push(run);
      fetches.push(fetched);
    }
    await page.waitForTimeout(300);
  }

  const first = runs.map((r) => r.first);
  const all = runs.map((r) => r.all);
  const longest = runs.map((r) => r.longest);
  const fetchTotal = fetches.map((f) => f.total);
  const parse = fetches.map((f) => f.parse);
  const met = (ok) => (ok ? "met" : "**not met**");
  const rows = [
    ["click → first section on screen", first, "< 200 ms", met(Math.max(...first) < 200)],
    ["click → all seven sections on screen", all, "< 1 s", met(Math.max(...all) < 1000)],
    ["longest long task during the generation", longest, "none > 200 ms", met(Math.max(...longest) <= 200)],
    ["fetch + JSON.parse of the raw incident", fetchTotal, "(reference)", ""],
    ["… of which JSON.parse", parse, "(reference)", ""],
  ];
  const version = browser.version();
  console.log(
    `\nIncident ${INCIDENT} at ${ORIGIN} (raw incident ${(fetches[0].bytes / 1048576).toFixed(1)} MiB), ` +
      `Chromium ${version}, ${RUNS} runs after a warm-up; panel ready ${ms(readyIn)} after the page loaded.\n`,
  );
  console.log("| measure | median | max | goal | |");
  console.log("| --- | ---: | ---: | --- | --- |");
  for (const [what, xs, goal, verdict] of rows) {
    console.log(`| ${what} | ${ms(median(xs))} | ${ms(Math.max(...xs))} | ${goal} | ${verdict} |`);
  }
  const sooner = median(all) < median(fetchTotal);
  console.log(
    `| whole report on screen vs fetch + JSON.parse | ${ms(median(all))} vs ${ms(median(fetchTotal))} | | report sooner | ${met(sooner)} |`,
  );
  if (errors.length) console.log(`\nPage errors: ${errors.join("; ")}`);
} catch (e) {
  console.error(`perf: ${e.message}`);
} finally {
  await browser.close();
}
process.exit(0);
