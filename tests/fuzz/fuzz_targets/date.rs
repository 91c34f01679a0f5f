//! Fuzz target: see `herald_fuzz::date`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| herald_fuzz::date(data));
