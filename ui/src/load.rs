//! Loading with a ticket: each load takes one, and only the answer to the newest ticket is
//! kept, so an older answer that arrives late (after a profile switch, a quick refresh) never
//! replaces a newer one. [`Latest`] is plain and tested; [`load_latest`] runs a load for a view.

use std::future::Future;

use hangar_types::IpcError;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Names one load; only the newest one's answer counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "a load's answer is applied with its ticket"]
pub struct Ticket(u64);

/// What happened to an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finished {
    /// It was the newest: its value is shown now.
    Applied,
    /// It was the newest and failed: the error is kept, the last good value still shown.
    Failed,
    /// A newer load was started since: the answer was dropped.
    Stale,
}

/// The newest value of something loaded, with its loading and error state.
#[derive(Debug, Clone, PartialEq)]
pub struct Latest<T> {
    issued: u64,
    value: Option<T>,
    loading: bool,
    error: Option<IpcError>,
}

impl<T> Default for Latest<T> {
    fn default() -> Self {
        Latest {
            issued: 0,
            value: None,
            loading: false,
            error: None,
        }
    }
}

impl<T> Latest<T> {
    /// Nothing loaded yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts a load: every earlier ticket is now stale.
    pub fn begin(&mut self) -> Ticket {
        self.issued += 1;
        self.loading = true;
        Ticket(self.issued)
    }

    /// Applies the answer to `ticket`, unless a newer load was started since.
    pub fn finish(&mut self, ticket: Ticket, answer: Result<T, IpcError>) -> Finished {
        if ticket.0 != self.issued {
            return Finished::Stale;
        }
        self.loading = false;
        match answer {
            Ok(value) => {
                self.value = Some(value);
                self.error = None;
                Finished::Applied
            }
            Err(error) => {
                self.error = Some(error);
                Finished::Failed
            }
        }
    }

    /// Forgets the value (it belonged to something else, say another profile) and drops
    /// every answer still in flight.
    pub fn clear(&mut self) {
        self.issued += 1;
        self.value = None;
        self.loading = false;
        self.error = None;
    }

    /// The newest value, if any arrived.
    pub fn value(&self) -> Option<&T> {
        self.value.as_ref()
    }

    /// A load is in flight (the last value, if any, is still shown meanwhile).
    pub fn is_loading(&self) -> bool {
        self.loading
    }

    /// The newest load's error, until a later load succeeds.
    pub fn error(&self) -> Option<&IpcError> {
        self.error.as_ref()
    }
}

/// Runs `load` for `state`: the answer is applied only if no newer load started meanwhile
/// (and the view still exists); `on_error` hears only about the newest load's failure.
pub fn load_latest<T, Fut>(
    state: RwSignal<Latest<T>>,
    load: Fut,
    on_error: impl FnOnce(IpcError) + 'static,
) where
    T: Send + Sync + 'static,
    Fut: Future<Output = Result<T, IpcError>> + 'static,
{
    let Some(ticket) = state.try_update(Latest::begin) else {
        return;
    };
    spawn_local(async move {
        let answer = load.await;
        let error = answer.as_ref().err().cloned();
        // `try_update`: the view may be gone by the time the answer arrives.
        if state.try_update(|s| s.finish(ticket, answer)) == Some(Finished::Failed) {
            if let Some(error) = error {
                on_error(error);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use hangar_types::ErrorKind;

    #[test]
    fn an_older_answer_arriving_late_is_dropped() {
        let mut list = Latest::<&str>::new();
        let first = list.begin();
        let second = list.begin();
        assert!(list.is_loading());
        // The second answer arrives first…
        assert_eq!(list.finish(second, Ok("profile B")), Finished::Applied);
        // …and the first, late, must not replace it.
        assert_eq!(list.finish(first, Ok("profile A")), Finished::Stale);
        assert_eq!(list.value(), Some(&"profile B"));
        assert!(!list.is_loading());
    }

    #[test]
    fn in_order_answers_apply_and_loading_ends_with_the_newest() {
        let mut list = Latest::<u32>::new();
        let first = list.begin();
        let second = list.begin();
        assert_eq!(list.finish(first, Ok(1)), Finished::Stale);
        assert!(list.is_loading(), "the newest load is still in flight");
        assert_eq!(list.value(), None);
        assert_eq!(list.finish(second, Ok(2)), Finished::Applied);
        assert_eq!(list.value(), Some(&2));
        assert!(!list.is_loading());
    }

    #[test]
    fn a_stale_failure_is_not_reported_and_a_newest_one_keeps_the_last_value() {
        let mut list = Latest::<u32>::new();
        let t = list.begin();
        assert_eq!(list.finish(t, Ok(7)), Finished::Applied);

        let old = list.begin();
        let new = list.begin();
        let boom = IpcError::new(ErrorKind::Storage, "disk full");
        assert_eq!(list.finish(old, Err(boom.clone())), Finished::Stale);
        assert_eq!(list.error(), None);
        assert_eq!(list.finish(new, Err(boom.clone())), Finished::Failed);
        assert_eq!(list.error(), Some(&boom));
        assert_eq!(
            list.value(),
            Some(&7),
            "the last good value stays on screen"
        );

        let again = list.begin();
        assert_eq!(list.finish(again, Ok(8)), Finished::Applied);
        assert_eq!(list.error(), None, "a success clears the error");
    }

    #[test]
    fn clear_drops_answers_in_flight() {
        let mut list = Latest::<u32>::new();
        let t = list.begin();
        list.clear();
        assert_eq!(list.finish(t, Ok(1)), Finished::Stale);
        assert_eq!(list.value(), None);
        assert!(!list.is_loading());
    }

    #[test]
    fn many_loads_completing_in_any_order_keep_only_the_newest() {
        // Every permutation of three loads: the value is always the third one's.
        let orders = [
            [0, 1, 2],
            [0, 2, 1],
            [1, 0, 2],
            [1, 2, 0],
            [2, 0, 1],
            [2, 1, 0],
        ];
        for order in orders {
            let mut list = Latest::<usize>::new();
            let tickets = [list.begin(), list.begin(), list.begin()];
            for i in order {
                list.finish(tickets[i], Ok(i));
            }
            assert_eq!(list.value(), Some(&2), "{order:?}");
            assert!(!list.is_loading(), "{order:?}");
        }
    }
}
