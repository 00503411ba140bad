//! JSON: `{"generated": […], "external": […]}`, each key with the API's own field names (as
//! `keys list --output json` writes them). `external` is absent where the server cannot list
//! external keys (and either is, where the app exports the other pane's rows).

use serde::Serialize;

use super::Export;
use crate::vtex::model::{AppKey, ExternalKey};

#[derive(Serialize)]
struct Document<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    generated: Option<&'a [AppKey]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    external: Option<&'a [ExternalKey]>,
}

pub fn document(export: &Export) -> Vec<u8> {
    let document = Document {
        generated: export.generated.as_deref(),
        external: export.external.as_deref(),
    };
    let mut bytes = serde_json::to_vec_pretty(&document).expect("API models always serialize");
    bytes.push(b'\n');
    bytes
}
