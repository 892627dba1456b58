//! A TCP relay between the browser and a server that keeps a copy of every
//! byte the server sent back: status lines, headers and bodies, exactly as
//! they crossed the wire. A test points the browser at the relay and scans
//! the copy for what must never reach a browser (the Admin key).
//!
//! Hand-written because it must not parse or change anything: a proxy crate
//! would rewrite headers, and DevTools' network log does not keep every body.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};

/// The relay; stops accepting on drop (open connections end with their peers).
pub struct Tap {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<u8>>>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl Tap {
    /// Relays 127.0.0.1:<free port> to `target`.
    pub fn start(target: SocketAddr) -> io::Result<Tap> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let received = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let accept = {
            let received = Arc::clone(&received);
            let stop = Arc::clone(&stop);
            thread::spawn(move || {
                for browser in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(browser) = browser else { continue };
                    let Ok(server) = TcpStream::connect(target) else {
                        continue;
                    };
                    relay(browser, server, Arc::clone(&received));
                }
            })
        };
        Ok(Tap {
            addr,
            received,
            stop,
            accept: Some(accept),
        })
    }

    /// `http://127.0.0.1:<port>`: the origin the browser should use.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A copy of every byte the server has sent through the relay so far.
    pub fn received(&self) -> Vec<u8> {
        self.received
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for Tap {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees `stop`.
        let _ = TcpStream::connect(self.addr);
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
    }
}

/// Copies browser → server as is, and server → browser while keeping a copy.
fn relay(browser: TcpStream, server: TcpStream, received: Arc<Mutex<Vec<u8>>>) {
    let (Ok(mut browser_in), Ok(mut server_out)) = (browser.try_clone(), server.try_clone()) else {
        return;
    };
    thread::spawn(move || {
        let _ = io::copy(&mut browser_in, &mut server_out);
        let _ = server_out.shutdown(Shutdown::Write);
    });
    thread::spawn(move || {
        let (mut server_in, mut browser_out) = (server, browser);
        let mut buffer = [0u8; 16 * 1024];
        loop {
            match server_in.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    received
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .extend_from_slice(&buffer[..n]);
                    if browser_out.write_all(&buffer[..n]).is_err() {
                        break;
                    }
                }
            }
        }
        let _ = browser_out.shutdown(Shutdown::Write);
    });
}

/// Whether `needle` occurs in `haystack` (bytes, not text: bodies may be binary).
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}
