//! What the analysis examples share: exit codes, output files, and the `[DIR] [--tiny]`
//! command line. (A directory module, so cargo does not take it for an example.)

use std::error::Error;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use gep::sample::SampleConfig;

/// Exit code of `run`: success, or the error on stderr and failure.
pub fn exit(run: impl FnOnce() -> Result<(), Box<dyn Error>>) -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Creates `dir/name` for buffered writing; the error names the file.
pub fn create(dir: &Path, name: &str) -> Result<BufWriter<File>, String> {
    let p = dir.join(name);
    File::create(&p)
        .map(BufWriter::new)
        .map_err(|e| format!("{}: {e}", p.display()))
}

/// `[DIR] [--tiny]`: the output directory (default `target/NAME`) and the sample county's
/// size; `None` when `--help` was asked for (the usage is printed).
pub fn dir_and_size(name: &str) -> Option<(PathBuf, SampleConfig)> {
    let mut out = PathBuf::from(format!("target/{name}"));
    let mut config = SampleConfig::county();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--tiny" => config = SampleConfig::tiny(),
            "-h" | "--help" => {
                println!("usage: {name} [DIR] [--tiny]");
                return None;
            }
            dir => out = dir.into(),
        }
    }
    Some((out, config))
}
