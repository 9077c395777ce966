//! Stories: an edition's articles as the model knows them, and what the layout's threads,
//! headline frames and pull-quote boxes take of them. Owns the reading of both edition
//! shapes (a list of `stories:`, or the one-article shape read as the story `main`), the
//! `story:ID#PART` content names, the styles of each role per story kind, and the warnings
//! for content no frame takes.

use std::collections::BTreeMap;

use super::inline::{self, Run};
use super::{did_you_mean, Block, Frame, FrameContent, Roles, Style, StyleId, Thread, ThreadId};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::spec::edition::{self, BodyItem, Edition};
use crate::spec::layout::{FrameKind, Layout};
use crate::spec::source::Source;

/// The id the one-article shape's story gets, and the story the old content names
/// (`lead`, `intro`, `sections`, `section:<id>`, `closing`) refer to.
pub const MAIN: &str = "main";

/// A story of [`super::Job::stories`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StoryId(pub usize);

/// Text with the key path it comes from (`stories[1].body[3]`, `sections[2].title`).
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub text: String,
    pub origin: String,
}

/// One block of a story's body.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Paragraph(Text),
    /// A section head; `title`'s text has forced breaks as [`edition::FORCED_BREAK`].
    Head {
        id: Option<String>,
        kicker: Option<Text>,
        title: Text,
    },
    Quote(Text),
    List(Vec<Text>),
}

/// A story, resolved from either edition shape.
#[derive(Debug, Clone)]
pub struct Story {
    pub id: String,
    pub kind: Option<String>,
    /// Key path of the story (`stories[1]`), empty for the one-article shape.
    pub key: String,
    pub headline: Option<edition::Headline>,
    /// Key path of the headline group: `headline`, `stories[1].headline`.
    pub headline_key: String,
    pub byline: Option<Text>,
    pub dateline: Option<String>,
    pub lead: Vec<Text>,
    pub items: Vec<Item>,
    pub closing: Vec<Text>,
}

impl Story {
    /// Where a message about the whole story points.
    pub fn id_key(&self) -> String {
        if self.key.is_empty() {
            "headline".into()
        } else {
            format!("{}.id", self.key)
        }
    }

    /// The origin of its first paragraph (lead or body): the dateline runs in there.
    fn first_paragraph(&self) -> Option<&str> {
        self.lead.first().map(|t| t.origin.as_str()).or_else(|| {
            self.items.iter().find_map(|i| match i {
                Item::Paragraph(t) => Some(t.origin.as_str()),
                _ => None,
            })
        })
    }
}

fn texts(key: &str, list: &[String]) -> Vec<Text> {
    list.iter().enumerate().map(|(i, t)| Text { text: t.clone(), origin: format!("{key}[{i}]") }).collect()
}

/// The stories of an edition. An edition either lists `stories:` or is written in the
/// one-article shape; both at once is an error saying how to convert. A repeated story
/// id is a warning: layouts find the first.
pub fn read(es: &Source, edition: &Edition) -> Result<(Vec<Story>, Vec<Diagnostic>)> {
    let old_keys: Vec<&str> = [
        ("headline", edition.headline.is_some()),
        ("lead", !edition.lead.is_empty()),
        ("intro", !edition.intro.is_empty()),
        ("sections", !edition.sections.is_empty()),
        ("closing", !edition.closing.is_empty()),
    ]
    .into_iter()
    .filter_map(|(k, has)| has.then_some(k))
    .collect();
    let mut warnings = Vec::new();
    if !edition.stories.is_empty() {
        if let Some(first) = old_keys.first() {
            return Err(es.error(
                first,
                format!(
                    "this edition has both `stories:` and the one-article keys ({}); move them into a story: \
                     `- id: main` with `headline:`, `lead:`, `body:` (the intro's paragraphs, then each section as \
                     `{{id, kicker, title}}` followed by its paragraphs) and `closing:`",
                    old_keys.join(", ")
                ),
            ));
        }
        let mut stories: Vec<Story> = Vec::new();
        for (s, spec) in edition.stories.iter().enumerate() {
            let key = format!("stories[{s}]");
            if let Some(first) = stories.iter().position(|o| o.id == spec.id) {
                // Counted from 1: by its id, either story would be this one.
                warnings.push(
                    Diagnostic::warning(format!(
                        "story {}: a story with the id `{}` is already story {}: this one is never set (`story:{}` finds the first)",
                        s + 1,
                        spec.id,
                        first + 1,
                        spec.id
                    ))
                    .at(es.locate(&format!("{key}.id")))
                    .with_hint("give each story its own id"),
                );
            }
            let items = spec
                .body
                .iter()
                .enumerate()
                .map(|(b, item)| {
                    let at = format!("{key}.body[{b}]");
                    match item {
                        BodyItem::Paragraph(t) => Item::Paragraph(Text { text: t.clone(), origin: at }),
                        BodyItem::Head(h) => Item::Head {
                            id: h.id.clone(),
                            kicker: h.kicker.as_ref().map(|k| Text { text: k.clone(), origin: format!("{at}.kicker") }),
                            title: Text { text: h.title.to_string(), origin: format!("{at}.title") },
                        },
                        BodyItem::Quote(q) => {
                            Item::Quote(Text { text: q.quote.clone(), origin: format!("{at}.quote") })
                        }
                        BodyItem::List(l) => Item::List(texts(&format!("{at}.list"), &l.list)),
                    }
                })
                .collect();
            stories.push(Story {
                id: spec.id.clone(),
                kind: spec.kind.clone(),
                headline: spec.headline.clone(),
                headline_key: format!("{key}.headline"),
                byline: spec.byline.as_ref().map(|b| Text { text: b.clone(), origin: format!("{key}.byline") }),
                dateline: spec.dateline.clone(),
                lead: texts(&format!("{key}.lead"), &spec.lead),
                items,
                closing: texts(&format!("{key}.closing"), &spec.closing),
                key,
            });
        }
        return Ok((stories, warnings));
    }
    let Some(headline) = &edition.headline else {
        return Err(es.error(
            "edition",
            "the edition has no content: give `stories:` (each with an `id`), or the one-article shape's `headline:`",
        ));
    };
    let mut items: Vec<Item> = texts("intro", &edition.intro).into_iter().map(Item::Paragraph).collect();
    for (i, s) in edition.sections.iter().enumerate() {
        let at = format!("sections[{i}]");
        items.push(Item::Head {
            id: Some(s.id.clone()),
            kicker: Some(Text { text: s.kicker.clone(), origin: format!("{at}.kicker") }),
            title: Text { text: s.title.to_string(), origin: format!("{at}.title") },
        });
        items.extend(texts(&format!("{at}.paragraphs"), &s.paragraphs).into_iter().map(Item::Paragraph));
    }
    let story = Story {
        id: MAIN.into(),
        kind: None,
        key: String::new(),
        headline: Some(headline.clone()),
        headline_key: "headline".into(),
        byline: None,
        dateline: None,
        lead: texts("lead", &edition.lead),
        items,
        closing: texts("closing", &edition.closing),
    };
    Ok((vec![story], warnings))
}

/// The style of `role` for a story of `kind`: the kind's own (`roles.brief.body`), else
/// the layout's role, else a style named as the role (`pullquote`, `byline`).
pub fn role_style(roles: &Roles, styles: &[Style], kind: Option<&str>, role: &str) -> Option<StyleId> {
    if let Some(id) = kind.and_then(|k| roles.kinds.get(k)).and_then(|m| m.get(role)) {
        return Some(*id);
    }
    let fixed = match role {
        "lead" => Some(roles.lead),
        "body" => Some(roles.body),
        "closing" => Some(roles.closing),
        "section_kicker" => Some(roles.section_kicker),
        "section_title" => Some(roles.section_title),
        "headline" => Some(roles.headline),
        "headline_kicker" => roles.headline_kicker,
        "headline_deck" => roles.headline_deck,
        "caption" => roles.caption,
        _ => None,
    };
    fixed.or_else(|| roles.open.get(role).copied()).or_else(|| super::style_named(styles, &role.replace('_', "-")))
}

/// A part of a story a thread takes: `story:ID` (all of it) or `story:ID#PART`.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    Whole,
    Byline,
    Lead,
    /// Paragraphs before the first head.
    Intro,
    /// The whole body.
    Body,
    /// From the first head to the end of the body.
    Sections,
    Section(String),
    Closing,
}

const PARTS: &[&str] = &["byline", "lead", "intro", "body", "sections", "section:<id>", "closing"];

/// Where a thread's block comes from: (story, unit), a unit being the byline (0), a lead
/// paragraph (1 + i), a body item (1 + lead + i) or a closing paragraph.
type Unit = (usize, usize);

/// What resolving the threads found: each thread's blocks, and the warnings for content
/// no frame takes.
pub struct Threads {
    pub threads: Vec<Thread>,
    pub warnings: Vec<Diagnostic>,
}

/// What the layout's frames take of the stories: each headline frame's story, each
/// pull-quote box's quote. Pull quotes a box takes are not set in the text.
#[derive(Debug, Default)]
pub struct Taken {
    /// (story, item) of each quote a box sets.
    pub quotes: Vec<(usize, usize)>,
    /// Stories whose headline a headline frame sets.
    pub headlines: Vec<usize>,
}

/// The story a layout names (`story: econ`), by the first with that id.
fn find_story(ls: &Source, key: &str, id: &str, stories: &[Story], es: &Source) -> Result<usize> {
    stories.iter().position(|s| s.id == id).ok_or_else(|| {
        ls.error(
            key,
            format!(
                "the edition {} has no story with id `{id}`{}",
                es.path.display(),
                did_you_mean(id, stories.iter().map(|s| s.id.as_str()))
            ),
        )
    })
}

/// Headline frames get their story (`story:`, or `main`, or the first story), boxes with
/// `quote: STORY` or `quote: STORY#N` the story's next (or N-th) pull quote.
pub fn resolve_frames(
    ls: &Source,
    layout: &Layout,
    es: &Source,
    stories: &[Story],
    grid: &super::Grid,
    pages: &mut [Vec<Frame>],
) -> Result<Taken> {
    let mut taken = Taken::default();
    for (p, page) in layout.pages.iter().enumerate() {
        for (f, spec) in page.frames.iter().enumerate() {
            let key = format!("pages[{p}].frames[{f}]");
            match spec.kind {
                FrameKind::Headline => {
                    let story = match &spec.story {
                        Some(id) => find_story(ls, &format!("{key}.story"), id, stories, es)?,
                        None => stories.iter().position(|s| s.id == MAIN).unwrap_or(0),
                    };
                    if stories[story].headline.is_none() {
                        return Err(ls.error(
                            &format!("{key}.story"),
                            format!("story `{}` has no headline group (`headline:`) to set here", stories[story].id),
                        ));
                    }
                    taken.headlines.push(story);
                    pages[p][f].content = FrameContent::Headline(StoryId(story));
                }
                FrameKind::Box => {
                    let wrap = super::resolve_wrap(ls, layout, &key, spec.wrap, grid)?;
                    let mut quote = None;
                    if let Some(name) = &spec.quote {
                        let at = format!("{key}.quote");
                        let (id, n) = match name.split_once('#') {
                            Some((id, n)) => match n.parse::<usize>() {
                                Ok(n) if n >= 1 => (id, Some(n - 1)),
                                _ => {
                                    return Err(ls.error(
                                        &at,
                                        format!("`{name}`: after `#` comes the pull quote's number, from 1"),
                                    ))
                                }
                            },
                            None => (name.as_str(), None),
                        };
                        let s = find_story(ls, &at, id, stories, es)?;
                        let quotes: Vec<usize> = stories[s]
                            .items
                            .iter()
                            .enumerate()
                            .filter_map(|(i, it)| matches!(it, Item::Quote(_)).then_some(i))
                            .collect();
                        let item = match n {
                            Some(n) => quotes.get(n).copied(),
                            None => quotes.iter().copied().find(|i| !taken.quotes.contains(&(s, *i))),
                        }
                        .ok_or_else(|| {
                            ls.error(
                                &at,
                                format!(
                                    "story `{id}` has {} pull quote(s) (`{{quote: …}}` in its body) for this box",
                                    quotes.len()
                                ),
                            )
                        })?;
                        taken.quotes.push((s, item));
                        quote = Some((StoryId(s), item));
                    }
                    // A pull quote pushes text away unless told otherwise, as a picture does.
                    let wrap = match (quote, spec.wrap) {
                        (Some(_), None) => super::resolve_wrap(ls, layout, &key, Some(Default::default()), grid)?,
                        _ => wrap,
                    };
                    pages[p][f].content = FrameContent::Box(super::BoxFrame { wrap, quote });
                }
                _ => {}
            }
        }
    }
    Ok(taken)
}

fn paragraph(es: &Source, t: &Text, style: StyleId, dateline: Option<&str>) -> Result<Block> {
    let mut runs = inline::parse_inline(&t.text).map_err(|m| es.error(&t.origin, m))?;
    if runs.iter().all(|r| r.text.trim().is_empty()) {
        return Err(es.error(&t.origin, "the paragraph is empty (or only spaces)"));
    }
    if let Some(d) = dateline {
        runs.insert(0, Run { text: format!("{d}　"), bold: true });
    }
    Ok(Block { style, runs, origin: t.origin.clone(), keep_with_next: false })
}

fn heading(t: &Text, style: StyleId) -> Block {
    Block {
        style,
        runs: vec![Run { text: t.text.clone(), bold: false }],
        origin: t.origin.clone(),
        keep_with_next: true,
    }
}

/// Each thread's blocks from the stories, and the warnings for content no frame takes,
/// a story in two threads.
#[allow(clippy::too_many_arguments)]
pub fn resolve_threads(
    ls: &Source,
    layout: &Layout,
    roles: &Roles,
    styles: &[Style],
    es: &Source,
    stories: &[Story],
    taken: &Taken,
    pages: &[Vec<Frame>],
) -> Result<Threads> {
    let mut threads = Vec::new();
    // Which thread took each unit first.
    let mut took: BTreeMap<Unit, usize> = BTreeMap::new();
    let mut twice: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for (t, (name, spec)) in layout.threads.iter().enumerate() {
        if !pages.iter().flatten().any(|f| f.thread() == Some(ThreadId(t))) {
            return Err(ls.error(&format!("threads.{name}"), format!("thread `{name}` has no frame to flow into")));
        }
        let mut blocks = Vec::new();
        for (i, item) in spec.content.iter().enumerate() {
            let key = format!("threads.{name}.content[{i}]");
            let (s, part) = parse_content(ls, &key, item, stories, es)?;
            let story = &stories[s];
            let style = |role: &str, origin: &str| -> Result<StyleId> {
                role_style(roles, styles, story.kind.as_deref(), role).ok_or_else(|| {
                    ls.error(
                        "roles",
                        format!(
                            "the edition's {origin} needs the role `{role}`, but the layout has no style for it: add a style `{}` or `roles.{role}`",
                            role.replace('_', "-")
                        ),
                    )
                })
            };
            let dateline = story.dateline.as_deref();
            let first = story.first_paragraph();
            let lead0 = 1;
            let body0 = 1 + story.lead.len();
            let closing0 = body0 + story.items.len();
            let mut units: Vec<usize> = Vec::new();
            let first_head = story.items.iter().position(|it| matches!(it, Item::Head { .. }));
            let body_range = |from: usize, to: usize| (body0 + from..body0 + to).collect::<Vec<_>>();
            match &part {
                Part::Whole => units.extend(0..closing0 + story.closing.len()),
                Part::Byline => units.push(0),
                Part::Lead => units.extend(lead0..body0),
                Part::Intro => units.extend(body_range(0, first_head.unwrap_or(story.items.len()))),
                Part::Body => units.extend(body_range(0, story.items.len())),
                Part::Sections => units.extend(body_range(first_head.unwrap_or(story.items.len()), story.items.len())),
                Part::Section(id) => {
                    let at = story
                        .items
                        .iter()
                        .position(|it| matches!(it, Item::Head { id: Some(h), .. } if h == id))
                        .ok_or_else(|| {
                            let ids = story.items.iter().filter_map(|it| match it {
                                Item::Head { id: Some(h), .. } => Some(h.as_str()),
                                _ => None,
                            });
                            ls.error(
                                &key,
                                format!(
                                    "the edition {} has no section with id `{id}` in story `{}`{}",
                                    es.path.display(),
                                    story.id,
                                    did_you_mean(id, ids)
                                ),
                            )
                        })?;
                    let end = story.items[at + 1..]
                        .iter()
                        .position(|it| matches!(it, Item::Head { .. }))
                        .map_or(story.items.len(), |n| at + 1 + n);
                    units.extend(body_range(at, end));
                }
                Part::Closing => units.extend(closing0..closing0 + story.closing.len()),
            }
            for u in units {
                if u == 0 && story.byline.is_none() {
                    continue;
                }
                if let Some(&other) = took.get(&(s, u)) {
                    if other != t {
                        twice.entry((s, other)).or_insert(t);
                    }
                    continue;
                }
                took.insert((s, u), t);
                if u == 0 {
                    if let Some(b) = &story.byline {
                        blocks.push(paragraph(es, b, style("byline", &b.origin)?, None)?);
                    }
                } else if u < body0 {
                    let p = &story.lead[u - lead0];
                    let d = dateline.filter(|_| first == Some(p.origin.as_str()));
                    blocks.push(paragraph(es, p, style("lead", &p.origin)?, d)?);
                } else if u < closing0 {
                    let b = u - body0;
                    match &story.items[b] {
                        Item::Paragraph(p) => {
                            let d = dateline.filter(|_| first == Some(p.origin.as_str()));
                            blocks.push(paragraph(es, p, style("body", &p.origin)?, d)?);
                        }
                        Item::Head { kicker, title, .. } => {
                            if let Some(k) = kicker {
                                blocks.push(heading(k, style("section_kicker", &k.origin)?));
                            }
                            blocks.push(heading(title, style("section_title", &title.origin)?));
                        }
                        Item::Quote(q) if !taken.quotes.contains(&(s, b)) => {
                            blocks.push(paragraph(es, q, style("pullquote", &q.origin)?, None)?);
                        }
                        Item::Quote(_) => {}
                        Item::List(list) => {
                            for li in list {
                                let st = role_style(roles, styles, story.kind.as_deref(), "list")
                                    .map_or_else(|| style("body", &li.origin), Ok)?;
                                blocks.push(paragraph(es, li, st, None)?);
                            }
                        }
                    }
                } else {
                    let p = &story.closing[u - closing0];
                    blocks.push(paragraph(es, p, style("closing", &p.origin)?, None)?);
                }
            }
        }
        threads.push(Thread { name: name.clone(), blocks });
    }
    let names: Vec<&String> = layout.threads.keys().collect();
    let mut warnings = Vec::new();
    for (&(s, a), &b) in &twice {
        let story = &stories[s];
        warnings.push(
            Diagnostic::warning(format!(
                "story `{}` is in two threads, `{}` and `{}`: what `{}` takes of it is not set again there",
                story.id, names[a], names[b], names[a]
            ))
            .at(ls.locate(&format!("threads.{}", names[b])))
            .with_hint("give each part of a story to one thread (`story:ID#lead`, `#body`, `#section:ID`…)"),
        );
    }
    for (s, story) in stories.iter().enumerate() {
        if stories[..s].iter().any(|o| o.id == story.id) {
            continue; // a repeated id: warned about already
        }
        let units = 1 + story.lead.len() + story.items.len() + story.closing.len();
        let is_set = |u: usize| took.contains_key(&(s, u));
        let has_text = story.byline.is_some() || units > 1;
        let body0 = 1 + story.lead.len();
        if has_text && !(0..units).any(is_set) {
            let on_page = if taken.headlines.contains(&s) { " (only its headline is)" } else { "" };
            warnings.push(
                Diagnostic::warning(format!(
                    "story `{}`: no thread takes it, so its text is not on the page{on_page}",
                    story.id
                ))
                .at(es.locate(&story.id_key()))
                .with_hint(format!("add `story:{}` to a thread's `content:` in the layout", story.id)),
            );
            continue;
        }
        if story.headline.is_some() && !taken.headlines.contains(&s) {
            warnings.push(
                Diagnostic::warning(format!("story `{}`: its headline is in no headline frame", story.id))
                    .at(es.locate(&story.headline_key))
                    .with_hint(format!("add a frame `kind: headline, story: {}`", story.id)),
            );
        }
        let mut missing: Vec<String> = Vec::new();
        if story.byline.is_some() && !is_set(0) {
            missing.push("its byline".into());
        }
        if !story.lead.is_empty() && !(1..body0).any(is_set) {
            missing.push("its lead".into());
        }
        for (i, item) in story.items.iter().enumerate() {
            match item {
                Item::Head { id, title, .. } if !is_set(body0 + i) => {
                    missing.push(match id {
                        Some(id) => format!("section `{id}`"),
                        None => format!("section {}", title.origin),
                    });
                }
                Item::Paragraph(p)
                    if !is_set(body0 + i) && !story.items[..i].iter().any(|x| matches!(x, Item::Head { .. })) =>
                {
                    missing.push(p.origin.clone());
                }
                _ => {}
            }
        }
        let closing0 = body0 + story.items.len();
        if !story.closing.is_empty() && !(closing0..units).any(is_set) {
            missing.push("its closing".into());
        }
        if !missing.is_empty() {
            warnings.push(
                Diagnostic::warning(format!(
                    "story `{}`: no thread takes {}, so it is not on the page",
                    story.id,
                    missing.join(", ")
                ))
                .at(es.locate(&story.id_key()))
                .with_hint("name the part in a thread's `content:` (`story:ID#section:ID`, `#lead`, `#closing`…)"),
            );
        }
    }
    Ok(Threads { threads, warnings })
}

/// A thread's content name: `story:ID`, `story:ID#PART`, or the one-article names, which
/// mean the parts of the story `main`.
fn parse_content(ls: &Source, key: &str, item: &str, stories: &[Story], es: &Source) -> Result<(usize, Part)> {
    let (id, part) = match item.strip_prefix("story:") {
        Some(rest) => match rest.split_once('#') {
            Some((id, part)) => (id, Some(part)),
            None => (rest, None),
        },
        None => (MAIN, Some(item)),
    };
    let part = match part {
        None => Part::Whole,
        Some("byline") => Part::Byline,
        Some("lead") => Part::Lead,
        Some("intro") => Part::Intro,
        Some("body") => Part::Body,
        Some("sections") => Part::Sections,
        Some("closing") => Part::Closing,
        Some(other) => match other.strip_prefix("section:") {
            Some(sid) => Part::Section(sid.to_owned()),
            None => {
                return Err(ls.error(
                    key,
                    format!(
                        "unknown content `{item}`; expected story:ID, story:ID#PART (PART: {}) or, for the story `main`, lead, intro, sections, section:<id> or closing{}",
                        PARTS.join(", "),
                        did_you_mean(other, ["lead", "intro", "sections", "closing", "body", "byline"])
                    ),
                ))
            }
        },
    };
    let s = find_story(ls, key, id, stories, es)?;
    Ok((s, part))
}
