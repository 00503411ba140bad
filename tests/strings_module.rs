//! Issue 10: the app's sentences live in `src/tui/strings/`, ready for translation. This
//! guards it: no string literal in the drawing code (`src/tui/view/**`, tests excluded) may
//! read as a sentence, i.e. hold three words or more. Labels ("Token created"), marks and
//! format patterns stay allowed.

use std::fs;
use std::path::{Path, PathBuf};

/// Rust files under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).expect("read the view directory") {
        let path = entry.expect("read a directory entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    files
}

/// The string literals of one line of code, escapes kept as written.
fn literals(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut chars = line.chars().peekable();
    let mut current: Option<String> = None;
    while let Some(c) = chars.next() {
        match (&mut current, c) {
            (None, '"') => current = Some(String::new()),
            (None, '/') if chars.peek() == Some(&'/') => break,
            (None, _) => {}
            (Some(text), '\\') => {
                text.push('\\');
                text.extend(chars.next());
            }
            (Some(_), '"') => found.extend(current.take()),
            (Some(text), c) => text.push(c),
        }
    }
    // A literal still open at the end of the line goes on: its first line is enough here.
    found.extend(current);
    found
}

/// Words of two letters or more, outside `{placeholders}`.
fn words(text: &str) -> usize {
    let mut outside = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            c if depth == 0 => outside.push(c),
            _ => outside.push(' '),
        }
    }
    outside
        .split(|c: char| !c.is_alphabetic())
        .filter(|word| word.chars().count() >= 2)
        .count()
}

/// Every "file:line: literal" in the view that reads as a sentence.
fn inline_sentences(view: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for file in rust_files(view) {
        let source = fs::read_to_string(&file).expect("read a view file");
        for (number, line) in source.lines().enumerate() {
            if line.trim_start().starts_with("#[cfg(test)]") {
                break;
            }
            if line.trim_start().starts_with("//") {
                continue;
            }
            for literal in literals(line) {
                // Date formats ("%Y-%m-%d %H:%M UTC") are patterns, not words.
                if words(&literal) >= 3 && !literal.contains('%') {
                    found.push(format!("{}:{}: {literal:?}", file.display(), number + 1));
                }
            }
        }
    }
    found
}

#[test]
fn the_view_draws_no_sentence_of_its_own() {
    let view = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui/view");
    let found = inline_sentences(&view);
    assert!(
        found.is_empty(),
        "sentences inline in the view; move them to src/tui/strings/:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_finds_a_sentence_and_spares_labels() {
    assert_eq!(
        literals(r#"    message(frame, "No key matches.\nEsc clears it.", x); // "a b c""#),
        vec![r"No key matches.\nEsc clears it.".to_string()]
    );
    assert!(words("No key matches.") >= 3);
    assert!(words("Token created") < 3);
    assert!(words(" · old token") < 3);
    assert!(words("{label}{verdict}{rest}") < 3);
}
