use super::{io_err, EmitError, History, MigrationsFolder};
use crate::graph::Kind;
use crate::ir::{Dialect, Schema};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// Name of the hidden folder (inside the migrations folder) that holds the recorded schemas.
pub const SNAPSHOT_DIR: &str = ".model";

/// The snapshot format this crate writes (and the newest it reads).
pub const FORMAT: u32 = 2;

/// The record of one migration in `migrations/.model/<migration>.json`: where it sits in the
/// migration graph and the whole schema after it.
///
/// Format 2 (written by this version):
///
/// ```json
/// {
///   "format": 2,
///   "written_by": "0.1.0",
///   "dialect": "postgres",
///   "migration": "2026-11-24-090000_create_alpha",
///   "parents": ["2026-11-23-101500_create_users"],
///   "kind": "generated",
///   "schema": { "tables": [ ... ] }
/// }
/// ```
///
/// `written_by` is the version of `model-core` that wrote it; `parents` the migrations it follows
/// (none for the first, two or more for a merge); `kind` one of `generated`, `merge`, `manual` (a
/// hand-written migration placed in the graph: its schema is its parent's) and `baseline` (the
/// schema of an adopted database). Format 1 (no `written_by`, `parents`, `kind`) is read as a
/// generated migration following the migration before it in version order. A newer format is an
/// error naming the version that wrote it. The text is pretty JSON with a final newline, keys in
/// this order: the same state always gives the same bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// File format version.
    pub format: u32,
    /// Version of `model-core` that wrote the file (empty in format 1).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub written_by: String,
    /// Dialect the migration was rendered for.
    pub dialect: Dialect,
    /// The migration folder name this snapshot belongs to.
    pub migration: String,
    /// The migrations it follows (format 2; see [`Snapshot::parents_known`]).
    #[serde(default)]
    pub parents: Vec<String>,
    /// What made the migration (format 2; `generated` in format 1).
    #[serde(default)]
    pub kind: Kind,
    /// The whole schema after the migration.
    pub schema: Schema,
}

/// The first keys of a snapshot, read before the rest so a newer format is told apart.
#[derive(Deserialize)]
struct Probe {
    format: u32,
    #[serde(default)]
    written_by: String,
}

impl Snapshot {
    /// A snapshot of `schema` after the generated migration `migration`, with no parent (see
    /// [`Snapshot::with_parents`], [`Snapshot::with_kind`]).
    pub fn new(dialect: Dialect, migration: impl Into<String>, schema: Schema) -> Self {
        Snapshot {
            format: FORMAT,
            written_by: env!("CARGO_PKG_VERSION").to_string(),
            dialect,
            migration: migration.into(),
            parents: Vec::new(),
            kind: Kind::Generated,
            schema,
        }
    }

    /// The same snapshot following `parents`.
    ///
    /// ```
    /// use model_core::emit::Snapshot;
    /// use model_core::graph::Kind;
    /// use model_core::ir::{Dialect, Schema};
    /// let s = Snapshot::new(Dialect::Sqlite, "2026-01-02-000000_merge", Schema::default())
    ///     .with_parents(["2026-01-01-000000_a", "2026-01-01-000001_b"])
    ///     .with_kind(Kind::Merge);
    /// let json = s.to_json();
    /// assert!(json.contains("\"kind\": \"merge\""));
    /// assert_eq!(Snapshot::parse(std::path::Path::new("x.json"), &json).unwrap(), s);
    /// ```
    pub fn with_parents(mut self, parents: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.parents = parents.into_iter().map(Into::into).collect();
        self
    }

    /// The same snapshot with another [`Kind`].
    pub fn with_kind(mut self, kind: Kind) -> Self {
        self.kind = kind;
        self
    }

    /// `false` for a format 1 record, which does not say what its migration follows.
    pub fn parents_known(&self) -> bool {
        self.format >= 2
    }

    /// Path of the snapshot of `migration` in `folder`.
    pub fn path(folder: &Path, migration: &str) -> PathBuf {
        folder.join(SNAPSHOT_DIR).join(format!("{migration}.json"))
    }

    /// The file content: pretty JSON with a final newline (stable, diff-friendly).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// [`Snapshot::to_json`], byte for byte, copying the text of each table that `base` (a schema and
    /// the text of the record it was read from, as this crate writes records) has unchanged, and
    /// serializing only the others: a change of one table of many then writes the record without
    /// serializing every table again. Without `base`, or when its text is not in the form this crate
    /// writes, every table is serialized.
    ///
    /// Also where each table's text is in it, when it copied tables from `base` (see [`Spans`]).
    pub(crate) fn into_json_reusing(mut self, base: Option<(&Schema, &str)>) -> (String, Option<Spans>) {
        let segments = base.and_then(|(schema, text)| table_texts(text).filter(|t| t.len() == schema.tables.len()));
        let (Some((base, _)), Some(segments)) = (base, segments) else {
            return (self.to_json(), None);
        };
        if self.schema.tables.is_empty() {
            return (self.to_json(), None);
        }
        let tables = std::mem::take(&mut self.schema.tables);
        let shell = self.to_json();
        let empty = "\n  \"schema\": {\n    \"tables\": []";
        let Some(at) = shell.find(empty) else {
            self.schema.tables = tables;
            return (self.to_json(), None);
        };
        let by_name: std::collections::BTreeMap<&str, usize> = base
            .tables
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.as_str(), i))
            .rev()
            .collect();
        let mut out = String::with_capacity(shell.len() + segments.iter().map(|s| s.len() + 2).sum::<usize>());
        out.push_str(&shell[..at + empty.len() - 1]);
        out.push('\n');
        let mut spans = Vec::with_capacity(tables.len());
        for (k, table) in tables.iter().enumerate() {
            if k > 0 {
                out.push_str(",\n");
            }
            let start = out.len();
            match by_name.get(table.name.as_str()) {
                Some(&i) if base.tables[i] == *table => out.push_str(segments[i]),
                _ => out.push_str(&indented(table)),
            }
            spans.push((start, out.len()));
        }
        out.push_str("\n    ]");
        out.push_str(&shell[at + empty.len()..]);
        (out, Some(spans))
    }

    /// [`Snapshot::to_json`] of this snapshot with every table of the record `record` (the tables of
    /// its text, as this crate writes records) added whose name `replaced` does not hold: the text of a change
    /// to a few tables of many, written by a build step that read only those (the others are the
    /// same in both). This snapshot's own tables are copied from `base` when `old` (the tables of
    /// `base` that were read, by name) has them unchanged, like [`Snapshot::into_json_reusing`], so
    /// the text is byte for byte the one of the whole schema. `None` only when this snapshot's text
    /// is not in the form this crate writes.
    pub(crate) fn into_json_overlay<'a>(
        mut self,
        record: &RecordTables<'a>,
        replaced: impl Fn(&str) -> bool,
        old: &std::collections::BTreeMap<String, crate::ir::Table>,
    ) -> Option<(Vec<Cow<'a, str>>, Spans)> {
        let tables = std::mem::take(&mut self.schema.tables);
        let shell = self.to_json();
        let empty = "\n  \"schema\": {\n    \"tables\": []";
        let at = shell.find(empty)?;
        let mut out = Parts {
            parts: Vec::with_capacity(2 * (record.names.len() + tables.len()) + 2),
            len: 0,
            first: 0,
            spans: Vec::with_capacity(record.names.len() + tables.len()),
        };
        out.put(format!("{}\n", &shell[..at + empty.len() - 1]).into());
        out.first = out.len;
        let emit = |out: &mut Parts<'a>, table: &crate::ir::Table| match (
            old.get(table.name.as_str()),
            record.get(&table.name),
        ) {
            (Some(before), Some(segment)) if before == table => out.table(Cow::Borrowed(segment)),
            _ => out.table(Cow::Owned(indented(table))),
        };
        let mut own = tables.iter().peekable();
        for (name, segment) in record.names.iter().zip(&record.segments) {
            while let Some(t) = own.next_if(|t| t.name.as_str() < *name) {
                emit(&mut out, t);
            }
            if replaced(name) || own.peek().is_some_and(|t| t.name == *name) {
                continue;
            }
            out.table(Cow::Borrowed(*segment));
        }
        for t in own {
            emit(&mut out, t);
        }
        if out.spans.is_empty() {
            return Some((vec![Cow::Owned(shell)], out.spans));
        }
        out.put(format!("\n    ]{}", &shell[at + empty.len()..]).into());
        Some((out.parts, out.spans))
    }

    /// Read the snapshot file `path`.
    ///
    /// # Errors
    ///
    /// [`EmitError::Io`], [`EmitError::BadSnapshot`], and [`EmitError::NewerSnapshot`] for a format
    /// this version does not know.
    pub fn read(path: &Path) -> Result<Snapshot, EmitError> {
        let text = std::fs::read_to_string(path).map_err(io_err(path))?;
        Snapshot::parse(path, &text)
    }

    /// Parse the text of the snapshot file `path` (see [`Snapshot::read`]).
    ///
    /// ```
    /// use model_core::emit::{EmitError, Snapshot};
    /// let newer = r#"{"format": 3, "written_by": "9.0.0", "dialect": "sqlite", "migration": "m"}"#;
    /// let e = Snapshot::parse(std::path::Path::new("m.json"), newer).unwrap_err();
    /// assert!(e.to_string().contains("9.0.0"), "{e}");
    /// ```
    pub fn parse(path: &Path, text: &str) -> Result<Snapshot, EmitError> {
        Snapshot::check_format(path, text)?;
        serde_json::from_str(text).map_err(|e| EmitError::BadSnapshot {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
    }

    /// [`EmitError::NewerSnapshot`] (or [`EmitError::BadSnapshot`]) unless the text of the record
    /// `path` is in a format this version reads.
    pub(crate) fn check_format(path: &Path, text: &str) -> Result<(), EmitError> {
        // the keys before the schema, as this crate writes records, when they parse: the schema is
        // most of the text and is read right after (a record in another form is probed whole)
        let head = text
            .split_once("\n  \"schema\": ")
            .and_then(|(head, _)| head.strip_suffix(','))
            .and_then(|head| serde_json::from_str::<Probe>(&format!("{head}\n}}")).ok());
        let probe = match head {
            Some(probe) => probe,
            None => Self::probe_whole(path, text)?,
        };
        Self::check_probe(path, probe)
    }

    fn probe_whole(path: &Path, text: &str) -> Result<Probe, EmitError> {
        serde_json::from_str(text).map_err(|e| EmitError::BadSnapshot {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
    }

    fn check_probe(path: &Path, probe: Probe) -> Result<(), EmitError> {
        if probe.format > FORMAT || probe.format == 0 {
            return Err(EmitError::NewerSnapshot {
                path: path.to_path_buf(),
                format: probe.format,
                written_by: if probe.written_by.is_empty() {
                    "an unknown version".to_string()
                } else {
                    format!("model-core {}", probe.written_by)
                },
            });
        }
        Ok(())
    }

    /// The recorded state of a migrations folder: the snapshot of its newest migration, the one the
    /// next migration follows (`None` when no migration was generated yet). Snapshots whose
    /// migration folder is gone are returned in `orphans` so the caller can warn. When the history
    /// has several heads (branches not merged yet) it is the newest head's; the build step merges
    /// them first (see [`History`]).
    pub fn latest(folder: &MigrationsFolder, dialect: Dialect) -> Result<RecordedState, EmitError> {
        let history = History::load(folder, dialect)?;
        let snapshot = match history.graph.heads().last() {
            Some(head) => Some(
                Snapshot::new(dialect, head.name.clone(), history.schema(&head.name)?)
                    .with_parents(head.parents.clone())
                    .with_kind(head.kind),
            ),
            None => None,
        };
        let generated = history.graph.nodes().iter().any(|n| n.kind != Kind::Manual);
        Ok(RecordedState {
            snapshot: snapshot.filter(|_| generated),
            orphans: history.orphans,
        })
    }
}

/// What [`Snapshot::latest`] found.
#[derive(Debug, Clone)]
pub struct RecordedState {
    /// The newest snapshot, if any migration was generated yet.
    pub snapshot: Option<Snapshot>,
    /// Snapshot files whose migration folder no longer exists (ignored).
    pub orphans: Vec<PathBuf>,
}

impl RecordedState {
    /// The recorded schema (empty before the first generated migration).
    pub fn schema(&self) -> Schema {
        self.snapshot.as_ref().map(|s| s.schema.clone()).unwrap_or_default()
    }
}

/// A record's text in parts (see [`Snapshot::into_json_overlay`]), and where its tables are.
struct Parts<'a> {
    parts: Vec<Cow<'a, str>>,
    /// The length of the parts so far.
    len: usize,
    /// Where the first table starts.
    first: usize,
    spans: Spans,
}

impl<'a> Parts<'a> {
    fn put(&mut self, part: Cow<'a, str>) {
        self.len += part.len();
        self.parts.push(part);
    }

    /// A table's text, after a separator unless it is the first.
    fn table(&mut self, text: Cow<'a, str>) {
        if self.len > self.first {
            self.put(Cow::Borrowed(",\n"));
        }
        let start = self.len;
        self.put(text);
        self.spans.push((start, self.len));
    }
}

/// A table as a record holds it: its pretty JSON, each line indented to its place in the record.
fn indented(table: &crate::ir::Table) -> String {
    let text = serde_json::to_string_pretty(table).unwrap_or_default();
    let mut out = String::with_capacity(text.len() + 64);
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        out.push_str("      ");
        out.push_str(line);
    }
    out
}

/// Where `part` (a slice of `text`) starts in `text`.
fn offset(text: &str, part: &str) -> usize {
    part.as_ptr() as usize - text.as_ptr() as usize
}

/// `text`, a record, without the text of its tables `segments` (slices of it, in order, as
/// [`table_texts`] finds them): its other keys and objects, which parse as a record of no tables.
pub(super) fn without_tables(text: &str, segments: &[&str]) -> String {
    match (segments.first(), segments.last()) {
        (Some(first), Some(last)) => {
            let (start, end) = (offset(text, first), offset(text, last) + last.len());
            format!("{}{}", &text[..start], &text[end..])
        }
        _ => text.to_string(),
    }
}

/// The tables of a record's text, as this crate writes records: each table's text and name, in
/// the record's order (by name).
#[derive(Debug)]
pub(crate) struct RecordTables<'a> {
    /// The names, sorted.
    pub names: Vec<&'a str>,
    /// The text of each.
    pub segments: Vec<&'a str>,
}

impl<'a> RecordTables<'a> {
    /// The tables of `text`: `None` unless it is in the form this crate writes (see
    /// [`table_texts`]), each table's name is read from its first line, and the names are sorted
    /// and distinct. A record without tables has none.
    pub(crate) fn of(text: &'a str) -> Option<RecordTables<'a>> {
        let segments = match table_texts(text) {
            Some(s) => s,
            None if text.contains("\n  \"schema\": {\n    \"tables\": []") => Vec::new(),
            None => return None,
        };
        let names = segments
            .iter()
            .map(|s| super::history::table_name(s))
            .collect::<Option<Vec<&str>>>()?;
        if names.windows(2).any(|w| w[0] >= w[1]) {
            return None;
        }
        Some(RecordTables { names, segments })
    }

    /// The tables of `text` at the places `spans` says (what [`RecordTables::spans`] gave for the
    /// same text), without searching the text: `None` unless each place holds a table (its name read
    /// from its first line), in the order of their names, between the text around them as
    /// [`RecordTables::of`] would find them, and for no places.
    pub(crate) fn at(text: &'a str, spans: &[(usize, usize)]) -> Option<RecordTables<'a>> {
        let open = "\n  \"schema\": {\n    \"tables\": [";
        if spans.is_empty() {
            // (no places known: a record without tables is found by [`RecordTables::of`])
            return None;
        }
        let mut names = Vec::with_capacity(spans.len());
        let mut segments = Vec::with_capacity(spans.len());
        // the text between the tables is the record's own: the places cover the whole list
        let mut last = 0;
        for (k, (start, end)) in spans.iter().enumerate() {
            let between = text.get(last..*start)?;
            let joined = if k == 0 {
                between.ends_with(&format!("{open}\n"))
            } else {
                between == ",\n"
            };
            if !joined {
                return None;
            }
            last = *end;
            let segment = text.get(*start..*end)?;
            let found = super::history::table_name(segment)?;
            if !segment.ends_with("\n      }") {
                return None;
            }
            names.push(found);
            segments.push(segment);
        }
        if names.windows(2).any(|w| w[0] >= w[1]) || !text.get(last..)?.starts_with("\n    ]") {
            return None;
        }
        Some(RecordTables { names, segments })
    }

    /// Where each table is in `text` (the text these tables were found in): start, end.
    pub(crate) fn spans(&self, text: &str) -> Spans {
        self.segments
            .iter()
            .map(|s| (offset(text, s), offset(text, s) + s.len()))
            .collect()
    }

    /// `text` (the text these tables were found in) without them (see [`without_tables`]).
    pub(crate) fn shell(&self, text: &str) -> String {
        without_tables(text, &self.segments)
    }

    /// The text of table `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&'a str> {
        self.names.binary_search(&name).ok().map(|i| self.segments[i])
    }

    /// Table `name`, deserialized from its text (these are the tables of the record `path`).
    pub(crate) fn table(&self, name: &str, path: &Path) -> Result<Option<crate::ir::Table>, EmitError> {
        let Some(segment) = self.get(name) else {
            return Ok(None);
        };
        serde_json::from_str(segment)
            .map(Some)
            .map_err(|e| EmitError::BadSnapshot {
                path: path.to_path_buf(),
                message: e.to_string(),
            })
    }
}

/// Where the tables are in the text of a record: the byte range of each one's text, in the record's
/// order (the names are in the texts).
pub(crate) type Spans = Vec<(usize, usize)>;

/// The text of each table of a record written by [`Snapshot::to_json`], in order (each from its
/// `{` to its `}`, indented as in the record); `None` when the text is not in that form. Pretty
/// JSON puts each table at 6 spaces and everything inside it deeper, and no JSON string holds a
/// line break, so the lines at 6 spaces delimit the tables.
pub(super) fn table_texts(text: &str) -> Option<Vec<&str>> {
    let open = "\n  \"schema\": {\n    \"tables\": [\n";
    let start = text.find(open)? + open.len();
    let region = &text[start..];
    if !region.starts_with("      {") {
        return None;
    }
    // one pass over the text (a record of many tables is large): each match ends a table
    let mut out = Vec::new();
    let mut from = 0;
    for at in memchr::memmem::find_iter(region.as_bytes(), b"\n      }") {
        let end = at + "\n      }".len();
        out.push(&region[from..end]);
        let rest = &region[end..];
        if let Some(next) = rest.strip_prefix(",\n") {
            if !next.starts_with("      {") {
                return None;
            }
            from = end + 2;
        } else {
            return rest.starts_with("\n    ]").then_some(out);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Column, ColumnType, Table};

    fn table(name: &str, columns: usize) -> Table {
        let mut t = Table::new(name);
        for c in 0..columns {
            t.columns.push(Column::new(format!("c{c}"), ColumnType::Text));
        }
        t.comment = Some(format!("table {name}: \"quoted\", {{braces}}\n      }},\n"));
        t
    }

    /// Records written reusing a base are those written from nothing, whatever changed.
    #[test]
    fn reusing_a_base_writes_the_same_bytes() {
        let base = Schema::new(vec![table("a", 1), table("b", 2), table("c", 0), table("d", 3)]);
        let base_text = Snapshot::new(Dialect::Postgres, "m1", base.clone()).to_json();
        let mut changed = base.clone();
        changed.tables[1].columns.pop();
        let mut cases = vec![
            base.clone(),
            changed,
            Schema::new(vec![
                table("a", 1),
                table("aa", 1),
                table("b", 2),
                table("c", 0),
                table("d", 3),
            ]),
            Schema::new(vec![table("b", 2)]),
            Schema::new(vec![table("z", 5)]),
            Schema::default(),
        ];
        let mut with_view = base.clone();
        with_view.views.push(crate::ir::View::new("v", "SELECT 1"));
        cases.push(with_view);
        for new in cases {
            let snap = Snapshot::new(Dialect::Postgres, "m2", new).with_parents(["m1"]);
            let full = snap.to_json();
            assert_eq!(snap.clone().into_json_reusing(Some((&base, &base_text))).0, full);
            assert_eq!(snap.clone().into_json_reusing(None).0, full);
            // a base whose text is not a record of this form (or of another schema) is not used
            let compact = serde_json::to_string(&Snapshot::new(Dialect::Postgres, "m1", base.clone())).unwrap();
            assert_eq!(snap.clone().into_json_reusing(Some((&base, &compact))).0, full);
            assert_eq!(snap.clone().into_json_reusing(Some((&base, "{"))).0, full);
            let other = Schema::new(vec![table("a", 1)]);
            assert_eq!(snap.clone().into_json_reusing(Some((&other, &base_text))).0, full);
        }
    }

    /// A record written from some tables over the head's text (the others copied from it) is the
    /// one written from the whole schema, and the places of its tables are found again.
    #[test]
    fn an_overlay_writes_the_same_bytes_and_its_places() {
        let base = Schema::new(vec![table("a", 1), table("b", 2), table("c", 0), table("d", 3)]);
        let base_text = Snapshot::new(Dialect::Postgres, "m1", base.clone()).to_json();
        let record = RecordTables::of(&base_text).expect("a record of this form");
        assert_eq!(record.names, ["a", "b", "c", "d"]);
        let spans = record.spans(&base_text);
        let again = RecordTables::at(&base_text, &spans).expect("its places");
        assert_eq!(
            (again.names.clone(), again.segments.clone()),
            (record.names.clone(), record.segments.clone())
        );
        // places that do not fit the text are refused
        let mut shifted = spans.clone();
        shifted[1].0 += 1;
        assert!(RecordTables::at(&base_text, &shifted).is_none());
        assert!(RecordTables::at(&base_text, &spans[..3]).is_none(), "a table left out");
        assert!(
            RecordTables::at(&base_text, &[]).is_none(),
            "no places for a record of tables"
        );
        let empty = Snapshot::new(Dialect::Postgres, "m0", Schema::default()).to_json();
        assert!(RecordTables::of(&empty).is_some_and(|r| r.names.is_empty()));

        // (the whole new schema, the tables of it given, the names they replace)
        let mut b_changed = table("b", 2);
        b_changed.columns.pop();
        let cases = vec![
            (
                vec![
                    table("aa", 1),
                    table("b", 2),
                    table("c", 0),
                    table("d", 3),
                    table("a", 1),
                ],
                vec!["aa"],
                vec!["aa"],
            ),
            (
                vec![table("a", 1), b_changed.clone(), table("c", 0), table("d", 3)],
                vec!["b"],
                vec!["b"],
            ),
            (vec![table("a", 1), table("c", 0), table("d", 3)], vec![], vec!["b"]),
            (
                vec![table("a", 1), table("c", 0), table("d", 3), table("e", 1)],
                vec!["e", "d"],
                vec!["b", "e", "d"],
            ),
            (vec![], vec![], vec!["a", "b", "c", "d"]),
        ];
        let old: std::collections::BTreeMap<String, Table> =
            base.tables.iter().map(|t| (t.name.clone(), t.clone())).collect();
        for (whole, given, replaced) in cases {
            let whole = Schema::new(whole);
            let full = Snapshot::new(Dialect::Postgres, "m2", whole.clone())
                .with_parents(["m1"])
                .to_json();
            let some = Schema::new(
                whole
                    .tables
                    .iter()
                    .filter(|t| given.contains(&t.name.as_str()))
                    .cloned()
                    .collect(),
            );
            let snap = Snapshot::new(Dialect::Postgres, "m2", some).with_parents(["m1"]);
            let (parts, spans) = snap
                .into_json_overlay(&record, |n| replaced.contains(&n), &old)
                .expect("an overlay");
            let json = parts.concat();
            assert_eq!(json, full, "{given:?} over {replaced:?}");
            let names: Vec<&str> = whole.tables.iter().map(|t| t.name.as_str()).collect();
            let found = match spans.is_empty() {
                true => RecordTables::of(&json).expect("a record without tables"),
                false => RecordTables::at(&json, &spans).expect("the places of the tables written"),
            };
            assert_eq!(found.names, names);
        }
    }
}
