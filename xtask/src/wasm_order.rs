//! A wasm's functions ordered by their code, for brotli.
//!
//! The linker leaves the monomorphized copies of one generic function, and
//! closures of one shape, scattered over the code section. Sorted by their
//! bytes, functions that begin alike sit next to each other, where brotli's
//! back-references are short and cheap. The code itself does not change, nor
//! its raw size. Measured on the app (wasm-opt `-Oz` output, brotli 11): 228.7
//! → 224.6 KiB; ordered by Rust name instead, 226.2 KiB; by a MinHash of each
//! body, 229.0 KiB (docs/benchmarks.md).
//!
//! The move itself is wasm-opt's (`--reorder-functions-by-name`, which
//! renumbers every call, table entry and export). [`name_by_code`] only gives
//! each function a name that sorts where it should go.

use crate::wasm_bin::{
    sections, write_name, write_section, write_u32, Reader, WasmError, CODE_SECTION,
    CUSTOM_SECTION, IMPORT_SECTION, MAGIC,
};

/// Import descriptor kind of a function.
const FUNCTION_IMPORT: u8 = 0;
/// The function-names subsection of the `name` section.
const FUNCTION_NAMES: u8 = 1;

/// `wasm` with a new `name` section (any old one is dropped): imported
/// functions are named in their order (`a0…`), defined ones by the rank of
/// their body among all bodies (`b0…`), so sorting the names sorts the code.
pub fn name_by_code(wasm: &[u8]) -> Result<Vec<u8>, WasmError> {
    let sections = sections(wasm)?;
    let mut imported = 0;
    let mut bodies: Vec<&[u8]> = Vec::new();
    for &(id, contents) in &sections {
        match id {
            IMPORT_SECTION => imported = function_imports(contents)?,
            CODE_SECTION => bodies = function_bodies(contents)?,
            _ => {}
        }
    }
    let mut by_code: Vec<usize> = (0..bodies.len()).collect();
    // Stable: equal bodies keep their order.
    by_code.sort_by_key(|&i| bodies[i]);
    let mut rank = vec![0; bodies.len()];
    for (r, &i) in by_code.iter().enumerate() {
        rank[i] = r;
    }
    let width = (imported + bodies.len()).to_string().len();
    let names = (0..imported)
        .map(|i| format!("a{i:0width$}"))
        .chain(rank.iter().map(|r| format!("b{r:0width$}")));

    let mut out = MAGIC.to_vec();
    for &(id, contents) in &sections {
        if !(id == CUSTOM_SECTION && is_name_section(contents)?) {
            write_section(&mut out, id, contents);
        }
    }
    let mut entries = Vec::new();
    write_u32(&mut entries, imported + bodies.len());
    for (index, name) in names.enumerate() {
        write_u32(&mut entries, index);
        write_name(&mut entries, &name);
    }
    let mut name_section = Vec::new();
    write_name(&mut name_section, "name");
    name_section.push(FUNCTION_NAMES);
    write_u32(&mut name_section, entries.len());
    name_section.extend_from_slice(&entries);
    write_section(&mut out, CUSTOM_SECTION, &name_section);
    Ok(out)
}

fn function_imports(contents: &[u8]) -> Result<usize, WasmError> {
    let mut r = Reader::new(contents);
    let mut functions = 0;
    for _ in 0..r.u32()? {
        r.name()?;
        r.name()?;
        if r.skip_import_desc()? == FUNCTION_IMPORT {
            functions += 1;
        }
    }
    Ok(functions)
}

/// Each function's entry in the code section: its locals and instructions.
fn function_bodies(contents: &[u8]) -> Result<Vec<&[u8]>, WasmError> {
    let mut r = Reader::new(contents);
    let count = r.u32()?;
    let mut bodies = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let len = r.u32()? as usize;
        bodies.push(r.take(len)?);
    }
    Ok(bodies)
}

fn is_name_section(contents: &[u8]) -> Result<bool, WasmError> {
    let mut r = Reader::new(contents);
    Ok(r.name()? == "name")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One imported function and three defined ones, bodies `[0, 9]`, `[0, 3]`,
    /// `[0, 5]`, with an old name section to be replaced.
    fn module() -> Vec<u8> {
        let mut m = MAGIC.to_vec();
        write_section(&mut m, 1, &[1, 0x60, 0, 0]);
        let mut imports = Vec::new();
        write_u32(&mut imports, 2);
        write_name(&mut imports, "env");
        write_name(&mut imports, "f");
        imports.extend_from_slice(&[FUNCTION_IMPORT, 0]);
        write_name(&mut imports, "env");
        write_name(&mut imports, "memory");
        imports.extend_from_slice(&[2, 0, 1]);
        write_section(&mut m, IMPORT_SECTION, &imports);
        write_section(&mut m, 3, &[3, 0, 0, 0]);
        write_section(&mut m, CODE_SECTION, &[3, 2, 0, 9, 2, 0, 3, 2, 0, 5]);
        let mut old = Vec::new();
        write_name(&mut old, "name");
        old.extend_from_slice(&[FUNCTION_NAMES, 4, 1, 0, 1, b'x']);
        write_section(&mut m, CUSTOM_SECTION, &old);
        m
    }

    fn function_names(wasm: &[u8]) -> Vec<Vec<(u32, String)>> {
        let mut found = Vec::new();
        for (id, contents) in sections(wasm).unwrap() {
            if id != CUSTOM_SECTION || !is_name_section(contents).unwrap() {
                continue;
            }
            let mut r = Reader::new(contents);
            r.name().unwrap();
            assert_eq!(r.byte().unwrap(), FUNCTION_NAMES);
            r.u32().unwrap();
            let names = (0..r.u32().unwrap())
                .map(|_| (r.u32().unwrap(), r.name().unwrap().to_owned()))
                .collect();
            assert!(r.done());
            found.push(names);
        }
        found
    }

    #[test]
    fn names_sort_the_imports_first_then_the_bodies() {
        let named = name_by_code(&module()).unwrap();
        assert_eq!(
            function_names(&named),
            [vec![
                (0, "a0".to_owned()),
                (1, "b2".to_owned()),
                (2, "b0".to_owned()),
                (3, "b1".to_owned()),
            ]]
        );
        // Every other section is kept as it was.
        let old = module();
        let kept = |wasm: &[u8]| -> Vec<(u8, Vec<u8>)> {
            sections(wasm)
                .unwrap()
                .into_iter()
                .filter(|(id, _)| *id != CUSTOM_SECTION)
                .map(|(id, c)| (id, c.to_vec()))
                .collect()
        };
        assert_eq!(kept(&named), kept(&old));
    }

    #[test]
    fn equal_bodies_keep_their_order_and_names_have_one_width() {
        let mut m = MAGIC.to_vec();
        let mut code = Vec::new();
        write_u32(&mut code, 12);
        for body in [1u8, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1] {
            code.extend_from_slice(&[2, 0, body]);
        }
        write_section(&mut m, CODE_SECTION, &code);
        let names: Vec<String> = function_names(&name_by_code(&m).unwrap())[0]
            .iter()
            .map(|(_, n)| n.clone())
            .collect();
        assert_eq!(names[2], "b00");
        assert_eq!(names[0], "b01");
        assert_eq!(names[1], "b02");
        assert_eq!(names[11], "b11");
    }

    #[test]
    fn rejects_what_it_cannot_read() {
        assert_eq!(name_by_code(b"\0asm"), Err(WasmError::NotWasm));
        let mut cut = MAGIC.to_vec();
        write_section(&mut cut, CODE_SECTION, &[2, 2, 0, 9]);
        assert_eq!(name_by_code(&cut), Err(WasmError::Truncated));
    }
}
