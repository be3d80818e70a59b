//! The command line: `incident-report render FILE [--format ...]`.

use clap::{Parser, Subcommand, ValueEnum};
use incident_report::model;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "incident-report",
    version,
    about = "Grounded incident reports for Defender and Sentinel incidents"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the report of one incident bundle to standard output.
    Render {
        /// An incident bundle, a bare Graph incident or a bare Sentinel incident (JSON).
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Markdown)]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Markdown,
    Text,
    Html,
    Json,
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Render { file, format } => render(&file, format),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("incident-report: {message}");
            ExitCode::FAILURE
        }
    }
}

fn render(file: &PathBuf, format: Format) -> Result<(), String> {
    let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let incident = model::parse(&bytes).map_err(|e| format!("{}: {e}", file.display()))?;
    let out = match format {
        Format::Json => serde_json::to_string_pretty(&serde_json::json!({ "incident": incident }))
            .map_err(|e| e.to_string())?,
        Format::Markdown | Format::Text | Format::Html => {
            return Err("only --format json is available until the report engine lands".into())
        }
    };
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{out}").map_err(|e| e.to_string())
}
