//! The four License Manager resources that gate API-key administration: one vocabulary for
//! the server (what a role grants), the client (which permission a 403 names) and the app
//! (what a key may do).

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

    /// The resource key, as roles and `/api/vlm/session` spell it.
    pub const fn key(self) -> &'static str {
        match self {
            Resource::ViewApiKeys => "ViewApiKeys",
            Resource::EditApiKeys => "EditApiKeys",
            Resource::RenewApiToken => "RenewApiToken",
            Resource::EditApiKeysSettings => "EditApiKeysSettings",
        }
    }

    /// VTEX's numeric id of the resource (License Manager).
    pub const fn id(self) -> u32 {
        match self {
            Resource::ViewApiKeys => 2042457,
            Resource::EditApiKeys => 2042458,
            Resource::RenewApiToken => 2042467,
            Resource::EditApiKeysSettings => 2042466,
        }
    }

    /// The name the Admin shows, used in 403 messages.
    pub const fn display_name(self) -> &'static str {
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

    /// The resources among `keys` (as `/api/vlm/session` lists them); unknown keys are ignored.
    pub fn set_from_keys<'a>(keys: impl IntoIterator<Item = &'a str>) -> ResourceSet {
        keys.into_iter().filter_map(Resource::from_key).collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ids_and_names_are_vtex_s() {
        let table: Vec<_> = Resource::ALL
            .into_iter()
            .map(|r| (r.key(), r.id(), r.display_name()))
            .collect();
        assert_eq!(
            table,
            [
                ("ViewApiKeys", 2042457, "View API Keys"),
                ("EditApiKeys", 2042458, "Edit API Keys"),
                ("RenewApiToken", 2042467, "Renew API Token"),
                ("EditApiKeysSettings", 2042466, "Edit API Keys settings"),
            ]
        );
        for resource in Resource::ALL {
            assert_eq!(Resource::from_key(resource.key()), Some(resource));
        }
        let held = Resource::set_from_keys(["RenewApiToken", "ViewUsers", "ViewApiKeys"]);
        assert_eq!(
            held.iter().collect::<Vec<_>>(),
            [Resource::ViewApiKeys, Resource::RenewApiToken]
        );
    }
}
