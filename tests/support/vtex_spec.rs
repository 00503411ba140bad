//! VTEX's published OpenAPI specs (tests/vtex-specs, vendored from vtex/openapi-schemas) as
//! validators for live answers; see tests/vtex_schemas.rs for how OpenAPI 3.0 becomes JSON
//! Schema. Include with `#[path = "support/vtex_spec.rs"] mod vtex_spec;` beside `mod common;`.
#![allow(dead_code)]

use serde_json::{Value, json};

use crate::common;

const LICENSE_MANAGER: &str = include_str!("../vtex-specs/license-manager.openapi.json");
const VTEX_ID: &str = include_str!("../vtex-specs/vtex-id.openapi.json");

/// OpenAPI 3.0's `nullable: true` → JSON Schema's `type: [T, "null"]`, everywhere in the tree.
fn translate_nullable(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.remove("nullable") == Some(Value::Bool(true))
                && let Some(Value::String(kind)) = map.get("type").cloned()
            {
                map.insert("type".into(), json!([kind, "null"]));
            }
            map.values_mut().for_each(translate_nullable);
        }
        Value::Array(items) => items.iter_mut().for_each(translate_nullable),
        _ => {}
    }
}

pub struct Spec {
    /// The spec with `nullable` translated: the root every validator is built on.
    pub document: Value,
}

impl Spec {
    pub fn parse(text: &str) -> Spec {
        let mut document: Value = serde_json::from_str(text).expect("vendored spec is JSON");
        translate_nullable(&mut document);
        Spec { document }
    }

    pub fn response(&self, method: &str, path: &str, status: u16) -> &Value {
        let response =
            &self.document["paths"][path][method.to_lowercase()]["responses"][status.to_string()];
        assert!(
            response.is_object(),
            "VTEX does not document {status} for {method} {path}"
        );
        response
    }

    /// The JSON schema VTEX gives for this answer, if it gives one.
    pub fn schema(&self, method: &str, path: &str, status: u16) -> Option<Value> {
        let schema = &self.response(method, path, status)["content"]["application/json"]["schema"];
        (!schema.is_null()).then(|| schema.clone())
    }

    /// Errors of `body` against `schema`, with this spec's document as the root.
    pub fn errors(&self, schema: Value, body: &Value) -> Vec<String> {
        let mut root = self.document.clone();
        root["$defs"] = json!({ "answer": schema });
        root["$ref"] = json!("#/$defs/answer");
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&root)
            .expect("VTEX's schema compiles");
        validator
            .iter_errors(body)
            .map(|err| format!("{} at {}", err, err.instance_path()))
            .collect()
    }
}

pub struct Specs {
    pub license_manager: Spec,
    pub vtex_id: Spec,
}

impl Specs {
    pub fn load() -> Specs {
        Specs {
            license_manager: Spec::parse(LICENSE_MANAGER),
            vtex_id: Spec::parse(VTEX_ID),
        }
    }

    pub fn of(&self, path: &str) -> &Spec {
        if path.starts_with("/api/vtexid/") {
            &self.vtex_id
        } else {
            &self.license_manager
        }
    }

    /// The answer has the documented status and validates against its documented schema. Where
    /// VTEX documents no body, none is expected — except that an error may carry a VLMError,
    /// which must then be one by VTEX's License Manager schema.
    pub fn check(&self, method: &str, path: &str, status: u16, got: &common::Reply) {
        assert_eq!(
            got.status.as_u16(),
            status,
            "{method} {path}: expected {status}, got {}: {}",
            got.status,
            shown(got)
        );
        let spec = self.of(path);
        let errors = match spec.schema(method, path, status) {
            Some(schema) => spec.errors(schema, &got.body),
            None if got.text.trim().is_empty() => Vec::new(),
            None if status >= 400 => {
                let vlm =
                    self.license_manager.document["components"]["schemas"]["VLMError"].clone();
                self.license_manager.errors(vlm, &got.body)
            }
            None => vec![format!("VTEX documents no body, got {}", shown(got))],
        };
        assert!(
            errors.is_empty(),
            "{method} {path} {status} does not match VTEX's schema:\n{}\nbody: {}",
            errors.join("\n"),
            shown(got)
        );
    }
}

/// The body for a failure message, with every token replaced: throwaway or not, a token never
/// goes into a panic message.
pub fn shown(reply: &common::Reply) -> String {
    let mut body = reply.body.clone();
    for field in ["appToken", "newToken", "token"] {
        if body.get(field).is_some_and(Value::is_string) {
            body[field] = json!("[redacted]");
        }
    }
    if body.is_null() {
        return format!("{} bytes, not JSON", reply.text.len());
    }
    body.to_string()
}
