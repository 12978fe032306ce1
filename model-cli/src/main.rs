//! `model`: the command-line tool of the model crate. See `model --help` and the README's section
//! "The `model` CLI".

mod cli;
mod commands;
mod database;
mod diagram;
mod error;
mod progress;
mod project;

use clap::Parser;

fn main() {
    let cli = cli::Cli::parse();
    let code = match commands::run(cli) {
        Ok(commands::Outcome::Done) => error::OK,
        Ok(commands::Outcome::Attention) => error::ATTENTION,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    };
    std::process::exit(code);
}
