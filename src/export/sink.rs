//! Where an export goes as it is made: a [`Sink`] passes every piece of
//! text straight on to a writer (a file, stdout, a buffer), so a graph of a
//! million relations is never held a second time as one document.
//!
//! Exporters write with `push_str` and `write!` as they would into a
//! `String` (a sink is a `fmt::Write`), and hand it to writers that need an
//! `io::Write` (csv, quick-xml, serde_json). Writing never fails on the
//! exporter's side: the first I/O error is kept, later writes are skipped,
//! and [`Sink::finish`] reports it. That keeps each format's code about the
//! format, with the error checked once where the output is opened.

use std::fmt;
use std::io::{self, Write};

/// Text on its way to a writer; see the module doc.
pub struct Sink<'w> {
    out: &'w mut dyn Write,
    /// Pieces gathered before they go on: serialisers write a few bytes at
    /// a time, and a call through `dyn Write` for each costs more than the
    /// copy.
    buf: Vec<u8>,
    error: Option<io::Error>,
}

/// How much text a sink gathers before passing it on.
const GATHER: usize = 1 << 16;

impl<'w> Sink<'w> {
    pub fn new(out: &'w mut dyn Write) -> Self {
        Sink {
            out,
            buf: Vec::with_capacity(GATHER),
            error: None,
        }
    }

    pub fn push_str(&mut self, text: &str) {
        self.put(text.as_bytes());
    }

    pub fn push(&mut self, c: char) {
        self.push_str(c.encode_utf8(&mut [0; 4]));
    }

    // Always inlined: serialisers write a byte or two at a time, and with
    // the copy's length known where it is called, the copy is a store.
    #[inline(always)]
    fn put(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= GATHER {
            self.pass_on();
        }
    }

    #[inline(never)]
    fn pass_on(&mut self) {
        if self.error.is_none()
            && let Err(e) = self.out.write_all(&self.buf)
        {
            self.error = Some(e);
        }
        self.buf.clear();
    }

    /// True once a write has failed (a long export may stop early).
    pub fn failed(&self) -> bool {
        self.error.is_some()
    }

    /// Passes on what is gathered, flushes the writer and returns the first
    /// error met, if any.
    pub fn finish(mut self) -> io::Result<()> {
        self.pass_on();
        match self.error.take() {
            Some(e) => Err(e),
            None => self.out.flush(),
        }
    }
}

impl fmt::Write for Sink<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.push_str(s);
        Ok(())
    }
}

/// For writers that need `io::Write`. The error is kept here as well as
/// returned, so [`Sink::finish`] reports it even if the caller drops it.
impl Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    #[inline(always)]
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.put(buf);
        match &self.error {
            Some(e) => Err(failed(e)),
            None => Ok(()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Items written per chunk by [`write_each`].
const CHUNK: usize = 4096;

/// Writes `items` in order, each as `write_one(position, item, sink)`
/// writes it, on every core: the items are cut into chunks, workers write
/// chunks into buffers of their own, and the buffers are passed on in
/// order, one round of chunks at a time (so a few megabytes are held, never
/// the document). The text is what writing the items one by one gives, as
/// long as each item's text depends only on the item and its position.
pub fn write_each<T: Sync>(
    out: &mut Sink,
    items: &[T],
    write_one: impl Fn(usize, &T, &mut Sink) + Sync,
) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if cores == 1 || items.len() <= CHUNK {
        for (i, item) in items.iter().enumerate() {
            write_one(i, item, out);
        }
        return;
    }
    let chunks: Vec<(usize, &[T])> = items
        .chunks(CHUNK)
        .enumerate()
        .map(|(n, chunk)| (n * CHUNK, chunk))
        .collect();
    let write_one = &write_one;
    std::thread::scope(|scope| {
        // One worker per core for the whole list (threads made per chunk
        // fought over the allocator), taking every `cores`th chunk; each
        // hands its texts over a channel of its own, so reading the lanes
        // in turn gives the chunks in order, and gets its buffers back.
        let lanes: Vec<_> = (0..cores)
            .map(|lane| {
                let (text_tx, text_rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(1);
                let (back_tx, back_rx) = std::sync::mpsc::channel::<Vec<u8>>();
                let mine: Vec<(usize, &[T])> =
                    chunks.iter().skip(lane).step_by(cores).copied().collect();
                scope.spawn(move || {
                    for (start, chunk) in mine {
                        let mut text = back_rx.try_recv().unwrap_or_default();
                        text.clear();
                        let mut sink = Sink::new(&mut text);
                        for (k, item) in chunk.iter().enumerate() {
                            write_one(start + k, item, &mut sink);
                        }
                        let _ = sink.finish();
                        if text_tx.send(text).is_err() {
                            return; // the writer stopped
                        }
                    }
                });
                (text_rx, back_tx)
            })
            .collect();
        for n in 0..chunks.len() {
            let (texts, back) = &lanes[n % cores];
            // A worker that panicked has hung up; the scope passes its panic on.
            let Ok(text) = texts.recv() else { break };
            out.put(&text);
            let _ = back.send(text);
            if out.failed() {
                break;
            }
        }
        // Dropping the lanes here stops workers that are still writing.
    });
}

/// The error a sink met, again, for a writer that asks.
#[cold]
fn failed(e: &io::Error) -> io::Error {
    io::Error::new(e.kind(), e.to_string())
}

/// What `write` puts into a sink, as a string (exports into memory: the
/// server's answers, tests, formats that embed another).
pub fn to_string(write: impl FnOnce(&mut Sink)) -> String {
    let mut bytes = Vec::new();
    let mut sink = Sink::new(&mut bytes);
    write(&mut sink);
    // Writing into a Vec cannot fail; every exporter writes whole strs.
    let _ = sink.finish();
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Full(usize);

    impl Write for Full {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.0 == 0 {
                return Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"));
            }
            let n = buf.len().min(self.0);
            self.0 -= n;
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_first_error_is_kept_and_reported() {
        let mut out = Full(GATHER + 5);
        let mut sink = Sink::new(&mut out);
        sink.push_str("abc");
        assert!(!sink.failed());
        sink.push_str(&"x".repeat(GATHER));
        assert!(!sink.failed());
        sink.push_str(&"y".repeat(GATHER));
        assert!(sink.failed());
        sink.push_str("more");
        let err = sink.finish().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::StorageFull);
    }

    #[test]
    fn items_written_on_all_cores_arrive_in_order() {
        let items: Vec<u32> = (0..(3 * CHUNK as u32 + 17)).collect();
        let one_by_one = to_string(|out| {
            for (i, n) in items.iter().enumerate() {
                let _ = fmt::Write::write_fmt(out, format_args!("{i}:{n},"));
            }
        });
        let parallel = to_string(|out| {
            write_each(out, &items, |i, n, out| {
                let _ = fmt::Write::write_fmt(out, format_args!("{i}:{n},"));
            })
        });
        assert_eq!(parallel, one_by_one);
    }

    #[test]
    fn text_arrives_whole() {
        let text = to_string(|s| {
            s.push_str("a");
            s.push('é');
            let _ = fmt::Write::write_fmt(s, format_args!("{}-{}", 1, "b"));
        });
        assert_eq!(text, "aé1-b");
    }
}
