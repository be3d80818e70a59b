//! Shared by the native test files and the benchmark: where the shared
//! fixtures are, the large bundle, and the contract's section headings.
#![allow(dead_code)]

use incident_report::model::{self, Incident};
use std::path::PathBuf;

/// `../shared/fixtures` beside the project, or `IRP_FIXTURES` if set.
pub fn fixtures_dir() -> PathBuf {
    std::env::var_os("IRP_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures"))
}

pub fn fixture(name: &str) -> Vec<u8> {
    let path = fixtures_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn parse_fixture(name: &str) -> Incident {
    model::parse(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The report's headings, in order, exactly as CONTRACT §2 writes them.
pub const TITLES: [&str; 7] = [
    "Summary",
    "Responders",
    "Key timestamps",
    "Actions taken",
    "Impacted assets",
    "Conclusion",
    "Gaps and follow-ups",
];

/// The bundle `gen_large.py` writes with its defaults (10k history entries,
/// 500 alerts, 2k machine actions).
pub fn large_bundle() -> Vec<u8> {
    let out = std::process::Command::new("python3")
        .arg(fixtures_dir().join("gen_large.py"))
        .output()
        .expect("python3 runs gen_large.py");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}
