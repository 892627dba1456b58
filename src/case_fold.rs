//! Lowercasing for the team table's filter and order in the browser.

/// `text` lowercased with Unicode's default mapping, without a locale
/// ([`cca_core::team_table::FoldCase`]). ASCII text (most emails and key
/// names) is lowercased here; other text by JS's `toLowerCase`, which applies
/// the same mapping, since Rust's would bring its Unicode case tables into the
/// wasm, where nothing else uses them (their cost: docs/benchmarks.md).
pub fn fold_case(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(text).to_lower_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        cca_core::team_table::fold_case(text)
    }
}
