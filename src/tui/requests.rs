//! The request table: every call in flight, by id, with what it asked and the form to reopen
//! if it fails. Every answer — a panic included — is matched to its entry; an answer with no
//! entry (superseded, or never sent) is dropped.

use std::collections::BTreeMap;

use super::action::{Call, RequestId};
use super::state::Dialog;

/// A request in flight.
#[derive(Debug)]
pub struct InFlight {
    pub call: Call,
    /// The form behind the request, reopened with the error if it fails, so nothing typed is
    /// lost. Each request keeps its own: two forms in flight never overwrite each other.
    pub form: Option<Dialog>,
}

#[derive(Debug)]
pub struct Requests {
    next: RequestId,
    open: BTreeMap<RequestId, InFlight>,
}

impl Default for Requests {
    fn default() -> Self {
        Requests {
            next: 1,
            open: BTreeMap::new(),
        }
    }
}

impl Requests {
    /// Records a request and returns its id.
    pub fn send(&mut self, call: Call, form: Option<Dialog>) -> RequestId {
        let id = self.next;
        self.next += 1;
        self.open.insert(id, InFlight { call, form });
        id
    }

    /// The entry an answer belongs to, removed; `None` for an id not in flight.
    pub fn finish(&mut self, id: RequestId) -> Option<InFlight> {
        self.open.remove(&id)
    }

    pub fn is_empty(&self) -> bool {
        self.open.is_empty()
    }

    pub fn len(&self) -> usize {
        self.open.len()
    }

    pub fn contains(&self, id: RequestId) -> bool {
        self.open.contains_key(&id)
    }

    /// Whether a change to the account is in flight (anything but a read).
    pub fn writing(&self) -> bool {
        self.open.values().any(|sent| {
            matches!(
                sent.call,
                Call::Change(_) | Call::CreateKey { .. } | Call::Renew { .. }
            )
        })
    }

    /// Whether a request for exactly this call is in flight (a refresh is then not sent again).
    pub fn asking(&self, call: &Call) -> bool {
        self.open.values().any(|sent| &sent.call == call)
    }

    pub fn get(&self, id: RequestId) -> Option<&InFlight> {
        self.open.get(&id)
    }

    /// Forgets every request in flight (a profile switch): their answers, if any come, are
    /// dropped. Ids keep counting, so no later request reuses one.
    pub fn forget_all(&mut self) {
        self.open.clear();
    }

    pub fn ids(&self) -> impl Iterator<Item = RequestId> + '_ {
        self.open.keys().copied()
    }
}
