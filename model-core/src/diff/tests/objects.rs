//! Views, functions, triggers, extensions and generated columns: the ops, checked by replaying them
//! (and their reverse) on the validator's model of PostgreSQL.

use super::words;
use crate::diff::diff;
use crate::ir::{ColumnType, Dialect, Extension, Generated, Object, Schema, Table};
use crate::ops::fixtures::{function, members, posts, trigger, view};
use crate::ops::Op;
use crate::order::validate::State;
use crate::order::{order, reversed};

/// The ordered ops `old → new`, replayed both ways on the validator.
fn ordered(old: &Schema, new: &Schema) -> Vec<Op> {
    let up = match diff(old, new) {
        Ok(ops) => order(ops),
        Err(e) => panic!("diff failed: {e}"),
    };
    let mut state = State::of(old);
    if let Err(e) = state.apply(&up, false) {
        panic!("up is not valid: {e}\n{}", words(&up).join("\n"));
    }
    assert_eq!(
        state,
        State::of(new),
        "up does not give the new schema:\n{}",
        words(&up).join("\n")
    );
    let down = reversed(&up);
    if let Err(e) = state.apply(&down, false) {
        panic!("down is not valid: {e}\n{}", words(&down).join("\n"));
    }
    assert_eq!(state, State::of(old), "down does not give the old schema back");
    up
}

fn changes(old: &Schema, new: &Schema) -> Vec<String> {
    words(&ordered(old, new))
}

fn schema(tables: Vec<Table>, objects: Vec<Object>) -> Schema {
    Schema::new(tables).with_objects(objects)
}

fn active() -> Object {
    Object::View(view(
        "active_members",
        "SELECT id, email FROM members WHERE active",
        &[("id", ColumnType::BigInt), ("email", ColumnType::Varchar { len: 255 })],
    ))
}

/// A view over `active_members`.
fn recent() -> Object {
    Object::View(view(
        "recent_active_members",
        "SELECT id FROM active_members WHERE id > 100",
        &[("id", ColumnType::BigInt)],
    ))
}

fn touch() -> Object {
    Object::Function(function(
        "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$",
    ))
}

fn touch_members() -> Object {
    Object::Trigger(trigger(
        "CREATE TRIGGER members_touch BEFORE UPDATE ON members FOR EACH ROW EXECUTE FUNCTION touch()",
        Dialect::Postgres,
    ))
}

#[test]
fn everything_is_created_in_dependency_order_and_dropped_in_reverse() {
    let new = schema(
        vec![members()],
        vec![
            Object::Extension(Extension::new("citext")),
            recent(),
            touch_members(),
            active(),
            touch(),
        ],
    );
    assert_eq!(
        changes(&Schema::default(), &new),
        [
            r#"create extension "citext""#,
            r#"create function "touch""#,
            r#"create table "members""#,
            r#"create index "ix_members_email_key" on "members""#,
            r#"create index "ix_members_last_name_first_name" on "members""#,
            r#"create view "active_members""#,
            r#"create view "recent_active_members""#,
            r#"create trigger "members_touch" on "members""#,
        ]
    );
    let down: Vec<String> = words(&reversed(&ordered(&Schema::default(), &new)));
    assert_eq!(
        down.first().map(String::as_str),
        Some(r#"drop trigger "members_touch" on "members""#)
    );
    assert_eq!(down[1], r#"drop view "recent_active_members""#);
    assert_eq!(down.last().map(String::as_str), Some(r#"drop extension "citext""#));
}

#[test]
fn a_changed_query_replaces_the_view_and_a_changed_column_list_recreates_it() {
    let old = schema(vec![members()], vec![active(), recent()]);
    let mut v = view(
        "active_members",
        "SELECT id, email FROM members WHERE active AND id > 0",
        &[("id", ColumnType::BigInt), ("email", ColumnType::Varchar { len: 255 })],
    );
    let new = schema(vec![members()], vec![Object::View(v.clone()), recent()]);
    assert_eq!(changes(&old, &new), [r#"replace view "active_members""#]);
    // the model reads another column: PostgreSQL cannot replace it; the view over it goes and comes back
    v.columns.pop();
    v.sql = "SELECT id FROM members WHERE active".into();
    let new = schema(vec![members()], vec![Object::View(v), recent()]);
    assert_eq!(
        changes(&old, &new),
        [
            r#"drop view "recent_active_members""#,
            r#"drop view "active_members""#,
            r#"create view "active_members""#,
            r#"create view "recent_active_members""#,
        ]
    );
    // layout alone changes nothing
    let relaid = view(
        "active_members",
        "SELECT id, email\n  FROM members   -- the ones who log in\n  WHERE active;",
        &[("id", ColumnType::BigInt), ("email", ColumnType::Varchar { len: 255 })],
    );
    assert!(changes(&old, &schema(vec![members()], vec![Object::View(relaid), recent()])).is_empty());
}

#[test]
fn a_column_type_change_under_a_view_drops_it_before_and_creates_it_after() {
    let old = schema(vec![members()], vec![active(), recent()]);
    let mut widened = members();
    widened.columns.iter_mut().find(|c| c.name == "email").unwrap().ty = ColumnType::Text;
    let new = schema(vec![widened], vec![active(), recent()]);
    let ops = changes(&old, &new);
    assert_eq!(ops[0], r#"drop view "recent_active_members""#);
    assert_eq!(ops[1], r#"drop view "active_members""#);
    assert!(
        ops.iter()
            .any(|o| o.starts_with(r#"alter column "email" of "members": type"#)),
        "{ops:?}"
    );
    assert_eq!(
        ops[ops.len() - 2..],
        [
            r#"create view "active_members""#,
            r#"create view "recent_active_members""#
        ]
    );
    // a column the view does not read changes nothing for it
    let mut other = members();
    other.columns.iter_mut().find(|c| c.name == "last_name").unwrap().ty = ColumnType::Varchar { len: 80 };
    let ops = changes(&old, &schema(vec![other], vec![active(), recent()]));
    assert!(ops.iter().all(|o| !o.contains("view")), "{ops:?}");
}

#[test]
fn a_generated_column_reading_a_retyped_column_is_recreated_with_its_index() {
    let old = schema(vec![members()], vec![]);
    let mut widened = members();
    widened.columns.iter_mut().find(|c| c.name == "email").unwrap().ty = ColumnType::Text;
    let ops = changes(&old, &schema(vec![widened], vec![]));
    assert_eq!(
        ops,
        [
            r#"drop index "ix_members_email_key" on "members""#,
            r#"drop generated column "email_key" from "members""#,
            r#"alter column "email" of "members": type VARCHAR(255) → TEXT"#,
            r#"add generated column "email_key" to "members""#,
            r#"create index "ix_members_email_key" on "members""#,
        ]
    );
    let dropped = diff(&old, &schema(vec![members()], vec![])).unwrap();
    assert!(dropped.is_empty());
    // a new expression: dropped and added again, nothing lost
    let mut changed = members();
    changed.columns.last_mut().unwrap().generated = Some(Generated::stored("upper(email)"));
    let up = ordered(&old, &schema(vec![changed], vec![]));
    assert!(up.iter().all(|op| op.data_loss().is_none()), "{:?}", words(&up));
}

#[test]
fn a_function_used_by_a_check_and_a_default_comes_first_and_goes_last() {
    let slug = Object::Function(function(
        "CREATE FUNCTION slug(t text) RETURNS text IMMUTABLE LANGUAGE sql AS $$ SELECT lower(t) $$",
    ));
    let mut t = posts();
    t.columns.push(crate::ir::Column {
        default: Some(crate::ir::DefaultValue::Sql("slug('New post')".into())),
        ..crate::ops::fixtures::col("slug", ColumnType::Text)
    });
    t.checks.push(crate::ir::Check {
        name: "ck_posts_slug".into(),
        sql: "slug = slug(slug)".into(),
    });
    let users = crate::ops::fixtures::users();
    let new = schema(vec![users.clone(), t], vec![slug.clone()]);
    let up = changes(&schema(vec![users.clone()], vec![]), &new);
    assert_eq!(up[0], r#"create function "slug""#);
    // the body changes: replaced in place, before the tables
    let body = Object::Function(function(
        "CREATE FUNCTION slug(t text) RETURNS text IMMUTABLE LANGUAGE sql AS $$ SELECT lower(trim(t)) $$",
    ));
    let mut newer = new.clone();
    newer.functions = vec![match body {
        Object::Function(f) => f,
        _ => unreachable!(),
    }];
    assert_eq!(changes(&new, &newer), [r#"replace function "slug""#]);
}

#[test]
fn triggers_follow_their_table_and_function() {
    let old = schema(vec![members()], vec![touch(), touch_members()]);
    // a renamed table: the trigger goes before the rename and comes back on the new name
    let mut renamed = members();
    renamed.name = "people".into();
    renamed.renamed_from = Some("members".into());
    let on_people = Object::Trigger(trigger(
        "CREATE TRIGGER members_touch BEFORE UPDATE ON people FOR EACH ROW EXECUTE FUNCTION touch()",
        Dialect::Postgres,
    ));
    let ops = changes(&old, &schema(vec![renamed], vec![touch(), on_people]));
    assert_eq!(ops[0], r#"drop trigger "members_touch" on "members""#);
    assert_eq!(
        ops.last().map(String::as_str),
        Some(r#"create trigger "members_touch" on "people""#)
    );
    // a changed trigger is replaced; one left out is dropped, before its function
    let when = Object::Trigger(trigger(
        "CREATE TRIGGER members_touch BEFORE UPDATE ON members FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) \
         EXECUTE FUNCTION touch()",
        Dialect::Postgres,
    ));
    assert_eq!(
        changes(&old, &schema(vec![members()], vec![touch(), when])),
        [r#"replace trigger "members_touch" on "members""#]
    );
    assert_eq!(
        changes(&old, &schema(vec![members()], vec![])),
        [
            r#"drop trigger "members_touch" on "members""#,
            r#"drop function "touch""#
        ]
    );
}

#[test]
fn dropping_a_table_drops_its_views_first() {
    let old = schema(vec![members()], vec![active(), recent()]);
    let ops = changes(&old, &Schema::default());
    assert_eq!(
        ops[..2],
        [r#"drop view "recent_active_members""#, r#"drop view "active_members""#]
    );
    assert!(
        ops.last().is_some_and(|o| o.starts_with(r#"drop table "members""#)),
        "{ops:?}"
    );
}

#[test]
fn extensions_come_and_go() {
    let with = |names: &[&str]| {
        schema(
            vec![],
            names.iter().map(|n| Object::Extension(Extension::new(*n))).collect(),
        )
    };
    assert_eq!(
        changes(&with(&["citext"]), &with(&["pgcrypto"])),
        [r#"create extension "pgcrypto""#, r#"drop extension "citext""#]
    );
    assert!(changes(&with(&["citext"]), &with(&["citext"])).is_empty());
}

#[test]
fn renaming_the_column_a_generated_column_reads_recreates_it_around_the_renames() {
    // found by the property test: down.sql added the old generated column back before the rename
    // it reads was undone
    let old = schema(vec![members()], vec![]);
    let mut renamed = members();
    for c in &mut renamed.columns {
        if c.name == "email" {
            c.name = "mail".into();
            c.renamed_from = Some("email".into());
        }
        if c.name == "email_key" {
            c.generated = Some(Generated::stored("lower(mail)"));
        }
    }
    renamed.uniques[0].columns = vec!["mail".into()];
    renamed.uniques[0].name = crate::ir::unique_name("members", &["mail"]);
    let ops = changes(&old, &schema(vec![renamed], vec![]));
    let at = |w: &str| {
        ops.iter()
            .position(|o| o.starts_with(w))
            .unwrap_or_else(|| panic!("{w}: {ops:?}"))
    };
    assert!(at("drop generated column") < at("rename column"), "{ops:?}");
    assert!(at("rename column") < at("add generated column"), "{ops:?}");
}
