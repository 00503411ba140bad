//! An idle app writes nothing to its terminal: the real binary on the embedded default in a
//! pseudo-terminal, once its first screen with data is drawn and every answer has arrived,
//! sends 0 bytes in 2 s. (It used to redraw at every clock tick: ~125 bytes a second down an
//! ssh session for nothing.)
//!
//! The automatic refresh is off (`--refresh 0`) so no refresh can fall into the window; a
//! refresh would rightly draw its spinner.

mod pty_app;

use std::time::{Duration, Instant};

use pty_app::Pty;

#[test]
fn an_idle_app_writes_nothing_to_its_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let (data, config) = (dir.path().join("data"), dir.path().join("config"));
    let mut pty = Pty::spawn(&["--refresh", "0"], &data, &config);
    pty.wait_for("the populated app", |s| {
        s.contains("demo (Casa Demo) · local") && s.contains("Generated keys (61)")
    });
    pty.settle(Duration::from_millis(1500));

    let before = pty.received();
    std::thread::sleep(Duration::from_secs(2));
    let idle = pty.received() - before;
    assert_eq!(
        idle,
        0,
        "an idle app wrote {idle} bytes in 2 s; screen:\n{}",
        pty.screen()
    );

    // Still alive and answering: a key is drawn at once, then it is quiet again.
    pty.send("j");
    let deadline = Instant::now() + Duration::from_secs(10);
    while pty.received() == before + idle {
        assert!(Instant::now() < deadline, "a key press drew nothing");
        std::thread::sleep(Duration::from_millis(20));
    }

    pty.send("q");
    pty.expect_clean_exit();
}
