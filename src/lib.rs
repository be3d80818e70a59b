//! incident-report: a grounded incident report for Microsoft Defender and
//! Sentinel incidents.
//!
//! Data flows one way: a bundle of JSON → [`model`] (parse and normalise) →
//! `report` (build the grounded report, render it) → `ui` (the embeddable
//! panel, Wasm only) or `server` (the reference API and CLI, native only).

pub mod model;
pub mod report;
#[cfg(not(target_arch = "wasm32"))]
pub mod server;
pub mod sse;

#[cfg(target_arch = "wasm32")]
pub mod ui;
