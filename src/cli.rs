//! The command line: `incident-report render FILE [--format ...]` and
//! `incident-report serve --data DIR [...]`.

use clap::{Parser, Subcommand, ValueEnum};
use incident_report::model;
use incident_report::report::{self, render, Options};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// The binary's allocator: parsing and reporting a large incident is mostly
/// small allocations, which mimalloc serves about a third faster than glibc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        /// `json` writes the structured report (every item, with its provenance).
        #[arg(long, value_enum, default_value_t = Format::Markdown)]
        format: Format,
        /// The zone times are shown in: UTC or an IANA name such as Europe/Amsterdam.
        #[arg(long, default_value = "UTC")]
        time_zone: String,
    },
    /// Serve the API, the demo portal and the widget over the bundles of a directory.
    Serve(ServeArgs),
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Every `*.json` here is an incident bundle, keyed by its incident id.
    #[arg(long)]
    data: PathBuf,
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: std::net::SocketAddr,
    /// Where comments, feedback and generated reports are kept
    /// [default: $XDG_DATA_HOME/incident-report/reports.db].
    #[arg(long)]
    db: Option<PathBuf>,
    /// A file holding the API token; or set INCIDENT_REPORT_TOKEN.
    #[arg(long)]
    token_file: Option<PathBuf>,
    /// The one origin (e.g. https://portal.example) allowed to call the API from a browser.
    #[arg(long)]
    allow_origin: Option<String>,
    /// The widget build (`./scripts/build-widget` writes it).
    #[arg(long, default_value = "dist/widget")]
    widget_dir: PathBuf,
    /// An OpenAI-compatible Chat Completions URL for the narrative (key: INCIDENT_REPORT_LLM_KEY).
    #[arg(long, requires = "llm_model")]
    llm_url: Option<String>,
    #[arg(long, requires = "llm_url")]
    llm_model: Option<String>,
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
        Command::Render {
            file,
            format,
            time_zone,
        } => render(&file, format, &time_zone),
        Command::Serve(args) => serve(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("incident-report: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Writes the report of `file`: Markdown, plain text, an HTML document, or
/// the structured report as JSON (`{"incidentId", "title",
/// "generatedForZone", "sections": [...]}`, complete lists and provenance).
fn render(file: &PathBuf, format: Format, time_zone: &str) -> Result<(), String> {
    let zone = report::zone_by_name(time_zone).map_err(|e| e.to_string())?;
    let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let incident = model::parse(&bytes).map_err(|e| format!("{}: {e}", file.display()))?;
    let options = Options {
        zone,
        ..Options::default()
    };
    let report = report::build(&incident, &options);
    let out = match format {
        Format::Markdown => render::markdown::render(&report),
        Format::Text => render::text::render(&report),
        Format::Html => render::html::document(&report),
        Format::Json => render::json(&report) + "\n",
    };
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| e.to_string());
    // The process ends here: freeing a 10k-action incident piece by piece
    // would only delay the exit.
    std::mem::forget((incident, report, out));
    written
}

/// Runs the reference server until Ctrl-C.
fn serve(args: ServeArgs) -> Result<(), String> {
    use incident_report::server;
    let token = match &args.token_file {
        Some(file) => {
            Some(std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?)
        }
        None => std::env::var("INCIDENT_REPORT_TOKEN")
            .ok()
            .filter(|t| !t.is_empty()),
    };
    let mut config =
        server::Config::new(args.data, args.db.unwrap_or_else(server::default_db_path));
    config.addr = args.addr;
    config.token = token;
    config.allow_origin = args.allow_origin;
    config.widget_dir = args.widget_dir;
    if let (Some(url), Some(model)) = (args.llm_url, args.llm_model) {
        config.llm = Some(server::llm::LlmConfig::new(
            url,
            model,
            std::env::var("INCIDENT_REPORT_LLM_KEY").ok(),
        ));
    }
    tokio::runtime::Runtime::new()
        .map_err(|e| e.to_string())?
        .block_on(server::run(config))
}
