//! Random models and random edits, through the real build step, on a real database (PostgreSQL,
//! SQLite, and MySQL/MariaDB with the `mysql` feature): the first model's migration is applied, then
//! the edited model's; the database must equal the edited model (introspected), and reverting
//! everything must leave no table. Models have generated columns (computed from another column of
//! their table) and views (over a table, or over another view), which the edits of tables and
//! columns shake.
//!
//! `MODEL_PROPTEST_CASES` sets the number of cases per backend (default 200; CI runs the default).
#![cfg(all(feature = "build", feature = "postgres", feature = "sqlite"))]

mod support;

use model_core::ir::Dialect;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use support::project::Project;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    I32,
    I64,
    F64,
    Bool,
    Text,
    Varchar(u32),
}

impl Ty {
    fn rust(self) -> &'static str {
        match self {
            Ty::I32 => "i32",
            Ty::I64 => "i64",
            Ty::F64 => "f64",
            Ty::Bool => "bool",
            Ty::Text | Ty::Varchar(_) => "String",
        }
    }

    fn default_literal(self) -> &'static str {
        match self {
            Ty::I32 | Ty::I64 => "7",
            Ty::F64 => "1.5",
            Ty::Bool => "true",
            Ty::Text | Ty::Varchar(_) => "\"x\"",
        }
    }

    /// A type the column can be converted to in place (same family).
    fn sibling(self, pick: u8) -> Ty {
        match self {
            Ty::I32 => Ty::I64,
            Ty::I64 => Ty::I32,
            Ty::F64 | Ty::Bool => self,
            Ty::Text | Ty::Varchar(_) => [Ty::Text, Ty::Varchar(20), Ty::Varchar(60)][usize::from(pick) % 3],
        }
    }
}

#[derive(Debug, Clone)]
struct Col {
    name: String,
    ty: Ty,
    nullable: bool,
    default: bool,
    unique: bool,
    index: bool,
    /// `Some(table)`: a nullable BIGINT referencing `table(id)`.
    references: Option<String>,
    renamed_from: Option<String>,
}

/// A generated column, computed from the column `base` of its table.
#[derive(Debug, Clone)]
struct Gen {
    name: String,
    base: String,
    /// Computed when read (SQLite and MySQL; PostgreSQL stores every one).
    is_virtual: bool,
}

#[derive(Debug, Clone)]
struct Table {
    name: String,
    columns: Vec<Col>,
    gens: Vec<Gen>,
    renamed_from: Option<String>,
}

/// A view: `id` and `columns` of the table `over`, or `id` of the view `over`; maybe filtered.
#[derive(Debug, Clone)]
struct View {
    name: String,
    over: String,
    over_view: bool,
    columns: Vec<String>,
    filtered: bool,
}

#[derive(Debug, Clone, Default)]
struct Model {
    tables: Vec<Table>,
    views: Vec<View>,
    next: usize,
}

impl Ty {
    /// An expression of a column of this type, for a generated column, and its Rust type.
    fn generated(self, base: &str) -> (String, &'static str) {
        match self {
            Ty::Text | Ty::Varchar(_) => (format!("lower({base})"), "String"),
            Ty::I32 | Ty::I64 => (format!("{base} + 1"), self.rust()),
            Ty::F64 => (format!("{base} * 2"), "f64"),
            Ty::Bool => (format!("NOT {base}"), "bool"),
        }
    }
}

impl Model {
    fn fresh(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!("{prefix}{}", self.next)
    }

    fn source(&self, dialect: Dialect) -> String {
        let mut out = String::new();
        for t in &self.tables {
            out.push_str("#[derive(Model)]\n");
            match &t.renamed_from {
                Some(old) => out.push_str(&format!(
                    "#[model(table_name = \"{}\", renamed_from = \"{old}\")]\n",
                    t.name
                )),
                None => out.push_str(&format!("#[model(table_name = \"{}\")]\n", t.name)),
            }
            out.push_str(&format!(
                "pub struct S{} {{\n    #[model(primary_key)]\n    pub id: i64,\n",
                t.name
            ));
            for c in &t.columns {
                let mut c = c.clone();
                if dialect == Dialect::Mysql && (c.unique || c.index) && c.ty == Ty::Text {
                    // MySQL keys only bounded text: what a user on MySQL would write
                    c.ty = Ty::Varchar(60);
                }
                let mut attrs = Vec::new();
                if let Some(r) = &c.references {
                    attrs.push(format!("references = \"{r}(id)\", on_delete = \"set null\""));
                }
                if let Ty::Varchar(n) = c.ty {
                    attrs.push(format!("max_length = {n}"));
                }
                if c.default {
                    attrs.push(format!("default = {}", c.ty.default_literal()));
                }
                if c.unique {
                    attrs.push("unique".into());
                }
                if c.index {
                    attrs.push("index".into());
                }
                if let Some(old) = &c.renamed_from {
                    attrs.push(format!("renamed_from = \"{old}\""));
                }
                if !attrs.is_empty() {
                    out.push_str(&format!("    #[model({})]\n", attrs.join(", ")));
                }
                let ty = if c.references.is_some() { "i64" } else { c.ty.rust() };
                let ty = if c.nullable {
                    format!("Option<{ty}>")
                } else {
                    ty.to_string()
                };
                out.push_str(&format!("    pub {}: {ty},\n", c.name));
            }
            for g in &t.gens {
                let Some(base) = t.columns.iter().find(|c| c.name == g.base) else { continue };
                let base_ty = if base.references.is_some() { Ty::I64 } else { base.ty };
                let (sql, ty) = base_ty.generated(&base.name);
                if g.is_virtual && dialect != Dialect::Postgres {
                    out.push_str(&format!("    #[model(generated(sql = \"{sql}\", virtual))]\n"));
                } else {
                    out.push_str(&format!("    #[model(generated = \"{sql}\")]\n"));
                }
                out.push_str(&format!("    pub {}: Option<{ty}>,\n", g.name));
            }
            out.push_str("}\n\n");
        }
        for v in &self.views {
            let filter = if v.filtered { " WHERE id > 0" } else { "" };
            let mut select = vec!["id".to_string()];
            select.extend(v.columns.iter().cloned());
            out.push_str(&format!(
                "#[derive(Model)]\n#[model(table_name = \"{}\", view = \"SELECT {} FROM {}{filter}\")]\n\
                 pub struct S{} {{\n    #[model(primary_key)]\n    pub id: i64,\n",
                v.name,
                select.join(", "),
                v.over,
                v.name
            ));
            if let Some(t) = self.tables.iter().find(|t| !v.over_view && t.name == v.over) {
                for name in &v.columns {
                    if let Some(c) = t.columns.iter().find(|c| c.name == *name) {
                        let ty = if c.references.is_some() { "i64" } else { c.ty.rust() };
                        out.push_str(&format!("    pub {name}: Option<{ty}>,\n"));
                    }
                }
            }
            out.push_str("}\n\n");
        }
        out
    }

    /// Drop the views that read `name` (a table or view), and the views over them.
    fn drop_readers(&mut self, name: &str) {
        let mut gone = vec![name.to_string()];
        while let Some(n) = gone.pop() {
            let (readers, kept): (Vec<View>, Vec<View>) = std::mem::take(&mut self.views).into_iter().partition(|v| v.over == n);
            self.views = kept;
            gone.extend(readers.into_iter().map(|v| v.name));
        }
    }

    /// The model as the next step sees it: rename hints of this step are history.
    fn settled(&self) -> Model {
        let mut m = self.clone();
        for t in &mut m.tables {
            t.renamed_from = None;
            for c in &mut t.columns {
                c.renamed_from = None;
            }
        }
        m
    }
}

#[derive(Debug, Clone)]
struct ColGen {
    ty: Ty,
    nullable: bool,
    default: bool,
    unique: bool,
    index: bool,
    reference: Option<u8>,
}

#[derive(Debug, Clone)]
enum Edit {
    AddTable(Vec<ColGen>),
    DropTable(u8),
    RenameTable(u8),
    AddColumn(u8, ColGen),
    DropColumn(u8, u8),
    RenameColumn(u8, u8),
    Retype(u8, u8, u8),
    ToggleNull(u8, u8),
    ToggleDefault(u8, u8),
    ToggleUnique(u8, u8),
    ToggleIndex(u8, u8),
    AddGenerated(u8, u8, bool),
    DropGenerated(u8, u8),
    AddView(u8, u8),
    AddViewOverView(u8),
    DropView(u8),
    ToggleViewFilter(u8),
}

fn ty() -> impl Strategy<Value = Ty> {
    prop_oneof![
        Just(Ty::I32),
        Just(Ty::I64),
        Just(Ty::F64),
        Just(Ty::Bool),
        Just(Ty::Text),
        Just(Ty::Varchar(20)),
        Just(Ty::Varchar(60)),
    ]
}

fn col_gen() -> impl Strategy<Value = ColGen> {
    (
        ty(),
        any::<bool>(),
        any::<bool>(),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.2),
        prop::option::weighted(0.2, any::<u8>()),
    )
        .prop_map(|(ty, nullable, default, unique, index, reference)| ColGen {
            ty,
            nullable,
            default,
            unique,
            index,
            reference,
        })
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        prop::collection::vec(col_gen(), 0..4).prop_map(Edit::AddTable),
        any::<u8>().prop_map(Edit::DropTable),
        any::<u8>().prop_map(Edit::RenameTable),
        (any::<u8>(), col_gen()).prop_map(|(t, c)| Edit::AddColumn(t, c)),
        (any::<u8>(), any::<u8>()).prop_map(|(t, c)| Edit::DropColumn(t, c)),
        (any::<u8>(), any::<u8>()).prop_map(|(t, c)| Edit::RenameColumn(t, c)),
        (any::<u8>(), any::<u8>(), any::<u8>()).prop_map(|(t, c, p)| Edit::Retype(t, c, p)),
        (any::<u8>(), any::<u8>()).prop_map(|(t, c)| Edit::ToggleNull(t, c)),
        (any::<u8>(), any::<u8>()).prop_map(|(t, c)| Edit::ToggleDefault(t, c)),
        (any::<u8>(), any::<u8>()).prop_map(|(t, c)| Edit::ToggleUnique(t, c)),
        (any::<u8>(), any::<u8>()).prop_map(|(t, c)| Edit::ToggleIndex(t, c)),
        object_edit(),
        object_edit(),
    ]
}

/// Edits of generated columns and views.
fn object_edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<u8>(), any::<u8>(), any::<bool>()).prop_map(|(t, c, v)| Edit::AddGenerated(t, c, v)),
        (any::<u8>(), any::<u8>()).prop_map(|(t, g)| Edit::DropGenerated(t, g)),
        (any::<u8>(), any::<u8>()).prop_map(|(t, mask)| Edit::AddView(t, mask)),
        any::<u8>().prop_map(Edit::AddViewOverView),
        any::<u8>().prop_map(Edit::DropView),
        any::<u8>().prop_map(Edit::ToggleViewFilter),
    ]
}

fn add_column(m: &mut Model, table: usize, g: &ColGen, existing_table: bool) {
    let name = m.fresh("c");
    let references = g.reference.and_then(|r| {
        let others: Vec<String> = m
            .tables
            .iter()
            .map(|t| t.name.clone())
            .filter(|n| *n != m.tables[table].name)
            .collect();
        (!others.is_empty()).then(|| others[usize::from(r) % others.len()].clone())
    });
    // A NOT NULL column added to a table that may have rows needs a default.
    let nullable = g.nullable || references.is_some();
    let default = references.is_none() && (g.default || (!nullable && existing_table));
    m.tables[table].columns.push(Col {
        name,
        ty: if references.is_some() { Ty::I64 } else { g.ty },
        nullable,
        default,
        unique: g.unique,
        index: g.index,
        references,
        renamed_from: None,
    });
}

fn apply(m: &mut Model, e: &Edit) {
    let n = m.tables.len();
    let pick = |i: &u8, len: usize| usize::from(*i) % len;
    match e {
        Edit::AddTable(cols) => {
            let name = m.fresh("t");
            m.tables.push(Table {
                name,
                columns: Vec::new(),
                gens: Vec::new(),
                renamed_from: None,
            });
            for g in cols {
                add_column(m, n, g, false);
            }
        }
        Edit::DropTable(t) if n > 0 => {
            let gone = m.tables.remove(pick(t, n)).name;
            for t in &mut m.tables {
                let dropped: Vec<String> = t
                    .columns
                    .iter()
                    .filter(|c| c.references.as_deref() == Some(gone.as_str()))
                    .map(|c| c.name.clone())
                    .collect();
                t.columns.retain(|c| c.references.as_deref() != Some(gone.as_str()));
                t.gens.retain(|g| !dropped.contains(&g.base));
                let name = t.name.clone();
                for v in m.views.iter_mut().filter(|v| !v.over_view && v.over == name) {
                    v.columns.retain(|c| !dropped.contains(c));
                }
            }
            m.drop_readers(&gone);
        }
        Edit::RenameTable(t) if n > 0 => {
            let i = pick(t, n);
            let new = m.fresh("t");
            let old = std::mem::replace(&mut m.tables[i].name, new.clone());
            // renamed twice in one step: the hint names the table as the database has it
            let first = m.tables[i].renamed_from.take().unwrap_or_else(|| old.clone());
            m.tables[i].renamed_from = Some(first);
            for t in &mut m.tables {
                for c in &mut t.columns {
                    if c.references.as_deref() == Some(old.as_str()) {
                        c.references = Some(new.clone());
                    }
                }
            }
            for v in m.views.iter_mut().filter(|v| !v.over_view && v.over == old) {
                v.over = new.clone();
            }
        }
        Edit::AddView(t, mask) if n > 0 => {
            let t = &m.tables[pick(t, n)];
            let columns: Vec<String> = t
                .columns
                .iter()
                .enumerate()
                .filter(|(i, _)| *i < 8 && mask & (1 << i) != 0)
                .map(|(_, c)| c.name.clone())
                .collect();
            let over = t.name.clone();
            let name = m.fresh("v");
            m.views.push(View {
                name,
                over,
                over_view: false,
                columns,
                filtered: mask & 0x80 != 0,
            });
        }
        Edit::AddViewOverView(v) if !m.views.is_empty() => {
            let over = m.views[pick(v, m.views.len())].name.clone();
            let name = m.fresh("v");
            m.views.push(View {
                name,
                over,
                over_view: true,
                columns: Vec::new(),
                filtered: true,
            });
        }
        Edit::DropView(v) if !m.views.is_empty() => {
            let gone = m.views.remove(pick(v, m.views.len())).name;
            m.drop_readers(&gone);
        }
        Edit::ToggleViewFilter(v) if !m.views.is_empty() => {
            let i = pick(v, m.views.len());
            m.views[i].filtered = !m.views[i].filtered;
        }
        Edit::AddColumn(t, g) if n > 0 => add_column(m, pick(t, n), g, true),
        _ if n == 0 => {}
        Edit::DropColumn(t, c)
        | Edit::AddGenerated(t, c, _)
        | Edit::DropGenerated(t, c)
        | Edit::RenameColumn(t, c)
        | Edit::Retype(t, c, _)
        | Edit::ToggleNull(t, c)
        | Edit::ToggleDefault(t, c)
        | Edit::ToggleUnique(t, c)
        | Edit::ToggleIndex(t, c) => {
            let ti = pick(t, n);
            let len = m.tables[ti].columns.len();
            if len == 0 {
                return;
            }
            let ci = pick(c, len);
            let fresh = m.fresh("c");
            let table_name = m.tables[ti].name.clone();
            let gens = m.tables[ti].gens.len();
            let col = &mut m.tables[ti].columns[ci];
            match e {
                Edit::DropColumn(..) => {
                    let gone = m.tables[ti].columns.remove(ci).name;
                    m.tables[ti].gens.retain(|g| g.base != gone);
                    for v in m.views.iter_mut().filter(|v| !v.over_view && v.over == table_name) {
                        v.columns.retain(|c| *c != gone);
                    }
                }
                Edit::RenameColumn(..) => {
                    let old = std::mem::replace(&mut col.name, fresh.clone());
                    // renamed twice in one step: the hint names the column as the database has it
                    col.renamed_from = Some(col.renamed_from.take().unwrap_or(old.clone()));
                    for g in m.tables[ti].gens.iter_mut().filter(|g| g.base == old) {
                        g.base = fresh.clone();
                    }
                    for v in m.views.iter_mut().filter(|v| !v.over_view && v.over == table_name) {
                        for c in v.columns.iter_mut().filter(|c| **c == old) {
                            *c = fresh.clone();
                        }
                    }
                }
                Edit::AddGenerated(_, _, is_virtual) => {
                    let base = col.name.clone();
                    m.tables[ti].gens.push(Gen {
                        name: fresh,
                        base,
                        is_virtual: *is_virtual,
                    });
                }
                Edit::DropGenerated(_, g) if gens > 0 => {
                    m.tables[ti].gens.remove(pick(g, gens));
                }
                Edit::Retype(_, _, p) if col.references.is_none() => col.ty = col.ty.sibling(*p),
                Edit::ToggleNull(..) if col.references.is_none() => {
                    col.nullable = !col.nullable;
                    if !col.nullable {
                        col.default = true; // NULL → NOT NULL needs a default to fill the NULLs
                    }
                }
                Edit::ToggleDefault(..) if col.references.is_none() && col.nullable => col.default = !col.default,
                Edit::ToggleUnique(..) => col.unique = !col.unique,
                Edit::ToggleIndex(..) => col.index = !col.index,
                _ => {}
            }
        }
        _ => {}
    }
}

fn scenario() -> impl Strategy<Value = (Vec<Edit>, Vec<Edit>)> {
    let tables = prop::collection::vec(prop::collection::vec(col_gen(), 0..4).prop_map(Edit::AddTable), 1..4);
    let objects = prop::collection::vec(object_edit(), 0..3);
    let start = (tables, objects).prop_map(|(mut t, o)| {
        t.extend(o);
        t
    });
    (start, prop::collection::vec(edit(), 1..5))
}

fn run_case(dialect: Dialect, start: &[Edit], edits: &[Edit]) -> Result<(), TestCaseError> {
    let Some(mut p) = Project::new(dialect, "prop") else {
        return Ok(());
    };
    let mut m = Model::default();
    for e in start {
        apply(&mut m, e);
    }
    p.write_models(&m.source(dialect));
    let first = m.source(dialect);
    p.build(true)
        .map_err(|e| TestCaseError::fail(format!("first build: {e}\n{first}")))?;
    p.migrate();
    let models = p.models();
    p.assert_live_is(&models, &format!("first model\n{first}"));

    let mut next = m.settled();
    for e in edits {
        apply(&mut next, e);
    }
    let second = next.source(dialect);
    p.write_models(&second);
    let written = p
        .build(true)
        .map_err(|e| TestCaseError::fail(format!("second build: {e}\n{first}\n-----\n{second}")))?;
    p.migrate();
    let models = p.models();
    let up = written.map(|d| p.read_migration(&d).0).unwrap_or_default();
    p.assert_live_is(&models, &format!("edited model\n{first}\n-----\n{second}\n-----\n{up}"));
    p.revert_all();
    prop_assert!(p.is_empty(), "down to empty");
    Ok(())
}

fn random_models_and_edits(dialect: Dialect) {
    let cases = std::env::var("MODEL_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&scenario(), |(start, edits)| run_case(dialect, &start, &edits));
    if let Err(e) = result {
        panic!("{dialect}: {e}");
    }
}

#[test]
fn random_models_and_edits_on_postgres() {
    random_models_and_edits(Dialect::Postgres);
}

#[test]
fn random_models_and_edits_on_sqlite() {
    random_models_and_edits(Dialect::Sqlite);
}

#[cfg(feature = "mysql")]
#[test]
fn random_models_and_edits_on_mysql() {
    random_models_and_edits(Dialect::Mysql);
}

/// Found by the property test on MariaDB: an index and a unique constraint toggled on the two columns
/// around a foreign key's column; the down migration dropped the foreign key twice.
#[test]
fn regression_mysql_index_and_unique_toggled_around_a_foreign_key() {
    let col = |reference| ColGen {
        ty: Ty::I32,
        nullable: false,
        default: false,
        unique: false,
        index: false,
        reference,
    };
    let start = [
        Edit::AddTable(vec![]),
        Edit::AddTable(vec![]),
        Edit::AddTable(vec![col(None), col(Some(0)), col(None)]),
    ];
    for dialect in [Dialect::Mysql, Dialect::Postgres, Dialect::Sqlite] {
        run_case(
            dialect,
            &start,
            &[Edit::ToggleIndex(65, 160), Edit::ToggleUnique(80, 187)],
        )
        .unwrap();
    }
}

/// Found by the property test on PostgreSQL: a generated column reading a column that the edit
/// renames; down.sql added the old generated column back before the rename was undone.
#[test]
fn regression_generated_column_reading_a_renamed_column() {
    let col = ColGen {
        ty: Ty::I32,
        nullable: false,
        default: false,
        unique: false,
        index: false,
        reference: None,
    };
    let start = [Edit::AddTable(vec![col]), Edit::AddGenerated(0, 0, false)];
    for dialect in [Dialect::Postgres, Dialect::Sqlite] {
        run_case(dialect, &start, &[Edit::RenameColumn(0, 0)]).unwrap();
    }
    #[cfg(feature = "mysql")]
    run_case(Dialect::Mysql, &start, &[Edit::RenameColumn(0, 0)]).unwrap();
}
