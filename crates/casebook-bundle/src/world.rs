//! A typst `World` that holds everything in memory: one source file, the fonts that
//! ship with typst, and inputs. It reads no files and has no idea what day it is, so
//! output depends only on what it is given.

use std::sync::OnceLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Dict};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

/// Parsed once per process: reading the font files is the slow part of a first render.
fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        Fonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
}

/// typst interns file ids for the life of the process, so callers reuse a small set
/// of paths ("/data.json", "/exhibits/3.pdf") rather than mint one per render.
fn file_id(path: &str) -> Option<FileId> {
    VirtualPath::new(path)
        .ok()
        .map(|p| FileId::new(RootedPath::new(VirtualRoot::Project, p)))
}

pub struct MemoryWorld {
    library: LazyHash<Library>,
    main: Source,
    /// Data files the layout reads, such as `/data.json`.
    files: Vec<(FileId, Bytes)>,
}

impl MemoryWorld {
    pub fn new(source: &str, inputs: Dict) -> Self {
        MemoryWorld {
            library: LazyHash::new(Library::builder().with_inputs(inputs).build()),
            main: Source::new(
                file_id("/main.typ").unwrap_or_else(|| unreachable!("a fixed, valid path")),
                source.to_owned(),
            ),
            files: Vec::new(),
        }
    }

    /// Adds a file the layout reads, at an absolute path such as `/data.json`. A path
    /// typst cannot represent is left out, and the layout then names it in its error.
    pub fn with_file(mut self, path: &str, bytes: Vec<u8>) -> Self {
        if let Some(id) = file_id(path) {
            self.files.push((id, Bytes::new(bytes)));
        }
        self
    }
}

impl World for MemoryWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files
            .iter()
            .find(|(f, _)| *f == id)
            .map(|(_, b)| b.clone())
            .ok_or(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}
