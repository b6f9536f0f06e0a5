//! `firedrill new ID [--from-timeline FILE] [--zone TZ] [--out FILE]`: writes a scenario
//! skeleton to start a drill from, seeded from a postmortem timeline when given.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use firedrill_core::authoring::{scaffold, timeline};
use firedrill_core::scenario;

use super::CliError;

pub struct NewArgs {
    pub id: String,
    pub from_timeline: Option<PathBuf>,
    pub zone: Option<String>,
    pub out: Option<PathBuf>,
}

pub fn run(args: NewArgs) -> Result<(), CliError> {
    if let Some(problem) = scenario::id_problem(&args.id) {
        return Err(CliError::Usage(problem));
    }
    let zone = timeline::zone(args.zone.as_deref()).map_err(CliError::Usage)?;
    let out = args
        .out
        .unwrap_or_else(|| Path::new("scenarios").join(format!("{}.ron", args.id)));
    if out.exists() {
        return Err(CliError::Usage(format!(
            "{} already exists: pick another ID or --out FILE (nothing was overwritten)",
            out.display()
        )));
    }
    let timeline = match &args.from_timeline {
        Some(path) => Some(timeline::load_file(path, zone).map_err(CliError::from)?),
        None => None,
    };
    let written = scaffold::scaffold(&args.id, zone, timeline.as_ref());
    write_new(&out, &written.text)
        .map_err(|e| CliError::Io(format!("{}: cannot write: {e}", out.display())))?;

    let file = out.display();
    println!("Wrote {file}: a skeleton that validates and that the bots resolve.");
    if let Some(path) = &args.from_timeline {
        println!(
            "From {} ({} injects at their offsets):",
            path.display(),
            written.injects
        );
        for note in &written.notes {
            println!("  {note}");
        }
    }
    println!(
        "Fill in the TODOs (grep TODO {file}), then:\n  firedrill validate {file}\n  firedrill autoplay {file}\n  firedrill play {file}"
    );
    Ok(())
}

/// Writes a new file, never replacing one (a file created meanwhile is an error too).
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?
        .write_all(text.as_bytes())
}
