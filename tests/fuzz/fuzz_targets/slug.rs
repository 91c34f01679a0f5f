//! Fuzz target: see `herald_fuzz::slug`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| herald_fuzz::slug(data));
