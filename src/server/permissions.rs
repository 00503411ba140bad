//! The four License Manager resources that gate API-key administration.

use serde::Serialize;

/// Product under which VTEX files the API-key resources.
pub const LICENSE_MANAGER: &str = "License Manager";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Resource {
    ViewApiKeys,
    EditApiKeys,
    RenewApiToken,
    EditApiKeysSettings,
}

impl Resource {
    pub const ALL: [Resource; 4] = [
        Resource::ViewApiKeys,
        Resource::EditApiKeys,
        Resource::RenewApiToken,
        Resource::EditApiKeysSettings,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Resource::ViewApiKeys => "ViewApiKeys",
            Resource::EditApiKeys => "EditApiKeys",
            Resource::RenewApiToken => "RenewApiToken",
            Resource::EditApiKeysSettings => "EditApiKeysSettings",
        }
    }

    /// The name the Admin shows, used in 403 messages.
    pub fn display_name(self) -> &'static str {
        match self {
            Resource::ViewApiKeys => "View API Keys",
            Resource::EditApiKeys => "Edit API Keys",
            Resource::RenewApiToken => "Renew API Token",
            Resource::EditApiKeysSettings => "Edit API Keys settings",
        }
    }

    pub fn from_key(key: &str) -> Option<Resource> {
        Resource::ALL.into_iter().find(|r| r.key() == key)
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// A set of resources, as granted by a key's roles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResourceSet(u8);

impl ResourceSet {
    pub fn all() -> ResourceSet {
        Resource::ALL.into_iter().collect()
    }

    pub fn insert(&mut self, resource: Resource) {
        self.0 |= resource.bit();
    }

    pub fn contains(self, resource: Resource) -> bool {
        self.0 & resource.bit() != 0
    }

    pub fn iter(self) -> impl Iterator<Item = Resource> {
        Resource::ALL.into_iter().filter(move |r| self.contains(*r))
    }
}

impl FromIterator<Resource> for ResourceSet {
    fn from_iter<I: IntoIterator<Item = Resource>>(iter: I) -> Self {
        let mut set = ResourceSet::default();
        for resource in iter {
            set.insert(resource);
        }
        set
    }
}
