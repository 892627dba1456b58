//! The server on real 127.0.0.1 sockets: the peer address proxy mode trusts
//! comes from the connection itself, and the binary starts, answers and says
//! where it listens.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use cca_server::auth::Auth;
use cca_server::roles::RolesFile;
use cca_server::{serve, AppState};
use common::*;

/// Starts the server in proxy mode trusting `trusted`; returns its origin.
async fn proxy_server(trusted: &str) -> (String, tokio::sync::oneshot::Sender<()>) {
    let mut settings = settings(None, None);
    settings.auth = Auth::Proxy {
        header: axum::http::HeaderName::from_static("x-forwarded-email"),
        trusted: vec![trusted.parse().unwrap()],
        roles: RolesFile::parse("[domains]\n\"corp.example\" = \"owner\"\n", "roles.toml").unwrap(),
    };
    let state = Arc::new(AppState::new(&settings).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve(listener, state, async {
        let _ = stopped.await;
    }));
    (origin, stop)
}

async fn me_status(origin: &str) -> u16 {
    reqwest::Client::new()
        .get(format!("{origin}/api/v1/me"))
        .header("x-forwarded-email", "boss@corp.example")
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn proxy_mode_trusts_the_connections_real_peer_address() {
    let (origin, _stop) = proxy_server("127.0.0.1").await;
    assert_eq!(me_status(&origin).await, 200, "the proxy's own connection");
    let (origin, _stop) = proxy_server("10.0.0.1").await;
    assert_eq!(me_status(&origin).await, 401, "a connection from elsewhere");
}

#[test]
fn the_binary_starts_in_demo_mode_and_answers() {
    let dir = temp_dir("binary");
    let mut child = Command::new(env!("CARGO_BIN_EXE_cca-server"))
        .env_remove("ANTHROPIC_ADMIN_KEY")
        .args(["--listen", "127.0.0.1:0", "--dist"])
        .arg(dir.join("no-dist"))
        .arg("--cache")
        .arg(dir.join("cache.sqlite3"))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (lines, seen) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let mut origin = None;
    while let Ok(line) = seen.recv_timeout(Duration::from_secs(20)) {
        if let Some(rest) = line.split("listening on ").nth(1) {
            origin = rest.split("/claude-code").next().map(str::to_owned);
            break;
        }
    }
    let answered = origin.map(|origin| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let health = reqwest::get(format!("{origin}/healthz")).await.unwrap();
            let me = reqwest::get(format!("{origin}/api/v1/me")).await.unwrap();
            (health.status().as_u16(), me.text().await.unwrap())
        })
    });
    let _ = child.kill();
    let _ = child.wait();
    let (health, me) = answered.expect("the server said where it listens");
    assert_eq!(health, 200);
    assert!(
        me.contains("\"role\":\"admin\"") && me.contains("Demo organization"),
        "{me}"
    );
    // The log line of each request reached stderr (the reader ends when the
    // killed child's stderr closes).
    let log: Vec<String> = seen.iter().collect();
    assert!(
        log.iter()
            .any(|l| l.contains("path=\"/healthz\"") && l.contains("status=200")),
        "{log:?}"
    );
}
