use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use casebook_plans::{Kind, PlanChecks, PlanReport, Stage, check_plan};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Key {
    #[serde(default)]
    finding: Vec<Planted>,
    #[serde(default)]
    clean: Vec<Clean>,
    /// The sections the plan has, in its order.
    sections: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Planted {
    kind: Kind,
    section: char,
    quote: String,
    /// A piece of what the finding must say ("item 10 of Section F").
    #[serde(default)]
    detail: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Clean {
    section: char,
    quote: String,
}

fn plans() -> PathBuf {
    crate::keys::folder("plans")
}

/// The plan a key is for: a text file beside it, or a Word document a python-docx
/// script beside it writes.
fn plan_for(key: &Path, scratch: &Path) -> (String, Vec<u8>) {
    let stem = key
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix(".key.toml"))
        .expect("a key's name");
    let text = plans().join(format!("{stem}.txt"));
    if text.exists() {
        return (format!("{stem}.txt"), std::fs::read(text).expect("plan"));
    }
    let script = plans().join(format!("{stem}.py"));
    let docx = scratch.join(format!("{stem}.docx"));
    let out = Command::new("python3")
        .arg(&script)
        .arg(&docx)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}: {}",
        script.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    (format!("{stem}.docx"), std::fs::read(docx).expect("plan"))
}

#[derive(Default)]
struct Score {
    found: usize,
    right: usize,
    planted: usize,
    caught: usize,
}

fn contains(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

fn score(
    report: &PlanReport,
    key: &Key,
    name: &str,
    scores: &mut BTreeMap<Kind, Score>,
    wrong: &mut Vec<String>,
    clean_flagged: &mut usize,
) {
    for planted in &key.finding {
        let score = scores.entry(planted.kind).or_default();
        score.planted += 1;
        if report.findings.iter().any(|f| {
            f.kind == planted.kind
                && f.section == planted.section
                && contains(&f.quote, &planted.quote)
                && contains(&f.detail, &planted.detail)
        }) {
            score.caught += 1;
        } else {
            wrong.push(format!(
                "{name}: missed {:?} in {} \"{}\"",
                planted.kind, planted.section, planted.quote
            ));
        }
    }
    for f in &report.findings {
        let score = scores.entry(f.kind).or_default();
        score.found += 1;
        if key
            .finding
            .iter()
            .any(|p| f.kind == p.kind && f.section == p.section && contains(&f.quote, &p.quote))
        {
            score.right += 1;
        } else {
            wrong.push(format!(
                "{name}: flagged {:?} in {} \"{}\" ({})",
                f.kind, f.section, f.quote, f.detail
            ));
        }
    }
    for clean in &key.clean {
        let items: Vec<_> = report
            .items
            .iter()
            .filter(|i| {
                let said = format!("{} {}", i.area.as_deref().unwrap_or_default(), i.text);
                i.section == clean.section && contains(&said, &clean.quote)
            })
            .collect();
        assert_eq!(
            items.len(),
            1,
            "{name}: the key's clean item \"{}\" is not one item",
            clean.quote
        );
        for f in report
            .findings
            .iter()
            .filter(|f| f.section == clean.section && f.item == items[0].number)
        {
            wrong.push(format!(
                "{name}: flagged the well-specified {} \"{}\" as {:?} ({})",
                f.section, f.quote, f.kind, f.detail
            ));
            *clean_flagged += 1;
        }
    }
}

/// Every plan in the corpus checked and scored against its key, per kind of finding:
/// precision (of what was flagged, how much was planted) and recall (of what was
/// planted, how much was flagged) at least 90% each, and no well-specified item flagged.
#[test]
fn the_plan_check_finds_what_was_planted_and_flags_nothing_well_specified() {
    let scratch = tempfile::tempdir().expect("dir");
    let checks = PlanChecks::england().expect("the built-in checks read");
    let mut scores: BTreeMap<Kind, Score> = BTreeMap::new();
    let mut wrong = Vec::new();
    let mut clean_flagged = 0;
    let keys: Vec<(PathBuf, Key)> = crate::keys::keys("plans");
    assert!(keys.len() >= 3, "at least three plans");
    for (key_path, key) in &keys {
        let (name, bytes) = plan_for(key_path, scratch.path());
        let report = check_plan(&name, &bytes, Stage::AsItSays, &checks).expect("checks");
        assert_eq!(
            report.sections.iter().collect::<String>(),
            key.sections,
            "{name}: sections"
        );
        score(
            &report,
            key,
            &name,
            &mut scores,
            &mut wrong,
            &mut clean_flagged,
        );
    }
    let mut table =
        String::from("| kind | planted | flagged | precision | recall |\n|---|---|---|---|---|\n");
    let percent = |part: usize, whole: usize| {
        if whole == 0 {
            100.0
        } else {
            100.0 * part as f64 / whole as f64
        }
    };
    let mut below = Vec::new();
    for kind in Kind::all() {
        let s = scores.entry(kind).or_default();
        let (precision, recall) = (percent(s.right, s.found), percent(s.caught, s.planted));
        table.push_str(&format!(
            "| {} | {} | {} | {precision:.0}% | {recall:.0}% |\n",
            kind.name(),
            s.planted,
            s.found
        ));
        if s.planted == 0 || precision < 90.0 || recall < 90.0 {
            below.push(kind.name());
        }
    }
    println!("{table}");
    assert!(
        below.is_empty() && clean_flagged == 0,
        "under 90%, or nothing planted, for {below:?}; {clean_flagged} well-specified items flagged:\n{table}\n{}",
        wrong.join("\n")
    );
}
