//! Benchmarks of the report engine on the large generated bundle.

fn main() {}
