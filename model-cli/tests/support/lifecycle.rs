//! One scenario every backend runs end to end with the built binary: upgrade, status, history, check,
//! sql, generate, upgrade --to, downgrade --steps / --to (refused while it drops data), a tampered migration and `accept`, a
//! migration missing from the folder, drift, a migration without down.sql, an unknown version.

use super::{Project, Run, SUPPLIER};

/// How the scenario reaches the database besides the CLI: its URL, and a way to run SQL on it.
pub struct Database<'a> {
    /// The URL given to `--database-url`.
    pub url: String,
    /// Runs one SQL statement on the database.
    pub execute: Box<dyn FnMut(&str) + 'a>,
}

fn version_of(folder: &str) -> String {
    folder.split('_').next().unwrap().replace('-', "")
}

/// Run the scenario. `models_file` is where the test adds the `Supplier` model. The project must have
/// exactly one migration, not yet applied.
pub fn run(p: &Project, models_file: &str, mut db: Database) {
    let url = db.url.clone();
    let model = |args: &[&str]| -> Run {
        let mut all = vec!["--database-url", url.as_str()];
        all.extend_from_slice(args);
        p.model(&all)
    };
    let first_folder = p.migrations().first().cloned().expect("a first migration");
    let v1 = version_of(&first_folder);

    // upgrade, with one progress line per migration and its time
    model(&["upgrade"]).code(0).out_line(&[
        &format!("applying migration {v1} (`{first_folder}`)"),
        &format!("applied migration {v1} (`{first_folder}`) in *s"),
        "*: applied 1 migration(s)",
    ]);
    model(&["upgrade"])
        .code(0)
        .out_line(&["*: nothing to apply, the database is up to date"]);
    model(&["status"]).code(0).out_line(&[
        &format!("  {first_folder}  applied ????-??-?? ??:??:??*"),
        "drift: none (the database matches the schema recorded at migration *)",
    ]);
    model(&["history"]).code(0).out_line(&[
        "*: 1 migration(s) applied, oldest first",
        &format!("  {v1}  {first_folder}  applied ????-??-?? ??:??:??*  checksum ????????????"),
    ]);

    // a new model: generate, then status shows it pending (and no drift: pending is not drift)
    p.append(models_file, SUPPLIER);
    model(&["check"]).code(1).out_has(&["suppliers"]);
    model(&["sql"]).code(0).out_has(&[
        "up.sql (not written)",
        "CREATE TABLE",
        "suppliers",
        "down.sql (not written)",
    ]);
    model(&["generate", "--name", "add_suppliers"]).code(0);
    model(&["check"]).code(0);
    let second_folder = p.migrations().last().cloned().unwrap();
    assert!(second_folder.ends_with("_add_suppliers"), "{second_folder}");
    let v2 = version_of(&second_folder);
    let pending = format!("  {second_folder}*  PENDING: not applied yet (`model upgrade`)");
    model(&["status"]).code(1).out_line(&[
        &pending,
        &format!("drift: none (the database matches the schema recorded at migration {first_folder})"),
    ]);
    model(&["upgrade", "--to", &v2])
        .code(0)
        .out_line(&[&format!("applied migration {v2} (`{second_folder}`) in *s")]);
    model(&["status"]).code(0).out_line(&[
        &format!("  {second_folder}*  applied ????-??-?? ??:??:??*"),
        &format!("drift: none (the database matches the schema recorded at migration {second_folder})"),
    ]);

    // a downgrade that drops data is refused, naming what it loses, until it is allowed
    model(&["downgrade", "--steps", "1"]).code(1).err_has(&[
        "would lose data",
        &format!("{second_folder}: drops table"),
        "suppliers",
        "--allow-data-loss",
        "nothing was reverted",
    ]);
    model(&["status"]).code(0);

    // downgrade by steps and to a version, with the dashed spelling of the version
    let reverted_v2 = format!("reverted migration {v2} (`{second_folder}`) in *s");
    model(&["downgrade", "--steps", "1", "--allow-data-loss"])
        .code(0)
        .out_line(&[&reverted_v2, "*: reverted 1 migration(s)"])
        .err_has(&["warning: data loss allowed", "suppliers"]);
    model(&["status"]).code(1).out_line(&[&pending]);
    model(&["upgrade"])
        .code(0)
        .out_line(&[&format!("applied migration {v2} (`{second_folder}`) in *s")]);
    let dashed_v1 = first_folder.split('_').next().unwrap().to_string();
    model(&["downgrade", "--to", &dashed_v1, "--allow-data-loss"])
        .code(0)
        .out_line(&[&reverted_v2, "*: reverted 1 migration(s)"]);
    model(&["downgrade", "--to", &v1])
        .code(0)
        .out_line(&["*: nothing to revert"]);
    model(&["upgrade"]).code(0);

    // a migration without down.sql is refused by name, and nothing is reverted
    let down = p.path().join("migrations").join(&second_folder).join("down.sql");
    let down_text = std::fs::read_to_string(&down).unwrap();
    std::fs::remove_file(&down).unwrap();
    model(&["downgrade", "--steps", "2"])
        .code(1)
        .err_has(&[&v2, "down.sql"]);
    model(&["status"]).code(0);
    std::fs::write(&down, down_text).unwrap();

    // an applied migration edited: status and upgrade say so; accept records the new text
    let up = p.path().join("migrations").join(&first_folder).join("up.sql");
    let mut text = std::fs::read_to_string(&up).unwrap();
    text.push_str("\nCREATE TABLE tampered (id INTEGER);\n");
    std::fs::write(&up, text).unwrap();
    model(&["status"]).code(1).out_line(&[&format!(
        "  {first_folder}*  EDITED: applied ????-??-?? ??:??:??*, and its up.sql changed since; put it back or accept it (`model accept {v1}`)"
    )]);
    model(&["upgrade"]).code(1).err_has(&[&v1, "model accept"]);
    model(&["accept", &v1])
        .code(0)
        .out_line(&[&format!("*: accepted the current up.sql of migration {v1}")]);
    model(&["status"]).code(0);

    // an applied migration missing from the folder (a newer build applied it)
    let folder = p.path().join("migrations").join(&second_folder);
    let aside = p.path().join(&second_folder);
    std::fs::rename(&folder, &aside).unwrap();
    model(&["status"]).code(1).out_line(&[&format!(
        "  {v2}*  MISSING: applied ????-??-?? ??:??:??*, but not in the migrations folder"
    )]);
    std::fs::rename(&aside, &folder).unwrap();
    model(&["status"]).code(0);

    // drift: a table made by hand
    (db.execute)("CREATE TABLE intruder (id INTEGER)");
    model(&["status"]).code(1).out_line(&[
        &format!("DRIFT: the database differs from the schema recorded at migration {second_folder}:"),
        "  - table \"intruder\": in the database but not in the model",
    ]);

    // versions that do not exist
    model(&["upgrade", "--to", "19990101000000"])
        .code(2)
        .err_has(&["19990101000000"]);
    model(&["accept", "19990101000000"])
        .code(2)
        .err_has(&["19990101000000"]);
}
