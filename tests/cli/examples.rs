//! The committed examples in exports/ are what the code makes now: each line
//! of exports/examples.txt is run into a temporary directory and compared
//! byte for byte. Regenerate with `exports/regenerate.sh`.

use crate::{repo, run_in};

#[test]
fn committed_exports_are_up_to_date() {
    let repo = repo();
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
        let graph = repo.join("graph");
        let mut argv = vec!["--graph", graph.to_str().unwrap()];
        argv.extend(args.split_whitespace());
        argv.extend(["-o", target.to_str().unwrap()]);
        let run = run_in(repo, &argv);
        assert_eq!(run.code, 0, "{line}: {}", run.stderr);
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
