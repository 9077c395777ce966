//! Spec: what the two YAML files say, before it means anything. The serde types of
//! layout.yaml ([`layout`]) and of an edition ([`edition`]), units and their parsing
//! ([`units`]), the source text with the position of every key path ([`source`]) and the
//! `{var.NAME}` substitution ([`variables`]), the mistakes of Chinese typing ([`errors`]) and key paths in words for messages ([`keys`]). Nothing here knows fonts, grids or pages; the
//! [`crate::model`] resolves these types into what they mean.

pub mod edition;
pub mod errors;
pub mod keys;
pub mod layout;
pub mod source;
pub mod units;
pub mod variables;

/// Suggest the closest of `candidates` to a misspelt `name`.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let best = candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
        .filter(|&(d, c)| d <= 2.max(c.chars().count() / 3))
        .min();
    match best {
        Some((_, c)) => format!("; did you mean `{c}`?"),
        None => String::new(),
    }
}
