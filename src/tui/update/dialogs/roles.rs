//! The role pickers' keys, and the role editor's save.

use super::*;

fn move_picker(picker: &mut RolePicker, delta: isize, page: usize) {
    let mut selection = Selection {
        selected: picker.cursor,
        offset: picker.offset,
    };
    selection.move_by(delta, picker.roles.len(), page.max(1));
    picker.cursor = selection.selected;
    picker.offset = selection.offset;
}

fn toggle_picker(picker: &mut RolePicker) {
    if let Some((id, _)) = picker.roles.get(picker.cursor)
        && !picker.chosen.remove(id)
    {
        picker.chosen.insert(*id);
    }
}

/// Picker commands; true when handled. Pickers page by what they show, not the table.
pub(super) fn picker_command(picker: &mut RolePicker, command: Command) -> bool {
    let page = crate::tui::view::PICKER_ROWS;
    match command {
        Command::PickerMove(step) => move_picker(picker, delta(step, page), page),
        Command::PickerToggle => toggle_picker(picker),
        _ => return false,
    }
    true
}

impl EditRolesDialog {
    /// The picker keys tick roles; Accept saves what changed, if anything did.
    pub(super) fn on_command(&mut self, command: Command) -> Next {
        if picker_command(&mut self.picker, command) {
            return Next::Stay;
        }
        if command != Command::Accept {
            return Next::Close;
        }
        let chosen = &self.picker.chosen;
        let add: Vec<i64> = chosen.difference(&self.original).copied().collect();
        let remove: Vec<i64> = self.original.difference(chosen).copied().collect();
        if add.is_empty() && remove.is_empty() {
            return Next::CloseSaying(strings::NO_ROLE_CHANGED);
        }
        Next::SendForm(Call::Change(Change::SetRoles {
            id: self.id.clone(),
            add,
            remove,
        }))
    }
}
