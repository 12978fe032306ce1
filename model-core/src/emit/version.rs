use super::{folder::diesel_version, EmitError, MigrationsFolder};
use chrono::{DateTime, Duration, NaiveDateTime, Utc};

const FORMAT: &str = "%Y-%m-%d-%H%M%S";

/// The version (`%Y-%m-%d-%H%M%S`, UTC) for a new migration made at `now`: unique and sorting after
/// every migration in the folder. When the folder already holds a version at or after `now` (two
/// migrations within one second, a clock behind), it is the newest existing date-based version plus one
/// second. Diesel stores versions with the dashes removed (14 characters, well under its 50).
///
/// ```
/// use chrono::TimeZone;
/// let dir = std::env::temp_dir().join(format!("model-version-doc-{}", std::process::id()));
/// std::fs::create_dir_all(dir.join("2026-01-01-000000_a")).unwrap();
/// let f = model_core::emit::MigrationsFolder::read(&dir).unwrap();
/// let now = chrono::Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
/// assert_eq!(model_core::emit::next_version(&f, now).unwrap(), "2026-01-01-000001");
/// ```
pub fn next_version(folder: &MigrationsFolder, now: DateTime<Utc>) -> Result<String, EmitError> {
    let mut candidate = now.naive_utc();
    if let Some(last) = folder.migrations.last() {
        let prefix = last.name.split('_').next().unwrap_or(&last.name);
        let fmt = |t: NaiveDateTime| t.format(FORMAT).to_string();
        if diesel_version(&fmt(candidate)) <= last.version {
            match NaiveDateTime::parse_from_str(prefix, FORMAT) {
                Ok(t) => candidate = t + Duration::seconds(1),
                Err(_) => {
                    return Err(EmitError::VersionOrder {
                        folder: folder.path.clone(),
                        existing: last.name.clone(),
                    })
                }
            }
        }
    }
    Ok(candidate.format(FORMAT).to_string())
}
