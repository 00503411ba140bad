//! A user filtering the demo account's Portuguese labels in the real binary, in a real
//! pseudo-terminal: without accents, with several words and an exclusion, then fuzzy with
//! Ctrl-f — the status line saying how each query was understood.

mod pty_app;

use pty_app::Pty;

#[test]
fn portuguese_labels_are_found_without_accents_words_exclusions_and_fuzzy() {
    let dir = tempfile::tempdir().unwrap();
    let (data, config) = (dir.path().join("data"), dir.path().join("config"));
    let mut pty = Pty::spawn_sized(&[], &data, &config, 140, 35);
    pty.wait_for("the populated app", |s| s.contains("Generated keys (61)"));

    // "conciliação" typed as a plain keyboard types it.
    pty.send("/conciliacao");
    let screen = pty.wait_for("one row", |s| s.contains("(1/61)"));
    assert!(screen.contains("Stone – conciliação"), "{screen}");

    // Two labels say "Integração"; the omnichannel one is left out by !word.
    pty.send("\x15integracao"); // Ctrl-u empties the line
    let screen = pty.wait_for("both Integração keys", |s| s.contains("(2/61)"));
    assert!(screen.contains("Integração ERP – filial"), "{screen}");
    pty.send(" !omnichannel");
    let screen = pty.wait_for("the understood query", |s| {
        s.contains("(1/61)") && s.contains("Filter: 1 word, excluding omnichannel.")
    });
    assert!(screen.contains("Integração ERP – filial"), "{screen}");

    // Words anywhere, in any order, across the label: "paulo" and "erp".
    pty.send("\x15paulo erp");
    let screen = pty.wait_for("words in any order", |s| {
        s.contains("(1/61)") && s.contains("Filter: 2 words.")
    });
    assert!(screen.contains("Integração ERP – filial"), "{screen}");

    // Ctrl-f: the same text, fuzzy; the line shows the flag, the status line the mode.
    pty.send("\x15mrcdlivre\x06");
    let screen = pty.wait_for("fuzzy matching", |s| {
        s.contains("/ -f mrcdlivre") && s.contains("best matches first")
    });
    assert!(screen.contains("Mercado Livre conn"), "{screen}");
    pty.send("\x06");
    pty.wait_for("plain again: no label holds the word", |s| {
        s.contains("/ mrcdlivre") && s.contains("(0/61)")
    });

    pty.send("\x1b");
    pty.wait_for("the filter cleared", |s| s.contains("Generated keys (61)"));
    pty.send("q");
    pty.expect_clean_exit();
}
