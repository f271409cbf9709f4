//! Embeds the shipped graph (`graph/**/*.ron`) in the binary, so an installed
//! `linkchart` works from any directory, with a key of its content computed
//! here: a question on the built-in graph then finds its load-cache entry
//! without reading or hashing a megabyte of text at every start; and its
//! compiled form, `src/load/builtin.bin`, when there is one.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::Xxh3;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "ron") {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let graph = root.join("graph");
    println!("cargo:rerun-if-changed=graph");
    let mut files = Vec::new();
    collect(&graph, &mut files);
    files.sort();
    let mut code = String::from("pub static FILES: &[(&str, &str)] = &[\n");
    // Everything the files' content is: the version that reads them, then
    // each file's path and bytes, length-prefixed so no two sets of files
    // hash alike by moving bytes from one to the next.
    let mut key = Xxh3::new();
    key.update(std::env::var("CARGO_PKG_VERSION").unwrap().as_bytes());
    for path in &files {
        let relative = path
            .strip_prefix(&graph)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        println!("cargo:rerun-if-changed={}", path.display());
        let bytes = std::fs::read(path).unwrap();
        for part in [relative.as_bytes(), &bytes] {
            key.update(&(part.len() as u64).to_le_bytes());
            key.update(part);
        }
        writeln!(
            code,
            "    ({relative:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    writeln!(code, "pub const KEY: u128 = {:#034x};", key.digest128()).unwrap();
    // The graph's compiled form (see `load::cache::built_in`), if there is
    // one: whether it is the compiled form of these very files is checked
    // where its key is known, at run time.
    let built = root.join("src/load/builtin.bin");
    println!("cargo:rerun-if-changed={}", built.display());
    if built.is_file() {
        writeln!(
            code,
            "pub static BUILT: &[u8] = include_bytes!({:?});",
            built.display().to_string()
        )
        .unwrap();
    } else {
        code.push_str("pub static BUILT: &[u8] = &[];\n");
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("embedded_graph.rs");
    std::fs::write(out, code).unwrap();
}
