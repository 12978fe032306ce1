//! The enum types in the model of the database: they exist while columns use them, and their
//! values change only through their ops, which must carry exactly the columns of the type.

use super::{State, Step};
use crate::ir::{Column, ColumnType, EnumType};
use crate::ops::{renamed, EnumUse, Op};

impl State {
    /// The enum types of the columns of `self`, by name (each as its first column has it).
    pub(super) fn enums_of_columns(&self) -> std::collections::BTreeMap<String, Vec<String>> {
        let mut out = std::collections::BTreeMap::new();
        for t in self.tables.values() {
            for c in t.columns.values() {
                if let ColumnType::Enum(e) = &c.ty {
                    out.entry(e.name.clone()).or_insert_with(|| e.values.clone());
                }
            }
        }
        out
    }

    /// A column of type `column.ty` may exist: its enum type exists, with these values.
    pub(super) fn enum_exists(&self, column: &Column) -> Step {
        let ColumnType::Enum(e) = &column.ty else { return Ok(()) };
        match self.enums.get(&e.name) {
            None => Err(format!("column \"{}\": no enum type \"{}\"", column.name, e.name)),
            Some(v) if *v != e.values => Err(format!(
                "column \"{}\": enum type \"{}\" has other values",
                column.name, e.name
            )),
            Some(_) => Ok(()),
        }
    }

    /// For a change of a column between two value lists of one enum type: the type as it is now.
    pub(super) fn follows_its_type(&self, from: &Column, to: &Column) -> Option<ColumnType> {
        match (&from.ty, &to.ty) {
            (ColumnType::Enum(a), ColumnType::Enum(b)) if a.name == b.name && a.values != b.values => {
                let values = self.enums.get(&a.name)?;
                Some(ColumnType::Enum(EnumType::new(a.name.clone(), values.iter().cloned())))
            }
            _ => None,
        }
    }

    pub(super) fn enum_step(&mut self, op: &Op) -> Step {
        match op {
            Op::CreateEnum { ty } => {
                if self.enums.insert(ty.name.clone(), ty.values.clone()).is_some() {
                    return Err("type exists".into());
                }
                Ok(())
            }
            Op::DropEnum { ty } => {
                self.has_enum(ty)?;
                if !self.users_of(&ty.name).is_empty() {
                    return Err("columns still use it".into());
                }
                self.enums.remove(&ty.name);
                Ok(())
            }
            Op::RenameEnum { from, to } => {
                if self.enums.contains_key(to) {
                    return Err("new name taken".into());
                }
                let values = self.enums.remove(from).ok_or("no such type")?;
                self.enums.insert(to.clone(), values.clone());
                self.retype(from, &EnumType::new(to.clone(), values));
                Ok(())
            }
            Op::RenameEnumValues { ty, renames, users } => {
                self.has_enum(ty)?;
                for r in renames {
                    if !ty.values.contains(&r.from) || ty.values.contains(&r.to) {
                        return Err(format!("cannot rename '{}' to '{}'", r.from, r.to));
                    }
                }
                self.same_users(&ty.name, users)?;
                let after = renamed(ty, renames);
                self.enums.insert(ty.name.clone(), after.values.clone());
                self.retype(&ty.name, &after);
                Ok(())
            }
            Op::ChangeEnumValues { from, to, users } => {
                self.has_enum(from)?;
                self.same_users(&from.name, users)?;
                self.enums.insert(to.name.clone(), to.values.clone());
                self.retype(&from.name, to);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn has_enum(&self, ty: &EnumType) -> Step {
        match self.enums.get(&ty.name) {
            Some(v) if *v == ty.values => Ok(()),
            Some(v) => Err(format!("type has values {v:?}, not {:?}", ty.values)),
            None => Err("no such type".into()),
        }
    }

    /// `(table, column)` of each column of type `name`, sorted.
    fn users_of(&self, name: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (t, ts) in &self.tables {
            for c in ts.columns.values() {
                if matches!(&c.ty, ColumnType::Enum(e) if e.name == name) {
                    out.push((t.clone(), c.name.clone()));
                }
            }
        }
        out
    }

    fn same_users(&self, name: &str, users: &[EnumUse]) -> Step {
        let mut carried: Vec<(String, String)> =
            users.iter().map(|u| (u.table.clone(), u.column.name.clone())).collect();
        carried.sort();
        let actual = self.users_of(name);
        if carried != actual {
            return Err(format!(
                "the op carries columns {carried:?}, the type is used by {actual:?}"
            ));
        }
        for u in users {
            let current = self.tables.get(&u.table).and_then(|t| t.columns.get(&u.column.name));
            if current.map(|c| (&c.default, c.nullable)) != Some((&u.column.default, u.column.nullable)) {
                return Err(format!(
                    "column \"{}\" of \"{}\" is not as carried",
                    u.column.name, u.table
                ));
            }
        }
        Ok(())
    }

    /// Every column of type `name` now has type `ty`.
    fn retype(&mut self, name: &str, ty: &EnumType) {
        for t in self.tables.values_mut() {
            for c in t.columns.values_mut() {
                if matches!(&c.ty, ColumnType::Enum(e) if e.name == name) {
                    c.ty = ColumnType::Enum(ty.clone());
                }
            }
        }
    }
}
