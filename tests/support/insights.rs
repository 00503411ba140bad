//! Driving the Insights overlay in the real loop: which finding the cursor is on, and choosing
//! one by its title. Include with `#[path = "support/insights.rs"] mod insights;` next to
//! `mod common;`.
#![allow(dead_code)]

use crate::common::tui::{App, Frame};

/// The line of the Insights overlay the cursor is on.
pub fn cursor_line(frame: &Frame) -> String {
    frame
        .screen
        .lines()
        .find(|l| l.contains("│ › "))
        .unwrap_or_default()
        .to_string()
}

/// Moves the overlay's cursor down to the finding titled `title`, then presses Enter.
pub async fn choose(app: &mut App, title: &str) {
    for _ in 0..12 {
        let now = app.wait_for("the overlay", |f| f.dialog.is_some()).await;
        if cursor_line(&now).contains(title) {
            app.send("<Enter>");
            return;
        }
        let before = cursor_line(&now);
        app.send("j");
        app.wait_for("the cursor moved", |f| cursor_line(f) != before)
            .await;
    }
    panic!("no finding titled {title:?}");
}
