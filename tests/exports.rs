//! The committed examples in exports/ are what the code makes now: each line
//! of exports/examples.txt is run into a temporary directory and compared
//! byte for byte. Regenerate with `exports/regenerate.sh`.

use std::path::Path;
use std::process::Command;

#[test]
fn committed_exports_are_up_to_date() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let list = std::fs::read_to_string(repo.join("exports/examples.txt")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut stale = Vec::new();
    let mut count = 0;
    for line in list
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let (file, args) = line.split_once('\t').expect("FILE<TAB>ARGS");
        let target = out.path().join(file);
        let run = Command::new(env!("CARGO_BIN_EXE_linkchart"))
            .arg("--graph")
            .arg(repo.join("graph"))
            .args(args.split_whitespace())
            .env("LINKCHART_CACHE", "off")
            .arg("-o")
            .arg(&target)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{line}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let made = std::fs::read(&target).unwrap();
        let committed = std::fs::read(repo.join("exports").join(file)).unwrap_or_default();
        if made != committed {
            stale.push(file.to_string());
        }
        count += 1;
    }
    assert!(count >= 8, "examples.txt lists {count} exports");
    assert!(
        stale.is_empty(),
        "stale exports (run exports/regenerate.sh): {stale:?}"
    );
}
