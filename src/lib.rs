//! paiban (排版): structured content plus a YAML layout in, a print PDF of a Chinese
//! newspaper page out.
//!
//! The pipeline is the architecture; data flows one way:
//!
//! `spec` (what the YAML says: serde types, units, positions) → `model` (what it means:
//! resolved once, checked, ids instead of names) → `fonts` and `images` (loading, metrics,
//! coverage, photo headers) →
//! `text` (clreq classes, line breaking, justification) → `layout` (grid, frames, flow →
//! a display list) → `render` (display list → PDF; the only code that writes PDF) →
//! `report` (what happened, for the designer).
//!
//! [`build::build_edition`] runs the whole pipeline for one edition.

pub mod build;
pub mod bytes;
pub mod diagnostic;
pub mod error;
pub mod fonts;
pub mod images;
pub mod import;
pub mod layout;
pub mod model;
pub mod output;
pub mod proof;
pub mod render;
pub mod report;
pub mod spec;
pub mod text;

pub use error::{Error, Result};
