//! The embeddable panel (Leptos, Wasm only).
