// The host page's own script (a file: the page's CSP allows no inline script).
// It records what the page sees, then mounts a third panel through mount().
const api = document.querySelector('meta[name="irp-api"]').content;

// Everything the test checks afterwards.
window.irp = { violations: [], events: [], handle: null, mountError: null };

document.addEventListener("securitypolicyviolation", (e) => {
  window.irp.violations.push({
    directive: e.violatedDirective,
    blocked: e.blockedURI,
    source: e.sourceFile,
    line: e.lineNumber,
  });
});

for (const name of ["generated", "posted", "copied", "feedback", "error"]) {
  document.addEventListener(`incident-report:${name}`, (e) => {
    const detail = e.detail;
    window.irp.events.push({
      type: e.type,
      target: e.target?.id ?? null,
      bubbles: e.bubbles,
      composed: e.composed,
      // Heard on document, so it bubbled there (not caught at the target).
      phase: e.eventPhase,
      isCustomEvent: e instanceof CustomEvent,
      plainObject:
        detail !== null && typeof detail === "object" && Object.getPrototypeOf(detail) === Object.prototype,
      detail: structuredClone(detail),
    });
  });
}

try {
  const { default: init, mount } = await import(`${api}/widget/incident_report.js`);
  await init();
  window.irp.mount = mount;
  window.irp.handle = mount(document.getElementById("mounted"), {
    incidentId: "2972395",
    apiBase: `${api}/api`,
  });
} catch (e) {
  window.irp.mountError = String(e);
}
document.documentElement.dataset.hostReady = "true";
