//! Words for the table ops.

use super::quoted;
use crate::ir::Table;

pub(super) fn describe_create(table: &Table) -> String {
    format!("create table {}", quoted(&table.name))
}

pub(super) fn describe_drop(table: &Table) -> String {
    format!("drop table {} (its rows are lost)", quoted(&table.name))
}

pub(super) fn data_loss_of_drop(table: &Table) -> String {
    format!("drops table {} and all its rows", quoted(&table.name))
}
