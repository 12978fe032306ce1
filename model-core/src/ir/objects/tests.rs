use super::*;

#[test]
fn functions_per_dialect() {
    let pg = "create or replace function public.\"Touch\"() returns trigger language plpgsql as $$\nbegin\n  new.updated_at := now();\n  return new;\nend\n$$;\n";
    let f = Function::parse(pg, Dialect::Postgres).unwrap();
    assert_eq!(f.name, "Touch");
    assert_eq!(f.arguments(), "");
    assert_eq!(f.returns(), "trigger");
    assert!(!f.sql.ends_with(';'));
    let my = "CREATE DEFINER=`root`@`%` FUNCTION Add_One(x INT) RETURNS INT DETERMINISTIC RETURN x + 1";
    let f = Function::parse(my, Dialect::Mysql).unwrap();
    assert_eq!(
        (f.name.as_str(), f.arguments().as_str(), f.returns().as_str()),
        ("Add_One", "x INT", "INT")
    );
    let table = "CREATE FUNCTION f(a int = 1, b numeric(10, 2) DEFAULT 0) RETURNS TABLE(x int, y int) AS 'select 1, 2' LANGUAGE sql";
    let f = Function::parse(table, Dialect::Postgres).unwrap();
    assert_eq!(f.drop_arguments(), "a int, b numeric(10, 2)");
    assert_eq!(f.returns(), "TABLE(x int,y int)");
}

#[test]
fn triggers_per_dialect() {
    let t = Trigger::parse(
        "CREATE TRIGGER IF NOT EXISTS touch AFTER UPDATE OF title ON \"Posts\" FOR EACH ROW BEGIN UPDATE \"Posts\" SET at = 1 WHERE id = NEW.id; END",
        Dialect::Sqlite,
    )
    .unwrap();
    assert_eq!((t.name.as_str(), t.table.as_str()), ("touch", "Posts"));
    let t = Trigger::parse(
        "CREATE TRIGGER Touch BEFORE UPDATE ON app.Posts FOR EACH ROW EXECUTE FUNCTION touch()",
        Dialect::Postgres,
    )
    .unwrap();
    assert_eq!((t.name.as_str(), t.table.as_str()), ("touch", "posts"));
}

#[test]
fn errors_say_what_to_write() {
    let e = |sql: &str| parse_object(sql, Dialect::Postgres).unwrap_err().to_string();
    assert!(e("").contains("no statement"));
    assert!(e("-- only a comment").contains("no statement"));
    assert!(e("SELECT 1").contains("not a function or trigger"));
    assert!(e("CREATE VIEW v AS SELECT 1").contains("#[model(view"));
    assert!(e("CREATE TRIGGER t BEFORE UPDATE FOR EACH ROW EXECUTE FUNCTION f()").contains("ON <table>"));
    assert!(e("CREATE FUNCTION f RETURNS int AS 'select 1' LANGUAGE sql").contains("argument list"));
    let two = e("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\nCREATE FUNCTION g() RETURNS int AS $$ SELECT 2 $$ LANGUAGE sql;");
    assert!(
        two.contains("more than one statement") && two.contains("CREATE FUNCTION g()"),
        "{two}"
    );
}

#[test]
fn same_definition_ignores_layout_only() {
    let a = Object::View(View::new("v", "SELECT a\n  FROM t -- all"));
    let b = Object::View(View::new("v", "SELECT a FROM t;"));
    let c = Object::View(View::new("v", "SELECT b FROM t"));
    assert!(a.same_definition(&b));
    assert!(!a.same_definition(&c));
    let mut m = View::new("v", "SELECT a FROM t");
    m.materialized = true;
    assert!(!b.same_definition(&Object::View(m)));
}
