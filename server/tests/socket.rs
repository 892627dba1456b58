//! The server on real 127.0.0.1 sockets: the peer address proxy mode trusts
//! comes from the connection itself, and the binary starts, answers and says
//! where it listens.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use crate::common::fake_upstream::records_for;
use crate::common::*;
use cca_server::auth::Auth;
use cca_server::roles::RolesFile;
use cca_server::{serve, AppState};

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

/// A running `cca-server` binary, killed (SIGKILL) when dropped.
struct Binary {
    child: std::process::Child,
    origin: String,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Binary {
    /// Starts the binary and waits until it says where it listens.
    fn start(key: Option<&str>, args: &[&str]) -> Binary {
        let mut command = Command::new(env!("CARGO_BIN_EXE_cca-server"));
        command.env_remove("ANTHROPIC_ADMIN_KEY");
        if let Some(key) = key {
            command.env("ANTHROPIC_ADMIN_KEY", key);
        }
        let mut child = command
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (send, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = send.send(line);
            }
        });
        let mut seen = Vec::new();
        while let Ok(line) = lines.recv_timeout(Duration::from_secs(20)) {
            if let Some(rest) = line.split("listening on ").nth(1) {
                let origin = rest
                    .split("/claude-code")
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                return Binary {
                    child,
                    origin,
                    lines,
                };
            }
            seen.push(line);
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the server did not start: {seen:?}");
    }

    /// Kills it like `kill -9` and returns every line it logged.
    fn kill(mut self) -> Vec<String> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // The reader ends when the dead child's stderr closes.
        self.lines.iter().collect()
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_binary_starts_in_demo_mode_and_answers() {
    let dir = temp_dir("binary");
    let no_dist = dir.join("no-dist").display().to_string();
    let cache = dir.join("cache.sqlite3").display().to_string();
    let server = Binary::start(None, &["--dist", &no_dist, "--cache", &cache]);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (health, me) = runtime.block_on(async {
        let health = reqwest::get(format!("{}/healthz", server.origin))
            .await
            .unwrap();
        let me = reqwest::get(format!("{}/api/v1/me", server.origin))
            .await
            .unwrap();
        (health.status().as_u16(), me.text().await.unwrap())
    });
    let log = server.kill();
    assert_eq!(health, 200);
    assert!(
        me.contains("\"role\":\"admin\"") && me.contains("Demo organization"),
        "{me}"
    );
    // The log line of each request reached stderr.
    assert!(
        log.iter()
            .any(|l| l.contains("path=\"/healthz\"") && l.contains("status=200")),
        "{log:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_during_a_burst_of_cache_writes_it_restarts_sound_with_the_right_figures() {
    let fake = FakeUpstream::start(1000).await;
    // Slow enough that the kill lands while days are still being written.
    fake.fault(Fault::Latency(Duration::from_millis(20)), None);
    let dir = temp_dir("kill9");
    let cache = dir.join("server.sqlite3");
    let args = [
        "--upstream".to_owned(),
        fake.origin(),
        "--cache".to_owned(),
        cache.display().to_string(),
        "--dist".to_owned(),
        dir.join("no-dist").display().to_string(),
    ];
    let start = {
        let args = args.clone();
        move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            Binary::start(Some(KEY), &args)
        }
    };
    let days: Vec<_> = (3..63).map(days_ago).collect();
    let client = reqwest::Client::new();

    let server = tokio::task::spawn_blocking(start.clone()).await.unwrap();
    let mut burst = tokio::task::JoinSet::new();
    for day in days.clone() {
        let url = format!("{}{}", server.origin, usage_uri(day, 1000, None));
        let client = client.clone();
        burst.spawn(async move { client.get(url).send().await.map(|r| r.status()) });
    }
    let mut answered = 0;
    while burst.join_next().await.is_some() {
        answered += 1;
        if answered == 10 {
            break;
        }
    }
    tokio::task::spawn_blocking(move || server.kill())
        .await
        .unwrap();
    burst.abort_all();
    while burst.join_next().await.is_some() {}
    let stored = rusqlite::Connection::open(&cache)
        .and_then(|db| db.query_row("SELECT count(*) FROM days", [], |row| row.get::<_, i64>(0)))
        .unwrap();
    assert!(stored >= 10, "the answered days were stored: {stored}");
    eprintln!("killed with {stored} of {} days stored", days.len());
    let check: String = rusqlite::Connection::open(&cache)
        .and_then(|db| db.query_row("PRAGMA integrity_check", [], |row| row.get(0)))
        .unwrap();
    assert_eq!(check, "ok");

    let upstream_before = fake.count();
    let server = tokio::task::spawn_blocking(start).await.unwrap();
    for day in &days {
        let url = format!("{}{}", server.origin, usage_uri(*day, 1000, None));
        let body = client.get(url).send().await.unwrap().text().await.unwrap();
        let page: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            page["data"].as_array().unwrap(),
            &records_for(*day),
            "{day}"
        );
    }
    let log = tokio::task::spawn_blocking(move || server.kill())
        .await
        .unwrap();
    assert!(
        !log.iter().any(|l| l.contains("moving it aside")),
        "{log:?}"
    );
    let refetched = fake.count() - upstream_before;
    assert!(
        refetched <= days.len() - stored as usize,
        "stored days were fetched again: {refetched} calls for {} missing days",
        days.len() - stored as usize
    );
}
