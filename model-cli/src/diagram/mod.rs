//! ER diagrams of a crate's models: [`Diagram::from_schema`] turns the schema the build step scanned
//! into entities and relationships; one small file per output format renders it.

mod dot;
mod mermaid;
#[cfg(test)]
mod sample;
mod svg;

pub use svg::render_svg;

use model_core::ir::{ColumnType, Dialect, ObjectKind, Schema, Table, View};

/// Output formats of `model diagram`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Mermaid `erDiagram` text (renders on GitHub and GitLab).
    Mermaid,
    /// Graphviz DOT text.
    Dot,
    /// SVG image, from DOT through Graphviz's `dot -Tsvg`.
    Svg,
}

/// An ER diagram: the tables and views, and the foreign keys between the tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagram {
    /// One entity per table (sorted by name), then one per view (sorted by name).
    pub entities: Vec<Entity>,
    /// One relationship per foreign key, by child table then declaration order.
    pub relationships: Vec<Relationship>,
}

/// A table or a view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// SQL name of the table or view; `schema.table` for a table in a PostgreSQL schema.
    pub name: String,
    /// Columns in declaration order.
    pub attributes: Vec<Attribute>,
    /// `Table`, `View` or `MaterializedView`.
    pub kind: ObjectKind,
    /// For a view: the tables and views its query reads, by name.
    pub reads: Vec<String>,
}

impl Entity {
    /// The name as drawn: a view's says so (`active_users (view)`).
    pub fn title(&self) -> String {
        match self.kind {
            ObjectKind::Table => self.name.clone(),
            kind => format!("{} ({kind})", self.name),
        }
    }
}

/// A column of an [`Entity`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// SQL name of the column.
    pub name: String,
    /// Its SQL type in the crate's dialect (`VARCHAR(255)`, `BIGINT`, ...); for an enum,
    /// `ENUM(name)` on PostgreSQL (a named type), `TEXT` on SQLite, `ENUM` on MySQL.
    pub ty: String,
    /// What the type does not say: on SQLite and MySQL, an enum's name and values
    /// (`enum post_status: draft, published`); on SQLite, an exact decimal's digits
    /// (`NUMERIC(12,2) as text`).
    pub detail: Option<String>,
    /// `NULL` allowed.
    pub nullable: bool,
    /// Key markers, in the order PK, FK, UK.
    pub keys: Vec<Key>,
    /// The other columns of a composite unique key this column is part of (one list per key).
    pub unique_with: Vec<Vec<String>>,
}

/// A key marker of an [`Attribute`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// Part of the primary key.
    Primary,
    /// Part of a foreign key.
    Foreign,
    /// Part of a UNIQUE constraint or of a unique index that is not partial.
    Unique,
}

impl Key {
    /// The marker as written in diagrams.
    pub fn marker(self) -> &'static str {
        match self {
            Key::Primary => "PK",
            Key::Foreign => "FK",
            Key::Unique => "UK",
        }
    }
}

/// How many parent rows a child row has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParentSide {
    /// Exactly one (the foreign key's columns are NOT NULL).
    ExactlyOne,
    /// Zero or one (a foreign key column is nullable).
    ZeroOrOne,
}

/// How many child rows a parent row has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildSide {
    /// Zero or more (the usual one-to-many).
    ZeroOrMore,
    /// Zero or one: the foreign key's columns are unique (primary key, UNIQUE, unique index), a
    /// one-to-one relationship.
    ZeroOrOne,
}

/// A foreign key, seen as a relationship between a parent table and a child table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relationship {
    /// The referenced table.
    pub parent: String,
    /// The referenced columns.
    pub parent_columns: Vec<String>,
    /// The table holding the foreign key.
    pub child: String,
    /// The foreign key's columns.
    pub child_columns: Vec<String>,
    /// Cardinality at the parent's end.
    pub parent_side: ParentSide,
    /// Cardinality at the child's end.
    pub child_side: ChildSide,
    /// The foreign key is part of the child's primary key (the child cannot exist without the parent).
    pub identifying: bool,
}

impl Diagram {
    /// The diagram of `schema`, with column types written as `dialect` writes them.
    pub fn from_schema(schema: &Schema, dialect: Dialect) -> Diagram {
        let mut entities: Vec<Entity> = schema.tables.iter().map(|t| entity(t, dialect)).collect();
        entities.extend(schema.views.iter().map(|v| view_entity(v, schema, dialect)));
        let mut relationships: Vec<Relationship> = schema.tables.iter().flat_map(relationships).collect();
        // tables in PostgreSQL schemas are drawn qualified, at both ends of their relationships
        for r in &mut relationships {
            for end in [&mut r.parent, &mut r.child] {
                if let Some(t) = schema.table(end) {
                    *end = drawn_name(t);
                }
            }
        }
        Diagram {
            entities,
            relationships,
        }
    }
}

fn entity(table: &Table, dialect: Dialect) -> Entity {
    let unique_keys = unique_keys(table);
    let attributes = table
        .columns
        .iter()
        .map(|c| {
            let mut keys = Vec::new();
            if table
                .primary_key
                .as_ref()
                .is_some_and(|pk| pk.columns.contains(&c.name))
            {
                keys.push(Key::Primary);
            }
            if table.foreign_keys.iter().any(|fk| fk.columns.contains(&c.name)) {
                keys.push(Key::Foreign);
            }
            let containing: Vec<&Vec<String>> = unique_keys.iter().filter(|k| k.contains(&c.name)).collect();
            if !containing.is_empty() {
                keys.push(Key::Unique);
            }
            let unique_with = containing
                .iter()
                .filter(|k| k.len() > 1)
                .map(|k| k.iter().filter(|n| **n != c.name).cloned().collect())
                .collect();
            Attribute {
                name: c.name.clone(),
                ty: type_text(&c.ty, dialect),
                detail: detail(&c.ty, dialect),
                nullable: c.nullable,
                keys,
                unique_with,
            }
        })
        .collect();
    Entity {
        name: drawn_name(table),
        attributes,
        kind: ObjectKind::Table,
        reads: Vec::new(),
    }
}

/// `billing.invoices` for a table in a schema, else its name.
fn drawn_name(table: &Table) -> String {
    match &table.schema {
        Some(s) => format!("{s}.{}", table.name),
        None => table.name.clone(),
    }
}

/// What a column's type in the diagram does not say (see [`Attribute::detail`]).
fn detail(ty: &ColumnType, dialect: Dialect) -> Option<String> {
    match (ty, dialect) {
        (ColumnType::Enum(e), Dialect::Sqlite | Dialect::Mysql) => {
            Some(format!("enum {}: {}", e.name, e.values.join(", ")))
        }
        // exact decimals are text in a SQLite file
        (ColumnType::Numeric { .. }, Dialect::Sqlite) => Some(format!("{} as text", ty.to_sql(Dialect::Postgres))),
        _ => None,
    }
}

/// A view: its columns (no keys), and the tables and views its query names.
fn view_entity(view: &View, schema: &Schema, dialect: Dialect) -> Entity {
    let mentions = view.mentions();
    let reads = schema
        .tables
        .iter()
        .map(|t| &t.name)
        .chain(schema.views.iter().map(|v| &v.name))
        .filter(|n| **n != view.name && mentions.contains(&n.to_lowercase()))
        .cloned()
        .collect();
    Entity {
        name: view.name.clone(),
        attributes: view
            .columns
            .iter()
            .map(|c| Attribute {
                name: c.name.clone(),
                ty: type_text(&c.ty, dialect),
                detail: detail(&c.ty, dialect),
                nullable: c.nullable,
                keys: Vec::new(),
                unique_with: Vec::new(),
            })
            .collect(),
        kind: view.kind(),
        reads,
    }
}

/// Column lists of the UNIQUE constraints and of the unique indexes that are not partial (a partial
/// index is unique only over some rows).
fn unique_keys(table: &Table) -> Vec<Vec<String>> {
    let mut keys: Vec<Vec<String>> = table.uniques.iter().map(|u| u.columns.clone()).collect();
    keys.extend(
        table
            .indexes
            .iter()
            .filter(|i| i.unique && i.where_sql.is_none())
            .map(|i| i.columns.clone()),
    );
    keys
}

fn type_text(ty: &ColumnType, dialect: Dialect) -> String {
    match ty {
        ColumnType::Enum(e) => match dialect {
            Dialect::Postgres => format!("ENUM({})", e.name),
            Dialect::Sqlite => "TEXT".into(),
            Dialect::Mysql => "ENUM".into(),
        },
        other => other.to_sql(dialect),
    }
}

fn relationships(table: &Table) -> Vec<Relationship> {
    let same_set = |a: &[String], b: &[String]| a.len() == b.len() && a.iter().all(|x| b.contains(x));
    let pk: &[String] = table.primary_key.as_ref().map_or(&[], |pk| &pk.columns);
    table
        .foreign_keys
        .iter()
        .map(|fk| {
            let nullable = fk
                .columns
                .iter()
                .any(|c| table.column(c).is_some_and(|col| col.nullable));
            let unique = same_set(&fk.columns, pk) || unique_keys(table).iter().any(|k| same_set(&fk.columns, k));
            Relationship {
                parent: fk.ref_table.clone(),
                parent_columns: fk.ref_columns.clone(),
                child: table.name.clone(),
                child_columns: fk.columns.clone(),
                parent_side: if nullable {
                    ParentSide::ZeroOrOne
                } else {
                    ParentSide::ExactlyOne
                },
                child_side: if unique {
                    ChildSide::ZeroOrOne
                } else {
                    ChildSide::ZeroOrMore
                },
                identifying: !pk.is_empty() && fk.columns.iter().all(|c| pk.contains(c)),
            }
        })
        .collect()
}

/// Render `diagram` as text in `format` (`Svg` runs Graphviz, see [`render_svg`]).
pub fn render(diagram: &Diagram, format: Format) -> Result<String, crate::error::CliError> {
    match format {
        Format::Mermaid => Ok(mermaid::render(diagram)),
        Format::Dot => Ok(dot::render(diagram)),
        Format::Svg => render_svg(&dot::render(diagram)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cardinality_follows_nullability_and_uniqueness() {
        let d = Diagram::from_schema(&sample::schema(), Dialect::Postgres);
        let rel = |child: &str, col: &str| {
            d.relationships
                .iter()
                .find(|r| r.child == child && r.child_columns == [col])
                .unwrap_or_else(|| panic!("{child}.{col}"))
                .clone()
        };
        let post_author = rel("posts", "author_id");
        assert_eq!(
            (post_author.parent_side, post_author.child_side, post_author.identifying),
            (ParentSide::ExactlyOne, ChildSide::ZeroOrMore, false)
        );
        let comment_author = rel("comments", "author_id");
        assert_eq!(comment_author.parent_side, ParentSide::ZeroOrOne);
        let profile = rel("profiles", "user_id");
        assert_eq!(
            profile.child_side,
            ChildSide::ZeroOrOne,
            "a unique foreign key is one-to-one"
        );
        let tagging = rel("post_tags", "post_id");
        assert_eq!((tagging.child_side, tagging.identifying), (ChildSide::ZeroOrMore, true));
    }

    #[test]
    fn tables_in_schemas_are_drawn_qualified() {
        let mut customers = Table::new("customers");
        customers.schema = Some("crm".into());
        customers
            .columns
            .push(model_core::ir::Column::new("id", ColumnType::BigInt));
        let mut invoices = Table::new("invoices");
        invoices
            .columns
            .push(model_core::ir::Column::new("customer_id", ColumnType::BigInt));
        invoices.foreign_keys.push(model_core::ir::ForeignKey {
            name: "fk".into(),
            columns: vec!["customer_id".into()],
            ref_table: "customers".into(),
            ref_columns: vec!["id".into()],
            on_delete: Default::default(),
            on_update: Default::default(),
        });
        let d = Diagram::from_schema(&Schema::new(vec![customers, invoices]), Dialect::Postgres);
        let names: Vec<&str> = d.entities.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["crm.customers", "invoices"]);
        assert_eq!(
            (d.relationships[0].parent.as_str(), d.relationships[0].child.as_str()),
            ("crm.customers", "invoices")
        );
        let mermaid = render(&d, Format::Mermaid).unwrap();
        assert!(mermaid.contains("crm.customers"), "{mermaid}");
    }

    #[test]
    fn views_are_entities_that_read_tables() {
        let d = Diagram::from_schema(&sample::schema(), Dialect::Postgres);
        let view = d.entities.last().unwrap();
        assert_eq!(view.title(), "published_posts (view)");
        assert_eq!(view.reads, ["posts", "users"]);
        assert!(view.attributes.iter().all(|a| a.keys.is_empty()));
    }

    #[test]
    fn keys_and_composite_uniques_are_marked() {
        let d = Diagram::from_schema(&sample::schema(), Dialect::Postgres);
        let posts = d.entities.iter().find(|e| e.name == "posts").unwrap();
        let author = posts.attributes.iter().find(|a| a.name == "author_id").unwrap();
        assert_eq!(author.keys, [Key::Foreign, Key::Unique]);
        assert_eq!(author.unique_with, [vec!["slug".to_string()]]);
        let id = posts.attributes.iter().find(|a| a.name == "id").unwrap();
        assert_eq!(id.keys, [Key::Primary]);
    }
}
