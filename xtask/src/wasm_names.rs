//! Short names for a wasm module's imports and exports.
//!
//! wasm-bindgen names each import after the JS function it binds plus a
//! 16-digit hash (`__wbg_setattribute_e4ba4e5e8b6d8c11`), imports them all
//! from `./<crate>_bg.js`, and exports closure shims under their full Rust
//! paths. Every name is in the wasm and again in the JS glue, and the hashes
//! do not compress: about 6 KiB of the brotli'd first page. [`shorten`] gives
//! them one- or two-letter names; [`crate::glue`] makes the same change in the JS.

use crate::wasm_bin::{
    sections, write_name, write_section, write_u32, Reader, WasmError, EXPORT_SECTION,
    IMPORT_SECTION, MAGIC,
};

/// The module name every renamed import gets.
pub const SHORT_MODULE: &str = "a";

/// What [`shorten`] renamed: old name → new name.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Renames {
    /// The import module (wasm-bindgen's `./<crate>_bg.js`).
    pub module: Option<(String, String)>,
    pub imports: Vec<(String, String)>,
    pub exports: Vec<(String, String)>,
}

/// Renames every import from `module` and every export to short names
/// (`a`, `b`, … `Z`, `ab`, …). Other sections are copied byte for byte.
pub fn shorten(wasm: &[u8], module: &str) -> Result<(Vec<u8>, Renames), WasmError> {
    let mut out = MAGIC.to_vec();
    let mut renames = Renames::default();
    for (id, body) in sections(wasm)? {
        let body = match id {
            IMPORT_SECTION => rename_imports(body, module, &mut renames)?,
            EXPORT_SECTION => rename_exports(body, &mut renames)?,
            _ => body.to_vec(),
        };
        write_section(&mut out, id, &body);
    }
    Ok((out, renames))
}

fn rename_imports(body: &[u8], module: &str, renames: &mut Renames) -> Result<Vec<u8>, WasmError> {
    let mut r = Reader::new(body);
    let count = r.u32()?;
    let mut out = Vec::with_capacity(body.len());
    write_u32(&mut out, count as usize);
    for _ in 0..count {
        let from = r.name()?;
        let field = r.name()?;
        let desc_start = r.position();
        r.skip_import_desc()?;
        let desc = &body[desc_start..r.position()];
        if from == module {
            let short = short_name(renames.imports.len());
            renames.imports.push((field.to_owned(), short.clone()));
            renames.module = Some((module.to_owned(), SHORT_MODULE.to_owned()));
            write_name(&mut out, SHORT_MODULE);
            write_name(&mut out, &short);
        } else {
            write_name(&mut out, from);
            write_name(&mut out, field);
        }
        out.extend_from_slice(desc);
    }
    Ok(out)
}

fn rename_exports(body: &[u8], renames: &mut Renames) -> Result<Vec<u8>, WasmError> {
    let mut r = Reader::new(body);
    let count = r.u32()?;
    let mut out = Vec::with_capacity(body.len());
    write_u32(&mut out, count as usize);
    for _ in 0..count {
        let name = r.name()?;
        let kind = r.byte()?;
        if kind > 4 {
            return Err(WasmError::UnknownKind(kind));
        }
        let index = r.u32()?;
        let short = short_name(renames.exports.len());
        renames.exports.push((name.to_owned(), short.clone()));
        write_name(&mut out, &short);
        out.push(kind);
        write_u32(&mut out, index as usize);
    }
    Ok(out)
}

/// The `n`th short name: a letter, then letters or digits. In the glue these
/// are only property names (`wasm.a`, `{ a: function … }`), where even a JS
/// keyword would be valid.
pub fn short_name(n: usize) -> String {
    const FIRST: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const REST: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut name = vec![FIRST[n % FIRST.len()]];
    let mut rest = n / FIRST.len();
    while rest > 0 {
        rest -= 1;
        name.push(REST[rest % REST.len()]);
        rest /= REST.len();
    }
    String::from_utf8_lossy(&name).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module importing two functions from the glue and a memory from
    /// elsewhere, with a type section and two exports.
    fn module() -> Vec<u8> {
        let mut m = MAGIC.to_vec();
        // type section: one type, () -> ()
        m.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]);
        let mut imports = Vec::new();
        write_u32(&mut imports, 3);
        for field in ["__wbg_log_0123456789abcdef", "__wbg_now_fedcba9876543210"] {
            write_name(&mut imports, "./app_bg.js");
            write_name(&mut imports, field);
            imports.extend_from_slice(&[0, 0]);
        }
        write_name(&mut imports, "env");
        write_name(&mut imports, "memory");
        imports.extend_from_slice(&[2, 1, 17, 0x80, 0x01]);
        m.push(IMPORT_SECTION);
        write_u32(&mut m, imports.len());
        m.extend_from_slice(&imports);
        let mut exports = Vec::new();
        write_u32(&mut exports, 2);
        write_name(&mut exports, "__wbindgen_start");
        exports.extend_from_slice(&[0, 2]);
        write_name(&mut exports, "memory");
        exports.extend_from_slice(&[2, 0]);
        m.push(EXPORT_SECTION);
        write_u32(&mut m, exports.len());
        m.extend_from_slice(&exports);
        // a custom section, copied as is
        m.extend_from_slice(&[0, 5, 4, b'n', b'o', b't', b'e']);
        m
    }

    fn names(wasm: &[u8], section: u8) -> Vec<String> {
        for (id, body) in sections(wasm).unwrap() {
            if id != section {
                continue;
            }
            let mut s = Reader::new(body);
            let count = s.u32().unwrap();
            let mut out = Vec::new();
            for _ in 0..count {
                if section == IMPORT_SECTION {
                    let module = s.name().unwrap();
                    let field = s.name().unwrap();
                    out.push(format!("{module}/{field}"));
                    s.skip_import_desc().unwrap();
                } else {
                    out.push(s.name().unwrap().to_owned());
                    s.byte().unwrap();
                    s.u32().unwrap();
                }
            }
            return out;
        }
        Vec::new()
    }

    #[test]
    fn renames_the_glue_imports_and_every_export() {
        let (wasm, renames) = shorten(&module(), "./app_bg.js").unwrap();
        assert_eq!(names(&wasm, IMPORT_SECTION), ["a/a", "a/b", "env/memory"]);
        assert_eq!(names(&wasm, EXPORT_SECTION), ["a", "b"]);
        assert_eq!(
            renames.module,
            Some(("./app_bg.js".to_owned(), "a".to_owned()))
        );
        assert_eq!(
            renames.imports,
            [
                ("__wbg_log_0123456789abcdef".to_owned(), "a".to_owned()),
                ("__wbg_now_fedcba9876543210".to_owned(), "b".to_owned()),
            ]
        );
        assert_eq!(
            renames.exports,
            [
                ("__wbindgen_start".to_owned(), "a".to_owned()),
                ("memory".to_owned(), "b".to_owned()),
            ]
        );
        // Everything else is unchanged: the type section and the custom one.
        assert_eq!(&wasm[8..14], &module()[8..14]);
        assert!(wasm.ends_with(&[0, 5, 4, b'n', b'o', b't', b'e']));
        assert!(wasm.len() < module().len());
    }

    #[test]
    fn another_module_name_renames_no_import() {
        let (wasm, renames) = shorten(&module(), "./other_bg.js").unwrap();
        assert_eq!(renames.module, None);
        assert!(renames.imports.is_empty());
        assert_eq!(
            names(&wasm, IMPORT_SECTION),
            [
                "./app_bg.js/__wbg_log_0123456789abcdef",
                "./app_bg.js/__wbg_now_fedcba9876543210",
                "env/memory"
            ]
        );
    }

    #[test]
    fn short_names_are_unique_and_start_with_a_letter() {
        let all: Vec<String> = (0..5000).map(short_name).collect();
        let unique: std::collections::HashSet<&String> = all.iter().collect();
        assert_eq!(unique.len(), all.len());
        assert!(all.iter().all(|n| n.as_bytes()[0].is_ascii_alphabetic()));
        assert_eq!(&all[..3], ["a", "b", "c"]);
        assert_eq!(all[52], "aa");
        assert!(all.iter().take(52).all(|n| n.len() == 1));
    }

    #[test]
    fn rejects_what_it_cannot_read() {
        assert_eq!(shorten(b"hello", "m"), Err(WasmError::NotWasm));
        let mut cut = module();
        cut.truncate(cut.len() - 3);
        assert_eq!(shorten(&cut, "m"), Err(WasmError::Truncated));
        let mut odd = MAGIC.to_vec();
        odd.extend_from_slice(&[EXPORT_SECTION, 4, 1, 1, b'x', 9]);
        assert_eq!(shorten(&odd, "m"), Err(WasmError::UnknownKind(9)));
    }
}
