//! `incident-report`: renders reports on the command line and (soon) serves
//! the API, the demo portal and the widget.

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::run()
}

/// The widget is the library; there is no browser binary.
#[cfg(target_arch = "wasm32")]
fn main() {}
