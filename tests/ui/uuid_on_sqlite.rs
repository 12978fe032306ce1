// Rule: Diesel binds `uuid::Uuid` on PostgreSQL only. On SQLite and MySQL `#[derive(Model)]` bounds a
// field written `Uuid` on `model::types::UuidColumn` (see the derive's snapshot
// `uuids_on_mysql_get_a_value_check`; these cases compile for PostgreSQL), whose error says to write
// `model::types::Uuid`; `Decimal` on SQLite likewise.
const _: () = {
    fn value_check<T: ?Sized + model::types::UuidColumn>() {}
    let _ = value_check::<uuid::Uuid>;
};

const _: () = {
    fn value_check<T: ?Sized + model::types::DecimalColumn>() {}
    let _ = value_check::<bigdecimal::BigDecimal>;
};

fn main() {}
