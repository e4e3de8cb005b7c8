//! The JSON Schemas written by `relance schema`, read back with the
//! `jsonschema` crate (an independent validator, formats asserted).

use serde_json::Value;
use std::path::Path;

use super::{Project, assert_ok};

/// Writes the schemas with `relance schema --write` and compiles each.
pub fn schemas(p: &Project) -> Vec<(String, jsonschema::Validator)> {
    let run = p.run(&["schema", "--write", "schemas"]);
    assert_ok(&run);
    ["site", "region", "update"]
        .iter()
        .map(|name| {
            let text = p.read(&format!("schemas/{name}.schema.json"));
            let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
            assert_eq!(
                schema["$schema"],
                "https://json-schema.org/draft/2020-12/schema"
            );
            assert!(
                jsonschema::meta::is_valid(&schema),
                "{name} is a valid schema"
            );
            let v = jsonschema::options()
                .should_validate_formats(true)
                .build(&schema)
                .expect("schema compiles");
            (name.to_string(), v)
        })
        .collect()
}

/// The schema a content file is checked against.
pub fn kind_of(rel: &str) -> &'static str {
    if rel == "site.yaml" {
        "site"
    } else if rel.ends_with("/region.yaml") {
        "region"
    } else {
        "update"
    }
}

/// A YAML text as JSON, through relance's own positioned YAML tree.
pub fn yaml_json(text: &str) -> Option<Value> {
    match relance::content::yaml::parse(text) {
        Ok(Some(node)) => Some(relance::content::schema::to_json(&node)),
        Ok(None) => Some(Value::Null),
        Err(_) => None,
    }
}

/// The schema's errors for every fact file of `content` (a file that is
/// not YAML counts as rejected).
pub fn schema_errors(
    validators: &[(String, jsonschema::Validator)],
    content: &Path,
) -> Vec<String> {
    let mut errors = Vec::new();
    for entry in walkdir::WalkDir::new(content).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(content)
            .unwrap()
            .to_string_lossy()
            .to_string();
        if !rel.ends_with(".yaml") || rel.split('/').any(|c| c.starts_with('.')) {
            continue;
        }
        let bytes = std::fs::read(entry.path()).unwrap();
        let Some(json) = String::from_utf8(bytes).ok().and_then(|t| yaml_json(&t)) else {
            errors.push(format!("{rel}: not YAML"));
            continue;
        };
        let (_, v) = validators.iter().find(|(n, _)| n == kind_of(&rel)).unwrap();
        for e in v.iter_errors(&json) {
            errors.push(format!("{rel}: {} at {}", e, e.instance_path()));
        }
    }
    errors
}
