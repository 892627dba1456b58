//! The durable cache: one SQLite file (WAL), one row per (source, UTC day)
//! holding that day's records as the upstream sent them.
//!
//! Whole days, not upstream pages: the upstream's cursors are opaque and need
//! not be stable, so the server follows a day's pages itself, stores the day
//! once and pages the browser with its own cursors.
//!
//! The cache is only ever a cache: a file that cannot be opened, fails
//! SQLite's integrity check or holds another schema is moved aside and a new
//! one started, with a warning; if even that fails, the server runs on an
//! in-memory database. Nothing here stops the server.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::value::RawValue;
use serde_json::Value;

/// Bumped when the table changes; a file with another version is rebuilt.
const SCHEMA_VERSION: i64 = 1;

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("integrity check failed: {0}")]
    Integrity(String),
    #[error("schema version {0}, expected {SCHEMA_VERSION}")]
    Version(i64),
}

/// One cached day.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedDay {
    /// When it was fetched, seconds since the Unix epoch.
    pub fetched_at: i64,
    pub records: Vec<Value>,
}

pub struct Cache {
    /// `None` only if SQLite could not even open an in-memory database: the
    /// server then runs without a cache.
    conn: Mutex<Option<Connection>>,
    /// Where it lives, for logs: a path or `memory`.
    location: String,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache")
            .field("location", &self.location)
            .finish()
    }
}

impl Cache {
    /// Opens (or creates) the cache at `path`; never fails (see the module doc).
    pub fn open(path: &Path) -> Cache {
        match open_file(path) {
            Ok(conn) => return Cache::new(conn, path.display().to_string()),
            Err(error) => tracing::warn!(
                cache = %path.display(),
                %error,
                "the cache file cannot be used; moving it aside and starting a new one"
            ),
        }
        match move_aside(path) {
            Ok(Some(moved)) => {
                tracing::warn!(cache = %path.display(), moved_to = %moved.display(), "old cache kept for inspection")
            }
            Ok(None) => {}
            Err(error) => {
                tracing::warn!(cache = %path.display(), %error, "cannot move the cache aside")
            }
        }
        match open_file(path) {
            Ok(conn) => Cache::new(conn, path.display().to_string()),
            Err(error) => {
                tracing::warn!(cache = %path.display(), %error, "cannot create a cache file; caching in memory only");
                Cache::in_memory()
            }
        }
    }

    /// A cache that lasts as long as the process (the last resort, and tests).
    pub fn in_memory() -> Cache {
        let conn = Connection::open_in_memory()
            .map_err(CacheError::from)
            .and_then(|conn| {
                init(&conn)?;
                Ok(conn)
            });
        match conn {
            Ok(conn) => Cache::new(conn, "memory".to_owned()),
            Err(error) => {
                tracing::warn!(%error, "no cache at all");
                Cache {
                    conn: Mutex::new(None),
                    location: "none".to_owned(),
                }
            }
        }
    }

    fn new(conn: Connection, location: String) -> Cache {
        Cache {
            conn: Mutex::new(Some(conn)),
            location,
        }
    }

    pub fn location(&self) -> &str {
        &self.location
    }

    pub fn get(&self, source: &str, day: NaiveDate) -> Result<Option<CachedDay>, CacheError> {
        Ok(self.row(source, day)?.and_then(|(fetched_at, text)| {
            match serde_json::from_str::<Vec<Value>>(&text) {
                Ok(records) => Some(CachedDay {
                    fetched_at,
                    records,
                }),
                Err(error) => {
                    // A row SQLite kept intact but that does not parse: refetch it.
                    tracing::warn!(%day, %error, "unreadable cache row ignored");
                    None
                }
            }
        }))
    }

    /// The cached day with only the records `keep` says yes to, asked of
    /// each record's JSON text: the others are scanned, never parsed into
    /// values (for one member's records among thousands, see
    /// `crate::member`). A row that does not parse is no copy, as for `get`.
    pub fn get_where(
        &self,
        source: &str,
        day: NaiveDate,
        keep: &dyn Fn(&str) -> bool,
    ) -> Result<Option<CachedDay>, CacheError> {
        Ok(self.row(source, day)?.and_then(|(fetched_at, text)| {
            let picked = serde_json::from_str::<Vec<&RawValue>>(&text).and_then(|records| {
                records
                    .into_iter()
                    .filter(|record| keep(record.get()))
                    .map(|record| serde_json::from_str::<Value>(record.get()))
                    .collect::<Result<Vec<Value>, _>>()
            });
            match picked {
                Ok(records) => Some(CachedDay {
                    fetched_at,
                    records,
                }),
                Err(error) => {
                    tracing::warn!(%day, %error, "unreadable cache row ignored");
                    None
                }
            }
        }))
    }

    /// The stored row of a day: when it was fetched, and its records' JSON.
    fn row(&self, source: &str, day: NaiveDate) -> Result<Option<(i64, String)>, CacheError> {
        let guard = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(conn) = guard.as_ref() else {
            return Ok(None);
        };
        Ok(conn
            .query_row(
                "SELECT fetched_at, records FROM days WHERE source = ?1 AND day = ?2",
                params![source, day.to_string()],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?)
    }

    pub fn put(
        &self,
        source: &str,
        day: NaiveDate,
        fetched_at: i64,
        records: &[Value],
    ) -> Result<(), CacheError> {
        let text =
            serde_json::to_string(records).map_err(|e| CacheError::Integrity(e.to_string()))?;
        let guard = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(conn) = guard.as_ref() else {
            return Ok(());
        };
        conn.execute(
            "INSERT OR REPLACE INTO days (source, day, fetched_at, records) VALUES (?1, ?2, ?3, ?4)",
            params![source, day.to_string(), fetched_at, text],
        )?;
        Ok(())
    }

    /// Days cached for a source (for tests and the startup log).
    pub fn count(&self, source: &str) -> Result<i64, CacheError> {
        let guard = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(conn) = guard.as_ref() else {
            return Ok(0);
        };
        Ok(conn.query_row(
            "SELECT count(*) FROM days WHERE source = ?1",
            params![source],
            |row| row.get(0),
        )?)
    }
}

fn open_file(path: &Path) -> Result<Connection, CacheError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let conn = Connection::open(path)?;
    // A garbage file opens fine; the first statement is where SQLite notices.
    let check: String = conn.query_row("PRAGMA integrity_check", [], |row| row.get(0))?;
    if check != "ok" {
        return Err(CacheError::Integrity(check.chars().take(200).collect()));
    }
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    // WAL with synchronous=NORMAL survives a killed process (not a power cut,
    // which may lose the last writes: a cache can afford that).
    conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;")?;
    init(&conn)?;
    Ok(conn)
}

fn init(conn: &Connection) -> Result<(), CacheError> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    match version {
        0 => {
            conn.execute_batch(
                "CREATE TABLE IF NOT EXISTS days (
                     source TEXT NOT NULL,
                     day TEXT NOT NULL,
                     fetched_at INTEGER NOT NULL,
                     records TEXT NOT NULL,
                     PRIMARY KEY (source, day)
                 ) WITHOUT ROWID;",
            )?;
            conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
            Ok(())
        }
        SCHEMA_VERSION => Ok(()),
        other => Err(CacheError::Version(other)),
    }
}

/// Renames the file (and its WAL and shared-memory files, which belong to it
/// and must not be replayed into a new database) to `…corrupt-<unix time>`.
fn move_aside(path: &Path) -> Result<Option<PathBuf>, std::io::Error> {
    if !path.exists() {
        return Ok(None);
    }
    let stamp = chrono::Utc::now().timestamp();
    let with_suffix = |p: &Path, suffix: &str| {
        let mut name = p.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    let target = with_suffix(path, &format!(".corrupt-{stamp}"));
    std::fs::rename(path, &target)?;
    for extra in ["-wal", "-shm"] {
        let file = with_suffix(path, extra);
        if file.exists() {
            std::fs::rename(&file, with_suffix(&target, extra))?;
        }
    }
    Ok(Some(target))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn temp_path(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("cca-server-cache-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir.join("sub").join("server.sqlite3")
    }

    #[test]
    fn a_day_survives_reopening() {
        let path = temp_path("reopen");
        let day = NaiveDate::from_ymd_opt(2025, 9, 8).unwrap();
        {
            let cache = Cache::open(&path);
            assert_eq!(cache.get("s", day).unwrap(), None);
            cache.put("s", day, 42, &[json!({"a": 1})]).unwrap();
        }
        let cache = Cache::open(&path);
        assert_eq!(
            cache.get("s", day).unwrap(),
            Some(CachedDay {
                fetched_at: 42,
                records: vec![json!({"a": 1})]
            })
        );
        assert_eq!(cache.get("other", day).unwrap(), None);
        assert_eq!(cache.count("s").unwrap(), 1);
    }

    #[test]
    fn a_garbage_file_is_moved_aside_and_rebuilt() {
        let path = temp_path("garbage");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, vec![0x5a; 8192]).unwrap();
        let cache = Cache::open(&path);
        assert_eq!(cache.location(), path.display().to_string());
        let day = NaiveDate::from_ymd_opt(2025, 9, 8).unwrap();
        cache.put("s", day, 1, &[]).unwrap();
        let moved: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains(".corrupt-"))
            .collect();
        assert_eq!(moved.len(), 1);
    }

    #[test]
    fn a_day_read_with_a_filter_holds_only_the_records_kept() {
        let cache = Cache::in_memory();
        let day = NaiveDate::from_ymd_opt(2025, 9, 8).unwrap();
        let records = [
            json!({"n": 1}),
            json!({"n": 2, "x": [true]}),
            json!({"n": 3}),
        ];
        cache.put("s", day, 7, &records).unwrap();
        let odd = |text: &str| text.contains("\"n\":1") || text.contains("\"n\":3");
        assert_eq!(
            cache.get_where("s", day, &odd).unwrap(),
            Some(CachedDay {
                fetched_at: 7,
                records: vec![json!({"n": 1}), json!({"n": 3})]
            })
        );
        assert_eq!(
            cache
                .get_where("s", day, &|_| false)
                .unwrap()
                .map(|d| d.records),
            Some(Vec::new())
        );
        assert_eq!(cache.get_where("other", day, &|_| true).unwrap(), None);
    }
}
