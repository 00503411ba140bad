use super::*;

const FAKE_TOKEN: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCD";

#[test]
fn lines_are_kept_oldest_first_without_repeats() {
    let mut history = History::default();
    assert!(history.push(":keys"));
    assert!(history.push(":filter erp"));
    assert!(
        !history.push(":filter erp"),
        "a repeat of the previous line"
    );
    assert!(history.push(":keys"), "a repeat of an older line is kept");
    assert!(!history.push("   "));
    assert_eq!(history.lines, [":keys", ":filter erp", ":keys"]);
}

#[test]
fn at_most_cap_lines_are_kept() {
    let mut history = History::default();
    for n in 0..CAP + 20 {
        history.push(&format!(":filter {n}"));
    }
    assert_eq!(history.lines.len(), CAP);
    assert_eq!(history.lines[0], ":filter 20");
}

#[test]
fn lines_that_may_hold_a_token_are_refused() {
    assert!(may_hold_token(&format!(":filter {FAKE_TOKEN}")));
    assert!(may_hold_token(&format!(":filter token={FAKE_TOKEN};")));
    assert!(may_hold_token(&format!(":profile {}", "a1".repeat(16))));
    assert!(!may_hold_token(":filter vtexappkey-acme-ABCDEF"));
    assert!(!may_hold_token(":role add Owner (Admin Super)"));
    assert!(!may_hold_token(&format!(":filter {}", "A".repeat(31))));
    let mut history = History::default();
    assert!(!history.push(&format!(":filter {FAKE_TOKEN}")));
    assert!(history.lines.is_empty());
}

#[test]
fn the_file_is_private_and_never_holds_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state/apikeys/history");
    append(&path, ":keys").unwrap();
    append(&path, &format!(":filter {FAKE_TOKEN}")).unwrap();
    append(&path, ":sort created desc").unwrap();
    append(&path, ":sort created desc").unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text, ":keys\n:sort created desc\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
    }
    let loaded = History::load(Some(path.clone()));
    assert_eq!(loaded.lines, [":keys", ":sort created desc"]);
}

#[test]
fn the_file_keeps_the_last_cap_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history");
    let many: String = (0..CAP + 5).map(|n| format!(":filter {n}\n")).collect();
    std::fs::write(&path, many).unwrap();
    append(&path, ":keys").unwrap();
    let loaded = History::load(Some(path));
    assert_eq!(loaded.lines.len(), CAP);
    assert_eq!(loaded.lines.last().unwrap(), ":keys");
    assert_eq!(loaded.lines[0], ":filter 6");
}

#[test]
fn a_corrupt_or_missing_file_gives_an_empty_history() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history");
    assert!(History::load(Some(path.clone())).lines.is_empty());
    std::fs::write(&path, [0xff, 0xfe, 0x00, b'\n', 0x80]).unwrap();
    assert!(History::load(Some(path.clone())).lines.is_empty());
    // A directory where the file should be: unreadable, and a write fails with a reason.
    let blocked = dir.path().join("blocked");
    std::fs::create_dir(&blocked).unwrap();
    assert!(History::load(Some(blocked.clone())).lines.is_empty());
    assert!(append(&blocked, ":keys").is_err());
    // A token written into the file by hand is not loaded.
    std::fs::write(&path, format!(":keys\n:filter {FAKE_TOKEN}\n")).unwrap();
    assert_eq!(History::load(Some(path)).lines, [":keys"]);
}

#[test]
fn a_failed_write_is_said_once() {
    let dir = tempfile::tempdir().unwrap();
    let blocked = dir.path().join("a directory");
    std::fs::create_dir(&blocked).unwrap();
    let first = save(&blocked, ":keys").expect("the first failure is said");
    assert!(first.contains("could not be saved"), "{first}");
    assert_eq!(save(&blocked, ":refresh"), None, "once");
}
