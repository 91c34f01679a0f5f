//! Memory for images in flight, shared by every thread: an image waits until the bytes its
//! processing may hold are free, so a cap per image also caps the whole process, however
//! many threads decode at once.

use std::sync::{Condvar, Mutex, PoisonError};

/// A counting semaphore whose permits are bytes.
pub struct MemoryBudget {
    total: u64,
    available: Mutex<u64>,
    returned: Condvar,
}

/// Bytes taken from a budget; given back when dropped, unwinding from a panic included.
pub struct Reservation<'a> {
    budget: &'a MemoryBudget,
    bytes: u64,
}

impl MemoryBudget {
    /// A budget of `total` bytes, all free.
    pub const fn new(total: u64) -> MemoryBudget {
        MemoryBudget {
            total,
            available: Mutex::new(total),
            returned: Condvar::new(),
        }
    }

    /// Waits until `bytes` are free and takes them. A request larger than the whole budget
    /// takes all of it, so such an image runs alone rather than never.
    pub fn take(&self, bytes: u64) -> Reservation<'_> {
        let bytes = bytes.min(self.total);
        // Nothing panics while the lock is held, so a poisoned lock still counts right.
        let mut available = self
            .available
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        while *available < bytes {
            available = self
                .returned
                .wait(available)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *available -= bytes;
        Reservation {
            budget: self,
            bytes,
        }
    }

    /// Bytes free now.
    #[cfg(test)]
    pub fn available(&self) -> u64 {
        *self
            .available
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        let mut available = self
            .budget
            .available
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *available += self.bytes;
        self.budget.returned.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::MemoryBudget;

    #[test]
    fn takers_never_hold_more_than_the_budget() {
        let budget = MemoryBudget::new(1000);
        let in_flight = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..6 {
                scope.spawn(|| {
                    for _ in 0..50 {
                        let _taken = budget.take(400);
                        let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::yield_now();
                        in_flight.fetch_sub(1, Ordering::SeqCst);
                    }
                });
            }
        });
        assert!(
            most.load(Ordering::SeqCst) <= 2,
            "400 + 400 fit in 1000, a third does not"
        );
        assert_eq!(budget.available(), 1000, "every byte given back");
    }

    #[test]
    fn more_than_the_budget_takes_all_of_it_and_gives_it_back() {
        let budget = MemoryBudget::new(1000);
        {
            let _alone = budget.take(5000);
            assert_eq!(budget.available(), 0);
        }
        assert_eq!(budget.available(), 1000);
    }

    #[test]
    fn a_panic_gives_the_bytes_back() {
        let budget = MemoryBudget::new(1000);
        let result = std::panic::catch_unwind(|| {
            let _taken = budget.take(700);
            panic!("a codec failed");
        });
        assert!(result.is_err());
        assert_eq!(budget.available(), 1000);
    }
}
