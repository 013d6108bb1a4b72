//! Runs an example with `cargo run` and exactly the features this test was compiled with, so
//! the nested build reuses the library the outer `cargo test` built (with `--all-features` or
//! the defaults alike) instead of compiling it a second time.

use std::path::{Path, PathBuf};
use std::process::Command;

/// `cargo run --quiet --no-default-features --features <ours> --example NAME --`, run from the
/// crate root; add the example's arguments and environment to it.
pub fn cargo_example(name: &str) -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let features: Vec<&str> = [
        ("parallel", cfg!(feature = "parallel")),
        ("json", cfg!(feature = "json")),
        ("toml", cfg!(feature = "toml")),
        ("geotiff", cfg!(feature = "geotiff")),
        ("vector", cfg!(feature = "vector")),
        ("invest", cfg!(feature = "invest")),
        ("charts", cfg!(feature = "charts")),
    ]
    .into_iter()
    .filter_map(|(f, on)| on.then_some(f))
    .collect();
    let mut c = Command::new(cargo);
    c.args(["run", "--quiet", "--no-default-features", "--features"])
        .arg(features.join(","))
        .args(["--example", name, "--"])
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

/// Runs example `name` with `args` on `threads` rayon threads; panics with its stderr if it
/// fails; returns its stdout.
pub fn run_example(name: &str, args: &[&str], threads: usize) -> String {
    let out = cargo_example(name)
        .args(args)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "example {name} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// An empty directory `tag` under the test target's temporary directory.
pub fn out_dir(tag: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(tag);
    let _ = std::fs::remove_dir_all(&d);
    d
}
