//! The program's allocator: the system's for small blocks; large blocks
//! mapped on their own and given huge pages (2 MiB, "transparent huge
//! pages").
//!
//! A graph of a million relations is a few large blocks (the relations
//! alone are 232 MB) written once, page by page, as it is decoded. With
//! 4 KiB pages that is some two hundred thousand page faults for a cached
//! `show`, and in a virtual machine a fault costs microseconds: a quarter
//! of the load. A block of [`LARGE`] bytes or more is its own anonymous
//! mapping marked `MADV_HUGEPAGE`, so its pages come 2 MiB at a time, and
//! it grows with `mremap`, which moves pages instead of copying them and
//! keeps the advice. (Advising glibc's own blocks was not enough: glibc
//! serves blocks of up to 32 MiB from its heaps once its mapping threshold
//! has risen, and grows them by copying into pages faulted one by one.)
//! glibc does the like for every block under
//! `GLIBC_TUNABLES=glibc.malloc.hugetlb=1`; here it needs no setting and
//! small blocks, so small graphs, are untouched.
//!
//! The first small blocks of a run come from one region of a huge page,
//! one after the other, and are never freed (see [`kept`]): a short
//! command makes thousands of blocks that live as long as it does, and the
//! shipped question took 466 page faults a run, of which some two hundred
//! were glibc's heap growing page by page; it takes about 250 now.
//!
//! Where transparent huge pages are off (`never`) a large block is still
//! its own mapping, as glibc makes any block over its threshold. Where the
//! kernel's `defrag` setting is `madvise` (a common default), a fault in an
//! advised block may first compact memory to find a huge page: on a machine
//! short of free memory that takes time back (not measured here, where
//! memory is plenty). On systems other than Linux everything is the system
//! allocator's.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// Blocks from this size on are mapped on their own with huge pages: twice
/// a huge page, so that at least one whole huge page lies inside.
pub const LARGE: usize = 4 << 20;

/// The size of the region [`kept`] blocks come from: one huge page.
const KEPT: usize = 2 << 20;

/// Where the kept region starts (0 until it is mapped) and how much of it
/// is taken.
static KEPT_AT: AtomicUsize = AtomicUsize::new(0);
static KEPT_USED: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Whether this thread's small blocks are being kept (see [`kept`]).
    static KEEPING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `make` with this thread's small blocks taken in turn from one
/// region of `KEPT` bytes that is never given back: allocating is adding
/// to an offset, and the region's pages come as one huge page where the
/// kernel allows. `main` runs the whole command so. A question on the
/// built-in graph makes some seven thousand small blocks (the graph
/// decoded, its index, the answer) that live until the process ends: kept,
/// they cost one page fault instead of about two hundred, and no search of
/// the system allocator's free lists. Blocks freed are not reused, so what
/// a run can waste is bounded by the region; once it is full, and on every
/// other thread (the load's workers, the server's), blocks are the system
/// allocator's as always, and so they are when this allocator is not the
/// one installed.
pub fn kept<T>(make: impl FnOnce() -> T) -> T {
    if cfg!(target_os = "linux") && KEPT_AT.load(Relaxed) == 0 {
        // Twice the region, so that a whole huge page lies inside.
        let block = map(2 * KEPT) as usize;
        if block != 0 {
            let at = block.next_multiple_of(KEPT);
            if KEPT_AT.compare_exchange(0, at, Relaxed, Relaxed).is_err() {
                // SAFETY: our own mapping, not handed out.
                unsafe { unmap(block as *mut u8, 2 * KEPT) };
            }
        }
    }
    /// Sets the thread back as it was, also when `make` panics.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            KEEPING.set(self.0);
        }
    }
    let _restore = Restore(KEEPING.replace(true));
    make()
}

/// A block from the kept region, if this thread is keeping and it fits.
fn take_kept(layout: Layout) -> Option<*mut u8> {
    if !KEEPING.get() {
        return None;
    }
    let at = KEPT_AT.load(Relaxed);
    if at == 0 {
        return None;
    }
    let mut start = 0;
    KEPT_USED
        .fetch_update(Relaxed, Relaxed, |used| {
            start = (at + used).next_multiple_of(layout.align()) - at;
            let end = start.checked_add(layout.size())?;
            (end <= KEPT).then_some(end)
        })
        .ok()?;
    Some((at + start) as *mut u8)
}

/// Whether `block` came from the kept region.
fn is_kept(block: *mut u8) -> bool {
    let at = KEPT_AT.load(Relaxed);
    at != 0 && (at..at + KEPT).contains(&(block as usize))
}

/// A block that is not the system allocator's: a mapping for a large
/// layout (null if there is no room), else a kept block if this thread
/// keeps and one fits; `None` for the system allocator to make.
fn own_block(layout: Layout) -> Option<*mut u8> {
    if large(layout) {
        Some(map(layout.size()))
    } else {
        take_kept(layout)
    }
}

/// The system allocator, with large blocks mapped and given huge pages:
/// `main` installs it with `#[global_allocator]`.
pub struct Allocator;

/// Whether a block of this layout is mapped on its own (page alignment is
/// all a mapping gives).
fn large(layout: Layout) -> bool {
    cfg!(target_os = "linux") && layout.size() >= LARGE && layout.align() <= 4096
}

// SAFETY: a small block is either kept or System's, from allocation to
// release (its layout stays small through `realloc`, else it is moved). A
// kept block is a range of the kept region handed out once (the offset
// only grows, aligned for the layout), zeroed by the kernel as never used
// before, and never released or reused; it is told apart by its address,
// which no System block or mapping of ours can share. A large block is
// an anonymous mapping of at least its size, page aligned (so aligned for
// its layout, whose alignment is at most a page), zeroed by the kernel,
// released with `munmap` of that size and resized with `mremap`, which keeps
// its bytes.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is System's.
        own_block(layout).unwrap_or_else(|| unsafe { System.alloc(layout) })
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // Our blocks were never handed out before: as the kernel zeroed
        // them. SAFETY: as above.
        own_block(layout).unwrap_or_else(|| unsafe { System.alloc_zeroed(layout) })
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        if is_kept(block) {
            // Kept blocks are not reused.
        } else if large(layout) {
            // SAFETY: a large block is a mapping of this size.
            unsafe { unmap(block, layout.size()) }
        } else {
            // SAFETY: as above.
            unsafe { System.dealloc(block, layout) }
        }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees new_size, rounded up to the
        // alignment, does not overflow isize.
        let new = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        if is_kept(block) {
            if new_size <= layout.size() {
                return block;
            }
            // SAFETY: a kept block, moved as below.
            return unsafe { self.moved(block, layout, new) };
        }
        match (large(layout), large(new)) {
            // SAFETY: a large block is a mapping of its layout's size.
            (true, true) => unsafe { remap(block, layout.size(), new_size) },
            // SAFETY: System's block, staying System's.
            (false, false) => unsafe { System.realloc(block, layout, new_size) },
            // SAFETY: from one kind of block to the other.
            _ => unsafe { self.moved(block, layout, new) },
        }
    }
}

impl Allocator {
    /// `block` moved to a new block of layout `new`: the bytes both hold
    /// copied, the old block released; null, with `block` untouched, if
    /// there is no room.
    ///
    /// # Safety
    /// `block` is a live block of `layout` from this allocator; `new` has
    /// its alignment and a non-zero size.
    unsafe fn moved(&self, block: *mut u8, layout: Layout, new: Layout) -> *mut u8 {
        // SAFETY: the caller's promises.
        unsafe {
            let moved = self.alloc(new);
            if !moved.is_null() {
                std::ptr::copy_nonoverlapping(block, moved, layout.size().min(new.size()));
                self.dealloc(block, layout);
            }
            moved
        }
    }
}

/// A new anonymous mapping of `len` bytes, advised to use huge pages; null
/// if the system has no room.
#[cfg(target_os = "linux")]
fn map(len: usize) -> *mut u8 {
    // SAFETY: a new private anonymous mapping at an address the kernel
    // picks; it aliases nothing.
    let block = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if block == libc::MAP_FAILED {
        return std::ptr::null_mut();
    }
    advise(block, len);
    block.cast()
}

/// The mapping `block` of `len` bytes, resized to `new_len` (moved if it
/// must be); null, with `block` untouched, if it cannot be.
#[cfg(target_os = "linux")]
unsafe fn remap(block: *mut u8, len: usize, new_len: usize) -> *mut u8 {
    // SAFETY: `block` is a mapping of `len` bytes (the caller's promise).
    let moved = unsafe { libc::mremap(block.cast(), len, new_len, libc::MREMAP_MAYMOVE) };
    if moved == libc::MAP_FAILED {
        return std::ptr::null_mut();
    }
    // The advice moves with the mapping; given again, it covers the pages
    // the mapping grew by in every kernel.
    advise(moved, new_len);
    moved.cast()
}

/// Releases the mapping `block` of `len` bytes.
#[cfg(target_os = "linux")]
unsafe fn unmap(block: *mut u8, len: usize) {
    // SAFETY: `block` is a mapping of `len` bytes (the caller's promise)
    // that nothing uses any more.
    unsafe {
        libc::munmap(block.cast(), len);
    }
}

/// Huge pages for a mapping; a kernel without them refuses, which changes
/// nothing.
#[cfg(target_os = "linux")]
fn advise(block: *mut libc::c_void, len: usize) {
    // SAFETY: advice about a mapping of ours; it selects page sizes only.
    unsafe {
        libc::madvise(block, len, libc::MADV_HUGEPAGE);
    }
}

#[cfg(not(target_os = "linux"))]
fn map(_: usize) -> *mut u8 {
    unreachable!("only Linux maps large blocks")
}

#[cfg(not(target_os = "linux"))]
unsafe fn remap(_: *mut u8, _: usize, _: usize) -> *mut u8 {
    unreachable!("only Linux maps large blocks")
}

#[cfg(not(target_os = "linux"))]
unsafe fn unmap(_: *mut u8, _: usize) {
    unreachable!("only Linux maps large blocks")
}

#[cfg(test)]
mod tests {
    use std::alloc::{GlobalAlloc, Layout};

    use super::{Allocator, KEPT, LARGE, is_kept, kept, large};

    /// A block's bytes survive every move between sizes and kinds.
    #[test]
    fn blocks_keep_their_bytes_as_they_grow_and_shrink_across_the_threshold() {
        let a = Allocator;
        let sizes = [100, LARGE - 1, LARGE, 3 * LARGE + 4097, LARGE + 1, 4096, 10];
        let layout = |size| Layout::from_size_align(size, 8).unwrap();
        // SAFETY: non-zero layouts; every block is written and read within
        // its size, resized and freed with the layout it has.
        unsafe {
            let mut block = a.alloc_zeroed(layout(sizes[0]));
            assert!(!block.is_null());
            assert!(
                std::slice::from_raw_parts(block, sizes[0])
                    .iter()
                    .all(|&b| b == 0)
            );
            block.write_bytes(1, sizes[0]);
            let mut filled = sizes[0];
            for pair in sizes.windows(2) {
                let (from, to) = (pair[0], pair[1]);
                block = a.realloc(block, layout(from), to);
                assert!(!block.is_null(), "{from} -> {to}");
                let kept = filled.min(to);
                let bytes = std::slice::from_raw_parts(block, kept);
                assert!(bytes.iter().all(|&b| b == 1), "{from} -> {to}");
                block.write_bytes(1, to);
                filled = to;
            }
            a.dealloc(block, layout(*sizes.last().unwrap()));
            let zeroed = a.alloc_zeroed(layout(2 * LARGE));
            assert!(
                std::slice::from_raw_parts(zeroed, 2 * LARGE)
                    .iter()
                    .all(|&b| b == 0)
            );
            a.dealloc(zeroed, layout(2 * LARGE));
        }
    }

    #[test]
    fn only_large_blocks_with_page_alignment_are_mapped() {
        let on_linux = cfg!(target_os = "linux");
        assert!(!large(Layout::from_size_align(LARGE - 1, 8).unwrap()));
        assert_eq!(
            large(Layout::from_size_align(LARGE, 4096).unwrap()),
            on_linux
        );
        assert!(!large(Layout::from_size_align(LARGE, 8192).unwrap()));
    }

    /// Kept blocks: bumped from the region by the keeping thread only,
    /// zeroed when asked, moved when they grow and kept in place when they
    /// shrink, never handed out twice, and the system's once the region is
    /// full. (One test: it fills the region, which is the process's.)
    #[test]
    fn kept_blocks_come_from_one_region_until_it_is_full() {
        let a = Allocator;
        let layout = |size| Layout::from_size_align(size, 8).unwrap();
        let linux = cfg!(target_os = "linux");
        // SAFETY: non-zero layouts; every block is written and read within
        // its size, resized and freed with the layout it has.
        unsafe {
            let outside = a.alloc(layout(64));
            assert!(!is_kept(outside));
            a.dealloc(outside, layout(64));
            kept(|| {
                let first = a.alloc_zeroed(layout(100));
                assert_eq!(is_kept(first), linux);
                assert!(
                    std::slice::from_raw_parts(first, 100)
                        .iter()
                        .all(|&b| b == 0)
                );
                first.write_bytes(7, 100);
                let shrunk = a.realloc(first, layout(100), 40);
                assert_eq!(shrunk, first);
                let grown = a.realloc(shrunk, layout(40), 5000);
                assert!(
                    std::slice::from_raw_parts(grown, 40)
                        .iter()
                        .all(|&b| b == 7)
                );
                assert_eq!(is_kept(grown), linux);
                a.dealloc(grown, layout(5000));
                let next = a.alloc(layout(5000));
                assert!(next != grown && next != first);
                let aligned = a.alloc(Layout::from_size_align(10, 256).unwrap());
                assert_eq!(aligned as usize % 256, 0);
                // Another thread's blocks are the system's.
                let elsewhere = std::thread::spawn(move || {
                    let block = Allocator.alloc(layout(64));
                    let kept = is_kept(block);
                    Allocator.dealloc(block, layout(64));
                    kept
                })
                .join()
                .unwrap();
                assert!(!elsewhere);
                // A block larger than what is left is the system's; so are
                // all blocks once the region is full.
                let whole = a.alloc(layout(KEPT));
                assert!(!is_kept(whole));
                a.dealloc(whole, layout(KEPT));
                let mut taken = 0;
                for size in [1 << 16, 9000] {
                    loop {
                        let block = a.alloc(layout(size));
                        if !is_kept(block) {
                            a.dealloc(block, layout(size));
                            break;
                        }
                        taken += size;
                    }
                }
                assert!(!linux || taken > KEPT - (1 << 16), "{taken}");
                let moved = a.realloc(next, layout(5000), 9000);
                assert!(!is_kept(moved));
                a.dealloc(moved, layout(9000));
            });
        }
    }
}
