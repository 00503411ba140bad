//! First start of an empty database: the account, VTEX's predefined roles, and one admin key
//! whose token is handed back once (and written to `<db>.admin.json`, mode 0600).

use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use super::store::roles::{self, Holder, ProductGrant};
use super::store::{Actor, StoreResult, accounts, audit, keys};
use super::time::now_vtex;
use crate::permissions::{LICENSE_MANAGER, Resource};

/// A role every account starts with: name, whether it is an admin role (holds everything), and
/// the resources it grants per product.
type PredefinedRole = (
    &'static str,
    bool,
    &'static [(&'static str, &'static [&'static str])],
);

const PREDEFINED_ROLES: &[PredefinedRole] = &[
    ("Owner (Admin Super)", true, &[]),
    (
        "User Administrator - RESTRICTED",
        false,
        &[(
            LICENSE_MANAGER,
            &[
                Resource::ViewApiKeys.key(),
                Resource::EditApiKeys.key(),
                Resource::RenewApiToken.key(),
                Resource::EditApiKeysSettings.key(),
                "ViewUsers",
                "EditUsers",
            ],
        )],
    ),
    (
        "API Keys Viewer",
        false,
        &[(LICENSE_MANAGER, &[Resource::ViewApiKeys.key()])],
    ),
    (
        "API Token Renewer",
        false,
        &[(LICENSE_MANAGER, &[Resource::RenewApiToken.key()])],
    ),
    (
        "Call center operator",
        false,
        &[
            ("OMS", &["ViewOrders", "ChangeOrderStatus"]),
            ("Catalog", &["ViewProduct"]),
        ],
    ),
    (
        "Catalog editor",
        false,
        &[("Catalog", &["ViewProduct", "EditProduct", "EditCategory"])],
    ),
    (
        "Logistics operator",
        false,
        &[(
            "Logistics",
            &["ViewInventory", "InventoryManagement", "ViewDocks"],
        )],
    ),
    (
        "Marketing manager",
        false,
        &[
            ("Promotions", &["ViewPromotions", "EditPromotions"]),
            ("CMS", &["ViewCms"]),
        ],
    ),
];

/// The role the bootstrap admin key holds: all four API-key resources and nothing else.
pub const ADMIN_ROLE: &str = "User Administrator - RESTRICTED";

/// An admin key and its token, as issued on a database's first start. `Debug` shows the token
/// as `[REDACTED]` (secrecy's).
#[derive(Debug)]
pub struct AdminCredentials {
    pub account: String,
    pub app_key: String,
    pub app_token: SecretString,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CredentialsFile {
    account: String,
    app_key: String,
    app_token: String,
}

/// `<database path>.admin.json`
pub fn credentials_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".admin.json");
    PathBuf::from(name)
}

impl AdminCredentials {
    /// Reads the credentials a first start wrote beside the database.
    pub fn read(db: &Path) -> anyhow::Result<AdminCredentials> {
        let path = credentials_path(db);
        let text = std::fs::read_to_string(&path)
            .map_err(|err| anyhow::anyhow!("cannot read {}: {err}", path.display()))?;
        let file: CredentialsFile = serde_json::from_str(&text).map_err(|err| {
            anyhow::anyhow!(
                "{} is not an apikeys credentials file: {err}",
                path.display()
            )
        })?;
        Ok(AdminCredentials {
            account: file.account,
            app_key: file.app_key,
            app_token: SecretString::from(file.app_token),
        })
    }

    /// Writes the file readable by its owner only, atomically: a temporary file, synced, then
    /// renamed over any stale one (left by a start that crashed before its commit).
    pub fn write(&self, db: &Path) -> anyhow::Result<PathBuf> {
        let path = credentials_path(db);
        let mut temp = path.as_os_str().to_owned();
        temp.push(".tmp");
        let temp = PathBuf::from(temp);
        let file = CredentialsFile {
            account: self.account.clone(),
            app_key: self.app_key.clone(),
            app_token: self.app_token.expose_secret().to_string(),
        };
        let cannot =
            |err: std::io::Error| anyhow::anyhow!("cannot write {}: {err}", path.display());
        // Start from a fresh temporary file: create_new never writes through a planted symlink.
        match std::fs::remove_file(&temp) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => return Err(cannot(err)),
            _ => {}
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut out = options.open(&temp).map_err(cannot)?;
        out.write_all(serde_json::to_string_pretty(&file)?.as_bytes())
            .and_then(|()| out.write_all(b"\n"))
            .and_then(|()| out.sync_all())
            .map_err(cannot)?;
        std::fs::rename(&temp, &path).map_err(cannot)?;
        sync_parent_dir(&path);
        Ok(path)
    }
}

/// Makes a rename durable: on Linux the directory entry is only on disk once the directory is synced.
fn sync_parent_dir(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        let _ = std::fs::File::open(dir).and_then(|dir| dir.sync_all());
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Creates an account with its predefined roles and one admin key. Used on first start, and by
/// tests that need a second account.
pub fn create_account(conn: &mut Connection, name: &str) -> StoreResult<AdminCredentials> {
    let tx = super::store::begin_write(conn)?;
    let credentials = create_account_in(&tx, name)?;
    tx.commit()?;
    Ok(credentials)
}

/// As [`create_account`], inside the caller's transaction.
pub fn create_account_in(conn: &Connection, name: &str) -> StoreResult<AdminCredentials> {
    let account_id = accounts::create(conn, name)?;
    for (role, is_admin, grants) in PREDEFINED_ROLES {
        let grants: Vec<ProductGrant> = grants
            .iter()
            .map(|(product, resources)| ProductGrant { product, resources })
            .collect();
        roles::create(conn, account_id, role, *is_admin, &grants)?;
    }
    let now = now_vtex();
    let (key, token) = keys::insert(
        conn,
        account_id,
        name,
        &keys::NewKey {
            label: "apikeys admin (created on first start)",
            created_in: &now,
            token_created: &now,
            is_active: true,
            suffix: None,
        },
    )?;
    let admin_role = roles::by_name(conn, account_id, ADMIN_ROLE)?;
    let holder = Holder::Generated {
        id: key.id.clone(),
        app_key: key.app_key.clone(),
    };
    roles::assign(conn, &holder, vec![admin_role])?;
    let system = Actor {
        account_id,
        account: name.to_string(),
        key_id: String::new(),
        app_key: "apikeys-server".to_string(),
        token_slot: None,
    };
    let detail = format!(
        "account created; admin key holds {ADMIN_ROLE} ({})",
        Resource::ALL.map(Resource::key).join(", ")
    );
    audit::record(conn, &system, "key.create", &key.app_key, &detail)?;
    Ok(AdminCredentials {
        account: name.to_string(),
        app_key: key.app_key,
        app_token: token,
    })
}
