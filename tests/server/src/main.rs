//! `cca-test-server`: runs the test server by hand (for looking at the app
//! against the mock API, and for the benchmark harness).
//!
//! Usage: cca-test-server [--dist DIR] [--port N] [--role ROLE] [--members N] [--api]
//! With `--api` the served pages are configured to use the mock API
//! (`api_base` = this server) instead of the built-in demo data.

use std::path::PathBuf;
use std::time::Duration;

use cca_test_server::{MeAnswer, ServerOptions, TestServer};

fn main() {
    let mut options = ServerOptions::default();
    let mut port = 0u16;
    let mut use_api = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_default();
        match arg.as_str() {
            "--dist" => options.dist = Some(PathBuf::from(value())),
            "--port" => port = value().parse().unwrap_or(0),
            "--role" => options.me = MeAnswer::Role(value()),
            "--members" => options.members = value().parse().unwrap_or(options.members),
            "--api" => use_api = true,
            other => {
                eprintln!("unknown argument {other}");
                std::process::exit(2);
            }
        }
    }
    let server = match TestServer::start_on(options, port) {
        Ok(server) => server,
        Err(err) => {
            eprintln!("cannot start the test server: {err}");
            std::process::exit(1);
        }
    };
    if use_api {
        server.set_app_config(Some(format!(r#"{{"api_base":"{}"}}"#, server.api_base())));
    }
    println!("listening on {}/claude-code/", server.origin());
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}
