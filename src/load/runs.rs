//! Work over a large list split into equal runs of consecutive items, one
//! per core, with the results put back in input order, so that what the
//! runs report reads as one thread checking the list would have reported
//! it (the relations' check, the cache entry's check, relation ids); and
//! jobs of unequal size shared by the cores with their results streamed
//! back in order (parsing files, decoding a cache entry's parts, the
//! importers reading CSV pieces and writing files).

use std::ops::Range;

/// Lists shorter than this are checked in one run, on the calling thread:
/// starting threads costs more than it saves there.
pub const PARALLEL_FROM: usize = 20_000;

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

/// `work` of each job on all cores, each result handed to `take` (with its
/// job's position) in the jobs' order as soon as it and every one before it
/// are done: the results need not all be held at once. Workers take the
/// next job as they finish one, so jobs of unequal size share the cores. A
/// job that panics passes its panic on, after the results before it.
pub fn streamed<J: Sync, R: Send>(
    jobs: &[J],
    work: impl Fn(&J) -> R + Sync,
    mut take: impl FnMut(usize, R),
) {
    // One job needs no thread, nor the count of cores (which reads the
    // control groups' files: a tenth of a millisecond at every start).
    let threads = match jobs.len() {
        0 | 1 => 1,
        n => std::thread::available_parallelism().map_or(1, |c| c.get().min(n)),
    };
    if threads <= 1 {
        for (n, job) in jobs.iter().enumerate() {
            take(n, work(job));
        }
        return;
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = &work;
    std::thread::scope(|scope| {
        let (done_tx, done_rx) = std::sync::mpsc::channel::<(usize, R)>();
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let done = done_tx.clone();
                let next = &next;
                scope.spawn(move || {
                    loop {
                        let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(job) = jobs.get(n) else { break };
                        if done.send((n, work(job))).is_err() {
                            break;
                        }
                    }
                })
            })
            .collect();
        drop(done_tx);
        // Jobs finish out of order; a later one waits here for those before it.
        let mut waiting = std::collections::BTreeMap::new();
        let mut due = 0;
        for (n, result) in done_rx {
            waiting.insert(n, result);
            while let Some(result) = waiting.remove(&due) {
                take(due, result);
                due += 1;
            }
        }
        for worker in workers {
            worker
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
        }
    });
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

    #[test]
    fn streamed_results_come_in_order_however_long_each_job_takes() {
        let jobs: Vec<u64> = (0..40).map(|n| (n * 7919) % 13).collect();
        let mut seen = Vec::new();
        streamed(
            &jobs,
            |&ms| {
                std::thread::sleep(std::time::Duration::from_millis(ms));
                ms * 2
            },
            |n, doubled| seen.push((n, doubled)),
        );
        let expected: Vec<(usize, u64)> = jobs.iter().map(|&ms| ms * 2).enumerate().collect();
        assert_eq!(seen, expected);
    }
}
