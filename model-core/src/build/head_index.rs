//! The head index, kept in `OUT_DIR`: which of the models' tables the record of the newest
//! migration (the head) holds unchanged, as the last run of the build step left them, and what that
//! run saw of every model file. The next run then reads the head's record without deserializing
//! those tables again: it takes the models' table in their place (see
//! [`crate::emit::History::schema_reusing`]). And when only a few files changed since, the run does
//! not even deserialize the models of the others (see the `delta` module): each table's line also
//! holds the foreign keys' tables and what the schema file needs of its model
//! ([`super::schema_file::SchemaEntry`]). Deserializing many models or a record of many tables is
//! most of the work of a run that adds one table, in a build script compiled without optimisation as
//! Cargo compiles them by default.
//!
//! A table is taken from the models only when everything that made it is as the index recorded:
//! the parser and the settings (the scan cache's key and the whole configuration), every enum of the
//! crate (a hash of them all), the model's file (the hash of its text, from the scan cache) and the
//! head's record (its migration, and the length and modification time of its file, like Cargo's
//! own check). Anything else, or an index that cannot be read, and the record is read whole.
//!
//! The file is text: its format's line, the key, the enums' hash, then the head (migration, length,
//! modification time in nanoseconds), then one line per model file (`F`, the hash of its text, `e`
//! when it declares enums and `v` when it declares views or `-`, the number of its tables, its
//! length and modification time when its text was read (`len:ns`, or `-` when it had just been
//! written), its path as a JSON string), then, when the run knew them, one for the head's record
//! and one for its parent's saying where their tables' texts are (`R`, the record, then the start
//! and end byte of each table as `start:end`, separated by commas: the next run then does not
//! search the records for them), and one per table in
//! the order of their names (`T`, name, file hash, the tables its foreign keys reference separated
//! by `\u{1f}`, the position of its file among the `F` lines from 0, the schema entry's line),
//! tab-separated.

use super::scan::ScannedModel;
use super::schema_file::SchemaEntry;
use crate::ir::Table;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// File name inside `OUT_DIR`.
pub(crate) const FILE_NAME: &str = "model_head_index.txt";

/// The first line of the file: an index of another format is not read.
const FORMAT: &str = "model head index 4";

/// The separator of the referenced tables in a table's line.
const REF_SEP: char = '\u{1f}';

/// The index as read. The head and the files are read at once; the tables' lines and the places
/// of the records' tables when first asked for ([`HeadIndex::read_lines`], which another thread may
/// do meanwhile), and then each table's line is kept as text and read field by field when asked
/// ([`TableRef`]): a run over a few changed files reads little of the other tables' lines.
#[derive(Debug, Default)]
pub(crate) struct HeadIndex {
    text: String,
    pub(crate) head: String,
    len: u64,
    mtime: u128,
    /// Model file → what the last run saw of it.
    pub(crate) files: BTreeMap<PathBuf, FileLine>,
    /// The model files in the order of their lines (the tables' lines name them by position).
    paths: Vec<PathBuf>,
    /// Where the files' lines start, and the lines after them.
    files_at: usize,
    rest: usize,
    /// Those lines, once read (`None`: they do not parse).
    lines: std::sync::OnceLock<Option<Lines>>,
}

/// The lines of a [`HeadIndex`] after its files'.
#[derive(Debug, Default)]
struct Lines {
    /// The tables' lines, by name (as written).
    tables: Vec<TableAt>,
    /// Where the tables of the head's record, and of its parent's, are in their texts, by record,
    /// when the run knew (see [`crate::emit::RecordTables::at`], which checks them).
    spans: BTreeMap<String, crate::emit::Spans>,
}

/// What the last run saw of a model file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileLine {
    /// The hash of its text.
    pub(crate) hash: u64,
    /// It declares `#[derive(ModelEnum)]` enums.
    pub(crate) enums: bool,
    /// It declares views.
    pub(crate) views: bool,
    /// The number of its models' tables (views left out).
    pub(crate) tables: usize,
    /// Its length and modification time when its text was read, if it was settled then (see
    /// [`super::scan::Skipping::stamps`]): the same stamp now, and its hash is the same.
    pub(crate) stamp: Option<super::scan::Stamp>,
}

/// A table the head's record holds as its model has it, made by this run (see [`table_line`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TableLine {
    /// The model's file.
    pub(crate) file: PathBuf,
    /// The hash of that file's text.
    pub(crate) hash: u64,
    /// The tables its foreign keys reference.
    pub(crate) refs: Vec<String>,
    /// What the schema file needs of the model.
    pub(crate) entry: SchemaEntry<'static>,
}

/// Where the fields of a table's line are in the index's text.
#[derive(Debug, Clone, Copy)]
struct TableAt {
    /// The line (without its line break).
    line: (usize, usize),
    name_end: usize,
    hash: u64,
    /// The referenced tables, separated by [`REF_SEP`].
    refs: (usize, usize),
    /// The file's position in [`HeadIndex::paths`].
    file: usize,
    /// Where the schema entry starts (it ends with the line).
    entry: usize,
}

/// A table's line of a [`HeadIndex`] as read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TableRef<'a> {
    /// The table's name.
    pub(crate) name: &'a str,
    /// Its model's file.
    pub(crate) file: &'a Path,
    /// The position of that file among the index's files (the same for the same file).
    pub(crate) file_no: usize,
    /// The position of the line among the index's tables' lines.
    pub(crate) pos: usize,
    /// The hash of that file's text.
    pub(crate) hash: u64,
    refs: &'a str,
    entry: &'a str,
    /// The text of the line before the file's position (after it comes `entry`).
    head: &'a str,
    /// The file's position as the line writes it.
    file_at: &'a str,
    /// The whole line (without its newline).
    line: &'a str,
}

impl<'a> TableRef<'a> {
    /// The tables its foreign keys reference.
    pub(crate) fn refs(&self) -> impl Iterator<Item = &'a str> {
        self.refs.split(REF_SEP).filter(|r| !r.is_empty())
    }

    /// What the schema file needs of the model; `None` when the line does not read back.
    pub(crate) fn entry(&self) -> Option<SchemaEntry<'a>> {
        SchemaEntry::from_line(self.entry)
    }
}

/// Length and modification time (ns) of `path`.
fn stamp(path: &Path) -> Option<(u64, u128)> {
    let meta = std::fs::metadata(path).ok()?;
    let mtime = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some((meta.len(), mtime))
}

/// A name that fits in a line of the index (the tab-separated fields and the references' separator).
fn fits(name: &str) -> bool {
    // (bytes: the separator is ASCII, and a char pattern is slow without optimisation)
    !name
        .bytes()
        .any(|b| matches!(b, b'\t' | b'\n' | b'\r') || b == REF_SEP as u8)
}

/// The end of the field of `text` that starts at `from` (the next tab), if there is a next one.
fn tab(text: &str, from: usize) -> Option<usize> {
    // (a byte loop: the fields before a line's entry are short, and a call of `memchr` costs more
    // than the search without optimisation)
    let b = text.as_bytes();
    let mut i = from;
    while i < b.len() {
        if b[i] == b'\t' {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// A number in `radix` (10, or 16 in lowercase as `{:x}` writes it), read without the generic
/// parsing (slow without optimisation); `None` for anything else or a number beyond `u64`.
fn number(s: &str, radix: u32) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    // (up to 16 hex or 19 decimal digits no number overflows, and plain arithmetic in an index
    // loop is several times faster without optimisation than checked arithmetic over an iterator)
    let b = s.as_bytes();
    let short = b.len() <= if radix == 16 { 16 } else { 19 };
    let radix = u64::from(radix);
    let mut n: u64 = 0;
    let mut i = 0;
    while i < b.len() {
        let d = match b[i] {
            c @ b'0'..=b'9' => c - b'0',
            c @ b'a'..=b'f' if radix == 16 => c - b'a' + 10,
            _ => return None,
        };
        n = match short {
            true => n * radix + u64::from(d),
            false => n.checked_mul(radix)?.checked_add(u64::from(d))?,
        };
        i += 1;
    }
    Some(n)
}

/// Push the line of model file `path` (as JSON) onto `text`.
fn file_line(text: &mut String, path: &str, line: &FileLine) {
    let flags = match (line.enums, line.views) {
        (false, false) => "-",
        (true, false) => "e",
        (false, true) => "v",
        (true, true) => "ev",
    };
    let stamp = line
        .stamp
        .map_or_else(|| "-".to_string(), |(len, mtime)| format!("{len}:{mtime}"));
    text.push_str(&format!(
        "F\t{:x}\t{flags}\t{}\t{stamp}\t{path}\n",
        line.hash, line.tables
    ));
}

impl HeadIndex {
    /// The index in `out_dir` when it was written under `key` with these `enums` (their hash).
    pub(crate) fn load(out_dir: &Path, key: &str, enums: u64) -> Option<HeadIndex> {
        Self::load_any(out_dir, key)
            .filter(|(_, e)| *e == enums)
            .map(|(i, _)| i)
    }

    /// The index in `out_dir` when it was written under `key`, and the hash of the enums it was
    /// written with.
    pub(crate) fn load_any(out_dir: &Path, key: &str) -> Option<(HeadIndex, u64)> {
        Self::parse(std::fs::read_to_string(out_dir.join(FILE_NAME)).ok()?, Some(key))
    }

    /// The index `text` when written under `key` (any key for `None`), and its enums' hash.
    fn parse(text: String, key: Option<&str>) -> Option<(HeadIndex, u64)> {
        let mut index = HeadIndex::default();
        let mut at = 0;
        // the line at `at` (moved past it)
        let next_line = |at: &mut usize| {
            let rest = text.get(*at..).filter(|r| !r.is_empty())?;
            let end = *at + memchr::memchr(b'\n', rest.as_bytes())?;
            let line = &text[*at..end];
            *at = end + 1;
            Some(line)
        };
        let (format, found_key) = (next_line(&mut at)?, next_line(&mut at)?);
        if format != FORMAT || key.is_some_and(|key| key != found_key) {
            return None;
        }
        let enums = number(next_line(&mut at)?, 16)?;
        let mut head = next_line(&mut at)?.split('\t');
        let (name, len, mtime) = (head.next()?, head.next()?, head.next()?);
        index.head = name.to_string();
        index.len = len.parse().ok()?;
        index.mtime = mtime.parse().ok()?;
        index.files_at = at;
        let mut rest = at;
        while let Some(rest_line) = next_line(&mut at).and_then(|l| l.strip_prefix("F\t")) {
            let mut parts = rest_line.splitn(5, '\t');
            let (hash, flags, count, stamp, file) = (
                parts.next()?,
                parts.next()?,
                parts.next()?,
                parts.next()?,
                parts.next()?,
            );
            let file: PathBuf = super::path_of_json(file)?;
            let stamp = match stamp.split_once(':') {
                Some((len, mtime)) => Some((len.parse().ok()?, mtime.parse().ok()?)),
                None if stamp == "-" => None,
                None => return None,
            };
            let one = FileLine {
                hash: number(hash, 16)?,
                enums: flags.contains('e'),
                views: flags.contains('v'),
                tables: count.parse().ok()?,
                stamp,
            };
            index.paths.push(file.clone());
            index.files.insert(file, one);
            rest = at;
        }
        index.rest = rest;
        index.text = text;
        Some((index, enums))
    }

    /// Read the lines after the files' (the tables' and the places of the records' tables), if not
    /// read yet: whether they parse. (Asking for a table or a place reads them too.)
    pub(crate) fn read_lines(&self) -> bool {
        self.lines().is_some()
    }

    fn lines(&self) -> Option<&Lines> {
        self.lines.get_or_init(|| self.parse_lines()).as_ref()
    }

    fn parse_lines(&self) -> Option<Lines> {
        let text = self.text.as_str();
        let mut lines = Lines::default();
        let mut at = self.rest;
        while at < text.len() {
            let b = at + memchr::memchr(b'\n', &text.as_bytes()[at..])?;
            let a = at;
            at = b + 1;
            let this = &text[a..b];
            if this.starts_with("T\t") {
                // T, name, hash, refs, file, entry
                let name_end = tab(&text[..b], a + 2)?;
                let hash_end = tab(&text[..b], name_end + 1)?;
                let refs_end = tab(&text[..b], hash_end + 1)?;
                let file_end = tab(&text[..b], refs_end + 1)?;
                let file = usize::try_from(number(&text[refs_end + 1..file_end], 10)?).ok()?;
                // (names in order, each once: the lines are looked up by name)
                let name = &text[a + 2..name_end];
                let after = lines
                    .tables
                    .last()
                    .is_none_or(|t| &text[t.line.0 + 2..t.name_end] < name);
                if file >= self.paths.len() || !after {
                    return None;
                }
                lines.tables.push(TableAt {
                    line: (a, b),
                    name_end,
                    hash: number(&text[name_end + 1..hash_end], 16)?,
                    refs: (hash_end + 1, refs_end),
                    file,
                    entry: file_end + 1,
                });
            } else {
                // R, record, then start:end of each table, separated by commas
                let rest = this.strip_prefix("R\t")?;
                let (record, places) = rest.split_once('\t')?;
                let mut spans = Vec::with_capacity(places.len() / 12 + 1);
                for place in places.split(',') {
                    let (start, end) = place.split_once(':')?;
                    let at = |s: &str| usize::try_from(number(s, 10)?).ok();
                    spans.push((at(start)?, at(end)?));
                }
                if lines.spans.insert(record.to_string(), spans).is_some() {
                    return None;
                }
            }
        }
        Some(lines)
    }

    /// Where the tables of `record` (the head's record or its parent's) are in its text, if the
    /// index knows.
    pub(crate) fn spans(&self, record: &str) -> Option<&crate::emit::Spans> {
        self.lines()?.spans.get(record)
    }

    /// The tables' lines, by name (none when they do not parse).
    pub(crate) fn tables(&self) -> impl Iterator<Item = TableRef<'_>> {
        self.tables_in(0..usize::MAX)
    }

    /// The tables' lines at the positions `range` (those of them there are).
    pub(crate) fn tables_in(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = TableRef<'_>> {
        let tables = self.lines().map_or(&[][..], |l| l.tables.as_slice());
        let range = range.start.min(tables.len())..range.end.min(tables.len());
        tables[range.clone()]
            .iter()
            .zip(range)
            .map(|(t, pos)| self.table_at(pos, t))
    }

    /// How many tables' lines there are (none when they do not parse).
    pub(crate) fn table_count(&self) -> usize {
        self.lines().map_or(0, |l| l.tables.len())
    }

    /// The line of table `name`.
    pub(crate) fn table(&self, name: &str) -> Option<TableRef<'_>> {
        let tables = &self.lines()?.tables;
        let i = tables.partition_point(|t| &self.text[t.line.0 + 2..t.name_end] < name);
        let t = tables.get(i)?;
        (&self.text[t.line.0 + 2..t.name_end] == name).then(|| self.table_at(i, t))
    }

    fn table_at(&self, pos: usize, t: &TableAt) -> TableRef<'_> {
        let text = self.text.as_str();
        TableRef {
            name: &text[t.line.0 + 2..t.name_end],
            file: &self.paths[t.file],
            file_no: t.file,
            pos,
            hash: t.hash,
            refs: &text[t.refs.0..t.refs.1],
            entry: &text[t.entry..t.line.1],
            head: &text[t.line.0..t.refs.1],
            file_at: &text[t.refs.1 + 1..t.entry - 1],
            line: &text[t.line.0..t.line.1],
        }
    }

    /// The model files in the order the tables' lines number them ([`TableRef::file_no`]).
    pub(crate) fn file_paths(&self) -> &[PathBuf] {
        &self.paths
    }

    /// Whether the index is of the record of `head` (its file `record`) as it is now.
    pub(crate) fn is_of(&self, head: &str, record: &Path) -> bool {
        head == self.head && stamp(record) == Some((self.len, self.mtime))
    }

    /// The models' tables the record of `head` (its file `record`) holds unchanged: those whose
    /// file's text hashes as recorded (`hash_of`), when the record is the one indexed.
    pub(crate) fn known<'a>(
        &self,
        head: &str,
        record: &Path,
        models: &'a [ScannedModel],
        hash_of: impl Fn(&Path) -> Option<u64>,
    ) -> BTreeMap<&'a str, &'a Table> {
        let mut known = BTreeMap::new();
        if !self.is_of(head, record) {
            return known;
        }
        for m in models.iter().filter(|m| m.view.is_none()) {
            let Some(line) = self.table(&m.table.name) else {
                continue;
            };
            if line.file == m.file && hash_of(&m.file) == Some(line.hash) {
                known.insert(m.table.name.as_str(), &m.table);
            }
        }
        known
    }

    /// Record in `out_dir` that the record of `head` (its file `record`) holds the tables of
    /// `kept` (lines of an index read before, by name) and `tables` (made now, by name; one of both
    /// of a name is `tables`'s) as the models have them, and what the run saw of the model
    /// `files`; without a readable record, no index. A table or file whose name does not fit in a
    /// line is left out (a later run then reads it again), and so is a kept line whose file is not
    /// one of `files`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn record(
        out_dir: &Path,
        key: &str,
        enums: u64,
        (head, record): (&str, &Path),
        files: &BTreeMap<PathBuf, FileLine>,
        kept: (&[TableRef<'_>], Option<&HeadIndex>),
        tables: &BTreeMap<String, TableLine>,
        spans: &[(&str, &crate::emit::Spans)],
    ) {
        let Some((len, mtime)) = stamp(record) else {
            Self::remove(out_dir);
            return;
        };
        let mut text = format!("{FORMAT}\n{key}\n{enums:x}\n{head}\t{len}\t{mtime}\n");
        // the files by position, which the tables' lines name
        let mut position: BTreeMap<&[u8], usize> = BTreeMap::new();
        for (file, line) in files {
            let path = super::path_json(file);
            position.insert(file.as_os_str().as_encoded_bytes(), position.len());
            file_line(&mut text, &path, line);
        }
        for (record, spans) in spans.iter().filter(|(record, spans)| fits(record) && !spans.is_empty()) {
            text.push_str("R\t");
            text.push_str(record);
            for (i, (start, end)) in spans.iter().enumerate() {
                text.push(if i == 0 { '\t' } else { ',' });
                super::push_decimal(&mut text, *start);
                text.push(':');
                super::push_decimal(&mut text, *end);
            }
            text.push('\n');
        }
        // the kept lines' files: their positions now, by their positions in the index read
        let (kept, read) = kept;
        let moved: Vec<Option<String>> = read.map_or_else(Vec::new, |read| {
            read.paths
                .iter()
                .map(|p| position.get(p.as_os_str().as_encoded_bytes()).map(|n| n.to_string()))
                .collect()
        });
        let mut new = tables.iter().peekable();
        let push_new = |text: &mut String, table: &str, line: &TableLine| {
            if !fits(table) || !line.refs.iter().all(|r| fits(r)) {
                return;
            }
            let Some(n) = position.get(line.file.as_os_str().as_encoded_bytes()) else {
                return;
            };
            text.push_str("T\t");
            text.push_str(table);
            text.push('\t');
            text.push_str(&format!("{:x}", line.hash));
            text.push('\t');
            text.push_str(&line.refs.join(&REF_SEP.to_string()));
            text.push('\t');
            text.push_str(&n.to_string());
            text.push('\t');
            text.push_str(&line.entry.to_line());
            text.push('\n');
        };
        for k in kept {
            while let Some((name, line)) = new.next_if(|(name, _)| name.as_str() < k.name) {
                push_new(&mut text, name, line);
            }
            if new.peek().is_some_and(|(name, _)| name.as_str() == k.name) {
                continue;
            }
            let Some(Some(n)) = moved.get(k.file_no) else {
                continue;
            };
            // (a line whose file kept its position is written back as it was read)
            if n == k.file_at {
                text.push_str(k.line);
                text.push('\n');
                continue;
            }
            text.push_str(k.head);
            text.push('\t');
            text.push_str(n);
            text.push('\t');
            text.push_str(k.entry);
            text.push('\n');
        }
        for (name, line) in new {
            push_new(&mut text, name, line);
        }
        if crate::emit::write_if_changed(&out_dir.join(FILE_NAME), &text, None).is_err() {
            Self::remove(out_dir);
        }
    }

    /// Give the files of the index in `out_dir` that had just been written when their text was read
    /// (no stamp) the stamp `settled` gives for their path and the hash the index has of their text:
    /// their length and modification time, when they are settled now and their text is known to
    /// hash as the index says (see [`super::memo::Memo::valid`]). The next run over changed files then
    /// does not read them. The rest of the index is written back as it is.
    pub(crate) fn settle(out_dir: &Path, settled: impl Fn(&Path, u64) -> Option<super::scan::Stamp>) {
        let path = out_dir.join(FILE_NAME);
        let Some((mut index, _)) = std::fs::read_to_string(&path)
            .ok()
            .and_then(|text| Self::parse(text, None))
        else {
            return;
        };
        let mut changed = false;
        for (file, line) in index.files.iter_mut().filter(|(_, l)| l.stamp.is_none()) {
            if let Some(stamp) = settled(file, line.hash) {
                line.stamp = Some(stamp);
                changed = true;
            }
        }
        if !changed {
            return;
        }
        let mut text = index.text[..index.files_at].to_string();
        for file in &index.paths {
            let (Some(line), json) = (index.files.get(file), super::path_json(file)) else {
                return;
            };
            file_line(&mut text, &json, line);
        }
        text.push_str(&index.text[index.rest..]);
        if crate::emit::write_if_changed(&path, &text, None).is_err() {
            Self::remove(out_dir);
        }
    }

    /// No index (a run that leaves no single head equal to the models).
    pub(crate) fn remove(out_dir: &Path) {
        let _ = std::fs::remove_file(out_dir.join(FILE_NAME));
    }
}

/// The key of the head index of the crate `config`: the scan cache's (parser, dialect, default
/// schema; see [`super::scan_cache::cache_key`]), the crate's folder and a hash of the whole
/// configuration (the tables it leaves out and the objects change what a run makes of the same
/// models).
pub(crate) fn key(config: &crate::config::Config) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    format!("{config:?}").hash(&mut h);
    format!(
        "{}/{}/{:x}",
        super::scan_cache::cache_key(config.dialect, config.schema.as_deref()),
        config.manifest_dir.display(),
        h.finish()
    )
}

/// The line of the model `m` (with file hash `hash`), whose foreign keys' tables `lookup` finds.
pub(crate) fn table_line<'a>(m: &'a ScannedModel, hash: u64, lookup: impl Fn(&str) -> Option<&'a Table>) -> TableLine {
    let mut refs: Vec<String> = m.table.foreign_keys.iter().map(|fk| fk.ref_table.clone()).collect();
    refs.sort();
    refs.dedup();
    TableLine {
        file: m.file.clone(),
        hash,
        refs,
        entry: SchemaEntry::of(m, lookup),
    }
}

/// The table lines of the models' tables that `after` (the schema the head's record holds, sorted
/// by name) has exactly as the models do; `hash_of` gives each model file's hash, `lookup` the
/// models' tables by name (those of `models` and any other).
pub(crate) fn entries<'a>(
    models: &'a [ScannedModel],
    after: &crate::ir::Schema,
    hash_of: impl Fn(&Path) -> Option<u64>,
    lookup: impl Fn(&str) -> Option<&'a Table> + Copy,
) -> BTreeMap<String, TableLine> {
    let same = |m: &ScannedModel| {
        m.view.is_none()
            && after
                .tables
                .binary_search_by(|t| t.name.as_str().cmp(&m.table.name))
                .is_ok_and(|i| after.tables[i] == m.table)
    };
    models
        .iter()
        .filter(|m| same(m))
        .filter_map(|m| {
            let hash = hash_of(&m.file)?;
            Some((m.table.name.clone(), table_line(m, hash, lookup)))
        })
        .collect()
}

/// What the index says of each model file `files` (with its hash from `hash_of` and its stamp from
/// `stamp_of`), whose models and enums are `models` and `enums`.
pub(crate) fn file_lines(
    files: &[PathBuf],
    models: &[ScannedModel],
    enums: &[super::scan::ScannedEnum],
    hash_of: impl Fn(&Path) -> Option<u64>,
    stamp_of: impl Fn(&Path) -> Option<super::scan::Stamp>,
) -> BTreeMap<PathBuf, FileLine> {
    let mut out: BTreeMap<PathBuf, FileLine> = files
        .iter()
        .filter_map(|f| {
            let line = FileLine {
                hash: hash_of(f)?,
                enums: false,
                views: false,
                tables: 0,
                stamp: stamp_of(f),
            };
            Some((f.clone(), line))
        })
        .collect();
    for m in models {
        if let Some(line) = out.get_mut(&m.file) {
            match m.view {
                Some(_) => line.views = true,
                None => line.tables += 1,
            }
        }
    }
    for e in enums {
        if let Some(line) = out.get_mut(&e.file) {
            line.enums = true;
        }
    }
    out
}

/// The hash of every enum of the crate (a model's table depends on the enums it uses).
pub(crate) fn enums_hash(enums: &[super::scan::ScannedEnum]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    serde_json::to_string(enums).unwrap_or_default().hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_written_and_nothing_else() {
        assert_eq!(number("0", 10), Some(0));
        assert_eq!(number("1234", 10), Some(1234));
        assert_eq!(number(&format!("{:x}", u64::MAX), 16), Some(u64::MAX));
        assert_eq!(number(&u64::MAX.to_string(), 10), Some(u64::MAX));
        let bad = [
            ("", 10),
            ("12a", 10),
            ("-1", 10),
            ("+1", 10),
            (" 1", 10),
            ("FF", 16),
            ("ff", 10),
        ];
        let beyond = [("18446744073709551616", 10), ("1ffffffffffffffff", 16)];
        for (text, radix) in bad.into_iter().chain(beyond) {
            assert_eq!(number(text, radix), None, "{text}");
        }
    }

    #[test]
    fn an_index_round_trips_and_answers_only_for_its_record() {
        let dir = tempfile::tempdir().unwrap();
        let record = dir.path().join("r.json");
        std::fs::write(&record, "{}").unwrap();
        let file = dir.path().join("m\t1.rs");
        let other = dir.path().join("a.rs");
        let model = ScannedModel {
            ident: "T".into(),
            at: Default::default(),
            table_name_at: None,
            table: Table::new("t\u{e9}"),
            module: "t".into(),
            fields: Vec::new(),
            file: file.clone(),
            module_path: Vec::new(),
            view: None,
            diesel_table: None,
        };
        let mut line = table_line(&model, 42, |_| None);
        line.refs = vec!["a".into(), "b c".into()];
        let mut odd = line.clone();
        odd.refs = vec!["x\ty".into()];
        let mut elsewhere = line.clone();
        elsewhere.file = other.clone();
        elsewhere.hash = 9;
        let file_line = |hash, tables| FileLine {
            hash,
            enums: true,
            views: false,
            tables,
            stamp: Some((3, 1_700_000_000_123_456_789)),
        };
        let files = BTreeMap::from([(file.clone(), file_line(42, 1)), (other.clone(), file_line(9, 1))]);
        let tables = BTreeMap::from([
            ("t\u{e9}".to_string(), line.clone()),
            ("odd".to_string(), odd),
            ("b".to_string(), elsewhere.clone()),
        ]);
        let spans = vec![(1, 2), (3, 4)];
        HeadIndex::record(
            dir.path(),
            "k",
            7,
            ("h", &record),
            &files,
            (&[], None),
            &tables,
            &[("h", &spans), ("g", &spans)],
        );
        let index = HeadIndex::load(dir.path(), "k", 7).expect("the index");
        let read = index.table("t\u{e9}").expect("the table's line");
        assert_eq!((read.file, read.hash, read.file_no), (file.as_path(), 42, 1));
        assert_eq!(read.refs().collect::<Vec<_>>(), ["a", "b c"]);
        assert_eq!(read.entry(), Some(line.entry.clone()));
        assert!(index.table("odd").is_none(), "a name that does not fit is left out");
        assert!(index.table("c").is_none() && index.table("").is_none());
        assert_eq!(index.tables().map(|t| t.name).collect::<Vec<_>>(), ["b", "t\u{e9}"]);
        assert_eq!(index.files, files);
        assert_eq!(index.file_paths(), [other.clone(), file.clone()]);
        assert_eq!((index.spans("g"), index.spans("h")), (Some(&spans), Some(&spans)));
        assert!(index.spans("x").is_none());
        assert_eq!(HeadIndex::load_any(dir.path(), "k").map(|(_, e)| e), Some(7));
        assert!(HeadIndex::load(dir.path(), "other", 7).is_none(), "another key");
        assert!(HeadIndex::load(dir.path(), "k", 8).is_none(), "other enums");
        let models = [model];
        assert_eq!(index.known("h", &record, &models, |_| Some(42)).len(), 1);
        assert!(
            index.known("h", &record, &models, |_| Some(43)).is_empty(),
            "the file changed"
        );
        assert!(
            index.known("g", &record, &models, |_| Some(42)).is_empty(),
            "another head"
        );

        // lines kept from the index read, beside new ones: the files renumbered, a kept line of a
        // name made again or of a file no longer there left out
        let kept: Vec<TableRef<'_>> = index.tables().collect();
        let third = dir.path().join("0.rs");
        let mut files2 = files.clone();
        files2.insert(third.clone(), file_line(5, 1));
        let mut fresh = elsewhere.clone();
        fresh.file = third.clone();
        fresh.hash = 5;
        let again = BTreeMap::from([("a".to_string(), fresh.clone())]);
        let out2 = dir.path().join("second");
        std::fs::create_dir(&out2).unwrap();
        HeadIndex::record(
            &out2,
            "k",
            7,
            ("h", &record),
            &files2,
            (&kept, Some(&index)),
            &again,
            &[],
        );
        let second = HeadIndex::load(&out2, "k", 7).expect("the second index");
        assert_eq!(
            second.tables().map(|t| t.name).collect::<Vec<_>>(),
            ["a", "b", "t\u{e9}"]
        );
        assert_eq!(
            second.table("t\u{e9}").map(|t| (t.file, t.file_no)),
            Some((file.as_path(), 2))
        );
        assert_eq!(second.table("b").map(|t| t.file), Some(other.as_path()));
        assert_eq!(second.table("a").map(|t| t.file), Some(third.as_path()));
        let again = BTreeMap::from([("b".to_string(), fresh)]);
        let only: BTreeMap<PathBuf, FileLine> = files2.into_iter().filter(|(f, _)| *f != file).collect();
        HeadIndex::record(&out2, "k", 7, ("h", &record), &only, (&kept, Some(&index)), &again, &[]);
        let third_index = HeadIndex::load(&out2, "k", 7).expect("the third index");
        assert_eq!(
            third_index.tables().map(|t| (t.name, t.file)).collect::<Vec<_>>(),
            [("b", third.as_path())]
        );

        std::fs::write(&record, "{ }").unwrap();
        assert!(
            index.known("h", &record, &models, |_| Some(42)).is_empty(),
            "the record changed"
        );
        std::fs::write(dir.path().join(FILE_NAME), format!("{FORMAT}\nk\n7\nh\tx\t1\n")).unwrap();
        assert!(
            HeadIndex::load(dir.path(), "k", 7).is_none(),
            "an index that does not parse"
        );
        let text = std::fs::read_to_string(out2.join(FILE_NAME)).unwrap();
        let swapped = text.replace("T\tb\t", "T\tzz\t");
        std::fs::write(dir.path().join(FILE_NAME), swapped).unwrap();
        assert!(
            HeadIndex::load(dir.path(), "k", 7).is_some(),
            "one line renamed, still in order"
        );
        let mut lines: Vec<&str> = text.lines().collect();
        lines.push(lines[lines.len() - 1]);
        std::fs::write(dir.path().join(FILE_NAME), lines.join("\n") + "\n").unwrap();
        // (the tables' lines are read when first asked for)
        let lines_fail =
            || HeadIndex::load(dir.path(), "k", 7).is_some_and(|i| !i.read_lines() && i.table("b").is_none());
        assert!(lines_fail(), "a name twice");
        std::fs::write(dir.path().join(FILE_NAME), text.replace("\t0\t", "\t7\t")).unwrap();
        assert!(lines_fail(), "a file that is not there");
        HeadIndex::remove(dir.path());
        assert!(HeadIndex::load(dir.path(), "k", 7).is_none());
    }
}
