//! JSON Schema (draft 2020-12) of the fact files, written from the format's
//! tables ([`super::format`]) — the tables the validator reads — so that
//! editors (VS Code with the YAML extension, any yaml-language-server
//! client) complete keys and flag errors as a delegate types.
//!
//! What a schema cannot say stays the validator's alone: a date equal to
//! the file name, the order of period dates, `shops.reopened` ≤
//! `shops.total`, unique multiplier labels and services ignoring case,
//! texts in a language the site does not publish, and everything across
//! files.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::format::{self, Bounds, Rule, Type, Unique};
use super::validate::parse_number;
use super::yaml::{Node, NodeKind};
use crate::error::Failure;

/// The schema files, each with the rules of its file and a title.
pub const FILES: [(&str, &str); 3] = [
    ("site.schema.json", "relance site.yaml"),
    ("region.schema.json", "relance region.yaml"),
    ("update.schema.json", "relance update (<YYYY-MM-DD>.yaml)"),
];

/// The folder `relance init` writes the schemas into, beside `content/`.
pub const DIR: &str = "schemas";

/// Characters the validator refuses in any text: control characters
/// (other than tab and newline), the private-use marks relance uses and
/// the noncharacters U+FFFE and U+FFFF.
const FORBIDDEN: &str = "[\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069\\uE000-\\uE002\\uFFFE\\uFFFF]";

/// A character that shows: not a space, an invisible format character or
/// a combining mark of the blocks that hold only them (the validator's
/// ranges, as a pattern).
fn visible() -> String {
    use crate::content::validate::{FORMAT, MARKS};
    let ranges: String = FORMAT
        .iter()
        .chain(&MARKS)
        .map(|(a, b)| format!("\\u{:04X}-\\u{:04X}", *a as u32, *b as u32))
        .collect();
    format!("[^\\s{ranges}]")
}

/// A string with a visible character and no forbidden one.
fn string() -> Value {
    json!({"type": "string", "pattern": visible(), "not": {"pattern": FORBIDDEN}})
}

/// A scalar the validator takes as text: a string, or a plain number or
/// boolean.
fn scalar_text() -> Value {
    json!({"anyOf": [string(), {"type": ["number", "boolean"]}]})
}

fn text() -> Value {
    json!({"anyOf": [
        scalar_text(),
        {
            "type": "object",
            "description": "one text per language",
            "propertyNames": {"enum": format::LANGUAGES},
            "additionalProperties": scalar_text(),
            "minProperties": 1
        }
    ]})
}

/// An http(s) address, without the characters of `also_bad`.
fn url(also_bad: &str) -> Value {
    let bad = format!("\\s<>\"\\u0000-\\u001F\\u007F-\\u009F{also_bad}");
    json!({
        "type": "string",
        "pattern": format!("^[Hh][Tt][Tt][Pp][Ss]?://[^/?#{bad}][^{bad}]*$"),
    })
}

/// A number within bounds.
fn number(b: &Bounds) -> Value {
    let mut m = Map::new();
    m.insert("type".into(), json!("number"));
    if let Some(min) = b.min {
        let key = if b.above {
            "exclusiveMinimum"
        } else {
            "minimum"
        };
        m.insert(key.into(), json!(min));
    }
    // No figure beyond 10^15 either way (the validator's limit).
    let limit = super::validate::MAX_FIGURE;
    if b.min.is_none() {
        m.insert("minimum".into(), json!(-limit));
    }
    m.insert("maximum".into(), json!(b.max.unwrap_or(limit)));
    Value::Object(m)
}

/// The schema of one type.
pub fn of(ty: &Type) -> Value {
    match ty {
        Type::Text | Type::Markdown => json!({"$ref": "#/$defs/text"}),
        Type::Date => json!({
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "format": "date"
        }),
        Type::Instant => json!({
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"
        }),
        Type::Number(b) => number(b),
        // min < max is the validator's check: a schema cannot compare two
        // values.
        Type::Figure(b) => json!({"anyOf": [number(b), {
            "type": "object",
            "properties": {"min": number(b), "max": number(b)},
            "required": ["min", "max"],
            "additionalProperties": false,
        }]}),
        Type::Whole => json!({"type": "integer", "minimum": 0, "maximum": 1e15}),
        Type::Bool => json!({"type": "boolean"}),
        Type::Url => url(""),
        Type::BaseUrl => url("?#"),
        Type::Enum(words) => json!({"enum": words}),
        Type::Languages => json!({
            "type": "array",
            "items": {"enum": format::LANGUAGES},
            "minItems": 1,
            "uniqueItems": true
        }),
        Type::Map(rules) => mapping(rules),
        Type::TextOr(rules) => json!({"anyOf": [{"$ref": "#/$defs/text"}, mapping(rules)]}),
        Type::List(item, unique) => {
            let mut m = json!({"type": "array", "items": of(item)});
            // Unique ignoring case is stricter than a schema can say; exact
            // duplicates are still refused.
            if matches!(unique, Unique::IgnoringCase) {
                m["uniqueItems"] = json!(true);
            }
            m
        }
    }
}

/// A mapping with exactly these keys; an optional key may be left empty
/// (the validator reads an empty value as absent).
fn mapping(rules: &[Rule]) -> Value {
    let mut properties = Map::new();
    for rule in rules {
        let mut schema = of(&rule.ty);
        if !rule.required {
            schema = json!({"anyOf": [schema, {"type": "null"}]});
        }
        schema["description"] = json!(rule.doc);
        properties.insert(rule.key.into(), schema);
    }
    let required: Vec<&str> = rules.iter().filter(|r| r.required).map(|r| r.key).collect();
    let mut m = json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false
    });
    if let Some(keys) = format::exactly_one(rules) {
        let one: Vec<Value> = keys.iter().map(|k| json!({"required": [k]})).collect();
        m["oneOf"] = json!(one);
    }
    if let Some(keys) = format::together(rules) {
        let deps: serde_json::Map<String, Value> = keys
            .iter()
            .map(|k| {
                let others: Vec<&str> = keys.iter().copied().filter(|o| o != k).collect();
                (k.to_string(), json!(others))
            })
            .collect();
        m["dependentRequired"] = Value::Object(deps);
    }
    if let Some((flag, forbidden)) = format::true_excludes(rules) {
        m["if"] = json!({"properties": {flag: {"const": true}}, "required": [flag]});
        m["then"] = json!({"not": {"required": [forbidden]}});
    }
    m
}

fn document(title: &str, rules: &[Rule]) -> Value {
    let mut s = mapping(rules);
    let obj = s.as_object_mut().expect("a mapping is an object");
    obj.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    obj.insert("title".into(), json!(title));
    obj.insert("$defs".into(), json!({"text": text()}));
    s
}

pub fn site() -> Value {
    let mut s = document(FILES[0].1, format::SITE);
    let (a, b) = format::SITE_EXCLUSIVE;
    s["not"] = json!({"required": [a, b]});
    s
}

pub fn region() -> Value {
    document(FILES[1].1, format::REGION)
}

pub fn update() -> Value {
    document(FILES[2].1, format::UPDATE)
}

/// Every schema with its file name.
pub fn all() -> Vec<(&'static str, Value)> {
    vec![
        (FILES[0].0, site()),
        (FILES[1].0, region()),
        (FILES[2].0, update()),
    ]
}

/// Writes the schemas into `dir` (created if needed); returns the paths.
pub fn write(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    std::fs::create_dir_all(dir).map_err(|e| Failure::io(dir, e))?;
    let mut written = Vec::new();
    for (name, schema) in all() {
        let path = dir.join(name);
        let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
        text.push('\n');
        std::fs::write(&path, text).map_err(|e| Failure::io(&path, e))?;
        written.push(path);
    }
    Ok(written)
}

/// The `# yaml-language-server: $schema=…` line that starts the files
/// relance writes: `up` is how many folders separate the file from the
/// project folder (1 for `content/site.yaml`).
pub fn modeline(up: usize, name: &str) -> String {
    format!(
        "# yaml-language-server: $schema={}{DIR}/{name}\n",
        "../".repeat(up)
    )
}

/// A YAML tree as the JSON a schema validator reads, with YAML 1.2
/// core-schema scalars: plain `90` is a number, `true` a boolean, `~` or
/// nothing null; quoted scalars are strings. (A key given twice keeps its
/// last value: JSON cannot hold both.)
pub fn to_json(node: &Node) -> Value {
    match &node.kind {
        NodeKind::Scalar { value, plain } => {
            if !plain {
                return Value::String(value.clone());
            }
            if node.is_null() {
                return Value::Null;
            }
            match value.as_str() {
                "true" | "True" | "TRUE" => return Value::Bool(true),
                "false" | "False" | "FALSE" => return Value::Bool(false),
                _ => {}
            }
            match parse_number(value.trim()) {
                Some(n) if n.fract() == 0.0 && n.abs() < 9e15 => json!(n as i64),
                Some(n) => json!(n),
                None => Value::String(value.clone()),
            }
        }
        NodeKind::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        NodeKind::Map(entries) => {
            let mut m = Map::new();
            for (k, v) in entries {
                let key = match &k.kind {
                    NodeKind::Scalar { value, .. } => value.clone(),
                    _ => String::new(),
                };
                m.insert(key, to_json(v));
            }
            Value::Object(m)
        }
    }
}
