//! The JSON Schemas: derived from the types, committed beside the files, and the sample
//! files pass them.

mod common;

use common::*;
use serde_json::Value;

/// A small validator for what the derived schemas use: $ref, type, properties, required,
/// additionalProperties, items, enum, const, oneOf and anyOf (not patterns).
fn validate(value: &Value, schema: &Value, root: &Value, path: &str, errors: &mut Vec<String>) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        return validate(value, &root["$defs"][name], root, path, errors);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            let ok = options.iter().filter(|o| {
                let mut e = Vec::new();
                validate(value, o, root, path, &mut e);
                e.is_empty()
            });
            if ok.count() == 0 {
                errors.push(format!("{path}: matches none of the {key} choices"));
            }
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        if !options.contains(value) {
            errors.push(format!("{path}: {value} is not one of {options:?}"));
        }
    }
    if let Some(c) = schema.get("const") {
        if c != value {
            errors.push(format!("{path}: {value} is not {c}"));
        }
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let allowed = types.is_empty() || types.contains(&kind) || (kind == "integer" && types.contains(&"number"));
    if !allowed {
        errors.push(format!("{path}: a {kind}, expected {types:?}"));
        return;
    }
    if let Value::Object(map) = value {
        let properties = schema.get("properties").and_then(Value::as_object);
        for (key, v) in map {
            match properties.and_then(|p| p.get(key)) {
                Some(s) => validate(v, s, root, &format!("{path}.{key}"), errors),
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    errors.push(format!("{path}: unknown key `{key}`"))
                }
                None => {
                    if let Some(s) = schema.get("additionalProperties").filter(|s| s.is_object()) {
                        validate(v, s, root, &format!("{path}.{key}"), errors);
                    }
                }
            }
        }
        for required in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            if !map.contains_key(required.as_str().unwrap()) {
                errors.push(format!("{path}: `{required}` is missing"));
            }
        }
    }
    if let (Value::Array(items), Some(s)) = (value, schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            validate(item, s, root, &format!("{path}[{i}]"), errors);
        }
    }
}

fn errors_of(yaml_file: &str, schema: &str) -> Vec<String> {
    let value: Value = serde_norway::from_str(&std::fs::read_to_string(root().join(yaml_file)).unwrap()).unwrap();
    let schema: Value = serde_json::from_str(&paiban::model::schema(schema)).unwrap();
    let mut errors = Vec::new();
    validate(&value, &schema, &schema, "", &mut errors);
    errors
}

#[test]
fn the_sample_files_pass_their_schemas() {
    assert_eq!(errors_of("layout.yaml", "layout"), Vec::<String>::new());
    assert_eq!(errors_of("editions/2024.yaml", "edition"), Vec::<String>::new());
    assert_eq!(errors_of("editions/2025.yaml", "edition"), Vec::<String>::new());
    assert_eq!(errors_of("examples/district/layout.yaml", "layout"), Vec::<String>::new());
    assert_eq!(errors_of("examples/district/edition.yaml", "edition"), Vec::<String>::new());
}

#[test]
fn the_schema_catches_what_the_program_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let bad = std::fs::read_to_string(demo_layout()).unwrap().replace("  column_rules: true", "  colum_rules: true");
    std::fs::write(dir.path().join("l.yaml"), bad).unwrap();
    let value: Value = serde_norway::from_str(&std::fs::read_to_string(dir.path().join("l.yaml")).unwrap()).unwrap();
    let schema: Value = serde_json::from_str(&paiban::model::schema("layout")).unwrap();
    let mut errors = Vec::new();
    validate(&value, &schema, &schema, "", &mut errors);
    assert!(errors.iter().any(|e| e.contains("unknown key `colum_rules`")), "{errors:?}");
}

#[test]
fn the_committed_schemas_are_the_derived_ones() {
    for which in ["layout", "edition"] {
        let committed = std::fs::read_to_string(root().join(format!("schemas/{which}.schema.json"))).unwrap();
        assert_eq!(
            committed.trim_end(),
            paiban::model::schema(which),
            "run: paiban schema {which} > schemas/{which}.schema.json"
        );
    }
}
