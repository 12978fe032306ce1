//! `model upgrade --tenants …` and `model status --tenants …`: the crate's migrations across many
//! tenants — schemas of DATABASE_URL's database, or databases of their own — N at a time, with a
//! progress bar, a line per tenant that changed or failed, and a summary. A failing tenant does not
//! stop the others; the exit code is not zero when one failed, and the failed tenants are named.

use super::runtime::{source, version};
use super::status::expected_schema;
use super::Outcome;
use crate::cli::{TenantKind, Tenants};
use crate::database::{self, Create, Db, Target};
use crate::error::{runtime_code, runtime_message, CliError};
use diesel::mysql::MysqlConnection;
use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use indicatif::{ProgressBar, ProgressStyle};
use model_core::config::Config;
use model_core::ir::{Difference, Schema};
use model_core::runtime::{self, Options, State, Status, Tenant, TenantOptions, TenantReport, TenantResult};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Mutex;

/// Run `$body` with `$C` the connection type of `$dialect`.
macro_rules! by_backend {
    ($dialect:expr, $C:ident => $body:expr) => {
        match $dialect {
            model_core::ir::Dialect::Postgres => {
                type $C = PgConnection;
                $body
            }
            model_core::ir::Dialect::Mysql => {
                type $C = MysqlConnection;
                $body
            }
            model_core::ir::Dialect::Sqlite => {
                type $C = SqliteConnection;
                $body
            }
        }
    };
}

/// The tenants `--tenants` / `--tenants-query` name, or `None` when neither is given.
pub fn list(config: &Config, url: Option<&str>, args: &Tenants) -> Result<Option<Vec<Tenant>>, CliError> {
    if args.tenants.is_none() && args.tenants_query.is_none() {
        if !args.shared_schemas.is_empty() || args.tenant_kind.is_some() {
            return Err(CliError::Usage(
                "--tenant-kind and --shared-schemas go with --tenants or --tenants-query".into(),
            ));
        }
        return Ok(None);
    }
    let target = database::target(url, config)?;
    let names = match (&args.tenants, &args.tenants_query) {
        (Some(list), _) => names(list)?,
        (None, Some(query)) => {
            let mut db = database::connect(&target, Create::Refused)?;
            match &mut db {
                Db::Pg(c) => runtime::list_tenants(c, query)?,
                Db::Mysql(c) => runtime::list_tenants(c, query)?,
                Db::Sqlite(c) => runtime::list_tenants(c, query)?,
            }
        }
        (None, None) => Vec::new(),
    };
    if names.is_empty() {
        return Err(CliError::Usage(match &args.tenants_query {
            Some(q) => format!("the tenants query lists no tenant: {q}"),
            None => "--tenants lists no tenant".into(),
        }));
    }
    let mut seen = HashSet::new();
    if let Some(twice) = names.iter().find(|n| !seen.insert(n.as_str())) {
        return Err(CliError::Usage(format!("tenant `{twice}` is listed twice")));
    }
    let kind = match (args.tenant_kind, &target) {
        (Some(TenantKind::Schema), Target::Sqlite(_)) => {
            return Err(CliError::Usage(
                "SQLite has no schemas: a SQLite tenant is a database file (--tenant-kind database)".into(),
            ))
        }
        (Some(kind), _) => kind,
        (None, Target::Sqlite(_)) => TenantKind::Database,
        (None, _) => TenantKind::Schema,
    };
    let base = match &target {
        Target::Postgres(u) | Target::Mysql(u) => u.clone(),
        Target::Sqlite(p) => p.display().to_string(),
    };
    Ok(Some(
        names
            .iter()
            .map(|name| match (kind, &target) {
                (TenantKind::Schema, _) => Tenant::schema(base.as_str(), name.as_str()),
                (TenantKind::Database, Target::Sqlite(_)) => Tenant::database(sqlite_path(name)),
                (TenantKind::Database, _) => Tenant::database_in(&base, name),
            })
            .collect(),
    ))
}

/// A SQLite tenant's file, as a URL or a path.
fn sqlite_path(name: &str) -> String {
    match Target::parse(name) {
        Ok(Target::Sqlite(path)) => path.display().to_string(),
        _ => name.to_string(),
    }
}

/// `a,b,c`, or `@FILE` with one name per line (blank lines and `#` comments skipped).
fn names(list: &str) -> Result<Vec<String>, CliError> {
    let text = match list.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| CliError::Usage(format!("--tenants @{path}: cannot read the file: {e}")))?,
        None => list.replace(',', "\n"),
    };
    Ok(text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect())
}

/// The progress bar over `n` tenants (on standard error; hidden when it is not a terminal).
fn bar(n: usize, verb: &str) -> ProgressBar {
    let bar = ProgressBar::new(n as u64);
    if let Ok(style) = ProgressStyle::with_template(&format!(
        "{verb} {{bar:30}} {{pos}}/{{len}} tenants, {{per_sec}}, {{elapsed}} (eta {{eta}}) {{msg}}"
    )) {
        bar.set_style(style);
    }
    bar
}

/// What the bar does as each tenant ends.
fn tick<'a, T>(bar: &'a ProgressBar, failures: &'a Mutex<usize>) -> impl Fn(&TenantResult<T>) + Sync + 'a {
    move |r| {
        if r.outcome.is_err() {
            if let Ok(mut n) = failures.lock() {
                *n += 1;
                bar.set_message(format!("{} failed", *n));
            }
        }
        bar.inc(1);
    }
}

/// The options of the tenants' runs.
fn tenant_options(args: &Tenants, options: Options) -> TenantOptions {
    TenantOptions {
        parallel: args.parallel.max(1),
        options: Options {
            shared_schemas: args.shared_schemas.clone(),
            ..options
        },
    }
}

/// A tenant's error as the CLI shows it, and its exit code.
fn failure(e: &runtime::Error) -> (String, i32) {
    (runtime_message(e), runtime_code(e))
}

/// `name: message`, the message's later lines indented under it.
fn indented(name: &str, message: &str) -> String {
    let mut lines = message.lines();
    let mut out = format!("  {name}: {}", lines.next().unwrap_or(""));
    for l in lines {
        out.push_str("\n      ");
        out.push_str(l);
    }
    out
}

/// Print the failures of `report` and say which tenants failed; the exit code (the worst of theirs).
fn report_failures<T>(report: &TenantReport<T>) -> Result<Outcome, CliError> {
    let failed = report.failed();
    if failed.is_empty() {
        return Ok(Outcome::Done);
    }
    println!("failed:");
    let mut code = 0;
    for r in &failed {
        if let Err(e) = &r.outcome {
            let (message, c) = failure(e);
            code = code.max(c);
            println!("{}", indented(&r.tenant.name, &message));
        }
    }
    let names: Vec<&str> = failed.iter().map(|r| r.tenant.name.as_str()).collect();
    Err(CliError::Tenants {
        failed: names.iter().map(|n| n.to_string()).collect(),
        total: report.results.len(),
        code,
    })
}

/// Run `model upgrade --tenants …`.
pub fn upgrade(
    config: &Config,
    url: Option<&str>,
    tenants: &[Tenant],
    args: &Tenants,
    to: Option<&str>,
    options: Options,
) -> Result<Outcome, CliError> {
    let target = database::target(url, config)?;
    let source = source(config)?;
    crate::progress::show_warnings();
    let options = tenant_options(args, options);
    let bar = bar(tenants.len(), "upgrading");
    let failures = Mutex::new(0);
    let done = tick(&bar, &failures);
    let report = match to {
        None => by_backend!(target.dialect(), C => runtime::migrate_tenants::<C, _>(source, tenants, &options, done))?,
        Some(v) => {
            let v = version(v);
            by_backend!(target.dialect(), C => runtime::for_each_tenant::<C, _, _>(
                tenants,
                options.parallel,
                |conn, tenant| {
                    let o = Options { schema: tenant.schema.clone(), ..options.options.clone() };
                    runtime::upgrade_to(conn, source.clone(), &v, &o)
                },
                done,
            ))
        }
    };
    bar.finish_and_clear();
    let width = tenants.iter().map(|t| t.name.len()).max().unwrap_or(0);
    let (mut changed, mut migrations) = (0, 0);
    for r in &report.results {
        if let Ok(applied) = &r.outcome {
            if !applied.is_empty() {
                changed += 1;
                migrations += applied.len();
                println!(
                    "  {:<width$}  applied {} migration(s) in {:.2?}: {}",
                    r.tenant.name,
                    applied.len(),
                    r.elapsed,
                    applied.join(", ")
                );
            }
        }
    }
    let failed = report.failed().len();
    println!(
        "{}: {} tenant(s), {} at a time, in {:.2?}: {migrations} migration(s) applied to {changed} tenant(s), {} up to \
         date, {failed} failed",
        target.shown(),
        tenants.len(),
        report.parallel,
        report.elapsed,
        tenants.len() - changed - failed,
    );
    report_failures(&report)
}

/// What `status --tenants` learns of one tenant.
struct TenantState {
    status: Status,
    /// The drift check's differences (against the schema recorded at its newest applied migration).
    drift: Vec<Difference>,
}

/// Run `model status --tenants …`.
pub fn status(config: &Config, url: Option<&str>, tenants: &[Tenant], args: &Tenants) -> Result<Outcome, CliError> {
    let target = database::target(url, config)?;
    let source = source(config)?;
    let options = tenant_options(args, Options::default());
    // the expected schema of each newest applied migration, read once for all tenants at it
    let expected: Mutex<HashMap<Vec<String>, Schema>> = Mutex::new(HashMap::new());
    let expect = |status: &Status| -> Result<Schema, runtime::Error> {
        let key: Vec<String> = status
            .migrations
            .iter()
            .filter(|m| m.state != State::Pending)
            .map(|m| m.version.clone())
            .collect();
        if let Some(schema) = expected.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(schema);
        }
        let schema = expected_schema(config, status)
            .map(|(_, s)| s.without_rename_hints())
            .map_err(|e| runtime::Error::Source {
                source: e.to_string().into(),
            })?;
        if let Ok(mut m) = expected.lock() {
            m.insert(key, schema.clone());
        }
        Ok(schema)
    };
    let bar = bar(tenants.len(), "reading");
    let failures = Mutex::new(0);
    let report = by_backend!(target.dialect(), C => runtime::for_each_tenant::<C, _, _>(
        tenants,
        options.parallel,
        |conn, tenant| {
            let o = Options { schema: tenant.schema.clone(), ..options.options.clone() };
            let status = runtime::status_with(conn, source.clone(), &o)?;
            let drift = runtime::verify_with(conn, &expect(&status)?, &o)?;
            Ok(TenantState { status, drift })
        },
        tick(&bar, &failures),
    ));
    bar.finish_and_clear();
    summarise(config, &target, &report)
}

/// The summary of `status --tenants`: how many tenants at which migration, and each that needs
/// attention.
fn summarise(config: &Config, target: &Target, report: &TenantReport<TenantState>) -> Result<Outcome, CliError> {
    println!(
        "database:   {} ({} tenant(s), read {} at a time in {:.2?})",
        target.shown(),
        report.results.len(),
        report.parallel,
        report.elapsed
    );
    println!("migrations: {}", config.migrations.display());
    let newest_in_folder = report
        .results
        .iter()
        .find_map(|r| r.outcome.as_ref().ok())
        .and_then(|s| {
            s.status
                .migrations
                .iter()
                .rev()
                .find(|m| m.name.is_some())
                .and_then(|m| m.name.clone())
        });
    // newest applied migration -> tenants at it
    let mut at: BTreeMap<String, usize> = BTreeMap::new();
    let mut attention: Vec<String> = Vec::new();
    let mut drifted: Vec<&str> = Vec::new();
    for r in &report.results {
        let Ok(state) = &r.outcome else { continue };
        let migrations = &state.status.migrations;
        let newest = migrations
            .iter()
            .rev()
            .find(|m| m.state != State::Pending)
            .map(|m| m.name.clone().unwrap_or_else(|| m.version.clone()))
            .unwrap_or_else(|| "(nothing applied)".to_string());
        *at.entry(newest).or_default() += 1;
        let count = |s: State| migrations.iter().filter(|m| m.state == s).count();
        let mut notes = Vec::new();
        for (state, what) in [
            (State::Pending, "pending"),
            (State::Edited, "edited since applied (`model accept`)"),
            (State::Missing, "applied but missing from the folder"),
        ] {
            let n = count(state);
            if n > 0 {
                notes.push(format!("{n} {what}"));
            }
        }
        if !state.drift.is_empty() {
            drifted.push(&r.tenant.name);
            notes.push(format!("DRIFT ({} difference(s))", state.drift.len()));
        }
        if !notes.is_empty() {
            let mut line = format!("  {}: {}", r.tenant.name, notes.join(", "));
            for d in &state.drift {
                line.push_str(&format!("\n      - {d}"));
            }
            attention.push(line);
        }
    }
    println!("tenants at each migration (the newest applied):");
    for (name, n) in at.iter().rev() {
        let newest = if Some(name) == newest_in_folder.as_ref() {
            " (the newest in the folder)"
        } else {
            ""
        };
        println!("  {n:>6}  {name}{newest}");
    }
    if !attention.is_empty() {
        println!("need attention:");
        for line in &attention {
            println!("{line}");
        }
    }
    if drifted.is_empty() {
        println!("drift: none");
    } else {
        println!("drift: {} tenant(s): {}", drifted.len(), drifted.join(", "));
    }
    report_failures(report)?;
    Ok(if attention.is_empty() {
        Outcome::Done
    } else {
        Outcome::Attention
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_a_list_or_a_file() {
        assert_eq!(names(" acme, globex ,,initech").unwrap(), ["acme", "globex", "initech"]);
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), "# tenants\nacme\n\nglobex  # the big one\n").unwrap();
        assert_eq!(names(&format!("@{}", f.path().display())).unwrap(), ["acme", "globex"]);
        let e = names("@/nowhere/tenants.txt").unwrap_err().to_string();
        assert!(e.contains("/nowhere/tenants.txt"), "{e}");
    }

    #[test]
    fn messages_are_indented_under_the_tenant() {
        assert_eq!(indented("acme", "one\ntwo"), "  acme: one\n      two");
    }
}
