//! A report read back from its JSON (as the panel reads the server's stream)
//! is the same report.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use incident_report::report::{self, render, Options, Report, Section};

#[test]
fn every_fixture_report_survives_a_round_trip_through_json() {
    for file in [
        "phishing-bec.json",
        "ransomware-multistage.json",
        "sentinel-bruteforce.json",
        "minimal-active.json",
    ] {
        let incident = common::parse_fixture(file);
        let built = report::build(&incident, &Options::default());
        let json = render::json(&built);
        let read: Report = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(render::json(&read), json, "{file}");
        for section in &built.sections {
            let one: Section =
                serde_json::from_str(&serde_json::to_string(section).unwrap()).unwrap();
            assert_eq!(one.title, section.title);
            assert_eq!(one.groups.len(), section.groups.len());
        }
    }
}

#[test]
fn a_section_with_an_unknown_id_is_rejected() {
    let err = serde_json::from_str::<Section>(r#"{"id": "horoscope", "title": "x", "groups": []}"#)
        .unwrap_err();
    assert!(err.to_string().contains("unknown section"), "{err}");
}

#[test]
fn a_report_too_long_for_a_comment_is_condensed_under_the_limit() {
    use incident_report::report::render::text;
    let incident = common::parse_fixture("ransomware-multistage.json");
    let built = report::build(&incident, &Options::default());
    let (full, condensed) = text::comment(&built, 30_000);
    assert!(!condensed, "the ransomware report fits a comment");
    assert_eq!(full, text::render(&built));
    for limit in [6_000, 2_000, 800] {
        let (short, condensed) = text::comment(&built, limit);
        assert!(condensed);
        assert!(
            short.chars().count() <= limit,
            "{limit}: {} characters",
            short.chars().count()
        );
        assert!(short.contains("Summary"), "{limit}");
    }
}

#[test]
fn the_json_export_is_what_serde_json_writes() {
    let mut bundles: Vec<Vec<u8>> = [
        "phishing-bec.json",
        "ransomware-multistage.json",
        "sentinel-bruteforce.json",
        "minimal-active.json",
    ]
    .into_iter()
    .map(common::fixture)
    .collect();
    bundles.push(common::large_bundle());
    let amsterdam = Options {
        zone: report::zone_by_name("Europe/Amsterdam").unwrap(),
        ..Options::default()
    };
    for bytes in bundles {
        let incident = incident_report::model::parse(&bytes).unwrap();
        for options in [&Options::default(), &amsterdam] {
            let built = report::build(&incident, options);
            assert!(render::json(&built) == serde_json::to_string(&built).unwrap());
        }
    }
}
