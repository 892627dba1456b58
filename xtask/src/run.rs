//! Running child programs: announced, with inherited output, captured, or
//! streamed live while xtask also reads every line.

use std::ffi::OsStr;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::error::Error;

/// How long to keep reading output after the child exited. A grandchild that
/// outlives it (a leaked chromedriver) keeps the pipe open; we must not hang.
const DRAIN_GRACE: Duration = Duration::from_secs(2);

/// `KEY=value … program args`, for the user to read (PATH is left out: it is long).
pub fn describe(cmd: &Command) -> String {
    let mut parts: Vec<String> = cmd
        .get_envs()
        .filter(|(k, _)| *k != OsStr::new("PATH"))
        .filter_map(|(k, v)| Some(format!("{}={}", k.to_string_lossy(), v?.to_string_lossy())))
        .collect();
    parts.push(cmd.get_program().to_string_lossy().into_owned());
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}

fn spawn_error(cmd: &Command, source: io::Error) -> Error {
    Error::Spawn {
        program: cmd.get_program().to_string_lossy().into_owned(),
        source,
    }
}

/// Runs `cmd` with the terminal as its stdio; an error unless it succeeds.
pub fn checked(cmd: &mut Command) -> Result<(), Error> {
    println!("xtask: $ {}", describe(cmd));
    let status = cmd.status().map_err(|e| spawn_error(cmd, e))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::Failed {
            command: describe(cmd),
            status: status.to_string(),
        })
    }
}

/// Runs `cmd` like [`checked`], but returns its stdout instead of showing it.
pub fn stdout(cmd: &mut Command) -> Result<String, Error> {
    println!("xtask: $ {}", describe(cmd));
    let out = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| spawn_error(cmd, e))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(Error::Failed {
            command: describe(cmd),
            status: out.status.to_string(),
        })
    }
}

/// Runs `cmd` quietly and returns its stdout and stderr joined, whatever the
/// exit status; `None` if it cannot be started (not installed).
pub fn capture(cmd: &mut Command) -> Option<String> {
    let out = cmd.stdin(Stdio::null()).output().ok()?;
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push('\n');
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    Some(text)
}

enum Event {
    Line(String),
    Exited(io::Result<ExitStatus>),
}

/// Runs `cmd`, copying its stdout and stderr to ours as they come (when
/// `echo`; tests turn it off so their fake summaries never reach a real
/// `cargo xtask test`), and calls `on_line` with every line of both.
pub fn stream(
    cmd: &mut Command,
    echo: bool,
    mut on_line: impl FnMut(&str),
) -> Result<ExitStatus, Error> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| spawn_error(cmd, e))?;
    let (tx, rx) = mpsc::channel();
    if let Some(out) = child.stdout.take() {
        forward(out, echo.then_some(io::stdout), tx.clone());
    }
    if let Some(err) = child.stderr.take() {
        forward(err, echo.then_some(io::stderr), tx.clone());
    }
    thread::spawn(move || {
        let _ = tx.send(Event::Exited(child.wait()));
    });
    let mut exited = None;
    loop {
        let event = match exited {
            None => rx.recv().ok(),
            Some(_) => rx.recv_timeout(DRAIN_GRACE).ok(),
        };
        match event {
            Some(Event::Line(line)) => on_line(&line),
            Some(Event::Exited(status)) => exited = Some(status),
            None => break,
        }
    }
    match exited {
        Some(status) => status.map_err(|e| spawn_error(cmd, e)),
        None => Err(spawn_error(
            cmd,
            io::Error::other("lost track of the child"),
        )),
    }
}

/// Copies `src` to `sink()` (if any) line by line and sends each line on.
fn forward<R, W>(src: R, sink: Option<fn() -> W>, tx: mpsc::Sender<Event>)
where
    R: Read + Send + 'static,
    W: Write + 'static,
{
    thread::spawn(move || {
        let mut reader = BufReader::new(src);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    if let Some(sink) = sink {
                        let mut out = sink();
                        let _ = out.write_all(&buf);
                        let _ = out.flush();
                    }
                    let line = String::from_utf8_lossy(&buf).into_owned();
                    if tx.send(Event::Line(line)).is_err() {
                        break;
                    }
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_lists_set_env_but_not_path() {
        let mut cmd = Command::new("cargo");
        cmd.args(["test", "--workspace"])
            .env("PATH", "/a:/b")
            .env("CHROMEDRIVER", "/usr/bin/chromedriver");
        assert_eq!(
            describe(&cmd),
            "CHROMEDRIVER=/usr/bin/chromedriver cargo test --workspace"
        );
    }

    #[test]
    fn stream_sees_stdout_and_stderr_lines() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "echo one; echo two >&2; printf three; exit 3"]);
        let mut lines = Vec::new();
        let status = stream(&mut cmd, false, |l| lines.push(l.trim_end().to_owned())).unwrap();
        assert_eq!(status.code(), Some(3));
        lines.sort();
        assert_eq!(lines, ["one", "three", "two"]);
    }

    #[test]
    fn stream_does_not_wait_for_a_grandchild_holding_the_pipe() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "sleep 6 & echo started"]);
        let t = std::time::Instant::now();
        let status = stream(&mut cmd, false, |_| {}).unwrap();
        assert!(status.success());
        assert!(t.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn missing_program_is_a_spawn_error() {
        let err = stream(&mut Command::new("no-such-program-xtask"), false, |_| {}).unwrap_err();
        assert_eq!(err.to_string(), "`no-such-program-xtask` not found on PATH");
        assert!(capture(&mut Command::new("no-such-program-xtask")).is_none());
    }
}
