//! JSON: `{"generated": […], "external": […]}`, each key with the API's own field names (as
//! `keys list --output json` writes them). `external` is absent where the server cannot list
//! external keys.

use serde::Serialize;

use super::Export;
use crate::vtex::model::{AppKey, ExternalKey};

#[derive(Serialize)]
struct Document<'a> {
    generated: &'a [AppKey],
    #[serde(skip_serializing_if = "Option::is_none")]
    external: Option<&'a [ExternalKey]>,
}

pub fn document(export: &Export) -> Vec<u8> {
    let document = Document {
        generated: &export.generated,
        external: export.external.as_deref(),
    };
    let mut bytes = serde_json::to_vec_pretty(&document).expect("API models always serialize");
    bytes.push(b'\n');
    bytes
}
