//! The model behind every form: each [`Field`] knows its current and initial value, whether it
//! was touched, its own check; a [`Form`] adds the submit state, errors the backend returned for
//! a field (`IpcError.field`), and "unsaved changes" for the leave confirmation.
//!
//! A form is a plain struct of fields that implements [`Fields`] (the [`fields!`] macro writes
//! it), held by `Form<F>` in one signal; `components/fields.rs` binds single fields to inputs.
//!
//! ```ignore
//! struct ProfileFields { name: Field<String>, url: Field<String> }
//! fields!(ProfileFields { name, url });
//! let form = Form::new(ProfileFields {
//!     name: Field::new("name", String::new()).checked(|v| validate::profile_name(v).map(drop)),
//!     url: Field::new("baseUrl", DEFAULT_URL.into()).checked(|v| validate::base_url(v).map(drop)),
//! });
//! ```

use hangar_types::IpcError;

/// A field's own check: `Err` holds the sentence shown next to it.
pub type Checker<T> = fn(&T) -> Result<(), String>;

/// One input of a form.
#[derive(Debug, Clone)]
pub struct Field<T> {
    name: &'static str,
    value: T,
    initial: T,
    touched: bool,
    error: Option<String>,
    server_error: Option<String>,
    check: Option<Checker<T>>,
}

impl<T: Clone + PartialEq> Field<T> {
    /// A field called `name` (its name in the command's input, which is what `IpcError.field`
    /// names) starting at `initial`.
    pub fn new(name: &'static str, initial: T) -> Self {
        Field {
            name,
            value: initial.clone(),
            initial,
            touched: false,
            error: None,
            server_error: None,
            check: None,
        }
    }

    /// Adds the field's own check (usually one of `hangar_types::validate`).
    pub fn checked(mut self, check: Checker<T>) -> Self {
        self.check = Some(check);
        self.revalidate();
        self
    }

    /// The field's name in the command's input.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The current value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The value it started at (or was last saved or reloaded with).
    pub fn initial(&self) -> &T {
        &self.initial
    }

    /// The person changed it: store, re-check, forget what the server said about the old value.
    pub fn set(&mut self, value: T) {
        self.value = value;
        self.touched = true;
        self.server_error = None;
        self.revalidate();
    }

    /// The person left the field (blur) or tried to submit: its error may show now.
    pub fn touch(&mut self) {
        self.touched = true;
    }

    /// Was it touched?
    pub fn is_touched(&self) -> bool {
        self.touched
    }

    /// Does it differ from its initial value?
    pub fn is_dirty(&self) -> bool {
        self.value != self.initial
    }

    /// Does its own check pass? (What the server said does not block a new attempt.)
    pub fn is_valid(&self) -> bool {
        self.error.is_none()
    }

    /// Its own check's error, shown or not.
    pub fn check_error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// What the backend said about it on the last submit.
    pub fn server_error(&self) -> Option<&str> {
        self.server_error.as_deref()
    }

    /// Back to the initial value, untouched, no errors shown.
    pub fn reset(&mut self) {
        self.value = self.initial.clone();
        self.touched = false;
        self.server_error = None;
        self.revalidate();
    }

    /// A new starting point (for example the saved object as the server returned it).
    pub fn reload(&mut self, initial: T) {
        self.initial = initial;
        self.reset();
    }

    fn revalidate(&mut self) {
        self.error = self.check.and_then(|check| check(&self.value).err());
    }
}

/// What a form needs from any of its fields, whatever its value type.
pub trait AnyField {
    /// Its name in the command's input.
    fn name(&self) -> &'static str;
    /// Differs from its initial value.
    fn is_dirty(&self) -> bool;
    /// Its own check passes.
    fn is_valid(&self) -> bool;
    /// Was touched.
    fn is_touched(&self) -> bool;
    /// Its own check's error.
    fn check_error(&self) -> Option<&str>;
    /// What the server said about it.
    fn server_error(&self) -> Option<&str>;
    /// Marks it touched.
    fn touch(&mut self);
    /// Back to its initial value.
    fn reset(&mut self);
    /// Its current value becomes its initial value (after a save).
    fn mark_saved(&mut self);
    /// Sets or clears what the server said about it.
    fn set_server_error(&mut self, message: Option<String>);
}

impl<T: Clone + PartialEq> AnyField for Field<T> {
    fn name(&self) -> &'static str {
        self.name
    }
    fn is_dirty(&self) -> bool {
        Field::is_dirty(self)
    }
    fn is_valid(&self) -> bool {
        Field::is_valid(self)
    }
    fn is_touched(&self) -> bool {
        self.touched
    }
    fn check_error(&self) -> Option<&str> {
        Field::check_error(self)
    }
    fn server_error(&self) -> Option<&str> {
        Field::server_error(self)
    }
    fn touch(&mut self) {
        Field::touch(self);
    }
    fn reset(&mut self) {
        Field::reset(self);
    }
    fn mark_saved(&mut self) {
        self.initial = self.value.clone();
        self.touched = false;
        self.server_error = None;
    }
    fn set_server_error(&mut self, message: Option<String>) {
        self.server_error = message;
    }
}

/// A struct of fields: lets [`Form`] visit them. Write it with [`fields!`].
pub trait Fields {
    /// Calls `f` with every field, in display order.
    fn visit(&self, f: &mut dyn FnMut(&dyn AnyField));
    /// Calls `f` with every field, mutably, in display order.
    fn visit_mut(&mut self, f: &mut dyn FnMut(&mut dyn AnyField));
}

/// Implements [`Fields`] for a struct by listing its `Field<_>` members in display order.
macro_rules! fields {
    ($ty:ty { $($field:ident),+ $(,)? }) => {
        impl $crate::form::Fields for $ty {
            fn visit(&self, f: &mut dyn FnMut(&dyn $crate::form::AnyField)) {
                $( f(&self.$field); )+
            }
            fn visit_mut(&mut self, f: &mut dyn FnMut(&mut dyn $crate::form::AnyField)) {
                $( f(&mut self.$field); )+
            }
        }
    };
}
pub(crate) use fields;

/// Checks that span several fields (say "packages need package managers allowed"): each
/// error names the field it is shown next to.
pub type Rules<F> = fn(&F) -> Vec<(&'static str, String)>;

/// Where a submit is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Submit {
    /// Nothing in flight.
    #[default]
    Idle,
    /// Sent, waiting for the answer.
    Saving,
    /// The backend refused or failed; `field` is the field the error was shown next to, when it
    /// named one of this form's fields.
    Failed {
        /// What the backend said.
        error: IpcError,
        /// The field it landed on.
        field: Option<&'static str>,
    },
}

/// Why [`Form::begin_submit`] did not start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotSent {
    /// A field's check fails: the first such field (to focus it).
    Invalid(&'static str),
    /// A submit is already in flight.
    Busy,
}

/// A form: its fields, cross-field rules and submit state.
#[derive(Debug, Clone)]
pub struct Form<F> {
    /// The fields (read them; change them through [`Form::edit`] or a binding).
    pub fields: F,
    submit: Submit,
    rules: Option<Rules<F>>,
}

impl<F: Fields> Form<F> {
    /// A form over `fields`, idle.
    pub fn new(fields: F) -> Self {
        Form {
            fields,
            submit: Submit::Idle,
            rules: None,
        }
    }

    /// Adds checks that span several fields.
    pub fn with_rules(mut self, rules: Rules<F>) -> Self {
        self.rules = Some(rules);
        self
    }

    /// Changes fields in place (bindings do this on every input).
    pub fn edit(&mut self, f: impl FnOnce(&mut F)) {
        f(&mut self.fields);
    }

    /// Where the submit is.
    pub fn submit_state(&self) -> &Submit {
        &self.submit
    }

    /// A submit is in flight.
    pub fn is_saving(&self) -> bool {
        self.submit == Submit::Saving
    }

    /// Some field differs from what was loaded or last saved: leaving should ask first.
    pub fn has_unsaved_changes(&self) -> bool {
        let mut dirty = false;
        self.fields.visit(&mut |f| dirty |= f.is_dirty());
        dirty
    }

    fn rule_errors(&self) -> Vec<(&'static str, String)> {
        self.rules
            .map(|rules| rules(&self.fields))
            .unwrap_or_default()
    }

    /// Every field's own check and every rule passes.
    pub fn is_valid(&self) -> bool {
        self.first_invalid().is_none()
    }

    /// The first field (in display order) whose check or a rule fails.
    pub fn first_invalid(&self) -> Option<&'static str> {
        let rules = self.rule_errors();
        let mut first = None;
        self.fields.visit(&mut |f| {
            let bad = !f.is_valid() || rules.iter().any(|(name, _)| *name == f.name());
            if first.is_none() && bad {
                first = Some(f.name());
            }
        });
        first
    }

    /// The error to show next to field `name`: what the server said about it, else (once the
    /// field was touched) its own check's or a rule's error.
    pub fn error_for(&self, name: &str) -> Option<String> {
        let mut shown = None;
        let mut touched = false;
        self.fields.visit(&mut |f| {
            if f.name() == name {
                touched = f.is_touched();
                shown = f
                    .server_error()
                    .or(if touched { f.check_error() } else { None })
                    .map(str::to_string);
            }
        });
        if shown.is_none() && touched {
            shown = self
                .rule_errors()
                .into_iter()
                .find(|(n, _)| *n == name)
                .map(|(_, message)| message);
        }
        shown
    }

    /// Starts a submit: touches every field so errors show; refused while one is in flight or
    /// when a check fails.
    pub fn begin_submit(&mut self) -> Result<(), NotSent> {
        if self.is_saving() {
            return Err(NotSent::Busy);
        }
        self.fields.visit_mut(&mut |f| {
            f.touch();
            f.set_server_error(None);
        });
        if let Some(first) = self.first_invalid() {
            self.submit = Submit::Idle;
            return Err(NotSent::Invalid(first));
        }
        self.submit = Submit::Saving;
        Ok(())
    }

    /// The submit failed: the error lands next to the field it names (see [`field_named`]),
    /// or, when it names none of this form's fields, stays form-wide ([`Form::form_error`]).
    /// Returns the field it landed on.
    pub fn fail(&mut self, error: IpcError) -> Option<&'static str> {
        let mut names = Vec::new();
        self.fields.visit(&mut |f| names.push(f.name()));
        let landed = error
            .field
            .as_deref()
            .and_then(|path| field_named(path, &names));
        if let Some(name) = landed {
            self.fields.visit_mut(&mut |f| {
                if f.name() == name {
                    f.set_server_error(Some(error.message.clone()));
                }
            });
        }
        self.submit = Submit::Failed {
            error,
            field: landed,
        };
        landed
    }

    /// The last failure when it belongs to no field (shown above the buttons).
    pub fn form_error(&self) -> Option<&IpcError> {
        match &self.submit {
            Submit::Failed { error, field: None } => Some(error),
            _ => None,
        }
    }

    /// The submit succeeded: what was sent becomes the new starting point.
    pub fn succeed(&mut self) {
        self.fields.visit_mut(&mut |f| f.mark_saved());
        self.submit = Submit::Idle;
    }

    /// Throws the edits away: every field back to its initial value.
    pub fn reset(&mut self) {
        self.fields.visit_mut(&mut |f| f.reset());
        self.submit = Submit::Idle;
    }

    /// Starts over from freshly loaded fields (after "Reload" on a version conflict).
    pub fn reload(&mut self, fields: F) {
        self.fields = fields;
        self.submit = Submit::Idle;
    }
}

/// Which of `names` the error path `path` (as the backend wrote it: `baseUrl`, `base_url`,
/// `config.networking.allowed_hosts[2]`) names. Case, `_` and `-` are ignored; the whole path
/// is tried first, then its dotted segments from the last (the most specific) to the first.
pub fn field_named(path: &str, names: &[&'static str]) -> Option<&'static str> {
    fn norm(s: &str) -> String {
        s.chars()
            .filter(|c| !matches!(c, '_' | '-'))
            .map(|c| c.to_ascii_lowercase())
            .collect()
    }
    let find = |wanted: &str| {
        let wanted = norm(wanted);
        names
            .iter()
            .copied()
            .find(|name| !wanted.is_empty() && norm(name) == wanted)
    };
    find(path).or_else(|| {
        path.rsplit('.')
            .map(|segment| segment.split('[').next().unwrap_or(segment))
            .find_map(find)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hangar_types::{validate, ErrorKind};

    struct Profile {
        name: Field<String>,
        url: Field<String>,
        remember: Field<bool>,
        hosts: Field<Vec<String>>,
    }
    fields!(Profile {
        name,
        url,
        remember,
        hosts
    });

    const DEFAULT_URL: &str = "https://api.anthropic.com";

    fn profile() -> Form<Profile> {
        Form::new(Profile {
            name: Field::new("name", String::new())
                .checked(|v| validate::profile_name(v).map(drop)),
            url: Field::new("baseUrl", DEFAULT_URL.to_string())
                .checked(|v| validate::base_url(v).map(drop)),
            remember: Field::new("remember", false),
            hosts: Field::new("allowedHosts", Vec::new())
                .checked(|v| validate::allowed_hosts(v).map(drop)),
        })
    }

    #[test]
    fn a_new_form_is_clean_and_shows_no_errors_until_touched() {
        let form = profile();
        assert!(!form.has_unsaved_changes());
        assert!(!form.is_valid(), "the empty name fails its check");
        assert_eq!(form.first_invalid(), Some("name"));
        assert_eq!(form.error_for("name"), None, "untouched: nothing shown yet");
        assert_eq!(form.submit_state(), &Submit::Idle);
    }

    #[test]
    fn typing_validates_as_you_go_and_tracks_dirtiness() {
        let mut form = profile();
        form.edit(|f| f.url.set("http://127.0.0.1.evil".into()));
        assert!(form.fields.url.is_dirty());
        assert!(form.has_unsaved_changes());
        assert!(form
            .error_for("baseUrl")
            .is_some_and(|e| e.contains("only works for this computer")));
        form.edit(|f| f.url.set("http://127.0.0.1:8080".into()));
        assert_eq!(form.error_for("baseUrl"), None);
        // Typed back to the start: no longer dirty.
        form.edit(|f| f.url.set(DEFAULT_URL.into()));
        assert!(!form.fields.url.is_dirty());
        assert!(!form.has_unsaved_changes());
        // Touching alone (blur) shows the error of an empty required field.
        form.edit(|f| f.name.touch());
        assert!(form.error_for("name").is_some_and(|e| e.contains("name")));
        assert!(!form.has_unsaved_changes(), "touching is not changing");
    }

    #[test]
    fn submit_refuses_invalid_input_and_shows_every_error() {
        let mut form = profile();
        form.edit(|f| {
            f.hosts
                .set(vec!["ok.example.com".into(), "bad host".into()])
        });
        assert_eq!(form.begin_submit(), Err(NotSent::Invalid("name")));
        assert!(form.error_for("name").is_some());
        assert!(form
            .error_for("allowedHosts")
            .is_some_and(|e| e.starts_with("Line 2:")));
        assert_eq!(form.submit_state(), &Submit::Idle);

        form.edit(|f| {
            f.name.set("Work".into());
            f.hosts.set(vec!["ok.example.com".into()]);
        });
        assert_eq!(form.begin_submit(), Ok(()));
        assert!(form.is_saving());
        assert_eq!(form.begin_submit(), Err(NotSent::Busy), "no double submit");
    }

    #[test]
    fn server_errors_land_on_the_field_they_name() {
        let cases: &[(Option<&str>, Option<&str>)] = &[
            (Some("baseUrl"), Some("baseUrl")),
            (Some("base_url"), Some("baseUrl")),
            (Some("input.baseUrl"), Some("baseUrl")),
            (
                Some("config.networking.allowed_hosts[2]"),
                Some("allowedHosts"),
            ),
            (Some("NAME"), Some("name")),
            (Some("apiKey"), None),
            (None, None),
        ];
        for (field, expect) in cases {
            let mut form = profile();
            form.edit(|f| f.name.set("Work".into()));
            assert_eq!(form.begin_submit(), Ok(()));
            let mut error = IpcError::new(ErrorKind::Invalid, "Refused by the server.");
            error.field = field.map(str::to_string);
            assert_eq!(form.fail(error.clone()), *expect, "{field:?}");
            match expect {
                Some(name) => {
                    assert_eq!(
                        form.error_for(name).as_deref(),
                        Some("Refused by the server.")
                    );
                    assert_eq!(form.form_error(), None);
                }
                None => assert_eq!(form.form_error(), Some(&error)),
            }
            assert!(!form.is_saving());
        }
    }

    #[test]
    fn editing_a_field_clears_what_the_server_said_about_it() {
        let mut form = profile();
        form.edit(|f| f.name.set("Work".into()));
        assert_eq!(form.begin_submit(), Ok(()));
        form.fail(IpcError::new(ErrorKind::Invalid, "Taken.").with_field("name"));
        assert_eq!(form.error_for("name").as_deref(), Some("Taken."));
        form.edit(|f| f.name.set("Work 2".into()));
        assert_eq!(form.error_for("name"), None);
        // A new attempt clears server errors too.
        form.fail(IpcError::new(ErrorKind::Invalid, "Taken.").with_field("name"));
        assert_eq!(form.begin_submit(), Ok(()));
        assert_eq!(form.error_for("name"), None);
    }

    #[test]
    fn a_rate_limit_keeps_its_retry_hint() {
        let mut form = profile();
        form.edit(|f| f.name.set("Work".into()));
        assert_eq!(form.begin_submit(), Ok(()));
        form.fail(IpcError::new(ErrorKind::RateLimited, "Slow down.").with_retry_after_ms(3000));
        assert_eq!(form.form_error().and_then(|e| e.retry_after_ms), Some(3000));
    }

    #[test]
    fn success_makes_the_sent_values_the_new_start() {
        let mut form = profile();
        form.edit(|f| {
            f.name.set("Work".into());
            f.remember.set(true);
        });
        assert_eq!(form.begin_submit(), Ok(()));
        form.succeed();
        assert!(!form.has_unsaved_changes());
        assert_eq!(form.fields.name.initial(), "Work");
        assert!(!form.fields.name.is_touched());
        assert_eq!(form.submit_state(), &Submit::Idle);
    }

    #[test]
    fn reset_and_reload() {
        let mut form = profile();
        form.edit(|f| {
            f.name.set("Work".into());
            f.url.set("nope".into());
        });
        form.reset();
        assert!(!form.has_unsaved_changes());
        assert_eq!(form.fields.url.value(), DEFAULT_URL);
        assert_eq!(form.error_for("name"), None, "untouched again");

        form.edit(|f| f.name.set("Mine".into()));
        let mut fresh = profile().fields;
        fresh.name.reload("Theirs".into());
        form.reload(fresh);
        assert_eq!(form.fields.name.value(), "Theirs");
        assert!(!form.has_unsaved_changes());
        assert!(form.is_valid());
    }

    #[test]
    fn rules_span_fields_and_show_once_touched() {
        struct Env {
            limited: Field<bool>,
            package_managers: Field<bool>,
            pip: Field<Vec<String>>,
        }
        fields!(Env {
            limited,
            package_managers,
            pip
        });
        let mut form = Form::new(Env {
            limited: Field::new("limited", true),
            package_managers: Field::new("allowPackageManagers", false),
            pip: Field::new("pip", Vec::new()),
        })
        .with_rules(|f| {
            let any = f.pip.value().iter().any(|p| !p.trim().is_empty());
            match validate::packages_allowed(*f.limited.value(), *f.package_managers.value(), any) {
                Ok(()) => vec![],
                Err(e) => vec![("allowPackageManagers", e)],
            }
        });
        assert!(form.is_valid());
        form.edit(|f| f.pip.set(vec!["pandas".into()]));
        assert_eq!(form.first_invalid(), Some("allowPackageManagers"));
        assert_eq!(
            form.error_for("allowPackageManagers"),
            None,
            "not touched yet"
        );
        assert_eq!(
            form.begin_submit(),
            Err(NotSent::Invalid("allowPackageManagers"))
        );
        assert!(form
            .error_for("allowPackageManagers")
            .is_some_and(|e| e.contains("Allow package managers")));
        form.edit(|f| f.package_managers.set(true));
        assert!(form.is_valid());
    }

    #[test]
    fn field_names_match_leniently_but_not_loosely() {
        let names = ["config", "allowedHosts", "url", "metadata", "displayName"];
        let cases: &[(&str, Option<&str>)] = &[
            ("allowed_hosts", Some("allowedHosts")),
            ("ALLOWED-HOSTS", Some("allowedHosts")),
            // The most specific segment wins over an outer one that is also a field.
            ("config.networking.allowed_hosts[2]", Some("allowedHosts")),
            ("config.type", Some("config")),
            ("mcp_servers[0].url", Some("url")),
            ("metadata.team", Some("metadata")),
            ("display_name", Some("displayName")),
            ("name", None),
            ("", None),
            ("...", None),
        ];
        for (path, expect) in cases {
            assert_eq!(field_named(path, &names), *expect, "{path}");
        }
        assert_eq!(field_named("name", &[""]), None);
    }
}
