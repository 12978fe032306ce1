// Exact names: every constraint and index can carry the database's own name, the identity can keep
// the database's form, and a composite foreign key is declared at struct level; the table's
// metadata carries them all.
use model::Model;

#[derive(Model)]
#[model(primary_key(order_id, line, name = "order_lines_pkey"))]
#[model(unique(order_id, sku, name = "order_lines_order_id_sku_key"))]
#[model(check(sql_name = "order_lines_quantity_check", sql = "quantity > 0"))]
#[model(index(sku, name = "order_lines_sku_idx"))]
pub struct OrderLine {
    #[model(references = "orders(id)", on_delete = "cascade", fk_name = "order_lines_order_id_fkey")]
    pub order_id: i64,
    pub line: i32,
    pub sku: String,
    #[model(check = "quantity < 1000", check_name = "order_lines_quantity_max")]
    pub quantity: i32,
}

#[derive(Model)]
#[model(foreign_key(order_id, line, references = "order_lines(order_id, line)", on_delete = "set null",
                    name = "shipments_line_fkey"))]
pub struct Shipment {
    #[model(primary_key, pk_name = "shipments_pkey", identity = "serial")]
    pub id: i64,
    pub order_id: Option<i64>,
    pub line: Option<i32>,
    #[model(unique, unique_name = "shipments_tracking_key", index, index_name = "shipments_tracking_idx")]
    pub tracking: String,
}

fn main() {
    let t = OrderLine::table();
    assert_eq!(t.primary_key.unwrap().name, "order_lines_pkey");
    assert_eq!(t.uniques[0].name, "order_lines_order_id_sku_key");
    assert_eq!(t.foreign_keys[0].name, "order_lines_order_id_fkey");
    let checks: Vec<&str> = t.checks.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(checks, ["order_lines_quantity_max", "order_lines_quantity_check"]);
    assert_eq!(t.indexes[0].name, "order_lines_sku_idx");
    let s = Shipment::table();
    assert_eq!(s.primary_key.unwrap().name, "shipments_pkey");
    assert_eq!(s.columns[0].identity_kind, model::ir::IdentityKind::Serial);
    assert_eq!(s.foreign_keys[0].name, "shipments_line_fkey");
    assert_eq!(s.foreign_keys[0].columns, ["order_id", "line"]);
    assert_eq!(s.uniques[0].name, "shipments_tracking_key");
    assert_eq!(s.indexes[0].name, "shipments_tracking_idx");
}
