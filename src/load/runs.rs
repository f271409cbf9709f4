//! Work over a large list split into equal runs of consecutive items, one
//! per core, with the results put back in input order, so that what the
//! runs report reads as one thread checking the list would have reported
//! it. Used by the relations' check and by the cache entry's check.

use std::ops::Range;

/// Lists shorter than this are checked in one run, on the calling thread:
/// starting threads costs more than it saves there.
const PARALLEL_FROM: usize = 20_000;

/// `0..n` in equal consecutive runs, one per core (one run for a short
/// list or a single core).
pub fn runs(n: usize) -> Vec<Range<usize>> {
    let cores = if n >= PARALLEL_FROM {
        std::thread::available_parallelism().map_or(1, |c| c.get())
    } else {
        1
    };
    let per = n.div_ceil(cores).max(1);
    (0..n)
        .step_by(per)
        .map(|start| start..(start + per).min(n))
        .collect()
}

/// `work` of each job, each on a thread of its own when there are several,
/// the results in the jobs' order. A job that panics passes its panic on.
pub fn in_order<J: Send, R: Send>(jobs: Vec<J>, work: impl Fn(J) -> R + Sync) -> Vec<R> {
    if jobs.len() <= 1 {
        return jobs.into_iter().map(work).collect();
    }
    let work = &work;
    std::thread::scope(|s| {
        let workers: Vec<_> = jobs
            .into_iter()
            .map(|job| s.spawn(move || work(job)))
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_cover_the_list_once_in_order() {
        assert_eq!(runs(0), Vec::<Range<usize>>::new());
        assert_eq!(runs(5), vec![0..5]);
        for n in [PARALLEL_FROM, PARALLEL_FROM + 1, 3 * PARALLEL_FROM + 7] {
            let all: Vec<usize> = runs(n).into_iter().flatten().collect();
            assert_eq!(all, (0..n).collect::<Vec<_>>());
        }
        assert_eq!(in_order(runs(50_001), |r| r.start), {
            let starts: Vec<usize> = runs(50_001).iter().map(|r| r.start).collect();
            starts
        });
    }
}
