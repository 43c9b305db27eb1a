//! A few worker threads that take jobs in order, never running more than
//! `per_host` jobs for one host at a time: the next job whose host has a
//! free slot goes first, so one slow host does not hold up the others.

use std::collections::{HashMap, VecDeque};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// Jobs waiting, and how many run for each host.
struct Queue<J> {
    waiting: VecDeque<(String, J)>,
    running: HashMap<String, usize>,
}

struct Shared<J> {
    queue: Mutex<Queue<J>>,
    /// Told whenever a job ends, freeing a slot of its host.
    freed: Condvar,
    per_host: usize,
}

/// Runs `work` on every job, given with its host, on up to `workers`
/// threads; the results come back in no particular order.
pub(crate) fn run<J, R>(
    jobs: Vec<(String, J)>,
    workers: usize,
    per_host: usize,
    work: impl Fn(&J) -> R + Sync,
) -> Vec<(J, R)>
where
    J: Send,
    R: Send,
{
    let threads = workers.clamp(1, jobs.len().max(1));
    let shared = Shared {
        queue: Mutex::new(Queue {
            waiting: jobs.into(),
            running: HashMap::new(),
        }),
        freed: Condvar::new(),
        per_host: per_host.max(1),
    };
    let done = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some((host, job)) = shared.next() {
                    let result = work(&job);
                    shared.finish(&host);
                    lock(&done).push((job, result));
                }
            });
        }
    });
    done.into_inner().unwrap_or_else(PoisonError::into_inner)
}

impl<J> Shared<J> {
    /// The first waiting job whose host has a free slot, waiting for one
    /// to free if need be; `None` once no job is left.
    fn next(&self) -> Option<(String, J)> {
        let mut queue = lock(&self.queue);
        loop {
            let free =
                |host: &String| queue.running.get(host).copied().unwrap_or(0) < self.per_host;
            if let Some(index) = queue.waiting.iter().position(|(host, _)| free(host)) {
                let (host, job) = queue.waiting.remove(index)?;
                *queue.running.entry(host.clone()).or_default() += 1;
                return Some((host, job));
            }
            if queue.waiting.is_empty() {
                return None;
            }
            queue = self
                .freed
                .wait(queue)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn finish(&self, host: &str) {
        let mut queue = lock(&self.queue);
        if let Some(running) = queue.running.get_mut(host) {
            *running -= 1;
            if *running == 0 {
                queue.running.remove(host);
            }
        }
        self.freed.notify_all();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[test]
    fn never_more_than_per_host_at_once_and_every_job_done() {
        let running: HashMap<&str, AtomicUsize> =
            [("a", AtomicUsize::new(0)), ("b", AtomicUsize::new(0))].into();
        let most: HashMap<&str, AtomicUsize> =
            [("a", AtomicUsize::new(0)), ("b", AtomicUsize::new(0))].into();
        let jobs: Vec<(String, (&str, usize))> = (0..24)
            .map(|n| {
                let host = if n % 3 == 0 { "b" } else { "a" };
                (host.to_string(), (host, n))
            })
            .collect();
        let done = run(jobs, 8, 2, |&(host, n)| {
            let now = running[host].fetch_add(1, Ordering::SeqCst) + 1;
            most[host].fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(5));
            running[host].fetch_sub(1, Ordering::SeqCst);
            n * 2
        });
        let mut results: Vec<usize> = done.iter().map(|(_, r)| *r).collect();
        results.sort();
        assert_eq!(results, (0..24).map(|n| n * 2).collect::<Vec<_>>());
        assert_eq!(most["a"].load(Ordering::SeqCst), 2);
        assert_eq!(most["b"].load(Ordering::SeqCst), 2);
    }

    #[test]
    fn no_jobs_no_threads_needed() {
        let done: Vec<((), ())> = run(Vec::new(), 8, 2, |_| ());
        assert!(done.is_empty());
    }
}
