//! The profile picker's keys: move between the profiles, Enter switches, Esc cancels.

use super::*;

impl ProfilePicker {
    pub(super) fn on_command(&mut self, command: Command) -> Next {
        match command {
            Command::PickerMove(step) => {
                let last = self.entries.len().saturating_sub(1) as isize;
                // A page: about what the picker shows on a small terminal.
                let moved = self.cursor as isize + delta(step, 8);
                self.cursor = moved.clamp(0, last) as usize;
                Next::Stay
            }
            Command::Accept => match self.entries.get(self.cursor) {
                Some((name, _)) => Next::SwitchProfile(name.clone()),
                None => Next::Close,
            },
            Command::Cancel => Next::Close,
            _ => Next::Stay,
        }
    }
}
