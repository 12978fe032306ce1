//! The README's 5-minute guide, as a brand-new crate, against the crates as they would be published:
//! `cargo package` writes `diesel-model`, `model-core` and `model-derive` as `.crate` archives, they
//! are unpacked, and a new crate made of the guide's code blocks (its `Cargo.toml` lines, `models.rs`,
//! `build.rs`, `main.rs`) depends on them through `[patch.crates-io]`. `cargo run` must write the
//! guide's first migration and apply it; a second run applies nothing.
//!
//! This proves the packages hold everything a user's build needs (no file left out by `include`)
//! and that the README's guide is true as written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The crates a user's build pulls in, in the order `cargo package` can pack them.
const PACKAGES: [&str; 3] = ["model-core", "model-derive", "diesel-model"];

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cargo(dir: &Path, args: &[&str], target: &Path) -> Output {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("MODEL_ALLOW_DATA_LOSS")
        .env_remove("MODEL_MIGRATIONS")
        .env_remove("CI")
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The fenced code blocks of the README's "The 5-minute guide" section, in order.
fn guide_blocks() -> Vec<String> {
    let readme = std::fs::read_to_string(workspace().join("README.md")).unwrap();
    let start = readme.find("## The 5-minute guide").expect("README has the guide");
    let section = &readme[start..];
    let end = section[3..].find("\n## ").map(|i| i + 3).unwrap_or(section.len());
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in section[..end].lines() {
        match (&mut current, line.trim_start().starts_with("```")) {
            (None, true) => current = Some(String::new()),
            (Some(block), true) => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), false) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, false) => {}
        }
    }
    blocks
}

/// `cargo package` the crates a user depends on (without the workspace's tests, as published) and
/// unpack each archive; returns the unpacked folders by package name.
fn packaged_crates(target: &Path) -> Vec<(String, PathBuf)> {
    let mut args = vec!["package", "--no-verify", "--allow-dirty", "--locked"];
    for p in PACKAGES {
        args.extend(["-p", p]);
    }
    let out = cargo(&workspace(), &args, target);
    assert!(out.status.success(), "cargo package failed:\n{}", text(&out));
    let version = env!("CARGO_PKG_VERSION");
    let unpacked = target.join("unpacked");
    let _ = std::fs::remove_dir_all(&unpacked);
    std::fs::create_dir_all(&unpacked).unwrap();
    PACKAGES
        .iter()
        .map(|name| {
            let archive = target.join("package").join(format!("{name}-{version}.crate"));
            let tar = Command::new("tar")
                .arg("xzf")
                .arg(&archive)
                .arg("-C")
                .arg(&unpacked)
                .output()
                .unwrap();
            assert!(tar.status.success(), "unpack {}: {}", archive.display(), text(&tar));
            (name.to_string(), unpacked.join(format!("{name}-{version}")))
        })
        .collect()
}

#[test]
fn the_readme_guide_runs_against_the_packaged_crates() {
    let blocks = guide_blocks();
    let [manifest, models, build_rs, main_head, main_body] = &blocks[..] else {
        panic!(
            "the guide has 5 code blocks (Cargo.toml, models.rs, build.rs, main.rs twice), found {}",
            blocks.len()
        );
    };
    assert!(manifest.contains("[package.metadata.model]"), "{manifest}");
    assert!(build_rs.contains("// build.rs"), "{build_rs}");
    assert!(main_head.contains("// main.rs"), "{main_head}");

    let target = workspace().join("target/packaged-guide");
    let crates = packaged_crates(&target);

    let dir = std::env::temp_dir().join(format!("model-packaged-guide-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let patches: String = crates
        .iter()
        .map(|(name, path)| format!("{name} = {{ path = \"{}\" }}\n", path.display()))
        .collect();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"guide\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             {manifest}\n[patch.crates-io]\n{patches}\n[workspace]\n"
        ),
    )
    .unwrap();
    // the workspace's lock: the same dependency versions, so they are compiled once
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    std::fs::write(dir.join("src/models.rs"), models).unwrap();
    std::fs::write(dir.join("build.rs"), build_rs).unwrap();
    std::fs::write(dir.join("src/main.rs"), format!("{main_head}\n{main_body}")).unwrap();

    // built where the other tests build their fixture crates: the dependencies compile once
    let builds = workspace().join("target/nested-builds");
    let first = cargo(&dir, &["run", "--quiet"], &builds);
    assert!(
        first.status.success(),
        "the guide does not build or run:\n{}",
        text(&first)
    );
    let migrations: Vec<String> = std::fs::read_dir(dir.join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    assert_eq!(migrations.len(), 1, "{migrations:?}");
    // the guide names the folder its first build writes
    let name = migrations[0].split_once('_').unwrap().1;
    let readme = std::fs::read_to_string(workspace().join("README.md")).unwrap();
    assert!(
        readme.contains(&format!("_{name}/{{up.sql,down.sql}}`")),
        "the README's guide should name the first migration `<version>_{name}`"
    );
    let version: String = migrations[0].split('_').next().unwrap().replace('-', "");
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert_eq!(stdout.trim(), format!("applied [\"{version}\"]"), "{}", text(&first));

    let second = cargo(&dir, &["run", "--quiet"], &builds);
    assert!(second.status.success(), "{}", text(&second));
    assert_eq!(String::from_utf8_lossy(&second.stdout).trim(), "applied []");
    std::fs::remove_dir_all(&dir).unwrap();
}
