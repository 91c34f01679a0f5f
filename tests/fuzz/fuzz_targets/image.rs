//! Fuzz target: see `herald_fuzz::image`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| herald_fuzz::image(data));
