//! A synchronous WebDriver session on a `chromedriver` this process starts.
//!
//! The protocol is fantoccini's. What stays ours: the driver process (its
//! port, its profile directory, its end), Chromium's flags, and a blocking API,
//! since the tests are plain `#[test]` functions.

use std::future::Future;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use fantoccini::error::CmdError;
use fantoccini::wd::{Capabilities, PrintConfiguration, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use tokio::runtime::Runtime;

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

/// The longest one command may take: a hung chromedriver fails the test
/// instead of hanging the whole run.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(120);
/// The longest `Drop` waits for the session to close before it kills the
/// driver (which ends the browser anyway).
const CLOSE_TIMEOUT: Duration = Duration::from_secs(10);
const DRIVER_START_TIMEOUT: Duration = Duration::from_secs(20);

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
    /// fantoccini is async; a runtime of our own keeps the API blocking. Its
    /// session task runs only inside our `block_on`, which is every call.
    runtime: Runtime,
    client: Client,
    /// Dropped after `Browser::drop` has closed the session.
    driver: Driver,
}

/// The `chromedriver` process and its browser's profile directory: killed
/// and removed on drop, also when `Browser::start` fails half-way.
struct Driver {
    child: Child,
    profile: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Driver {
    fn start() -> Result<(Self, u16), E2eError> {
        let chromedriver =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let port = free_port()?;
        let child = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| E2eError::Protocol(format!("cannot start {chromedriver}: {e}")))?;
        let profile = std::env::temp_dir().join(format!("cca-e2e-profile-{port}"));
        let mut driver = Driver { child, profile };
        driver.wait_ready(port)?;
        Ok((driver, port))
    }

    /// Waits until the driver accepts connections; fails at once if it exits.
    fn wait_ready(&mut self, port: u16) -> Result<(), E2eError> {
        let deadline = Instant::now() + DRIVER_START_TIMEOUT;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait()? {
                return Err(E2eError::Protocol(format!("chromedriver exited: {status}")));
            }
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(());
            }
            sleep(Duration::from_millis(50));
        }
        Err(E2eError::Timeout(
            DRIVER_START_TIMEOUT,
            "chromedriver to start".into(),
        ))
    }
}

fn free_port() -> Result<u16, E2eError> {
    Ok(TcpListener::bind(("127.0.0.1", 0))?.local_addr()?.port())
}

/// The W3C capabilities asking chromedriver for our Chromium, as the tests
/// and the benchmark expect it.
fn capabilities(options: &BrowserOptions, profile: &Path) -> Capabilities {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
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
        format!("--user-data-dir={}", profile.display()),
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
    let mut caps = Capabilities::new();
    caps.insert("browserName".into(), json!("chrome"));
    caps.insert("goog:chromeOptions".into(), chrome_options);
    // Keeps the console for `console_log`.
    caps.insert("goog:loggingPrefs".into(), json!({"browser": "ALL"}));
    caps
}

/// A chromedriver command W3C WebDriver, and so fantoccini, has no call
/// for: `POST session/{id}/{path}` with `body` — the browser console
/// (Selenium's legacy log endpoint) and Chrome DevTools commands (a
/// screenshot of the whole page).
#[derive(Debug)]
struct ChromeCommand {
    path: &'static str,
    body: Value,
}

impl ChromeCommand {
    fn browser_log() -> Self {
        ChromeCommand {
            path: "se/log",
            body: json!({"type": "browser"}),
        }
    }

    fn dev_tools(cmd: &str, params: Value) -> Self {
        ChromeCommand {
            path: "goog/cdp/execute",
            body: json!({"cmd": cmd, "params": params}),
        }
    }
}

impl WebDriverCompatibleCommand for ChromeCommand {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// Runs `future` on `runtime` for at most `limit`. The timer is made inside
/// the runtime: tokio's clock exists only there.
fn block_on_within<F: Future>(
    runtime: &Runtime,
    limit: Duration,
    future: F,
) -> Result<F::Output, tokio::time::error::Elapsed> {
    runtime.block_on(async { tokio::time::timeout(limit, future).await })
}

/// One command's failure, named by our method.
fn command_error(command: &str, error: CmdError) -> E2eError {
    let message = match &error {
        // chromedriver's message goes on with session info and a stack
        // trace; its first line says what failed.
        CmdError::Standard(wd) => wd.message.lines().next().unwrap_or_default().to_owned(),
        other => other.to_string(),
    };
    E2eError::Command {
        command: command.to_owned(),
        message,
    }
}

impl Browser {
    pub fn start(options: BrowserOptions) -> Result<Self, E2eError> {
        let (driver, port) = Driver::start()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            // The http connector needs the reactor; our command timeouts the clock.
            .enable_all()
            .build()?;
        let mut builder =
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        builder.capabilities(capabilities(&options, &driver.profile));
        let url = format!("http://127.0.0.1:{port}");
        let connect = builder.connect(&url);
        let client = match block_on_within(&runtime, COMMAND_TIMEOUT, connect) {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => {
                return Err(E2eError::Command {
                    command: "new session".into(),
                    message: e.to_string(),
                })
            }
            Err(_) => {
                return Err(E2eError::Timeout(
                    COMMAND_TIMEOUT,
                    "a new webdriver session".into(),
                ))
            }
        };
        Ok(Browser {
            runtime,
            client,
            driver,
        })
    }

    /// Runs one command to its end, or fails after `COMMAND_TIMEOUT`.
    fn run<T>(
        &self,
        command: &str,
        future: impl Future<Output = Result<T, CmdError>>,
    ) -> Result<T, E2eError> {
        match block_on_within(&self.runtime, COMMAND_TIMEOUT, future) {
            Ok(result) => result.map_err(|e| command_error(command, e)),
            Err(_) => Err(E2eError::Timeout(
                COMMAND_TIMEOUT,
                format!("webdriver command {command}"),
            )),
        }
    }

    /// The process id of this session's `chromedriver`: Chromium and its
    /// renderers are its descendants (for reading their memory in /proc).
    pub fn driver_pid(&self) -> u32 {
        self.driver.child.id()
    }

    pub fn goto(&self, url: &str) -> Result<(), E2eError> {
        self.run("goto", self.client.goto(url))
    }

    pub fn current_url(&self) -> Result<String, E2eError> {
        Ok(self.run("current_url", self.client.current_url())?.into())
    }

    pub fn back(&self) -> Result<(), E2eError> {
        self.run("back", self.client.back())
    }

    pub fn refresh(&self) -> Result<(), E2eError> {
        self.run("refresh", self.client.refresh())
    }

    pub fn set_window_size(&self, width: u32, height: u32) -> Result<(), E2eError> {
        self.run(
            "set_window_size",
            self.client.set_window_size(width, height),
        )
    }

    /// Runs `script` (a function body; `arguments[i]` are `args`) and returns its value.
    pub fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value, E2eError> {
        self.run("execute", self.client.execute(script, args))
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

    /// Types `keys` into the focused element (WebDriver key codes for
    /// special keys: `"\u{E004}"` is Tab, `"\u{E007}"` Enter).
    pub fn send_keys(&self, keys: &str) -> Result<(), E2eError> {
        self.run("send keys", async {
            self.client.active_element().await?.send_keys(keys).await
        })
    }

    /// Clicks the first element matching `css` through WebDriver (a real click).
    pub fn click(&self, css: &str) -> Result<(), E2eError> {
        self.run(&format!("click {css}"), async {
            self.client.find(Locator::Css(css)).await?.click().await
        })
    }

    /// Saves a PNG of the whole page, beyond the viewport (Chrome's own
    /// capture: the window and the page's layout width stay as they are).
    pub fn full_page_screenshot(&self, path: &Path) -> Result<(), E2eError> {
        use base64::Engine as _;
        let command = ChromeCommand::dev_tools(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": true}),
        );
        let answer = self.run("full_page_screenshot", self.client.issue_cmd(command))?;
        let data = answer["data"].as_str().unwrap_or_default();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|e| E2eError::Command {
                command: "full_page_screenshot".to_owned(),
                message: e.to_string(),
            })?;
        std::fs::write(path, bytes)?;
        Ok(())
    }

    /// Lays the page out for `media` ("print", or "" for the screen again),
    /// as Chrome's DevTools emulation does.
    pub fn emulate_media(&self, media: &str) -> Result<(), E2eError> {
        let command =
            ChromeCommand::dev_tools("Emulation.setEmulatedMedia", json!({ "media": media }));
        self.run("emulate_media", self.client.issue_cmd(command))?;
        Ok(())
    }

    /// Prints the page to `path` as PDF with the browser's print defaults
    /// (portrait, no background colours: what a print dialog starts with).
    pub fn print_pdf(&self, path: &Path) -> Result<(), E2eError> {
        let bytes = self.run("print", self.client.print(PrintConfiguration::default()))?;
        std::fs::write(path, bytes)?;
        Ok(())
    }

    /// Saves a PNG screenshot of the viewport.
    pub fn screenshot(&self, path: &Path) -> Result<(), E2eError> {
        let bytes = self.run("screenshot", self.client.screenshot())?;
        std::fs::write(path, bytes)?;
        Ok(())
    }

    /// Browser console messages since the last call (level, message).
    pub fn console_log(&self) -> Result<Vec<(String, String)>, E2eError> {
        let value = self.run(
            "console_log",
            self.client.issue_cmd(ChromeCommand::browser_log()),
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
        // Close the session so chromedriver quits Chromium cleanly (a kill
        // alone can leave the browser behind); `self.driver` is killed right
        // after, also when this fails or times out. `block_on` would panic
        // inside another runtime, and Drop must not panic, so skip it there.
        if tokio::runtime::Handle::try_current().is_err() {
            let close = self.client.clone().close();
            let _ = block_on_within(&self.runtime, CLOSE_TIMEOUT, close);
        }
    }
}
