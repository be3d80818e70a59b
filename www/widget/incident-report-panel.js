// <incident-report-panel incident-id="..." api-base="/api" time-zone="UTC">
// Defines the custom element over the Wasm module beside this file. Changing
// an attribute re-loads the panel; removing the element unmounts it.
import init, { mount } from "./incident_report.js";

const ready = init({ module_or_path: new URL("./incident_report_bg.wasm", import.meta.url) });

class IncidentReportPanel extends HTMLElement {
  static observedAttributes = ["incident-id", "api-base", "time-zone", "bundle-url"];
  #handle = null;
  #version = 0;

  connectedCallback() {
    this.#render();
  }

  disconnectedCallback() {
    this.#version++;
    this.#unmount();
  }

  attributeChangedCallback() {
    if (this.isConnected) this.#render();
  }

  #unmount() {
    this.#handle?.unmount();
    this.#handle = null;
  }

  async #render() {
    const version = ++this.#version;
    await ready;
    // A newer render, or a removal, happened while the module loaded.
    if (version !== this.#version) return;
    this.#unmount();
    const incidentId = this.getAttribute("incident-id");
    if (!incidentId) return;
    const options = { incidentId };
    const apiBase = this.getAttribute("api-base");
    if (apiBase) options.apiBase = apiBase;
    const timeZone = this.getAttribute("time-zone");
    if (timeZone) options.timeZone = timeZone;
    const bundleUrl = this.getAttribute("bundle-url");
    if (bundleUrl) options.bundleUrl = bundleUrl;
    this.#handle = mount(this, options);
  }
}

if (!customElements.get("incident-report-panel")) {
  customElements.define("incident-report-panel", IncidentReportPanel);
}
