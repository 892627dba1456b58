//! `cca-server`: parse the command line, set up logging, run.

use std::process::ExitCode;

use cca_server::cli::{Args, KEY_ENV};
use clap::Parser;

fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
    let env_key = std::env::var(KEY_ENV).ok();
    let settings = match args.settings(env_key.as_deref()) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("cca-server: {error}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cca-server: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cca_server::run(settings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cca-server: {error}");
            ExitCode::FAILURE
        }
    }
}
