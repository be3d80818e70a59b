//! Property tests: whatever the input, parsing answers Ok or a one-line error
//! that names a JSON path; it never panics.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use incident_report::model;
use proptest::prelude::*;
use serde_json::{Map, Value};

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        Just(Value::String("2026-03-10T09:16:29.8830000Z".into())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Keys that the parser looks for, and others.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "incident",
            "history",
            "sentinel",
            "machineActions",
            "investigations",
            "id",
            "alerts",
            "evidence",
            "comments",
            "properties",
            "name",
            "time",
            "actor",
            "@odata.type",
            "playbookRuns",
            "createdDateTime",
            "status",
            "classification",
        ])
        .prop_map(String::from),
        "[a-zA-Z@.]{1,10}",
    ]
}

fn assert_answers(input: &[u8]) {
    if let Err(err) = model::parse(input) {
        let line = err.to_string();
        assert!(err.path.starts_with('$'), "{line}");
        assert!(!line.contains('\n'), "{line}");
    }
}

/// Every place (as a list of keys and indices) in a JSON value.
fn places(value: &Value, here: Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(here.clone());
    match value {
        Value::Object(map) => map.iter().for_each(|(k, v)| {
            let mut p = here.clone();
            p.push(k.clone());
            places(v, p, out);
        }),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| {
            let mut p = here.clone();
            p.push(i.to_string());
            places(v, p, out);
        }),
        _ => {}
    }
}

fn replace_at(value: &mut Value, place: &[String], new: Value) {
    match place.split_first() {
        None => *value = new,
        Some((step, rest)) => {
            let next = match value {
                Value::Object(map) => map.get_mut(step),
                Value::Array(items) => step.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
                _ => None,
            };
            if let Some(next) = next {
                replace_at(next, rest, new);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        assert_answers(&bytes);
    }

    #[test]
    fn arbitrary_json_never_panics(value in json_value()) {
        assert_answers(value.to_string().as_bytes());
    }

    #[test]
    fn a_fixture_with_one_part_replaced_never_panics(
        file in prop::sample::select(vec![
            "phishing-bec.json", "ransomware-multistage.json",
            "sentinel-bruteforce.json", "minimal-active.json",
        ]),
        pick in any::<prop::sample::Index>(),
        new in json_value(),
    ) {
        let mut doc: Value = serde_json::from_slice(&common::fixture(file)).unwrap();
        let mut all = Vec::new();
        places(&doc, Vec::new(), &mut all);
        let place = pick.get(&all).clone();
        replace_at(&mut doc, &place, new);
        assert_answers(doc.to_string().as_bytes());
    }
}
