// What a page downloads for the widget, as the server sends it: each file of
// /widget/ fetched raw (no decoding) with Accept-Encoding br, gzip and
// identity, and the totals for the two ways to embed. Prints figures; it is
// not a test.
//
//   node tests/e2e/widget-size.mjs [ORIGIN]     (default $IRP_E2E_API or http://127.0.0.1:8080)
//
// Start a server first, e.g. after ./scripts/build-widget:
//   incident-report serve --data www/demo --widget-dir dist/widget
import http from "node:http";

const origin = (process.argv[2] || process.env.IRP_E2E_API || "http://127.0.0.1:8080").replace(/\/+$/, "");
const FILES = ["incident-report-panel.js", "incident_report.js", "incident_report_bg.wasm"];
const ENCODINGS = ["br", "gzip", "identity"];

/** Bytes on the wire for one file in one encoding (the body as sent, not decoded). */
function measure(file, encoding) {
  return new Promise((resolve, reject) => {
    const req = http.get(`${origin}/widget/${file}`, { headers: { "accept-encoding": encoding } }, (res) => {
      let bytes = 0;
      res.on("data", (chunk) => (bytes += chunk.length));
      res.on("end", () => {
        if (res.statusCode !== 200) return reject(new Error(`${file}: HTTP ${res.statusCode}`));
        const sent = res.headers["content-encoding"] || "identity";
        const length = res.headers["content-length"];
        resolve({ bytes, sent, length: length === undefined ? null : Number(length) });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const rows = [];
for (const file of FILES) {
  const row = { file };
  for (const encoding of ENCODINGS) {
    const m = await measure(file, encoding);
    if (m.sent !== encoding) console.error(`note: ${file} asked for ${encoding}, served as ${m.sent}`);
    if (m.length !== null && m.length !== m.bytes) {
      console.error(`note: ${file} (${encoding}): content-length ${m.length}, body ${m.bytes}`);
    }
    row[encoding] = m.bytes;
  }
  rows.push(row);
}

const sum = (names, encoding) => rows.filter((r) => names.includes(r.file)).reduce((a, r) => a + r[encoding], 0);
const totals = [
  ["custom element (panel.js + incident_report.js + .wasm)", FILES],
  ["mount() (incident_report.js + .wasm)", FILES.slice(1)],
  ["JS only (both scripts)", FILES.slice(0, 2)],
  ["Wasm only", FILES.slice(2)],
];

const width = Math.max(...[...rows.map((r) => r.file), ...totals.map((t) => t[0])].map((s) => s.length));
const line = (name, cells) => `| ${name.padEnd(width)} | ${cells.map((c) => c.padStart(10)).join(" | ")} |`;
console.log(`Widget as served by ${origin}/widget/ (bytes on the wire, 1 KB = 1000 bytes)\n`);
console.log(line("file", ["br", "gzip", "identity"]));
console.log(`| ${"-".repeat(width)} | ${ENCODINGS.map(() => "---------:").join(" | ")} |`);
for (const r of rows) console.log(line(r.file, ENCODINGS.map((e) => kb(r[e]))));
for (const [name, files] of totals) console.log(line(name, ENCODINGS.map((e) => kb(sum(files, e)))));
