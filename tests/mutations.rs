//! Mutated layouts and editions: whatever the YAML says, the program answers with a PDF or
//! an error, never a panic (run with more cases: PROPTEST_CASES=2000 cargo test --release
//! --test mutations).

mod common;

use common::*;
use paiban::build::{compose, Options};
use proptest::prelude::*;

const VALUES: &[&str] = &[
    "",
    "-1",
    "0",
    "99999",
    "abc",
    "[]",
    "{}",
    "~",
    "1e9mm",
    "\"cmyk(\"",
    "2-1",
    "end",
    "\"{var.x}\"",
    "小五",
    "-5em",
    "0mm",
    "9-end",
    "\"spot(, 1, 2, 3, 4)\"",
    "\"rgb(1, 2, 3)\"",
    "4294967295",
    "0.0001pt",
    "[1, 2]",
    "&a x",
    "*a",
];

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Duplicate(usize),
    Value(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Delete),
        any::<usize>().prop_map(Mutation::Duplicate),
        (any::<usize>(), 0..VALUES.len()).prop_map(|(l, v)| Mutation::Value(l, v)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let n = lines.len().max(1);
    match *m {
        Mutation::Delete(i) => {
            lines.remove(i % n);
        }
        Mutation::Duplicate(i) => {
            let line = lines[i % n].clone();
            lines.insert(i % n, line);
        }
        Mutation::Value(i, v) => {
            let line = &mut lines[i % n];
            if let Some(colon) = line.find(": ") {
                line.truncate(colon + 2);
                line.push_str(VALUES[v]);
            }
        }
        Mutation::Truncate(at) => {
            let chars: Vec<char> = text.chars().collect();
            return chars[..at % chars.len().max(1)].iter().collect();
        }
    }
    lines.join("\n") + "\n"
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn mutated_inputs_never_panic(layout_edits in prop::collection::vec(mutation(), 0..3), edition_edits in prop::collection::vec(mutation(), 0..3)) {
        let project = Project::new(
            |l| layout_edits.iter().fold(l, |t, m| apply(&t, m)),
            |e| edition_edits.iter().fold(e, |t, m| apply(&t, m)),
        );
        // An error is a fine answer; a panic fails the test.
        let _ = compose(&project.layout(), &project.edition(), Options { allow_overset: true, ..Options::default() });
    }
}
