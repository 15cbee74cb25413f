//! The clock the fetcher waits on: per-host intervals, retry backoff and
//! `Retry-After` all go through [`Clock::sleep`], so tests replace it with a
//! [`ManualClock`] that records the waits instead of sleeping.

use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// A monotonic clock that can wait.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Time since an arbitrary, fixed origin; never goes back.
    fn now(&self) -> Duration;
    /// Waits `d` (a real clock sleeps; a test clock moves on).
    fn sleep(&self, d: Duration);
}

/// The real clock: `Instant` and `thread::sleep`.
#[derive(Debug, Clone, Copy)]
pub struct SystemClock {
    origin: Instant,
}

impl SystemClock {
    /// A clock whose origin is now.
    pub fn new() -> Self {
        SystemClock {
            origin: Instant::now(),
        }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for SystemClock {
    fn now(&self) -> Duration {
        self.origin.elapsed()
    }

    fn sleep(&self, d: Duration) {
        if !d.is_zero() {
            std::thread::sleep(d);
        }
    }
}

/// A clock for tests and dry runs: time stands still except when someone
/// sleeps (or [`advance`](ManualClock::advance) is called), and every sleep
/// is recorded. Shared by all threads.
#[derive(Debug, Default)]
pub struct ManualClock {
    state: Mutex<ManualState>,
}

#[derive(Debug, Default)]
struct ManualState {
    now: Duration,
    sleeps: Vec<Duration>,
}

impl ManualClock {
    /// A clock at time zero that has recorded no sleep.
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves time on by `d` without recording a sleep.
    pub fn advance(&self, d: Duration) {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        s.now = s.now.saturating_add(d);
    }

    /// Every sleep so far, in the order they were asked for (zero waits are
    /// not sleeps and are not recorded).
    pub fn sleeps(&self) -> Vec<Duration> {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .sleeps
            .clone()
    }

    /// The sum of all sleeps so far.
    pub fn slept(&self) -> Duration {
        self.sleeps().iter().sum()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Duration {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .now
    }

    fn sleep(&self, d: Duration) {
        if d.is_zero() {
            return;
        }
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        s.now = s.now.saturating_add(d);
        s.sleeps.push(d);
    }
}
