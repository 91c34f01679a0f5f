//! Fuzz target: see `herald_fuzz::summary`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| herald_fuzz::summary(data));
