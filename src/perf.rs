//! User Timing marks for page-load milestones. They cost one
//! `performance.mark` per page load each, and are useful beyond our own
//! benchmarks: real users' monitoring (RUM scripts, the browser's
//! performance panel, a `PerformanceObserver` of the host page) sees when the
//! dashboard became useful, not only when the document loaded.

pub use cca_core::marks::{FIRST_CHART, PAGE_LOADED, RANGE_LOADED};

/// `performance.mark(name)` the first time it is called with `name` in this
/// page load, with the wasm memory size as its `detail`; later calls do
/// nothing. Errors are ignored (a mark is never worth failing for); natively
/// it is a no-op.
#[cfg(target_arch = "wasm32")]
pub fn mark_once(name: &'static str) {
    use std::cell::RefCell;
    thread_local! {
        static MARKED: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
    }
    let first = MARKED.with(|marked| {
        let mut marked = marked.borrow_mut();
        let first = !marked.contains(&name);
        if first {
            marked.push(name);
        }
        first
    });
    if first {
        let _ = mark_with_detail(name, &memory_detail());
    }
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `performance.mark(name, options)` (web-sys has it only behind
    /// `web_sys_unstable_apis`).
    #[wasm_bindgen(js_namespace = performance, js_name = mark, catch)]
    fn mark_with_detail(
        name: &str,
        options: &wasm_bindgen::JsValue,
    ) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>;
}

/// `{ detail: { wasmMemoryBytes } }`: the size of the app's linear memory when
/// the mark is set, so a monitor (and `cargo xtask bench`) sees how much of
/// the page's memory is the app's own heap.
#[cfg(target_arch = "wasm32")]
fn memory_detail() -> wasm_bindgen::JsValue {
    use js_sys::{Object, Reflect};
    let bytes = core::arch::wasm32::memory_size(0) as f64 * 65_536.0;
    let detail = Object::new();
    let options = Object::new();
    let _ = Reflect::set(&detail, &"wasmMemoryBytes".into(), &bytes.into());
    let _ = Reflect::set(&options, &"detail".into(), &detail);
    options.into()
}

/// Native builds (tests, tools) have no `performance`: nothing to do.
#[cfg(not(target_arch = "wasm32"))]
pub fn mark_once(_name: &'static str) {}
