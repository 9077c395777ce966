//! `paiban init DIR`: a new project from the demo. The template is inside the binary
//! (`include_bytes!`), so an installed `paiban` works in any folder, wherever its source went.

use std::path::Path;

/// Each file of the template as (path in the new project, bytes), the repository's own files.
macro_rules! template {
    ($($path:literal,)*) => {
        &[$(($path, include_bytes!(concat!("../../../", $path)).as_slice()),)*]
    };
}

/// The demo project: layout, one edition, fonts, photos and ICC profiles with their
/// licences, and the JSON Schemas the YAML files name on their first line; and the
/// district example of several stories (`examples/district/`, its links to the assets
/// made by [`run`]). A test checks that this list is every file of those folders.
pub const TEMPLATE: &[(&str, &[u8])] = template![
    "layout.yaml",
    "editions/2024.yaml",
    "examples/district/layout.yaml",
    "examples/district/edition.yaml",
    "fonts/NotoSansCJKsc-Bold.otf",
    "fonts/NotoSansCJKsc-Regular.otf",
    "fonts/NotoSerifCJKsc-Black.otf",
    "fonts/NotoSerifCJKsc-Bold.otf",
    "fonts/NotoSerifCJKsc-Regular.otf",
    "fonts/OFL-NotoCJK.txt",
    "fonts/OFL-SmileySans.txt",
    "fonts/SOURCES.md",
    "fonts/SmileySans-Oblique.ttf",
    "images/ATTRIBUTION.txt",
    "images/CANDIDATES.md",
    "images/SOURCES.md",
    "images/commercial-cups.jpg",
    "images/furniture-interior.jpg",
    "images/lake-mountains.jpg",
    "images/licenses/GPL-2.0.txt",
    "images/licenses/GPL-3.0.txt",
    "images/licenses/LGPL-3.0.txt",
    "images/licenses/lomiri-wallpapers.debian-copyright.txt",
    "images/licenses/plasma-ColorfulCups.metadata.json",
    "images/licenses/plasma-EveningGlow.metadata.json",
    "images/licenses/plasma-Grey.metadata.json",
    "images/licenses/plasma-workspace-wallpapers.debian-copyright.txt",
    "images/mountain-meadow.jpg",
    "images/park-winter-nuthatch.jpg",
    "images/riverside-bridge.jpg",
    "images/school-paintbrushes.jpg",
    "images/station-architecture.jpg",
    "profiles/CoatedFOGRA39.LICENSE.txt",
    "profiles/CoatedFOGRA39.icc",
    "profiles/SOURCES.md",
    "profiles/sRGB.LICENSE.txt",
    "profiles/sRGB.icc",
    "schemas/edition.schema.json",
    "schemas/layout.schema.json",
];

/// Write the template into `dir`, which must be empty or not exist.
pub fn run(dir: &Path) -> Result<(), String> {
    let at = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    if std::fs::symlink_metadata(dir).is_ok() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| at(dir, e))?;
        if entries.next().is_some() {
            return Err(format!("{} is not empty; init makes a new project in an empty or new folder", dir.display()));
        }
    }
    for (name, bytes) in TEMPLATE {
        let path = dir.join(name);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(|e| at(folder, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| at(&path, e))?;
    }
    // The example is a project of its own inside this one: its fonts, photos and schemas
    // are links to the project's, so they lie inside its folder.
    for asset in ["fonts", "images", "schemas"] {
        let link = dir.join("examples/district").join(asset);
        std::os::unix::fs::symlink(Path::new("../..").join(asset), &link).map_err(|e| at(&link, e))?;
    }
    println!("made {}: layout.yaml, editions/2024.yaml, fonts/, images/, profiles/, schemas/", dir.display());
    println!(
        "  and examples/district/, two pages of several stories: paiban build examples/district/edition.yaml --layout examples/district/layout.yaml"
    );
    println!("next: cd {} && paiban build", dir.display());
    Ok(())
}
