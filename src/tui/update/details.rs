//! Opening a key's details, from either list: the dialog at once, its audit trail asked of
//! the server (the rows whose target is the key's appKey), or why it cannot be.

use super::*;

pub(super) fn open_key_details(
    state: &mut State,
    list: KeyList,
    key_id: String,
    app_key: String,
) -> Vec<Effect> {
    let audit = state
        .access
        .check(Op::ViewAudit)
        .err()
        .map(|reason| Err(Failure::new(FailureKind::Unavailable, reason)));
    let ask = audit.is_none();
    state.dialog = Some(Dialog::Details(DetailsDialog {
        key_id: key_id.clone(),
        list,
        audit,
        scroll: Default::default(),
    }));
    if ask {
        vec![request(state, Call::Audit { key_id, app_key })]
    } else {
        Vec::new()
    }
}
