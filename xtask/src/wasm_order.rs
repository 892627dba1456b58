//! A wasm's functions ordered by their code, for brotli.
//!
//! The linker leaves the monomorphized copies of one generic function, and
//! closures of one shape, scattered over the code section. Sorted by their
//! bytes, functions that begin alike sit next to each other, where brotli's
//! back-references are short and cheap and its context models have just seen
//! similar bytes. The code itself does not change, nor its raw size.
//!
//! binaryen can move functions (`--reorder-functions-by-name`, which renumbers
//! every call, table entry and export) but has no order by code: [`name_by_code`]
//! gives each function a name that sorts where it should go.

use wasm_encoder::{NameMap, NameSection, Section};
use wasmparser::{Parser, Payload, TypeRef};

/// `wasm` with a `name` section added: imported functions are named in their
/// order (`a0…`), defined ones by the rank of their body among all bodies
/// (`b0…`), so sorting the names sorts the code. A module that already has a
/// `name` section is refused: it is unclear which one a tool would read.
pub fn name_by_code(wasm: &[u8]) -> Result<Vec<u8>, String> {
    let mut imported = 0;
    let mut bodies: Vec<&[u8]> = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(|e| e.to_string())? {
            Payload::ImportSection(imports) => {
                for import in imports.into_imports() {
                    let import = import.map_err(|e| e.to_string())?;
                    if matches!(import.ty, TypeRef::Func(_) | TypeRef::FuncExact(_)) {
                        imported += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => bodies.push(&wasm[body.range()]),
            Payload::CustomSection(custom) if custom.name() == "name" => {
                return Err("the module already has a name section".into());
            }
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
    let mut names = NameMap::new();
    for (index, name) in (0..imported)
        .map(|i| format!("a{i:0width$}"))
        .chain(rank.iter().map(|r| format!("b{r:0width$}")))
        .enumerate()
    {
        names.append(index as u32, &name);
    }
    let mut section = NameSection::new();
    section.functions(&names);
    let mut out = wasm.to_vec();
    section.append_to(&mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{
        CodeSection, EntityType, Function, FunctionSection, ImportSection, Instruction, MemoryType,
        Module, TypeSection,
    };

    /// One imported function, an imported memory and three defined functions
    /// whose bodies push 9, 3 and 5.
    fn module(consts: &[i32]) -> Vec<u8> {
        let mut types = TypeSection::new();
        types.ty().function([], []);
        let mut imports = ImportSection::new();
        imports.import("env", "f", EntityType::Function(0));
        imports.import(
            "env",
            "memory",
            EntityType::Memory(MemoryType {
                minimum: 1,
                maximum: None,
                memory64: false,
                shared: false,
                page_size_log2: None,
            }),
        );
        let mut functions = FunctionSection::new();
        let mut code = CodeSection::new();
        for &c in consts {
            functions.function(0);
            let mut f = Function::new([]);
            f.instruction(&Instruction::I32Const(c))
                .instruction(&Instruction::Drop)
                .instruction(&Instruction::End);
            code.function(&f);
        }
        let mut m = Module::new();
        m.section(&types)
            .section(&imports)
            .section(&functions)
            .section(&code);
        m.finish()
    }

    /// The function names of `wasm`'s name section.
    fn function_names(wasm: &[u8]) -> Vec<(u32, String)> {
        let mut found = Vec::new();
        for payload in Parser::new(0).parse_all(wasm) {
            let Payload::CustomSection(custom) = payload.unwrap() else {
                continue;
            };
            let wasmparser::KnownCustom::Name(reader) = custom.as_known() else {
                continue;
            };
            for sub in reader {
                if let wasmparser::Name::Function(map) = sub.unwrap() {
                    for naming in map {
                        let naming = naming.unwrap();
                        found.push((naming.index, naming.name.to_owned()));
                    }
                }
            }
        }
        found
    }

    #[test]
    fn names_sort_the_imports_first_then_the_bodies() {
        let old = module(&[9, 3, 5]);
        let named = name_by_code(&old).unwrap();
        assert_eq!(
            function_names(&named),
            [
                (0, "a0".to_owned()),
                (1, "b2".to_owned()),
                (2, "b0".to_owned()),
                (3, "b1".to_owned()),
            ]
        );
        // The module is kept as it was; the names come after it.
        assert!(named.starts_with(&old));
        assert!(name_by_code(&named).is_err());
    }

    #[test]
    fn equal_bodies_keep_their_order_and_names_have_one_width() {
        let names: Vec<String> =
            function_names(&name_by_code(&module(&[1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1])).unwrap())
                .into_iter()
                .map(|(_, n)| n)
                .collect();
        assert_eq!(names[0], "a00");
        assert_eq!(names[3], "b00");
        assert_eq!(names[1], "b01");
        assert_eq!(names[2], "b02");
        assert_eq!(names[11], "b10");
    }

    #[test]
    fn rejects_what_it_cannot_read() {
        assert!(name_by_code(b"\0asm").is_err());
        let mut cut = module(&[1]);
        cut.truncate(cut.len() - 2);
        assert!(name_by_code(&cut).is_err());
    }
}
