//! Table constraints: primary key, unique, check and foreign key clauses.

use super::ident::quote_table;
use super::ident::{quote_ident, quote_list};
use crate::ir::{Check, Dialect, FkAction, ForeignKey, PrimaryKey, UniqueConstraint};

/// `CONSTRAINT "pk_x" PRIMARY KEY ("a", "b")`; MySQL ignores primary key names, so there it is
/// just `PRIMARY KEY (...)`.
pub(super) fn primary_key(pk: &PrimaryKey, dialect: Dialect) -> String {
    let cols = quote_list(&pk.columns, dialect);
    if dialect == Dialect::Mysql {
        format!("PRIMARY KEY ({cols})")
    } else {
        format!("CONSTRAINT {} PRIMARY KEY ({cols})", quote_ident(&pk.name, dialect))
    }
}

/// `CONSTRAINT "uq_.." UNIQUE ("a")`.
pub(super) fn unique(uq: &UniqueConstraint, dialect: Dialect) -> String {
    format!(
        "CONSTRAINT {} UNIQUE ({})",
        quote_ident(&uq.name, dialect),
        quote_list(&uq.columns, dialect)
    )
}

/// `CONSTRAINT "ck_.." CHECK (sql)`.
pub(super) fn check(ck: &Check, dialect: Dialect) -> String {
    format!("CONSTRAINT {} CHECK ({})", quote_ident(&ck.name, dialect), ck.sql)
}

/// `CONSTRAINT "fk_.." FOREIGN KEY ("c") REFERENCES "t" ("id") [ON DELETE ..] [ON UPDATE ..]`;
/// `NO ACTION` clauses are left out (it is the default).
pub(super) fn foreign_key(fk: &ForeignKey, dialect: Dialect) -> String {
    let mut sql = format!(
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
        quote_ident(&fk.name, dialect),
        quote_list(&fk.columns, dialect),
        quote_table(&fk.ref_table, dialect),
        quote_list(&fk.ref_columns, dialect),
    );
    for (event, action) in [("DELETE", fk.on_delete), ("UPDATE", fk.on_update)] {
        if action != FkAction::NoAction {
            sql.push_str(&format!(" ON {event} {}", action.sql()));
        }
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::fixtures::fk;

    #[test]
    fn foreign_key_actions() {
        let mut f = fk("posts", &["user_id"], "users", &["id"]);
        assert_eq!(
            foreign_key(&f, Dialect::Postgres),
            r#"CONSTRAINT "fk_posts_user_id_users" FOREIGN KEY ("user_id") REFERENCES "users" ("id")"#
        );
        f.on_delete = FkAction::Cascade;
        f.on_update = FkAction::SetDefault;
        assert_eq!(
            foreign_key(&f, Dialect::Mysql),
            "CONSTRAINT `fk_posts_user_id_users` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) \
             ON DELETE CASCADE ON UPDATE SET DEFAULT"
        );
    }

    #[test]
    fn primary_key_names() {
        let pk = PrimaryKey {
            name: "pk_t".into(),
            columns: vec!["a".into(), "b".into()],
        };
        assert_eq!(
            primary_key(&pk, Dialect::Sqlite),
            r#"CONSTRAINT "pk_t" PRIMARY KEY ("a", "b")"#
        );
        assert_eq!(primary_key(&pk, Dialect::Mysql), "PRIMARY KEY (`a`, `b`)");
    }
}
