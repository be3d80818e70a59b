//! What people add, kept in SQLite (WAL): posted comments, report feedback
//! and every generated report, so they survive a restart.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The database; cheap to clone. Calls block: run them off the async
/// workers (`tokio::task::spawn_blocking`).
#[derive(Clone)]
pub struct Store {
    connection: Arc<Mutex<Connection>>,
}

/// A comment posted through the API.
#[derive(Clone, Debug)]
pub struct PostedComment {
    pub comment: String,
    pub created_by: String,
    pub created_at: String,
    pub report_id: Option<String>,
}

/// Feedback on a generated report.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Feedback {
    pub id: String,
    pub report_id: String,
    pub rating: String,
    pub text: String,
    pub created_date_time: String,
}

/// A generated report as stored.
#[derive(Clone, Debug)]
pub struct StoredReport {
    pub id: String,
    pub incident_id: String,
    pub time_zone: String,
    /// The whole report as the JSON answer gave it.
    pub body: String,
    /// The model-written narrative, if any (JSON), to re-apply on exports.
    pub narrative: Option<String>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS reports (
    id TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL,
    generated_at TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    engine TEXT NOT NULL,
    body TEXT NOT NULL,
    narrative TEXT
);
CREATE INDEX IF NOT EXISTS reports_by_incident ON reports (incident_id);
CREATE TABLE IF NOT EXISTS comments (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id TEXT NOT NULL,
    comment TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    report_id TEXT
);
CREATE INDEX IF NOT EXISTS comments_by_incident ON comments (incident_id, seq);
CREATE TABLE IF NOT EXISTS feedback (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    incident_id TEXT NOT NULL,
    report_id TEXT NOT NULL REFERENCES reports (id),
    rating TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_by_incident ON feedback (incident_id, seq);
";

impl Store {
    /// Opens (or creates) the database at `path`, in WAL mode.
    pub fn open(path: &Path) -> rusqlite::Result<Store> {
        let connection = Connection::open(path)?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        connection.execute_batch(SCHEMA)?;
        Ok(Store {
            connection: Arc::new(Mutex::new(connection)),
        })
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        let mut connection = self.connection.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut connection)
    }

    /// Adds a comment and answers every posted comment of the incident,
    /// oldest first, in one transaction.
    pub fn add_comment(
        &self,
        incident_id: &str,
        comment: &PostedComment,
    ) -> rusqlite::Result<Vec<PostedComment>> {
        self.with(|c| {
            let tx = c.transaction()?;
            tx.execute(
                "INSERT INTO comments (incident_id, comment, created_by, created_at, report_id) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![incident_id, comment.comment, comment.created_by, comment.created_at, comment.report_id],
            )?;
            let all = comments_of(&tx, incident_id)?;
            tx.commit()?;
            Ok(all)
        })
    }

    /// Every posted comment of the incident, oldest first.
    pub fn comments(&self, incident_id: &str) -> rusqlite::Result<Vec<PostedComment>> {
        self.with(|c| comments_of(c, incident_id))
    }

    pub fn add_report(
        &self,
        report: &StoredReport,
        generated_at: &str,
        engine: &str,
    ) -> rusqlite::Result<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO reports (id, incident_id, generated_at, time_zone, engine, body, narrative) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![report.id, report.incident_id, generated_at, report.time_zone, engine, report.body, report.narrative],
            )
            .map(drop)
        })
    }

    /// The report `id` of incident `incident_id`.
    pub fn report(&self, incident_id: &str, id: &str) -> rusqlite::Result<Option<StoredReport>> {
        self.with(|c| {
            c.query_row(
                "SELECT id, incident_id, time_zone, body, narrative FROM reports WHERE id = ?1 AND incident_id = ?2",
                params![id, incident_id],
                |row| {
                    Ok(StoredReport {
                        id: row.get(0)?,
                        incident_id: row.get(1)?,
                        time_zone: row.get(2)?,
                        body: row.get(3)?,
                        narrative: row.get(4)?,
                    })
                },
            )
            .optional()
        })
    }

    /// Whether incident `incident_id` has a report `id`.
    pub fn has_report(&self, incident_id: &str, id: &str) -> rusqlite::Result<bool> {
        self.with(|c| {
            c.query_row(
                "SELECT 1 FROM reports WHERE id = ?1 AND incident_id = ?2",
                params![id, incident_id],
                |_| Ok(()),
            )
            .optional()
            .map(|found| found.is_some())
        })
    }

    /// Stores feedback on a report of the incident; `None` if the incident
    /// has no such report.
    pub fn add_feedback(
        &self,
        incident_id: &str,
        feedback: &Feedback,
    ) -> rusqlite::Result<Option<()>> {
        self.with(|c| {
            let tx = c.transaction()?;
            let known = tx
                .query_row(
                    "SELECT 1 FROM reports WHERE id = ?1 AND incident_id = ?2",
                    params![feedback.report_id, incident_id],
                    |_| Ok(()),
                )
                .optional()?;
            if known.is_none() {
                return Ok(None);
            }
            tx.execute(
                "INSERT INTO feedback (id, incident_id, report_id, rating, text, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![feedback.id, incident_id, feedback.report_id, feedback.rating, feedback.text, feedback.created_date_time],
            )?;
            tx.commit()?;
            Ok(Some(()))
        })
    }

    /// Every feedback on the incident's reports, oldest first.
    pub fn feedback(&self, incident_id: &str) -> rusqlite::Result<Vec<Feedback>> {
        self.with(|c| {
            let mut statement = c.prepare_cached(
                "SELECT id, report_id, rating, text, created_at FROM feedback WHERE incident_id = ?1 ORDER BY seq",
            )?;
            let rows = statement.query_map(params![incident_id], |row| {
                Ok(Feedback {
                    id: row.get(0)?,
                    report_id: row.get(1)?,
                    rating: row.get(2)?,
                    text: row.get(3)?,
                    created_date_time: row.get(4)?,
                })
            })?;
            rows.collect()
        })
    }
}

fn comments_of(c: &Connection, incident_id: &str) -> rusqlite::Result<Vec<PostedComment>> {
    let mut statement = c.prepare_cached(
        "SELECT comment, created_by, created_at, report_id FROM comments WHERE incident_id = ?1 ORDER BY seq",
    )?;
    let rows = statement.query_map(params![incident_id], |row| {
        Ok(PostedComment {
            comment: row.get(0)?,
            created_by: row.get(1)?,
            created_at: row.get(2)?,
            report_id: row.get(3)?,
        })
    })?;
    rows.collect()
}
