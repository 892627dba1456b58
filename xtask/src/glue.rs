//! The wasm-bindgen JS glue renamed after binaryen's
//! `wasm-opt --minify-imports-and-exports-and-modules`.
//!
//! wasm-opt prints what it renamed as JSON, `{"imports": [[module, name, new],
//! …], "exports": [[name, new], …]}` ([`Mapping`]), and moves every import
//! into one module named [`MODULE`]. The glue builds its import object as
//! `{ "./<crate>_bg.js": import0 }` with one `<import>: function(…)` entry per
//! import, and calls exports as `wasm.<export>`. [`rename`] rewrites exactly
//! those places and refuses (rather than ship a module whose imports do not
//! match) when an import is not found exactly once, or comes from a module
//! the glue does not provide.

use std::fmt;

use serde::Deserialize;

/// The one import module binaryen leaves (it has no option to choose it).
pub const MODULE: &str = "a";

/// What wasm-opt renamed, as it prints it.
#[derive(Debug, Default, Deserialize, PartialEq, Eq)]
pub struct Mapping {
    /// (module, old name, new name)
    #[serde(default)]
    pub imports: Vec<(String, String, String)>,
    /// (old name, new name)
    #[serde(default)]
    pub exports: Vec<(String, String)>,
}

impl Mapping {
    /// Reads wasm-opt's printed mapping (its whole stdout).
    pub fn parse(printed: &str) -> Result<Mapping, GlueError> {
        serde_json::from_str(printed.trim()).map_err(|e| GlueError::Mapping(e.to_string()))
    }
}

/// Why the glue could not be renamed.
#[derive(Debug, PartialEq, Eq)]
pub enum GlueError {
    /// wasm-opt's output is not the mapping.
    Mapping(String),
    /// An import comes from a module other than the glue's.
    OtherModule(String),
    /// An import's name appears `found` times as an import-object key, not once.
    Import { name: String, found: usize },
    /// The import module's quoted name is not in the glue exactly once.
    Module { name: String, found: usize },
}

impl fmt::Display for GlueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GlueError::Mapping(e) => write!(f, "wasm-opt's name mapping: {e}"),
            GlueError::OtherModule(name) => {
                write!(
                    f,
                    "the wasm imports from \"{name}\", which the glue does not provide"
                )
            }
            GlueError::Import { name, found } => write!(
                f,
                "import `{name}` is a key of the glue's import object {found} times, not once"
            ),
            GlueError::Module { name, found } => {
                write!(
                    f,
                    "module \"{name}\" is in the glue {found} times, not once"
                )
            }
        }
    }
}

impl std::error::Error for GlueError {}

/// `js`, whose import module is `module`, with the imports, their module and
/// the exports renamed as `mapping` says.
pub fn rename(js: &str, mapping: &Mapping, module: &str) -> Result<String, GlueError> {
    if let Some((other, ..)) = mapping.imports.iter().find(|(m, ..)| m != module) {
        return Err(GlueError::OtherModule(other.clone()));
    }
    let mut js = js.to_owned();
    if !mapping.imports.is_empty() {
        let quoted = format!("\"{module}\"");
        let found = js.matches(&quoted).count();
        if found != 1 {
            return Err(GlueError::Module {
                name: module.to_owned(),
                found,
            });
        }
        js = js.replace(&quoted, &format!("\"{MODULE}\""));
    }
    let imports: Vec<(String, String)> = mapping
        .imports
        .iter()
        .map(|(_, old, new)| (old.clone(), new.clone()))
        .collect();
    let js = rename_keys(&js, &imports)?;
    Ok(rename_after_prefix(&js, "wasm.", &mapping.exports))
}

/// Renames each `old` that stands as a word followed by `:` (an object key).
fn rename_keys(js: &str, renames: &[(String, String)]) -> Result<String, GlueError> {
    let mut out = String::with_capacity(js.len());
    let mut counts = vec![0usize; renames.len()];
    let mut rest = js;
    while let Some((before, word, after)) = next_word(rest) {
        out.push_str(before);
        let found = after
            .starts_with(':')
            .then(|| renames.iter().position(|(old, _)| old == word))
            .flatten();
        match found {
            Some(i) => {
                counts[i] += 1;
                out.push_str(&renames[i].1);
            }
            None => out.push_str(word),
        }
        rest = after;
    }
    out.push_str(rest);
    for ((name, _), &count) in renames.iter().zip(&counts) {
        if count != 1 {
            return Err(GlueError::Import {
                name: name.clone(),
                found: count,
            });
        }
    }
    Ok(out)
}

/// Renames each identifier that follows `prefix` (itself not preceded by an
/// identifier character), e.g. `wasm.memory` but not `this_wasm.memory`.
fn rename_after_prefix(js: &str, prefix: &str, renames: &[(String, String)]) -> String {
    let mut out = String::with_capacity(js.len());
    let mut rest = js;
    while let Some(at) = rest.find(prefix) {
        let standalone = !rest[..at].chars().next_back().is_some_and(is_ident);
        let (head, tail) = rest.split_at(at + prefix.len());
        out.push_str(head);
        let len = tail.find(|c: char| !is_ident(c)).unwrap_or(tail.len());
        let (word, after) = tail.split_at(len);
        match renames.iter().find(|(old, _)| old == word) {
            Some((_, new)) if standalone => out.push_str(new),
            _ => out.push_str(word),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The text before the next identifier-like word, the word, and the rest.
fn next_word(s: &str) -> Option<(&str, &str, &str)> {
    let start = s.find(is_ident)?;
    let len = s[start..]
        .find(|c: char| !is_ident(c))
        .unwrap_or(s.len() - start);
    Some((&s[..start], &s[start..start + len], &s[start + len..]))
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLUE: &str = r#"let wasm;
function passString(s) { const ptr = wasm.__wbindgen_malloc(s.length); return ptr; }
function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        __wbg_log_0123456789abcdef: function(arg0) { console.log(arg0); },
        __wbg_now_fedcba9876543210: function() { return Date.now(); },
    };
    return {
        __proto__: null,
        "./app_bg.js": import0,
    };
}
function finish(instance) { wasm = instance.exports; wasm.__wbindgen_start(); my_wasm.memory; wasm.memory.buffer; }
"#;

    /// As wasm-opt 132 prints it.
    const PRINTED: &str = r#"{
 "imports": [
  ["./app_bg.js", "__wbg_log_0123456789abcdef", "a"],
  ["./app_bg.js", "__wbg_now_fedcba9876543210", "b"]
 ],
"exports": [
  ["__wbindgen_start", "c"],
  ["__wbindgen_malloc", "d"],
  ["memory", "e"]
 ]
}
"#;

    fn mapping() -> Mapping {
        Mapping::parse(PRINTED).unwrap()
    }

    #[test]
    fn renames_the_import_object_the_module_and_the_export_calls() {
        let js = rename(GLUE, &mapping(), "./app_bg.js").unwrap();
        assert!(js.contains("        a: function(arg0) { console.log(arg0); },"));
        assert!(js.contains("        b: function() { return Date.now(); },"));
        assert!(js.contains("\"a\": import0"));
        assert!(js.contains("wasm.c();"));
        assert!(js.contains("const ptr = wasm.d(s.length)"));
        assert!(js.contains("wasm.e.buffer"));
        // Not the glue's `wasm`, not an export call, not an import key: untouched.
        assert!(js.contains("my_wasm.memory"));
        assert!(js.contains("__proto__: null"));
        assert!(js.contains("wasm = instance.exports"));
        assert!(!js.contains("__wbg_log") && !js.contains("__wbg_now"));
    }

    #[test]
    fn refuses_when_an_import_is_not_in_the_glue() {
        let mut m = mapping();
        m.imports.push((
            "./app_bg.js".into(),
            "__wbg_gone_0000000000000000".into(),
            "f".into(),
        ));
        assert_eq!(
            rename(GLUE, &m, "./app_bg.js"),
            Err(GlueError::Import {
                name: "__wbg_gone_0000000000000000".into(),
                found: 0
            })
        );
    }

    #[test]
    fn refuses_another_module_name() {
        assert_eq!(
            rename(GLUE, &mapping(), "./other_bg.js"),
            Err(GlueError::OtherModule("./app_bg.js".into()))
        );
        let mut m = mapping();
        for import in &mut m.imports {
            import.0 = "./other_bg.js".into();
        }
        assert_eq!(
            rename(GLUE, &m, "./other_bg.js"),
            Err(GlueError::Module {
                name: "./other_bg.js".into(),
                found: 0
            })
        );
    }

    #[test]
    fn reads_only_the_mapping() {
        assert_eq!(mapping().exports[2], ("memory".into(), "e".into()));
        assert_eq!(Mapping::parse("{}").unwrap(), Mapping::default());
        assert!(matches!(
            Mapping::parse("[wasm-validator error]"),
            Err(GlueError::Mapping(_))
        ));
    }
}
