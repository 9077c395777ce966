//! Saying a diagnostic once per batch: a layout error, or the RGB-photo warning, is the
//! same for every edition built with that layout and those photos. The first edition that
//! has it prints it with the number of editions it applies to; the others leave it out.

use std::collections::{HashMap, HashSet};

use paiban::diagnostic::{Diagnostic, Diagnostics};

/// What makes two diagnostics the same: severity, message, place and hint.
type Key = (String, String, String, String);

fn key(d: &Diagnostic) -> Key {
    (
        d.severity.label().to_string(),
        d.message.clone(),
        d.location.as_ref().map(|l| l.to_string()).unwrap_or_default(),
        d.hint.clone().unwrap_or_default(),
    )
}

pub struct Once {
    editions: HashMap<Key, usize>,
    said: HashSet<Key>,
}

impl Once {
    /// Count, over every edition's diagnostics, how many editions have each one.
    pub fn new<'a>(all: impl IntoIterator<Item = &'a Diagnostics>) -> Once {
        let mut editions: HashMap<Key, usize> = HashMap::new();
        for found in all {
            let distinct: HashSet<Key> = found.iter().map(key).collect();
            for k in distinct {
                *editions.entry(k).or_default() += 1;
            }
        }
        Once { editions, said: HashSet::new() }
    }

    /// The first time: `Some(n)`, the number of editions that have it; after: `None`.
    pub fn first(&mut self, d: &Diagnostic) -> Option<usize> {
        let k = key(d);
        let n = self.editions.get(&k).copied().unwrap_or(1);
        self.said.insert(k).then_some(n)
    }

    /// `d` as the terminal shows it, and a line saying it applies to more editions; empty
    /// when it was said already.
    pub fn render(&mut self, d: &Diagnostic, lead: &str, show: impl Fn(&Diagnostic, &str) -> String) -> String {
        match self.first(d) {
            None => String::new(),
            Some(1) => show(d, lead),
            Some(n) => format!("{}{lead}  (the same for {n} editions: said once)\n", show(d, lead)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagnostic_of_several_editions_is_said_once_with_their_number() {
        let layout = Diagnostic::error("layout.yaml: bad");
        let own = Diagnostic::warning("only mine");
        let a = Diagnostics::from_iter([layout.clone(), own.clone()]);
        let b = Diagnostics::from_iter([layout.clone()]);
        let mut once = Once::new([&a, &b]);
        let show = |d: &Diagnostic, lead: &str| format!("{lead}{}\n", d.message);
        assert_eq!(once.render(&layout, "", show), "layout.yaml: bad\n  (the same for 2 editions: said once)\n");
        assert_eq!(once.render(&own, "", show), "only mine\n");
        assert_eq!(once.render(&layout, "", show), "", "said already");
    }
}
