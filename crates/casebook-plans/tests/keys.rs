//! The keys beside the test plans: what was planted or changed, worked out by hand.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

/// A folder under `tests/`.
pub fn folder(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(name)
}

/// Every `*.key.toml` in a folder under `tests/`, in name order, read.
pub fn keys<K: DeserializeOwned>(name: &str) -> Vec<(PathBuf, K)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(folder(name))
        .expect("the folder of plans")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".key.toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("a key");
            let key = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (path, key)
        })
        .collect()
}
