//! Where imported records came from, so the loader's diagnostics point into
//! the input files: a CSV row and its cells (found again on demand: a
//! million rows keep only their byte ranges), an XML element and its data,
//! a line of JSON.

use std::collections::HashMap;
use std::ops::Range;

use crate::diag::SourceFiles;
use crate::load::raw::Locate;

/// The places of one file's records.
#[derive(Debug, Default)]
pub enum FileSpans {
    /// Records without a place of their own (an existing graph's).
    #[default]
    None,
    /// A CSV file: each record's bytes and the column each field was read from.
    Csv {
        records: Vec<Range<usize>>,
        columns: HashMap<String, usize>,
        delimiter: u8,
    },
    /// Spans given per record (XML elements, JSON lines).
    Explicit { records: Vec<RecordSpans> },
}

#[derive(Debug, Default, Clone)]
pub struct RecordSpans {
    pub span: Range<usize>,
    pub fields: Vec<(String, Range<usize>)>,
}

pub struct ImportSpans<'a> {
    pub files: &'a SourceFiles,
    pub per_file: &'a [FileSpans],
}

/// The byte ranges of a CSV record's cells (quotes included), from `start`.
pub fn cells(text: &str, record: &Range<usize>, delimiter: u8) -> Vec<Range<usize>> {
    Cells::new(text, record, delimiter).collect()
}

/// The cells of a CSV record one by one: finding one cell stops there and
/// keeps no list (the loader asks for an entity's id cell on every row).
struct Cells<'t> {
    bytes: &'t [u8],
    end: usize,
    at: usize,
    delimiter: u8,
    done: bool,
}

impl<'t> Cells<'t> {
    fn new(text: &'t str, record: &Range<usize>, delimiter: u8) -> Self {
        let bytes = text.as_bytes();
        Cells {
            bytes,
            end: record.end.min(bytes.len()),
            at: record.start,
            delimiter,
            done: false,
        }
    }
}

impl Iterator for Cells<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        if self.done {
            return None;
        }
        let start = self.at;
        let mut i = start;
        let mut quoted = false;
        while i < self.end {
            let b = self.bytes[i];
            if quoted {
                if b == b'"' {
                    if self.bytes.get(i + 1) == Some(&b'"') {
                        i += 1;
                    } else {
                        quoted = false;
                    }
                }
            } else if b == b'"' {
                quoted = true;
            } else if b == self.delimiter {
                self.at = i + 1;
                return Some(start..i);
            } else if b == b'\n' || b == b'\r' {
                break;
            }
            i += 1;
        }
        self.done = true;
        Some(start..i)
    }
}

impl ImportSpans<'_> {
    fn record_of(&self, file: usize, index: usize) -> Range<usize> {
        match self.per_file.get(file) {
            Some(FileSpans::Csv { records, .. }) => records.get(index).cloned().unwrap_or(0..0),
            Some(FileSpans::Explicit { records }) => {
                records.get(index).map_or(0..0, |r| r.span.clone())
            }
            _ => 0..0,
        }
    }
}

impl Locate for ImportSpans<'_> {
    fn record(&self, file: usize, index: usize) -> Range<usize> {
        let span = self.record_of(file, index);
        // A CSV record's range runs to the next record: leave the line break out.
        let text = self.files.text(file);
        let mut end = span.end.min(text.len());
        while end > span.start && matches!(text.as_bytes()[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        span.start..end
    }

    fn field(&self, file: usize, index: usize, field: &str) -> Range<usize> {
        let whole = self.record(file, index);
        match self.per_file.get(file) {
            Some(FileSpans::Csv {
                records,
                columns,
                delimiter,
            }) => {
                let (Some(record), Some(&column)) = (records.get(index), columns.get(field)) else {
                    return whole;
                };
                Cells::new(self.files.text(file), record, *delimiter)
                    .nth(column)
                    .unwrap_or(whole)
            }
            Some(FileSpans::Explicit { records }) => records
                .get(index)
                .and_then(|r| r.fields.iter().find(|(f, _)| f == field))
                .map_or(whole, |(_, span)| span.clone()),
            _ => whole,
        }
    }

    fn literal(&self, file: usize, within: &Range<usize>, needle: &str) -> Option<Range<usize>> {
        let text = self.files.text(file).get(within.clone())?;
        text.find(needle)
            .map(|i| within.start + i..within.start + i + needle.len())
    }

    fn whole(&self, file: usize) -> Range<usize> {
        0..self.files.text(file).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cells_with_quotes() {
        let text = "a,b\n1,\"x, \"\"y\"\"\",3\n";
        let cells = cells(text, &(4..text.len()), b',');
        let got: Vec<&str> = cells.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(got, ["1", "\"x, \"\"y\"\"\"", "3"]);
    }
}
