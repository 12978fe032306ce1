//! Random models and random edits of them, as model source: what the branch property test
//! generates (tests/proptest.rs keeps its own generator, whose tables and columns carry ids its rows
//! are kept by).

use model_core::ir::Dialect;
use proptest::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    I32,
    I64,
    F64,
    Bool,
    Text,
    Varchar(u32),
}

impl Ty {
    pub fn rust(self) -> &'static str {
        match self {
            Ty::I32 => "i32",
            Ty::I64 => "i64",
            Ty::F64 => "f64",
            Ty::Bool => "bool",
            Ty::Text | Ty::Varchar(_) => "String",
        }
    }

    pub fn default_literal(self) -> &'static str {
        match self {
            Ty::I32 | Ty::I64 => "7",
            Ty::F64 => "1.5",
            Ty::Bool => "true",
            Ty::Text | Ty::Varchar(_) => "\"x\"",
        }
    }

    /// A type the column can be converted to in place (same family).
    pub fn sibling(self, pick: u8) -> Ty {
        match self {
            Ty::I32 => Ty::I64,
            Ty::I64 => Ty::I32,
            Ty::F64 | Ty::Bool => self,
            Ty::Text | Ty::Varchar(_) => [Ty::Text, Ty::Varchar(20), Ty::Varchar(60)][usize::from(pick) % 3],
        }
    }
}

#[derive(Debug, Clone)]
pub struct Col {
    pub name: String,
    pub ty: Ty,
    pub nullable: bool,
    pub default: bool,
    pub unique: bool,
    pub index: bool,
    /// `Some(table)`: a nullable BIGINT referencing `table(id)`.
    pub references: Option<String>,
    pub renamed_from: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Col>,
    pub renamed_from: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Model {
    pub tables: Vec<Table>,
    pub next: usize,
    /// Put before every fresh name (models written side by side keep apart names).
    pub prefix: String,
}

impl Model {
    pub fn fresh(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!("{}{prefix}{}", self.prefix, self.next)
    }

    pub fn source(&self, dialect: Dialect) -> String {
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
            out.push_str("}\n\n");
        }
        out
    }

    /// The model as the next step sees it: rename hints of this step are history.
    pub fn settled(&self) -> Model {
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
pub struct ColGen {
    pub ty: Ty,
    pub nullable: bool,
    pub default: bool,
    pub unique: bool,
    pub index: bool,
    pub reference: Option<u8>,
}

#[derive(Debug, Clone)]
pub enum Edit {
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
}

pub fn ty() -> impl Strategy<Value = Ty> {
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

pub fn col_gen() -> impl Strategy<Value = ColGen> {
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

pub fn edit() -> impl Strategy<Value = Edit> {
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
    ]
}

pub fn add_column(m: &mut Model, table: usize, g: &ColGen, existing_table: bool) {
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

pub fn apply(m: &mut Model, e: &Edit) {
    let n = m.tables.len();
    let pick = |i: &u8, len: usize| usize::from(*i) % len;
    match e {
        Edit::AddTable(cols) => {
            let name = m.fresh("t");
            m.tables.push(Table {
                name,
                columns: Vec::new(),
                renamed_from: None,
            });
            for g in cols {
                add_column(m, n, g, false);
            }
        }
        Edit::DropTable(t) if n > 0 => {
            let gone = m.tables.remove(pick(t, n)).name;
            for t in &mut m.tables {
                t.columns.retain(|c| c.references.as_deref() != Some(gone.as_str()));
            }
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
        }
        Edit::AddColumn(t, g) if n > 0 => add_column(m, pick(t, n), g, true),
        _ if n == 0 => {}
        Edit::DropColumn(t, c)
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
            let col = &mut m.tables[ti].columns[ci];
            match e {
                Edit::DropColumn(..) => {
                    m.tables[ti].columns.remove(ci);
                }
                Edit::RenameColumn(..) => {
                    let old = std::mem::replace(&mut col.name, fresh);
                    // renamed twice in one step: the hint names the column as the database has it
                    col.renamed_from = Some(col.renamed_from.take().unwrap_or(old));
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

/// Run `case` on values of `strategy`, as many times as the variable `var` says (default `default`,
/// never 0 under CI: see `model_testkit::count`), panicking with the shrunk failure for `dialect`.
pub fn run_cases<S: Strategy>(
    var: &str,
    default: u32,
    dialect: Dialect,
    strategy: &S,
    case: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let cases = model_testkit::count(var, default);
    let mut runner = proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
        cases,
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    });
    if let Err(e) = runner.run(strategy, case) {
        panic!("{dialect}: {e}");
    }
}
