//! The bundled output profile (profiles/CoatedFOGRA39.icc, 650 KB) compressed as the PDF
//! embeds it, once at build time: every PDF/X file carries it, and compressing it in each
//! cold process cost ~10 ms. The same function at the same level as `render::deflate`
//! (a unit test there checks the bytes are the same).

fn main() {
    let profile = "profiles/CoatedFOGRA39.icc";
    println!("cargo:rerun-if-changed={profile}");
    println!("cargo:rerun-if-changed=build.rs");
    let bytes = std::fs::read(profile).expect("the bundled output profile is in the repository");
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&bytes, 1);
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("CoatedFOGRA39.icc.zlib"), compressed).expect("OUT_DIR is writable");
}
