//! Reading and writing the parts of a wasm binary that the post-build steps
//! touch: sections, LEB128 numbers, names and import descriptions.

use std::fmt;

/// Why a module could not be rewritten.
#[derive(Debug, PartialEq, Eq)]
pub enum WasmError {
    NotWasm,
    /// The module ended inside a section or an entry.
    Truncated,
    /// A name that is not UTF-8.
    BadName,
    /// An import or export kind this rewriter does not know.
    UnknownKind(u8),
    /// Limits flags this rewriter does not know (e.g. custom page sizes).
    UnknownLimits(u8),
}

impl fmt::Display for WasmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WasmError::NotWasm => write!(f, "not a WebAssembly module"),
            WasmError::Truncated => write!(f, "the module ends early"),
            WasmError::BadName => write!(f, "a name is not UTF-8"),
            WasmError::UnknownKind(k) => write!(f, "unknown import or export kind {k:#x}"),
            WasmError::UnknownLimits(k) => write!(f, "unknown limits flags {k:#x}"),
        }
    }
}

impl std::error::Error for WasmError {}

pub const MAGIC: &[u8; 8] = b"\0asm\x01\0\0\0";
pub const CUSTOM_SECTION: u8 = 0;
pub const IMPORT_SECTION: u8 = 2;
pub const EXPORT_SECTION: u8 = 7;
pub const CODE_SECTION: u8 = 10;

/// A module's sections in order, as (id, contents), after checking its header.
pub fn sections(wasm: &[u8]) -> Result<Vec<(u8, &[u8])>, WasmError> {
    if wasm.get(..8) != Some(MAGIC.as_slice()) {
        return Err(WasmError::NotWasm);
    }
    let mut r = Reader::new(&wasm[MAGIC.len()..]);
    let mut out = Vec::new();
    while !r.done() {
        let id = r.byte()?;
        let len = r.u32()? as usize;
        out.push((id, r.take(len)?));
    }
    Ok(out)
}

/// Appends a section: its id, its length and its contents.
pub fn write_section(out: &mut Vec<u8>, id: u8, contents: &[u8]) {
    out.push(id);
    write_u32(out, contents.len());
    out.extend_from_slice(contents);
}

/// A cursor over a module's bytes; every read fails cleanly at the end.
pub struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, at: 0 }
    }

    /// How many bytes have been read.
    pub fn position(&self) -> usize {
        self.at
    }

    pub fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    pub fn byte(&mut self) -> Result<u8, WasmError> {
        let b = *self.bytes.get(self.at).ok_or(WasmError::Truncated)?;
        self.at += 1;
        Ok(b)
    }

    /// An unsigned LEB128 of up to 64 bits (u64 limits of memory64 included).
    pub fn leb(&mut self) -> Result<u64, WasmError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(WasmError::Truncated)
    }

    pub fn u32(&mut self) -> Result<u32, WasmError> {
        u32::try_from(self.leb()?).map_err(|_| WasmError::Truncated)
    }

    pub fn take(&mut self, len: usize) -> Result<&'a [u8], WasmError> {
        let end = self.at.checked_add(len).ok_or(WasmError::Truncated)?;
        let slice = self.bytes.get(self.at..end).ok_or(WasmError::Truncated)?;
        self.at = end;
        Ok(slice)
    }

    pub fn name(&mut self) -> Result<&'a str, WasmError> {
        let len = self.u32()? as usize;
        std::str::from_utf8(self.take(len)?).map_err(|_| WasmError::BadName)
    }

    pub fn limits(&mut self) -> Result<(), WasmError> {
        // Bit 0: has a maximum; bit 1: shared; bit 2: 64-bit. Anything else is new.
        let flags = self.byte()?;
        if flags & !0b111 != 0 {
            return Err(WasmError::UnknownLimits(flags));
        }
        self.leb()?;
        if flags & 1 != 0 {
            self.leb()?;
        }
        Ok(())
    }

    /// Skips an import's description and returns its kind (0: a function).
    pub fn skip_import_desc(&mut self) -> Result<u8, WasmError> {
        let kind = self.byte()?;
        match kind {
            // function: type index
            0 => self.u32().map(drop),
            // table: reference type, limits
            1 => {
                self.byte()?;
                self.limits()
            }
            // memory: limits
            2 => self.limits(),
            // global: value type, mutability
            3 => self.take(2).map(drop),
            // tag: attribute, type index
            4 => {
                self.byte()?;
                self.u32().map(drop)
            }
            _ => Err(WasmError::UnknownKind(kind)),
        }?;
        Ok(kind)
    }
}

pub fn write_u32(out: &mut Vec<u8>, mut n: usize) {
    loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

pub fn write_name(out: &mut Vec<u8>, name: &str) {
    write_u32(out, name.len());
    out.extend_from_slice(name.as_bytes());
}
