//! Models in two PostgreSQL schemas, on a real server: the migration the crate plans creates both
//! schemas and a foreign key across them, Diesel's queries (a join across the schemas) work through
//! the derive's `table!` (`schema.table`), `verify` finds no drift, then a table is renamed and moved
//! to a third schema (one migration: `SET SCHEMA`, then the rename; `down.sql` undoes both) and a
//! table dropped by hand is reported missing from its schema. PostgreSQL comes from
//! `MODEL_TEST_POSTGRES_URL` (skipped when unreachable, failing under CI).

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use model::ir::{Dialect, Schema};
use model::Model;

#[derive(Model, Queryable, Selectable, Insertable, Identifiable, Debug, Clone, PartialEq)]
#[model(schema = "schemas_helper_crm")]
pub struct Customer {
    #[model(primary_key, identity = false)]
    pub id: i64,
    #[model(max_length = 100, index)]
    pub name: String,
}

#[derive(Model, Queryable, Selectable, Insertable, Associations, Debug, Clone, PartialEq)]
#[diesel(belongs_to(Customer))]
#[model(table_name = "schemas_helper_billing.invoices")]
pub struct Invoice {
    #[model(primary_key, identity = false)]
    pub id: i64,
    #[model(references = "schemas_helper_crm.customers(id)", on_delete = "cascade", index)]
    pub customer_id: i64,
    pub total: i32,
}

diesel::joinable!(invoices -> customers (customer_id));
diesel::allow_tables_to_appear_in_same_query!(customers, invoices);

fn models() -> Schema {
    Schema::new(vec![Customer::table(), Invoice::table()])
}

/// Plan `old → new` for PostgreSQL and run `up.sql` (or `down.sql` when `down`).
fn migrate(conn: &mut PgConnection, old: &Schema, new: &Schema, down: bool) -> String {
    let m = model_core::plan::plan_migration(old, new, Dialect::Postgres, false)
        .expect("plan")
        .expect("a migration");
    let sql = if down { &m.down_sql } else { &m.up_sql };
    conn.batch_execute(sql).unwrap_or_else(|e| panic!("{e}:\n{sql}"));
    sql.clone()
}

fn drift(conn: &mut PgConnection, models: &Schema) -> Vec<String> {
    model_core::runtime::verify(conn, models)
        .expect("verify")
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn table_schema(conn: &mut PgConnection, table: &str) -> Vec<String> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        schema: String,
    }
    diesel::sql_query("SELECT table_schema::text AS schema FROM information_schema.tables WHERE table_name = $1")
        .bind::<diesel::sql_types::Text, _>(table)
        .load::<Row>(conn)
        .unwrap()
        .into_iter()
        .map(|r| r.schema)
        .collect()
}

#[test]
fn two_schemas_a_foreign_key_across_them_a_rename_and_a_move() {
    let Some(db) = model_testkit::postgres("schemas_helper") else {
        return;
    };
    let conn = &mut db.connect();
    let models = models();
    assert_eq!(Customer::table().schema.as_deref(), Some("schemas_helper_crm"));
    assert_eq!(
        (Invoice::table().schema.as_deref(), Invoice::TABLE_NAME),
        (Some("schemas_helper_billing"), "invoices")
    );

    let up = migrate(conn, &Schema::default(), &models, false);
    assert!(up.contains(r#"CREATE SCHEMA IF NOT EXISTS "schemas_helper_billing""#), "{up}");
    assert!(
        up.contains(r#"REFERENCES "schemas_helper_crm"."customers" ("id")"#),
        "{up}"
    );
    assert_eq!(table_schema(conn, "invoices"), ["schemas_helper_billing"]);
    assert_eq!(drift(conn, &models), Vec::<String>::new());

    // Diesel through the derive's `table!`: inserts, a join across the two schemas, the cascade
    diesel::insert_into(customers::table)
        .values(&[
            Customer { id: 1, name: "Ada".into() },
            Customer { id: 2, name: "Grace".into() },
        ])
        .execute(conn)
        .unwrap();
    let invoices_rows = [
        Invoice { id: 10, customer_id: 1, total: 30 },
        Invoice { id: 11, customer_id: 2, total: 12 },
        Invoice { id: 12, customer_id: 1, total: 5 },
    ];
    diesel::insert_into(invoices::table).values(&invoices_rows).execute(conn).unwrap();
    let totals: Vec<(String, i32)> = invoices::table
        .inner_join(customers::table)
        .select((customers::name, invoices::total))
        .order(invoices::id)
        .load(conn)
        .unwrap();
    assert_eq!(totals, [("Ada".into(), 30), ("Grace".into(), 12), ("Ada".into(), 5)]);
    let ada = customers::table.find(1).select(Customer::as_select()).first(conn).unwrap();
    let hers: Vec<Invoice> = Invoice::belonging_to(&ada).select(Invoice::as_select()).load(conn).unwrap();
    assert_eq!(hers.len(), 2);
    // the foreign key across the schemas holds
    let orphan = diesel::insert_into(invoices::table)
        .values(Invoice { id: 13, customer_id: 99, total: 1 })
        .execute(conn);
    assert!(orphan.is_err(), "a foreign key across schemas refuses an unknown customer");

    // evolve: invoices renamed to bills and moved to a third schema, in one migration
    let mut evolved = models.clone();
    let bills = evolved.tables.iter_mut().find(|t| t.name == "invoices").unwrap();
    bills.name = "bills".into();
    bills.renamed_from = Some("invoices".into());
    bills.schema = Some("schemas_helper_archive".into());
    let evolved = Schema::new(evolved.tables);
    let up = migrate(conn, &models, &evolved, false);
    let set_schema = up.find("SET SCHEMA").expect("a move, not a drop and create");
    assert!(set_schema < up.find("RENAME TO").expect("a rename"), "{up}");
    assert!(!up.contains("DROP TABLE"), "{up}");
    assert_eq!(table_schema(conn, "bills"), ["schemas_helper_archive"]);
    assert_eq!(drift(conn, &evolved), Vec::<String>::new());
    let kept: i64 = diesel::sql_query("SELECT count(*) AS n FROM schemas_helper_archive.bills")
        .get_result::<Count>(conn)
        .unwrap()
        .n;
    assert_eq!(kept, 3, "the rows moved with the table");

    // down.sql puts it back where it was, under its old name
    migrate(conn, &models, &evolved, true);
    assert_eq!(table_schema(conn, "invoices"), ["schemas_helper_billing"]);
    assert_eq!(drift(conn, &models), Vec::<String>::new());
    let count: i64 = invoices::table.count().get_result(conn).unwrap();
    assert_eq!(count, 3);

    // a table dropped by hand is reported missing from its schema, in words
    conn.batch_execute(r#"DROP TABLE "schemas_helper_billing"."invoices""#).unwrap();
    let drift = drift(conn, &models);
    assert_eq!(
        drift,
        [r#"table "invoices": missing in the database (schema "schemas_helper_billing")"#],
    );
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}
