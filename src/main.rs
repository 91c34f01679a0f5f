//! The `herald` command: parse the command line, run it, report errors once, set the exit code.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use herald::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli::language(cli.lang);
    match cli::run(cli, lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(errors) => {
            let color = cli::use_color(std::io::stderr().is_terminal());
            for error in &errors.0 {
                eprint!("{}", cli::paint(&error.report(lang), "31", color));
            }
            ExitCode::from(1)
        }
    }
}
