//! The Insights overlay's keys: move among the findings, Enter shows one's keys, R reads the
//! account again, Esc closes.

use super::*;

impl InsightsDialog {
    pub(super) fn on_command(&mut self, command: Command) -> Next {
        let findings = self
            .assessment
            .as_ref()
            .map_or(0, |a| a.posture.findings.len());
        match command {
            Command::PickerMove(step) => {
                let last = findings.saturating_sub(1) as isize;
                let moved = self.cursor as isize + delta(step, 5);
                self.cursor = moved.clamp(0, last) as usize;
                Next::Stay
            }
            Command::Accept if self.cursor < findings => Next::ShowFinding(self.cursor),
            Command::Accept => Next::Stay,
            Command::Refresh => Next::Reassess,
            Command::Cancel => Next::Close,
            _ => Next::Stay,
        }
    }
}
