//! Rebuilds the binary when the built-in default theme changes, since it is embedded.

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
}
