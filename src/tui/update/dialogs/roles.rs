//! The role pickers' keys (moving, ticking, the `/` filter, the administrator question), and
//! the role editor's save.

use super::*;

fn move_picker(picker: &mut RolePicker, delta: isize, page: usize) {
    let mut selection = Selection {
        selected: picker.cursor,
        offset: picker.offset,
    };
    selection.move_by(delta, picker.shown().len(), page.max(1));
    picker.cursor = selection.selected;
    picker.offset = selection.offset;
}

fn toggle_picker(picker: &mut RolePicker) {
    picker.declined_admin.clear();
    if let Some(&(id, _)) = picker.current()
        && !picker.chosen.remove(&id)
    {
        picker.chosen.insert(id);
    }
}

/// Clearing the filter keeps the cursor on the role it was on.
fn clear_filter(picker: &mut RolePicker) {
    let current = picker.current().map(|&(id, _)| id);
    picker.filter.reset();
    picker.filtering = false;
    picker.cursor = current
        .and_then(|id| picker.roles.iter().position(|(role, _)| *role == id))
        .unwrap_or(0);
    picker.offset = 0;
}

/// Picker commands; true when handled. `page`: the rows a page key moves.
pub(super) fn picker_command(picker: &mut RolePicker, command: Command, page: usize) -> bool {
    match command {
        Command::PickerMove(step) => move_picker(picker, delta(step, page), page),
        Command::PickerToggle => toggle_picker(picker),
        Command::PickerFilter => picker.filtering = true,
        Command::KeepFilter => picker.filtering = false,
        Command::ClearFilter => clear_filter(picker),
        // Esc with a filter kept clears it first, as in the panes: the ticks stay.
        Command::Cancel | Command::Back if !picker.filter.value().is_empty() => {
            clear_filter(picker)
        }
        Command::LeaveFilter(step) => {
            picker.filtering = false;
            move_picker(picker, delta(step, page), page);
        }
        _ => return false,
    }
    true
}

/// Granting an administrator role (one that holds everything) asks once, before anything is
/// sent: Accept with one newly ticked (not in `held`) asks; `y` (Accept) goes on, `n`/Esc
/// returns to the list with the newly ticked administrator roles unticked (kept ticked, the
/// next Enter would only ask again). `Some`: the command was the question's.
pub(super) fn ask_before_admin(
    picker: &mut RolePicker,
    command: Command,
    held: &BTreeSet<i64>,
) -> Option<Next> {
    if picker.asking_admin {
        picker.asking_admin = false;
        if command == Command::Accept {
            return None;
        }
        picker.untick_granted_admin(held);
        return Some(Next::Stay);
    }
    if command == Command::Accept && picker.granted_admin(held).is_some() {
        picker.asking_admin = true;
        return Some(Next::Stay);
    }
    None
}

impl BulkRolesDialog {
    /// The picker keys move and filter; Enter adds the role under the cursor to the marked
    /// keys, x removes it: the bulk confirmation says what each key will do.
    pub(super) fn on_command(&mut self, command: Command, ctx: &DialogContext) -> Next {
        if command != Command::PickerToggle
            && picker_command(&mut self.picker, command, ctx.picker_page)
        {
            return Next::Stay;
        }
        let add = match command {
            Command::Accept => true,
            Command::RemoveRole => false,
            _ => return Next::Close,
        };
        match self.picker.current() {
            Some((id, name)) => Next::AskBulk(crate::tui::bulk::BulkAction::Role {
                add,
                id: *id,
                name: name.clone(),
            }),
            None => Next::Say(strings::bulk::NO_ROLE_UNDER_CURSOR),
        }
    }
}

impl EditRolesDialog {
    /// The picker keys tick roles; Accept saves what changed, if anything did.
    pub(super) fn on_command(&mut self, command: Command, ctx: &DialogContext) -> Next {
        if let Some(next) = ask_before_admin(&mut self.picker, command, &self.original) {
            return next;
        }
        if picker_command(&mut self.picker, command, ctx.picker_page) {
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
