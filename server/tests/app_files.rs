//! The app's files as `cargo xtask build` leaves them: each compressible
//! asset with real `name.br` / `name.gz` copies beside it, sent to browsers
//! that accept them and decompressing to the very bytes of the original.

use std::io::{Read, Write};

use crate::common::*;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use tower::ServiceExt;

const WASM: &str = "claude-code-analytics-0123456789abcdef_bg.wasm";

/// The asset's bytes: a wasm-like module that compresses well.
fn original() -> Vec<u8> {
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    for i in 0..4000u32 {
        bytes.extend_from_slice(format!("func{};", i % 97).as_bytes());
    }
    bytes
}

fn brotli(data: &[u8]) -> Vec<u8> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &data[..], &mut out, &params).unwrap();
    out
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(data).unwrap();
    gz.finish().unwrap()
}

async fn fetch(app: &Router, path: &str, accept: Option<&str>) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut request = Request::builder().uri(path);
    if let Some(accept) = accept {
        request = request.header("accept-encoding", accept);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    (parts.status, parts.headers, bytes.to_vec())
}

#[tokio::test]
async fn precompressed_copies_are_sent_to_browsers_that_accept_them() {
    let dist = temp_dir("dist-precompressed");
    let wasm = original();
    std::fs::write(
        dist.join("index.html"),
        "<html><head></head><body></body></html>",
    )
    .unwrap();
    std::fs::write(dist.join(WASM), &wasm).unwrap();
    std::fs::write(dist.join(format!("{WASM}.br")), brotli(&wasm)).unwrap();
    std::fs::write(dist.join(format!("{WASM}.gz")), gzip(&wasm)).unwrap();
    let mut settings = settings(None, None);
    settings.dist = Some(dist.clone());
    let app = app(&settings);
    let path = format!("/{WASM}");

    // Chromium sends `gzip, deflate, br, zstd`: brotli wins.
    let (status, headers, body) = fetch(&app, &path, Some("gzip, deflate, br, zstd")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-encoding"], "br");
    assert_eq!(headers["vary"], "accept-encoding");
    assert_eq!(headers["content-type"], "application/wasm");
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(body.len() < wasm.len() / 4, "{} bytes", body.len());
    let mut decoded = Vec::new();
    brotli::BrotliDecompress(&mut &body[..], &mut decoded).unwrap();
    assert_eq!(decoded, wasm);

    // No brotli: gzip.
    let (_, headers, body) = fetch(&app, &path, Some("gzip, br;q=0")).await;
    assert_eq!(headers["content-encoding"], "gzip");
    assert_eq!(headers["vary"], "accept-encoding");
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&body[..])
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, wasm);

    // Neither: the original, still marked as varying (a cache must not hand
    // it to the next browser that would take brotli, nor the reverse).
    for accept in [None, Some("identity"), Some("deflate")] {
        let (status, headers, body) = fetch(&app, &path, accept).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!headers.contains_key("content-encoding"), "{accept:?}");
        assert_eq!(headers["vary"], "accept-encoding");
        assert_eq!(body, wasm);
    }

    // The copies are not files of their own.
    for copy in [format!("{path}.br"), format!("{path}.gz")] {
        assert_eq!(fetch(&app, &copy, None).await.0, StatusCode::NOT_FOUND);
    }
    std::fs::remove_dir_all(&dist).unwrap();
}
