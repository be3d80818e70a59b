//! Shared by the native test files: where the shared fixtures are.
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
