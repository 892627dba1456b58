//! A TCP relay between the browser and a server that keeps a copy of every
//! byte the server sent back: status lines, headers and bodies, exactly as
//! they crossed the wire. A test points the browser at the relay and scans
//! the copy for what must never reach a browser (the Admin key).
//!
//! Hand-written because it must not parse or change anything: a proxy crate
//! would rewrite headers, and DevTools' network log does not keep every body.
//! The server compresses what the browser accepts, so the copy is also read
//! back afterwards ([`Tap::bodies`]): every response of every connection,
//! its body un-chunked and decompressed as the browser's JS sees it.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};

/// The relay; stops accepting on drop (open connections end with their peers).
pub struct Tap {
    addr: SocketAddr,
    /// What the server sent on each connection, in order.
    received: Arc<Mutex<Vec<Vec<u8>>>>,
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
                    let connection = {
                        let mut streams = received.lock().unwrap_or_else(PoisonError::into_inner);
                        streams.push(Vec::new());
                        streams.len() - 1
                    };
                    relay(browser, server, Arc::clone(&received), connection);
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
            .concat()
    }

    /// The body of every complete response so far, decoded (chunks joined,
    /// `gzip` or `br` undone). The browser sends no `HEAD` through a tap.
    pub fn bodies(&self) -> Result<Vec<Vec<u8>>, TapError> {
        let streams = self
            .received
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let mut bodies = Vec::new();
        for stream in &streams {
            bodies.extend(responses(stream)?);
        }
        Ok(bodies)
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
fn relay(
    browser: TcpStream,
    server: TcpStream,
    received: Arc<Mutex<Vec<Vec<u8>>>>,
    connection: usize,
) {
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
                    if let Some(stream) = received
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .get_mut(connection)
                    {
                        stream.extend_from_slice(&buffer[..n]);
                    }
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

/// A copy that does not read as HTTP/1.1 responses.
#[derive(Debug, thiserror::Error)]
pub enum TapError {
    #[error("a response head that is not HTTP: {0}")]
    Head(#[from] httparse::Error),
    #[error("a chunked body that does not hold together")]
    Chunks,
    #[error("a {encoding} body that does not decompress: {source}")]
    Encoding { encoding: String, source: io::Error },
}

/// The decoded bodies of the responses in one connection's bytes; a last
/// response cut short (the connection still open) is left out.
fn responses(mut rest: &[u8]) -> Result<Vec<Vec<u8>>, TapError> {
    let mut bodies = Vec::new();
    while !rest.is_empty() {
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut response = httparse::Response::new(&mut headers);
        let httparse::Status::Complete(head) = response.parse(rest)? else {
            break;
        };
        let header = |name: &str| {
            response
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case(name))
                .map(|h| String::from_utf8_lossy(h.value).trim().to_ascii_lowercase())
        };
        let after = &rest[head..];
        let no_body = matches!(response.code, Some(100..=199 | 204 | 304));
        let (body, used) = if no_body {
            (Vec::new(), 0)
        } else if header("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
            match unchunk(after)? {
                Some(found) => found,
                None => break,
            }
        } else if let Some(length) = header("content-length").and_then(|l| l.parse().ok()) {
            if after.len() < length {
                break;
            }
            (after[..length].to_vec(), length)
        } else {
            (after.to_vec(), after.len())
        };
        bodies.push(decode(body, header("content-encoding").as_deref())?);
        rest = &after[used..];
    }
    Ok(bodies)
}

/// A chunked body and the bytes it took; `None` when it is not all there.
fn unchunk(mut rest: &[u8]) -> Result<Option<(Vec<u8>, usize)>, TapError> {
    let start = rest.len();
    let mut body = Vec::new();
    loop {
        let Some(line_end) = rest.windows(2).position(|w| w == b"\r\n") else {
            return Ok(None);
        };
        let size_text = String::from_utf8_lossy(&rest[..line_end]);
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| TapError::Chunks)?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            // No trailers from these servers: the empty line ends the body.
            return match rest.strip_prefix(b"\r\n") {
                Some(after) => Ok(Some((body, start - after.len()))),
                None => Ok(None),
            };
        }
        if rest.len() < size + 2 {
            return Ok(None);
        }
        body.extend_from_slice(&rest[..size]);
        rest = rest[size..].strip_prefix(b"\r\n").ok_or(TapError::Chunks)?;
    }
}

fn decode(body: Vec<u8>, encoding: Option<&str>) -> Result<Vec<u8>, TapError> {
    let mut out = Vec::new();
    let failed = |source| TapError::Encoding {
        encoding: encoding.unwrap_or_default().to_owned(),
        source,
    };
    match encoding {
        Some("gzip") => {
            flate2::read::GzDecoder::new(body.as_slice())
                .read_to_end(&mut out)
                .map_err(failed)?;
        }
        Some("br") => {
            brotli::Decompressor::new(body.as_slice(), 4096)
                .read_to_end(&mut out)
                .map_err(failed)?;
        }
        _ => return Ok(body),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_plain_chunked_and_compressed_responses() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"{\"secret\":1}").unwrap();
        let gz = gz.finish().unwrap();
        let mut stream = b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello".to_vec();
        stream.extend_from_slice(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n",
        );
        stream.extend_from_slice(b"HTTP/1.1 304 Not Modified\r\n\r\n");
        stream.extend_from_slice(
            format!(
                "HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\ncontent-length: {}\r\n\r\n",
                gz.len()
            )
            .as_bytes(),
        );
        stream.extend_from_slice(&gz);
        // Cut short: left out.
        stream.extend_from_slice(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc");
        let bodies = responses(&stream).unwrap();
        assert_eq!(
            bodies,
            [
                b"hello".to_vec(),
                b"abcde".to_vec(),
                Vec::new(),
                b"{\"secret\":1}".to_vec()
            ]
        );
        assert!(responses(b"NOT HTTP\r\n\r\n").is_err());
    }
}
