//! `verify`: the quickstart's database holds its models; a change made by hand is reported in words.
#![cfg(all(feature = "postgres", feature = "sqlite"))]

mod runtime_support;

use diesel::connection::SimpleConnection;
use model_core::runtime::{migrate, verify};
use runtime_support::{snapshot, Folder};

#[test]
fn sqlite_quickstart_has_no_drift_until_a_hand_edit() {
    let db = model_testkit::sqlite("verify");
    let mut conn = db.connect();
    let f = Folder::example("quickstart");
    migrate(&mut conn, f.source()).expect("migrate");
    let model = snapshot("quickstart");
    assert_eq!(verify(&mut conn, &model).expect("verify"), []);
    conn.batch_execute("ALTER TABLE tags ADD COLUMN colour TEXT")
        .expect("hand edit");
    let diffs: Vec<String> = verify(&mut conn, &model)
        .expect("verify")
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        diffs,
        ["table \"tags\": column \"colour\": in the database but not in the model"]
    );
}

#[test]
fn postgres_quickstart_has_no_drift_until_a_hand_edit() {
    let Some(db) = model_testkit::postgres("verify") else {
        return;
    };
    let mut conn = db.connect();
    let f = Folder::example("quickstart-pg");
    migrate(&mut conn, f.source()).expect("migrate");
    let model = snapshot("quickstart-pg");
    assert_eq!(verify(&mut conn, &model).expect("verify"), []);
    conn.batch_execute("DROP INDEX ix_posts_author_id").expect("hand edit");
    let diffs: Vec<String> = verify(&mut conn, &model)
        .expect("verify")
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(diffs.len(), 1, "{diffs:?}");
    assert!(
        diffs[0].starts_with("table \"posts\": ") && diffs[0].contains("ix_posts_author_id"),
        "{diffs:?}"
    );
}
