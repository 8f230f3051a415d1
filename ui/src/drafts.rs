//! Unsaved form edits, kept for the window's lifetime and keyed by profile and route: leaving a
//! form and coming back finds the edit as it was (until it is saved or discarded). Secrets are
//! never kept here (credential forms keep no draft).
//!
//! One store for the whole window (the UI runs on one thread), reached from any page.

use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

thread_local! {
    static DRAFTS: RefCell<HashMap<String, Rc<dyn Any>>> = RefCell::new(HashMap::new());
}

/// The draft key of a form: the profile and the route it belongs to.
pub fn key(profile: &str, route: &str) -> String {
    format!("{profile}|{route}")
}

/// Keeps `draft` under `key`, replacing an older one.
pub fn keep<T: Any>(key: &str, draft: T) {
    DRAFTS.with(|d| {
        d.borrow_mut().insert(key.to_string(), Rc::new(draft));
    });
}

/// The draft under `key`, if one of type `T` is kept.
pub fn get<T: Any + Clone>(key: &str) -> Option<T> {
    DRAFTS.with(|d| {
        d.borrow()
            .get(key)
            .and_then(|v| v.downcast_ref::<T>().cloned())
    })
}

/// Forgets the draft under `key` (saved or discarded).
pub fn forget(key: &str) {
    DRAFTS.with(|d| {
        d.borrow_mut().remove(key);
    });
}

/// Is a draft kept under `key`?
pub fn has(key: &str) -> bool {
    DRAFTS.with(|d| d.borrow().contains_key(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_are_kept_by_key_and_type() {
        let k = key("demo", "/agents/new");
        assert_eq!(k, "demo|/agents/new");
        assert!(!has(&k));
        keep(&k, vec!["typed".to_string()]);
        assert_eq!(get::<Vec<String>>(&k), Some(vec!["typed".to_string()]));
        assert_eq!(get::<u32>(&k), None, "another type is not this draft");
        assert_eq!(
            get::<Vec<String>>(&key("work", "/agents/new")),
            None,
            "per profile"
        );
        forget(&k);
        assert!(!has(&k));
    }
}
