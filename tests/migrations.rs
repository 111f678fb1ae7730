//! The two migration folders are in step: every migration of one backend
//! has its twin, of the same name, in the other, each with the same files
//! (`up.sql`, `down.sql`), and each file says something.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn folder(backend: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend)
}

fn names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn the_two_migration_folders_are_in_step() {
    let sqlite = names(&folder("sqlite"));
    let postgres = names(&folder("postgres"));
    assert!(!sqlite.is_empty(), "no migrations found");
    let only_sqlite: Vec<_> = sqlite.difference(&postgres).collect();
    let only_postgres: Vec<_> = postgres.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "only in migrations/sqlite: {only_sqlite:?}; only in migrations/postgres: {only_postgres:?}"
    );
    for m in &sqlite {
        let files = names(&folder("sqlite").join(m));
        assert_eq!(
            files,
            names(&folder("postgres").join(m)),
            "{m}: the same files on both backends"
        );
        assert!(
            files.contains("up.sql") && files.contains("down.sql"),
            "{m}: {files:?}"
        );
        for backend in ["sqlite", "postgres"] {
            let up = std::fs::read_to_string(folder(backend).join(m).join("up.sql")).unwrap();
            assert!(!up.trim().is_empty(), "{backend}/{m}/up.sql is empty");
        }
    }
}
