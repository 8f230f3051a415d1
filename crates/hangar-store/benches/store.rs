#![allow(
    clippy::expect_used,
    reason = "a benchmark: any failure should stop it loudly"
)]
fn main() {}
