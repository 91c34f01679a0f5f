//! The `herald` command: parse the command line, run it, report errors once, set the exit code.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use herald::cli::{self, Cli};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli::language(cli.lang);
    // A panic is a bug of herald's, never the author's: say so plainly, once, and exit 1.
    std::panic::set_hook(Box::new(move |info| {
        if !herald::error::panic_is_caught() {
            eprintln!("{}", cli::internal_error(lang, &info.to_string()));
        }
    }));
    match std::panic::catch_unwind(|| cli::run(cli, lang)) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(errors)) => {
            let color = cli::use_color(std::io::stderr().is_terminal());
            for error in &errors.0 {
                eprint!("{}", cli::paint(&error.report(lang), "31", color));
            }
            ExitCode::from(1)
        }
        Err(_) => ExitCode::from(1),
    }
}
