//! A synchronous WebDriver session on a `chromedriver` this process starts.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

use crate::wire;

#[derive(Debug, thiserror::Error)]
pub enum E2eError {
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("webdriver protocol: {0}")]
    Protocol(String),
    #[error("webdriver command {command} failed: {message}")]
    Command { command: String, message: String },
    #[error("timed out after {0:?} waiting for {1}")]
    Timeout(Duration, String),
}

/// How to start the browser.
#[derive(Debug, Clone)]
pub struct BrowserOptions {
    pub width: u32,
    pub height: u32,
    /// `--force-device-scale-factor` (devicePixelRatio).
    pub scale: f64,
    /// Prefer dark colour scheme.
    pub dark: bool,
}

impl Default for BrowserOptions {
    fn default() -> Self {
        BrowserOptions {
            width: 1280,
            height: 900,
            scale: 1.0,
            dark: false,
        }
    }
}

/// A live browser session; closes the browser and chromedriver on drop.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: TempDir,
}

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn free_port() -> Result<u16, E2eError> {
    Ok(TcpListener::bind(("127.0.0.1", 0))?.local_addr()?.port())
}

impl Browser {
    pub fn start(options: BrowserOptions) -> Result<Self, E2eError> {
        let chromedriver =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let port = free_port()?;
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| E2eError::Protocol(format!("cannot start {chromedriver}: {e}")))?;
        let profile = TempDir(std::env::temp_dir().join(format!("cca-e2e-profile-{port}")));
        let mut browser = Browser {
            driver,
            port,
            session: String::new(),
            _profile: profile,
        };
        browser.wait_ready()?;
        let mut args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-quic".to_owned(),
            // Headless Chromium 156 preloads its own top-chrome WebUI in a
            // renderer that then spends a whole core re-rendering (seen in a
            // CPU profile: lit's scheduleUpdate, 9 s of a 20 s session). Even
            // without the preload, a new browser loads its WebUI omnibox popup
            // (chrome://omnibox-popup.top-chrome/): about 600 ms of CPU in
            // that renderer while the first page loads (seen in a trace). A
            // desktop browser does that once, not per page; here every cold
            // load is a new browser, and on two cores it competes with the
            // page. No page needs either.
            "--disable-features=PreloadTopChromeWebUI,WebUIOmniboxPopup,WebUIOmniboxAimPopup"
                .to_owned(),
            "--disable-extensions".to_owned(),
            "--hide-scrollbars".to_owned(),
            format!("--window-size={},{}", options.width, options.height),
            format!("--force-device-scale-factor={}", options.scale),
            format!("--user-data-dir={}", browser._profile.0.display()),
        ];
        if options.dark {
            args.push("--force-dark-mode".to_owned());
            args.push("--blink-settings=preferredColorScheme=0".to_owned());
        }
        let mut chrome_options = json!({"binary": chromium, "args": args});
        // Headless windows are at least 500 px wide; narrower (phone) viewports
        // need Chromium's device emulation.
        if options.width < 500 {
            chrome_options["mobileEmulation"] = json!({"deviceMetrics": {
                "width": options.width, "height": options.height, "pixelRatio": options.scale
            }});
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": chrome_options,
            "goog:loggingPrefs": {"browser": "ALL"}
        }}});
        let value = browser.command("POST", "/session", Some(&caps))?;
        browser.session = value
            .get("sessionId")
            .and_then(Value::as_str)
            .ok_or_else(|| E2eError::Protocol(format!("no session id in {value}")))?
            .to_owned();
        Ok(browser)
    }

    /// The process id of this session's `chromedriver`: Chromium and its
    /// renderers are its descendants (for reading their memory in /proc).
    pub fn driver_pid(&self) -> u32 {
        self.driver.id()
    }

    fn wait_ready(&self) -> Result<(), E2eError> {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok((200, body)) = wire::request(self.port, "GET", "/status", None) {
                if body.pointer("/value/ready").and_then(Value::as_bool) == Some(true) {
                    return Ok(());
                }
            }
            sleep(Duration::from_millis(50));
        }
        Err(E2eError::Timeout(
            Duration::from_secs(20),
            "chromedriver to start".into(),
        ))
    }

    fn command(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, E2eError> {
        let (status, reply) = wire::request(self.port, method, path, body)?;
        let value = reply.get("value").cloned().unwrap_or(Value::Null);
        if status >= 400 {
            let message = value
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("unknown error")
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned();
            return Err(E2eError::Command {
                command: format!("{method} {path}"),
                message,
            });
        }
        Ok(value)
    }

    fn session_path(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    pub fn goto(&self, url: &str) -> Result<(), E2eError> {
        self.command(
            "POST",
            &self.session_path("/url"),
            Some(&json!({ "url": url })),
        )?;
        Ok(())
    }

    pub fn current_url(&self) -> Result<String, E2eError> {
        Ok(self
            .command("GET", &self.session_path("/url"), None)?
            .as_str()
            .unwrap_or_default()
            .to_owned())
    }

    pub fn back(&self) -> Result<(), E2eError> {
        self.command("POST", &self.session_path("/back"), Some(&json!({})))?;
        Ok(())
    }

    pub fn refresh(&self) -> Result<(), E2eError> {
        self.command("POST", &self.session_path("/refresh"), Some(&json!({})))?;
        Ok(())
    }

    pub fn set_window_size(&self, width: u32, height: u32) -> Result<(), E2eError> {
        self.command(
            "POST",
            &self.session_path("/window/rect"),
            Some(&json!({"width": width, "height": height})),
        )?;
        Ok(())
    }

    /// Runs `script` (a function body; `arguments[i]` are `args`) and returns its value.
    pub fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value, E2eError> {
        self.command(
            "POST",
            &self.session_path("/execute/sync"),
            Some(&json!({"script": script, "args": args})),
        )
    }

    /// Polls a JS expression until it is truthy; returns its value.
    pub fn wait_for(&self, expression: &str, timeout: Duration) -> Result<Value, E2eError> {
        let script = format!("return ({expression});");
        let deadline = Instant::now() + timeout;
        loop {
            let value = self.execute(&script, vec![])?;
            let truthy = match &value {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::Number(n) => n.as_f64() != Some(0.0),
                Value::String(s) => !s.is_empty(),
                _ => true,
            };
            if truthy {
                return Ok(value);
            }
            if Instant::now() >= deadline {
                return Err(E2eError::Timeout(timeout, expression.to_owned()));
            }
            sleep(Duration::from_millis(50));
        }
    }

    /// Waits until an element matching `css` exists; returns its text.
    pub fn wait_text(&self, css: &str, timeout: Duration) -> Result<String, E2eError> {
        let expression = format!(
            "(function(){{const e=document.querySelector({}); return e ? (e.innerText || e.textContent || ' ') : null;}})()",
            json!(css)
        );
        Ok(self
            .wait_for(&expression, timeout)?
            .as_str()
            .unwrap_or_default()
            .to_owned())
    }

    /// The text of every element matching `css`.
    pub fn texts(&self, css: &str) -> Result<Vec<String>, E2eError> {
        let value = self.execute(
            "return Array.from(document.querySelectorAll(arguments[0])).map(e => (e.innerText || e.textContent || '').trim());",
            vec![json!(css)],
        )?;
        Ok(value
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|v| v.as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Clicks the first element matching `css` through WebDriver (a real click).
    pub fn click(&self, css: &str) -> Result<(), E2eError> {
        let found = self.command(
            "POST",
            &self.session_path("/element"),
            Some(&json!({"using": "css selector", "value": css})),
        )?;
        let id = found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .ok_or_else(|| E2eError::Protocol(format!("no element id for {css}")))?
            .to_owned();
        self.command(
            "POST",
            &self.session_path(&format!("/element/{id}/click")),
            Some(&json!({})),
        )?;
        Ok(())
    }

    /// Saves a PNG screenshot of the viewport.
    pub fn screenshot(&self, path: &Path) -> Result<(), E2eError> {
        let value = self.command("GET", &self.session_path("/screenshot"), None)?;
        let data = value
            .as_str()
            .ok_or_else(|| E2eError::Protocol("screenshot is not a string".into()))?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|e| E2eError::Protocol(format!("screenshot base64: {e}")))?;
        std::fs::write(path, bytes)?;
        Ok(())
    }

    /// Browser console messages since the last call (level, message).
    pub fn console_log(&self) -> Result<Vec<(String, String)>, E2eError> {
        let value = self.command(
            "POST",
            &self.session_path("/se/log"),
            Some(&json!({"type": "browser"})),
        )?;
        Ok(value
            .as_array()
            .map(|entries| {
                entries
                    .iter()
                    .map(|e| {
                        (
                            e.get("level")
                                .and_then(Value::as_str)
                                .unwrap_or_default()
                                .to_owned(),
                            e.get("message")
                                .and_then(Value::as_str)
                                .unwrap_or_default()
                                .to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = wire::request(self.port, "DELETE", &self.session_path(""), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
