// The demo portal: an incident queue, and the report panel beside the
// selected incident. Static mode: bundles come from demo/*.json.
const queue = document.getElementById("queue");
const slot = document.getElementById("panel");
let handle = null;

function bindings() {
  if (window.wasmBindings) return Promise.resolve(window.wasmBindings);
  return new Promise((resolve) =>
    addEventListener("TrunkApplicationStarted", () => resolve(window.wasmBindings), { once: true }));
}

async function open(entry, wasm) {
  handle?.unmount();
  for (const li of queue.children) {
    li.querySelector("a").setAttribute("aria-current", String(li.dataset.id === entry.id));
  }
  handle = wasm.mount(slot, { incidentId: entry.id, bundleUrl: `demo/${entry.file}` });
  history.replaceState(null, "", `?incident=${encodeURIComponent(entry.id)}`);
}

const [wasm, index] = await Promise.all([
  bindings(),
  fetch("demo-index.json").then((r) => r.json()),
]);
for (const entry of index.value) {
  const li = document.createElement("li");
  li.dataset.id = entry.id;
  const a = document.createElement("a");
  a.href = `?incident=${encodeURIComponent(entry.id)}`;
  a.textContent = entry.displayName;
  const meta = document.createElement("span");
  meta.className = `sev sev-${entry.severity.toLowerCase()}`;
  meta.textContent = `${entry.severity} · ${entry.status} · ${entry.id}`;
  a.append(meta);
  a.addEventListener("click", (event) => {
    event.preventDefault();
    open(entry, wasm);
  });
  li.append(a);
  queue.append(li);
}
const wanted = new URLSearchParams(location.search).get("incident");
open(index.value.find((e) => e.id === wanted) ?? index.value[0], wasm);
