//! The error type of [`migrate`](super::migrate).

/// The boxed error Diesel's migration API reports.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why [`migrate`](super::migrate) (or another function of the runtime) could not do its work.
///
/// The message (`Display`) says what happened and what to do; `Debug` prints the same message, so a
/// service whose `main` returns `Result<(), Box<dyn std::error::Error>>` and uses `?` shows the
/// recovery text when it fails at startup (`Error: migration 20240101000000 (…) was applied, and its
/// up.sql has changed since …`), not the variant's fields. Match on the variant for the fields.
///
/// The enum is `#[non_exhaustive]`: later versions add variants.
///
/// ```
/// use model_core::runtime::Error;
/// let e = Error::NoDown { version: "20240101000000".into(), name: "2024-01-01-000000_init".into() };
/// assert_eq!(format!("{e:?}"), e.to_string());
/// assert!(e.to_string().starts_with("cannot revert migration 20240101000000"));
/// ```
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The migration source could not be read (a missing folder, a migration without `up.sql`, ...).
    #[error(
        "cannot read the migrations: {source}; check that the migrations folder exists and that every \
         migration in it has an up.sql"
    )]
    Source {
        /// Diesel's error.
        #[source]
        source: BoxError,
    },
    /// The SQL of one migration could not be read from the source (e.g. its up.sql vanished or is not
    /// text). Nothing of it ran; migrations applied before it stay applied. (A failing statement is
    /// [`Error::Statement`], or [`Error::Partial`] on MySQL.)
    #[error(
        "migration {version} (`{name}`) failed: {source}; fix its up.sql (or the database) and start \
         again: the migrations before it are applied, this one and the later ones are not"
    )]
    Apply {
        /// Version of the failing migration (e.g. `20240101000000`).
        version: String,
        /// Full name of the failing migration (its folder name).
        name: String,
        /// Diesel's error.
        #[source]
        source: BoxError,
    },
    /// MySQL only: a statement of a migration failed after the statements before it were committed
    /// (MySQL commits each DDL statement at once). The progress is recorded: the next run resumes at
    /// this statement.
    #[error("{}", partial_message(.version, .name, *.number, *.total, .statement, .source))]
    Partial {
        /// Version of the failing migration.
        version: String,
        /// Full name of the failing migration (its folder name).
        name: String,
        /// Number of the failing statement in its `up.sql`, from 1.
        number: usize,
        /// How many statements the `up.sql` has.
        total: usize,
        /// The failing statement.
        statement: String,
        /// The database's error.
        #[source]
        source: BoxError,
    },
    /// MySQL only: an earlier run applied the first statements of a migration and stopped, and those
    /// statements have changed since in `up.sql`, so the run cannot know where to resume.
    #[error(
        "migration {version} (`{name}`) was partly applied by an earlier run (its first {done} statements, as recorded in `__model_migration_progress`), and those statements are not the same in its up.sql any more: put them back as they were, or undo them by hand and delete the row of version {version} from `__model_migration_progress`; then start again"
    )]
    Edited {
        /// Version of the migration.
        version: String,
        /// Full name of the migration.
        name: String,
        /// How many statements the earlier run applied.
        done: usize,
    },
    /// MySQL only: the progress of a migration could not be recorded (in `__model_migration_progress`
    /// or Diesel's `__diesel_schema_migrations`).
    #[error(
        "migration {version} (`{name}`): cannot record its progress in `__model_migration_progress` or `__diesel_schema_migrations`: {source}; check that the database user may create, read and write those tables"
    )]
    Progress {
        /// Version of the migration.
        version: String,
        /// Full name of the migration.
        name: String,
        /// The database's error.
        #[source]
        source: BoxError,
    },
    /// The connection is not one the runtime knows. Not returned any more: the functions take only
    /// connections they can drive ([`MigrateConnection`](super::MigrateConnection),
    /// [`Introspect`](super::Introspect)), so another one is a compile error; kept so code that
    /// names it still compiles.
    #[error(
        "the runtime cannot work with a `{connection}`: pass a `PgConnection`, `SqliteConnection` or \
         `MysqlConnection` (for a pooled connection, `&mut *pooled`), with the matching feature of `model` \
         (postgres, sqlite, mysql)"
    )]
    Unsupported {
        /// The connection's type name.
        connection: &'static str,
    },
    /// The migration lock could not be taken: the database refused the query.
    #[error("cannot take the migration lock: {source}; check the connection")]
    Lock {
        /// The database's error.
        #[source]
        source: BoxError,
    },
    /// Another process held the migration lock for longer than `Options::lock_timeout`.
    #[error(
        "waited {waited:?} for the migration lock, which another process holds ({holder}); it is probably \
         running the migrations: start again once it is done, or raise `Options::lock_timeout`"
    )]
    LockTimeout {
        /// How long this process waited.
        waited: std::time::Duration,
        /// Who holds the lock, in words (what the database can tell).
        holder: String,
    },
    /// The table lock of this run was taken over by another run while this one worked: its row was
    /// not renewed within its lease. This run stopped before its next step.
    #[error(
        "the migration lock (the row of {owner} in `__model_migration_lock`) was taken over by another run while \
         this one worked: it was not renewed within its lease of {lease:?} (a statement or migration that took longer, \
         or this process was paused); this run stopped before its next step, and what it applied is recorded. Raise \
         `Options::lock_lease` (`--lock-lease`) above the longest statement, then start again"
    )]
    LockLost {
        /// This run's owner string.
        owner: String,
        /// The lease the row had.
        lease: std::time::Duration,
    },
    /// The schema (MySQL: database) to run in does not exist; only the functions that migrate
    /// create it.
    #[error(
        "schema `{schema}` does not exist: check the name (tenants' names are case-sensitive), or migrate it first \
         (`model upgrade` and `model::migrate` create it)"
    )]
    NoSchema {
        /// The schema.
        schema: String,
    },
    /// Tenants in PostgreSQL schemas, and a migration that puts a table in a schema of its own
    /// (`#[model(schema = "..")]`): that table would be one for every tenant, created by the first
    /// tenant's run and refused ("already exists") by the next. Refused before any tenant runs.
    #[error(
        "migration {name} creates or moves tables into schema `{schema}`, which every tenant would share: tenant          schemas take the tables whose models name no schema; keep the shared tables in a crate of their own,          migrated once (`model upgrade` without `--tenants`)"
    )]
    SharedSchemaInTenants {
        /// The migration (its folder name).
        name: String,
        /// The schema it names.
        schema: String,
    },
    /// The run could not switch to (or create, or leave) its schema.
    #[error("cannot work in schema `{schema}`: {source}")]
    Schema {
        /// The schema.
        schema: String,
        /// The database's error.
        #[source]
        source: BoxError,
    },
    /// A tenant's database could not be reached.
    #[error("cannot connect to {url}: {source}")]
    Connect {
        /// The URL, password hidden.
        url: String,
        /// The driver's error.
        #[source]
        source: BoxError,
    },
    /// The query listing the tenants failed.
    #[error(
        "the query listing the tenants failed: {source}; it must return one column of names (schemas, databases \
         or URLs), one per row; the query: {query}"
    )]
    TenantQuery {
        /// The query.
        query: String,
        /// The database's error.
        #[source]
        source: BoxError,
    },
    /// The crate's tracking tables (`__model_migrations`, `__diesel_schema_migrations`) could not be
    /// created, read or written.
    #[error(
        "cannot {action} the tables `__model_migrations` / `__diesel_schema_migrations`: {source}; check the \
         connection and that the database user may create, read and write those tables"
    )]
    Tracking {
        /// What was being done (`read`, `create`, `record migration 20240101000000 in`, ...).
        action: String,
        /// The database's error.
        #[source]
        source: BoxError,
    },
    /// A statement of a migration (or of its down.sql, when reverting) failed.
    #[error("{}", statement_message(.version, .name, *.number, *.total, .statement, .source, *.rolled_back, *.down))]
    Statement {
        /// Version of the failing migration.
        version: String,
        /// Full name of the failing migration (its folder name).
        name: String,
        /// Number of the failing statement in its script, from 1.
        number: usize,
        /// How many statements the script has.
        total: usize,
        /// The failing statement.
        statement: String,
        /// `true` when the migration ran in a transaction that was rolled back (nothing of it is
        /// applied); `false` when the statements before this one stay applied
        /// (`run_in_transaction = false`).
        rolled_back: bool,
        /// `true` when reverting (down.sql), `false` when applying (up.sql).
        down: bool,
        /// The database's error.
        #[source]
        source: BoxError,
    },
    /// An applied migration's up.sql is not the one that was applied (its checksum changed).
    #[error(
        "migration {version} (`{name}`) was applied, and its up.sql has changed since (beyond comments and \
         blanks): put it back as it was and write a new migration for the change; or, if the database already \
         holds the edit (or it does not matter), accept the new text with `model accept {version}` (or \
         `model::accept`)"
    )]
    Checksum {
        /// Version of the edited migration.
        version: String,
        /// Full name of the edited migration.
        name: String,
        /// The checksum recorded when it was applied.
        recorded: String,
        /// The checksum of its up.sql now.
        current: String,
    },
    /// The newest migration, written by the build step, was applied and its up.sql has changed
    /// since: most likely the build step rewrote it as a draft after this database applied it.
    #[error(
        "migration {version} (`{name}`), the newest migration, was applied, and its up.sql has changed since: \
         most likely the build step rewrote it as a draft (it does so while a migration is not committed to \
         git) after this database applied the earlier text. Nothing was run. In the crate's folder, `model \
         revert-draft` undoes the earlier text with the down.sql the build step kept, then start again. If \
         the file was edited by hand instead: put it back as it was, or accept the edit with `model accept \
         {version}` (or `model::accept`)"
    )]
    RewrittenDraft {
        /// Version of the migration.
        version: String,
        /// Full name of the migration.
        name: String,
    },
    /// Pending migrations sort before the newest applied one, and no merge brings them in.
    #[error("{}", out_of_order_message(.migrations, .newest, .newest_name.as_deref()))]
    OutOfOrder {
        /// `(version, name)` of each refused migration.
        migrations: Vec<(String, String)>,
        /// The newest applied version.
        newest: String,
        /// Its name, when the source has it.
        newest_name: Option<String>,
    },
    /// A version given to `upgrade_to`, `downgrade` or `accept` is not known.
    #[error("no migration has the version {version} ({why}); `model status` lists the versions")]
    UnknownVersion {
        /// The version asked for.
        version: String,
        /// Why it cannot be used (`not in the migrations folder`, `not applied`).
        why: &'static str,
    },
    /// A migration to revert has no down.sql (or an empty one): nothing was reverted.
    #[error(
        "cannot revert migration {version} (`{name}`): it has no down.sql; nothing was reverted. Write its \
         down.sql, or downgrade to a version after it"
    )]
    NoDown {
        /// Version of the migration.
        version: String,
        /// Full name of the migration.
        name: String,
    },
    /// A migration to revert is applied but not in the migrations folder (a newer build applied it).
    #[error(
        "cannot revert migration {version}: it is applied but not in the migrations folder (a newer version of \
         the service applied it?); nothing was reverted. Downgrade with the build that has it"
    )]
    NotInSource {
        /// Version of the migration.
        version: String,
    },
    /// The thread that runs the migrations of an async call could not be started.
    #[error("cannot start the thread that runs the migrations: {source}")]
    Thread {
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The thread that ran the migrations of an async call stopped without a result (a bug: please
    /// report it with the log). The connection may hold the migration lock: drop it.
    #[error(
        "the thread that ran the migrations stopped without a result (an internal error: please report it); drop \
         the connection, which may still hold the migration lock, and start again"
    )]
    Panicked,
    /// A baseline migration is pending, and whether the database already holds its schema can only
    /// be told by introspection, which reads the catalog with Diesel's own connections.
    #[error(
        "a baseline migration is pending, and recognising a database that already holds its schema needs \
         introspection, which cannot read the database through a `{connection}`: apply the baseline once with \
         Diesel's `PgConnection`, `SqliteConnection` or `MysqlConnection` (or an r2d2 pooled one; features \
         `postgres`, `sqlite`, `mysql`), then this connection works"
    )]
    NoIntrospection {
        /// The connection's type name.
        connection: &'static str,
    },
    /// A baseline migration is pending on a database that holds part of its schema: it can neither be
    /// recorded as applied (the database is not exactly its schema) nor run (its tables exist).
    #[error(
        "baseline migration {name} ({version}) cannot be applied: the database holds part of its schema, \
         differing in:\n{}\nmake the database hold exactly the baseline's schema (or drop what it created), or \
         import it again (`model import`) to take its present schema as the baseline",
        .differences.iter().map(|d| format!("  - {d}")).collect::<Vec<_>>().join("\n")
    )]
    Baseline {
        /// The migration's version.
        version: String,
        /// Its folder name.
        name: String,
        /// Each difference between the database and the baseline's schema, in words.
        differences: Vec<String>,
    },
    /// A baseline migration's header cannot be read.
    #[error(
        "baseline migration {name} ({version}): its header cannot be read ({message}); restore it from version control"
    )]
    BaselineHeader {
        /// The migration's version.
        version: String,
        /// Its folder name.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// The live database could not be read back (drift check).
    #[error("cannot read the database's schema for the drift check: {source}")]
    Introspect {
        /// Introspection's error.
        #[source]
        source: crate::introspect::IntrospectError,
    },
}

/// The message of [`Error::Statement`]: which statement failed, and what is left applied.
#[allow(clippy::too_many_arguments)]
fn statement_message(
    version: &str,
    name: &str,
    number: usize,
    total: usize,
    statement: &str,
    source: &BoxError,
    rolled_back: bool,
    down: bool,
) -> String {
    let (verb, file) = if down {
        ("reverting", "down.sql")
    } else {
        ("applying", "up.sql")
    };
    let state = match (rolled_back, down) {
        (true, false) => "it was rolled back: nothing of it is applied, the migrations before it are; fix the cause (the statement, or the data it trips on) and start again"
            .to_string(),
        (true, true) => "the revert was rolled back: the migration is still applied".to_string(),
        (false, _) => format!(
            "it does not run in a transaction, so statements 1 to {} of its {file} stay applied and it is not recorded as {}: undo them or finish the work by hand, then start again",
            number.saturating_sub(1),
            if down { "reverted" } else { "applied" }
        ),
    };
    format!(
        "{verb} migration {version} (`{name}`) failed at statement {number} of {total} of its {file}: {source}\n\
         the statement:\n{statement}\n{state}"
    )
}

/// The message of [`Error::OutOfOrder`]: which migrations, why, and the ways out.
fn out_of_order_message(migrations: &[(String, String)], newest: &str, newest_name: Option<&str>) -> String {
    let list: Vec<String> = migrations.iter().map(|(v, n)| format!("{v} (`{n}`)")).collect();
    let newest = match newest_name {
        Some(n) => format!("{newest} (`{n}`)"),
        None => format!("{newest} (not in the migrations folder)"),
    };
    format!(
        "migration {} is not applied and sorts before migration {newest}, the newest applied; no merge migration \
         in the folder brings it together with what this database has, so nothing was run. It was made on a \
         branch: if that branch was merged (in git), run `cargo build` in the crate — it writes a \
         `<version>_merge` migration when the branches change different objects — and deploy that; if the \
         migration was dated in the past by hand, rename its folder to a version after the newest applied; if \
         this database applied another branch's migrations (a shared development database), revert them from \
         that branch (`model downgrade`) or use another database",
        list.join(", ")
    )
}

/// The message of [`Error::Partial`]: what failed, what is applied, how to recover.
fn partial_message(
    version: &str,
    name: &str,
    number: usize,
    total: usize,
    statement: &str,
    source: &BoxError,
) -> String {
    let applied = match number.saturating_sub(1) {
        0 => "no statement of it is applied".to_string(),
        1 => "statement 1 is applied (MySQL commits each DDL statement at once)".to_string(),
        n => format!("statements 1 to {n} are applied (MySQL commits each DDL statement at once)"),
    };
    if connection_lost(source) {
        return format!(
            "migration {version} (`{name}`) failed at statement {number} of {total}: {source}\n\
             the statement:\n{statement}\n\
             the connection to the database server was lost (the server, or this cluster node, stopped?): {applied}, \
             and whether statement {number} took effect is not known. Start again through a server that is up (with \
             the table lock, once this run's lock row has expired: its lease): the next run resumes at statement \
             {number}. Should statement {number} turn out to be applied already, that run fails on it: then check by \
             hand that it is, set `done` to {number} in the row of version {version} of `__model_migration_progress`, \
             and start again"
        );
    }
    format!(
        "migration {version} (`{name}`) failed at statement {number} of {total}: {source}\n\
         the statement:\n{statement}\n\
         {applied}, and the migration is not marked as applied. To recover, either fix the cause (the database, \
         e.g. rows that break a new constraint, or this statement in up.sql) and start again: the next run resumes at \
         statement {number}; or undo what is applied by hand (down.sql holds the reverse), delete the row of version \
         {version} from `__model_migration_progress`, and start again"
    )
}

/// The message, as `Display` writes it: what `fn main() -> Result<(), Box<dyn Error>>` prints.
impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

/// The database's error says the connection is gone (the server or a cluster node stopped, the
/// session was killed), not that the statement is wrong.
fn connection_lost(source: &BoxError) -> bool {
    let m = source.to_string().to_ascii_lowercase();
    [
        "lost connection",
        "server has gone away",
        "shutdown in progress",
        "connection was killed",
        "wsrep has not yet prepared node",
        "server closed the connection",
        "terminating connection",
    ]
    .iter()
    .any(|p| m.contains(p))
}

impl Error {
    /// The version of the migration concerned, when the error is about one.
    ///
    /// ```
    /// use model_core::runtime::Error;
    /// let e = Error::Apply { version: "20240101000000".into(), name: "2024-01-01-000000_init".into(),
    ///                        source: "syntax error".into() };
    /// assert_eq!(e.version(), Some("20240101000000"));
    /// ```
    pub fn version(&self) -> Option<&str> {
        match self {
            Error::Apply { version, .. }
            | Error::Partial { version, .. }
            | Error::Edited { version, .. }
            | Error::Progress { version, .. }
            | Error::Statement { version, .. }
            | Error::Checksum { version, .. }
            | Error::UnknownVersion { version, .. }
            | Error::NoDown { version, .. }
            | Error::Baseline { version, .. }
            | Error::BaselineHeader { version, .. }
            | Error::NotInSource { version }
            | Error::RewrittenDraft { version, .. } => Some(version),
            Error::OutOfOrder { migrations, .. } => migrations.first().map(|(v, _)| v.as_str()),
            Error::Source { .. }
            | Error::Unsupported { .. }
            | Error::NoIntrospection { .. }
            | Error::Lock { .. }
            | Error::LockTimeout { .. }
            | Error::LockLost { .. }
            | Error::NoSchema { .. }
            | Error::SharedSchemaInTenants { .. }
            | Error::Schema { .. }
            | Error::Connect { .. }
            | Error::TenantQuery { .. }
            | Error::Tracking { .. }
            | Error::Thread { .. }
            | Error::Panicked
            | Error::Introspect { .. } => None,
        }
    }
}

impl Error {
    /// `true` for a migration that failed because a statement gave up waiting for a lock (PostgreSQL's
    /// `lock_timeout`, MySQL's `lock_wait_timeout`) and that can simply run again: rolled back whole,
    /// or failed at its first statement.
    pub(crate) fn lock_timed_out(&self) -> bool {
        match self {
            Error::Statement {
                number,
                rolled_back,
                source,
                ..
            } => {
                let message = source.to_string().to_ascii_lowercase();
                (*rolled_back || *number == 1)
                    && (message.contains("lock timeout") || message.contains("lock wait timeout"))
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync + 'static>() {}

    #[test]
    fn error_is_send_sync_static() {
        assert_send_sync::<Error>();
    }

    #[test]
    fn debug_is_the_message_also_through_a_box() {
        let e = Error::Checksum {
            version: "20240101000000".into(),
            name: "2024-01-01-000000_init".into(),
            recorded: "335a".into(),
            current: "9f00".into(),
        };
        let message = e.to_string();
        assert_eq!(format!("{e:?}"), message);
        assert_eq!(format!("{e:#?}"), message);
        // what `main` prints after `?` turned it into a `Box<dyn Error>`
        let boxed: Box<dyn std::error::Error> = e.into();
        assert_eq!(format!("{boxed:?}"), message);
        assert!(!message.contains("recorded"), "{message}");
    }

    #[test]
    fn apply_message_names_the_migration() {
        let e = Error::Apply {
            version: "20240101000000".into(),
            name: "2024-01-01-000000_init".into(),
            source: "near \"TABLEX\": syntax error".into(),
        };
        let msg = e.to_string();
        assert!(
            msg.starts_with("migration 20240101000000 (`2024-01-01-000000_init`) failed"),
            "{msg}"
        );
        assert!(msg.contains("syntax error"), "{msg}");
        assert!(std::error::Error::source(&e).is_some());
    }

    #[test]
    fn partial_message_names_the_statement_and_the_way_back() {
        let e = Error::Partial {
            version: "20240101000000".into(),
            name: "2024-01-01-000000_init".into(),
            number: 3,
            total: 4,
            statement: "ALTER TABLE `t` ADD CONSTRAINT `uq_t_a` UNIQUE (`a`)".into(),
            source: "Duplicate entry '1' for key 'uq_t_a'".into(),
        };
        insta::assert_snapshot!(e.to_string(), @r"
        migration 20240101000000 (`2024-01-01-000000_init`) failed at statement 3 of 4: Duplicate entry '1' for key 'uq_t_a'
        the statement:
        ALTER TABLE `t` ADD CONSTRAINT `uq_t_a` UNIQUE (`a`)
        statements 1 to 2 are applied (MySQL commits each DDL statement at once), and the migration is not marked as applied. To recover, either fix the cause (the database, e.g. rows that break a new constraint, or this statement in up.sql) and start again: the next run resumes at statement 3; or undo what is applied by hand (down.sql holds the reverse), delete the row of version 20240101000000 from `__model_migration_progress`, and start again
        ");
        assert_eq!(e.version(), Some("20240101000000"));
    }

    #[test]
    fn a_lost_connection_says_so_and_how_to_go_on() {
        let e = Error::Partial {
            version: "20240102000000".into(),
            name: "2024-01-02-000000_slow".into(),
            number: 2,
            total: 3,
            statement: "DO SLEEP(1)".into(),
            source: "Lost connection to server during query".into(),
        };
        let msg = e.to_string();
        assert!(
            msg.contains("the connection to the database server was lost") && msg.contains("statement 1 is applied"),
            "{msg}"
        );
        assert!(
            msg.contains("resumes at statement 2") && msg.contains("set `done` to 2"),
            "{msg}"
        );
        let e = Error::Partial {
            version: "1".into(),
            name: "1_a".into(),
            number: 1,
            total: 1,
            statement: "x".into(),
            source: "Duplicate entry '1'".into(),
        };
        assert!(!e.to_string().contains("connection"), "{e}");
    }

    #[test]
    fn statement_message_says_what_is_applied() {
        let e = |rolled_back, down| Error::Statement {
            version: "20240102000000".into(),
            name: "2024-01-02-000000_add_tags".into(),
            number: 2,
            total: 3,
            statement: "INSERT INTO no_such_table VALUES (1)".into(),
            rolled_back,
            down,
            source: "relation \"no_such_table\" does not exist".into(),
        };
        insta::assert_snapshot!(e(true, false).to_string(), @r#"
        applying migration 20240102000000 (`2024-01-02-000000_add_tags`) failed at statement 2 of 3 of its up.sql: relation "no_such_table" does not exist
        the statement:
        INSERT INTO no_such_table VALUES (1)
        it was rolled back: nothing of it is applied, the migrations before it are; fix the cause (the statement, or the data it trips on) and start again
        "#);
        let msg = e(false, true).to_string();
        assert!(msg.starts_with("reverting migration 20240102000000"), "{msg}");
        assert!(msg.ends_with("statements 1 to 1 of its down.sql stay applied and it is not recorded as reverted: undo them or finish the work by hand, then start again"), "{msg}");
        assert_eq!(e(true, true).version(), Some("20240102000000"));
    }

    #[test]
    fn checksum_and_lock_messages_say_what_to_do() {
        let e = Error::Checksum {
            version: "20240101000000".into(),
            name: "2024-01-01-000000_init".into(),
            recorded: "a".repeat(64),
            current: "b".repeat(64),
        };
        insta::assert_snapshot!(e.to_string(), @"migration 20240101000000 (`2024-01-01-000000_init`) was applied, and its up.sql has changed since (beyond comments and blanks): put it back as it was and write a new migration for the change; or, if the database already holds the edit (or it does not matter), accept the new text with `model accept 20240101000000` (or `model::accept`)");
        let e = Error::LockTimeout {
            waited: std::time::Duration::from_secs(60),
            holder: "PostgreSQL backend pid 42".into(),
        };
        insta::assert_snapshot!(e.to_string(), @"waited 60s for the migration lock, which another process holds (PostgreSQL backend pid 42); it is probably running the migrations: start again once it is done, or raise `Options::lock_timeout`");
        assert_eq!(e.version(), None);
    }
}
