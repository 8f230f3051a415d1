//! Form inputs bound to a [`Field`] of a [`Form`] held in a signal. Each renders a visible
//! `<label for=…>`, its hint, and its error inline (`role="alert"`, tied to the input with
//! `aria-describedby` and `aria-invalid`). The rules (checks, dirtiness, server errors) live in
//! `form.rs`; these only show them and report input.

use leptos::prelude::*;

use crate::form::{Field, Fields, Form};

/// One field of a form, as inputs use it: its value and shown error (memoized, so typing in
/// one field does not re-render the others), and how to change or touch it.
pub struct Binding<T: Send + Sync + 'static> {
    /// The current value.
    pub value: Memo<T>,
    /// The error to show next to it, if any.
    pub error: Memo<Option<String>>,
    set: Callback<T>,
    touch: Callback<()>,
}

impl<T: Send + Sync + 'static> Clone for Binding<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Binding<T> {}

impl<T: Clone + PartialEq + Send + Sync + 'static> Binding<T> {
    /// Binds the field `get` reaches in `form` (write it with [`bind!`](crate::components::fields::bind)).
    pub fn new<F: Fields + Send + Sync + 'static>(
        form: RwSignal<Form<F>>,
        get: fn(&F) -> &Field<T>,
        get_mut: fn(&mut F) -> &mut Field<T>,
    ) -> Self {
        Binding {
            value: Memo::new(move |_| form.with(|f| get(&f.fields).value().clone())),
            error: Memo::new(move |_| form.with(|f| f.error_for(get(&f.fields).name()))),
            set: Callback::new(move |value: T| form.update(|f| f.edit(|f| get_mut(f).set(value)))),
            touch: Callback::new(move |()| {
                // Only write when it changes: a blur should not re-render the form.
                if !form.with_untracked(|f| get(&f.fields).is_touched()) {
                    form.update(|f| f.edit(|f| get_mut(f).touch()));
                }
            }),
        }
    }

    /// The person typed or chose `value`.
    pub fn set(&self, value: T) {
        self.set.run(value);
    }

    /// Changes the current value in place.
    pub fn update(&self, change: impl FnOnce(&mut T)) {
        let mut value = self.value.get_untracked();
        change(&mut value);
        self.set(value);
    }

    /// The person left the field.
    pub fn touch(&self) {
        self.touch.run(());
    }
}

/// `bind!(form, name)`: the [`Binding`] of field `name` of the form in signal `form`.
macro_rules! bind {
    ($form:expr, $field:ident) => {
        $crate::components::fields::Binding::new($form, |f| &f.$field, |f| &mut f.$field)
    };
}
pub(crate) use bind;

/// `aria-describedby` for an input: its hint and its error, when shown.
fn described_by(
    id: &str,
    has_hint: bool,
    error: Memo<Option<String>>,
) -> impl Fn() -> Option<String> {
    let id = id.to_string();
    move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(format!("{id}-hint"));
        }
        if error.with(Option::is_some) {
            ids.push(format!("{id}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// The hint under a field, when it has one.
fn hint_view(id: &str, hint: Option<String>) -> impl IntoView {
    hint.map(|text| view! { <p class="field-hint" id=format!("{id}-hint")>{text}</p> })
}

/// The error under a field, while there is one.
#[component]
fn FieldError(id: String, error: Memo<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || error.with(Option::is_some)>
            <p class="field-error" id=format!("{id}-error") role="alert">
                {move || error.get().unwrap_or_default()}
            </p>
        </Show>
    }
}

/// The kind of a one-line input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputKind {
    /// Plain text.
    #[default]
    Text,
    /// An address (`type="url"`: the right keyboard, no autocorrect).
    Url,
    /// A number.
    Number,
}

impl InputKind {
    fn attr(self) -> &'static str {
        match self {
            InputKind::Text => "text",
            InputKind::Url => "url",
            InputKind::Number => "number",
        }
    }
}

/// A labelled one-line text input.
#[component]
pub fn TextField(
    /// The field.
    field: Binding<String>,
    /// The input's id (the error's is `{id}-error`).
    #[prop(into)]
    id: String,
    /// The visible label (ux.md's name for the control).
    label: &'static str,
    /// A line of help under the input.
    #[prop(optional, into)]
    hint: Option<String>,
    /// Shown in the empty input.
    #[prop(optional)]
    placeholder: &'static str,
    /// Text, address or number.
    #[prop(optional)]
    kind: InputKind,
    /// A hard limit on the length, when the API has one.
    #[prop(optional)]
    maxlength: Option<usize>,
) -> impl IntoView {
    let describedby = described_by(&id, hint.is_some(), field.error);
    view! {
        <div class="field" class:invalid=move || field.error.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            <input
                id=id.clone()
                type=kind.attr()
                placeholder=(!placeholder.is_empty()).then_some(placeholder)
                maxlength=maxlength.map(|n| n.to_string())
                spellcheck=if kind == InputKind::Text { "true" } else { "false" }
                prop:value=move || field.value.get()
                on:input=move |ev| field.set(event_target_value(&ev))
                on:blur=move |_| field.touch()
                aria-invalid=move || field.error.with(Option::is_some).to_string()
                aria-describedby=describedby
            />
            {hint_view(&id, hint)}
            <FieldError id=id.clone() error=field.error />
        </div>
    }
}

/// A labelled password input: what is typed is never shown, suggested or spell-checked.
#[component]
pub fn PasswordField(
    /// The field.
    field: Binding<String>,
    /// The input's id.
    #[prop(into)]
    id: String,
    /// The visible label.
    label: &'static str,
    /// A line of help under the input.
    #[prop(optional, into)]
    hint: Option<String>,
    /// Shown in the empty input.
    #[prop(optional)]
    placeholder: &'static str,
) -> impl IntoView {
    let describedby = described_by(&id, hint.is_some(), field.error);
    view! {
        <div class="field" class:invalid=move || field.error.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            <input
                id=id.clone()
                type="password"
                autocomplete="off"
                spellcheck="false"
                autocapitalize="off"
                placeholder=(!placeholder.is_empty()).then_some(placeholder)
                prop:value=move || field.value.get()
                on:input=move |ev| field.set(event_target_value(&ev))
                on:blur=move |_| field.touch()
                aria-invalid=move || field.error.with(Option::is_some).to_string()
                aria-describedby=describedby
            />
            {hint_view(&id, hint)}
            <FieldError id=id.clone() error=field.error />
        </div>
    }
}

/// A labelled multi-line text input; `large` makes it the tall monospace editor (system
/// prompts, JSON schemas).
#[component]
pub fn MultilineField(
    /// The field.
    field: Binding<String>,
    /// The text area's id.
    #[prop(into)]
    id: String,
    /// The visible label.
    label: &'static str,
    /// A line of help under it.
    #[prop(optional, into)]
    hint: Option<String>,
    /// The large editor variant.
    #[prop(optional)]
    large: bool,
    /// Visible lines (default 4, or 16 for the large editor).
    #[prop(optional)]
    rows: Option<u32>,
) -> impl IntoView {
    let describedby = described_by(&id, hint.is_some(), field.error);
    let rows = rows.unwrap_or(if large { 16 } else { 4 });
    view! {
        <div class="field" class:invalid=move || field.error.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            <textarea
                id=id.clone()
                class:editor=large
                rows=rows.to_string()
                spellcheck=if large { "false" } else { "true" }
                prop:value=move || field.value.get()
                on:input=move |ev| field.set(event_target_value(&ev))
                on:blur=move |_| field.touch()
                aria-invalid=move || field.error.with(Option::is_some).to_string()
                aria-describedby=describedby
            ></textarea>
            {hint_view(&id, hint)}
            <FieldError id=id.clone() error=field.error />
        </div>
    }
}

/// One choice of a [`SelectField`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The value stored in the field.
    pub value: String,
    /// What the person reads.
    pub label: String,
}

impl Choice {
    /// A choice storing `value`, reading `label`.
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Choice {
            value: value.into(),
            label: label.into(),
        }
    }
}

/// A labelled drop-down list; the field holds the chosen value.
#[component]
pub fn SelectField(
    /// The field.
    field: Binding<String>,
    /// The select's id.
    #[prop(into)]
    id: String,
    /// The visible label.
    label: &'static str,
    /// The choices (may change, say when a list loads).
    #[prop(into)]
    choices: Signal<Vec<Choice>>,
    /// A line of help under it.
    #[prop(optional, into)]
    hint: Option<String>,
) -> impl IntoView {
    let describedby = described_by(&id, hint.is_some(), field.error);
    view! {
        <div class="field" class:invalid=move || field.error.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            <select
                id=id.clone()
                on:change=move |ev| field.set(event_target_value(&ev))
                on:blur=move |_| field.touch()
                aria-invalid=move || field.error.with(Option::is_some).to_string()
                aria-describedby=describedby
            >
                <For each=move || choices.get() key=|c| c.value.clone() let:choice>
                    {
                        let value = choice.value.clone();
                        view! {
                            <option value=choice.value.clone() selected=move || field.value.with(|v| *v == value)>
                                {choice.label}
                            </option>
                        }
                    }
                </For>
            </select>
            {hint_view(&id, hint)}
            <FieldError id=id.clone() error=field.error />
        </div>
    }
}

/// A labelled on/off switch (a real checkbox, announced as a switch).
#[component]
pub fn Toggle(
    /// The field.
    field: Binding<bool>,
    /// The checkbox's id.
    #[prop(into)]
    id: String,
    /// The visible label.
    label: &'static str,
    /// A line of help under it.
    #[prop(optional, into)]
    hint: Option<String>,
) -> impl IntoView {
    let describedby = described_by(&id, hint.is_some(), field.error);
    view! {
        <div class="field toggle" class:invalid=move || field.error.with(Option::is_some)>
            <input
                id=id.clone()
                type="checkbox"
                role="switch"
                class="switch"
                prop:checked=move || field.value.get()
                on:change=move |ev| field.set(event_target_checked(&ev))
                on:blur=move |_| field.touch()
                aria-invalid=move || field.error.with(Option::is_some).to_string()
                aria-describedby=describedby
            />
            <label for=id.clone()>{label}</label>
            {hint_view(&id, hint)}
            <FieldError id=id.clone() error=field.error />
        </div>
    }
}

/// A check of one key/value row (`Err`: the row is marked invalid).
pub type RowCheck = fn(&str, &str) -> Result<(), String>;

/// Key/value rows (metadata): add and remove rows; each row's inputs are labelled
/// "Key, row N" / "Value, row N" under the visible column names.
#[component]
pub fn KeyValueRows(
    /// The field: the rows as (key, value).
    field: Binding<Vec<(String, String)>>,
    /// The group's id; inputs are `{id}-key-N` / `{id}-value-N`.
    #[prop(into)]
    id: String,
    /// The group's visible name.
    label: &'static str,
    /// A line of help under it.
    #[prop(optional, into)]
    hint: Option<String>,
    /// The add button's text.
    #[prop(default = "Add row")]
    add_label: &'static str,
    /// Marks a row's inputs invalid when this returns `Err` (the message itself is the field's
    /// error, shown under the rows).
    #[prop(optional)]
    check_row: Option<RowCheck>,
) -> impl IntoView {
    let describedby = described_by(&id, hint.is_some(), field.error);
    let row_count = Memo::new(move |_| field.value.with(Vec::len));
    let row_invalid = move |i: usize| {
        field.value.with(|rows| {
            rows.get(i).is_some_and(|(k, v)| {
                !(k.trim().is_empty() && v.trim().is_empty())
                    && check_row.is_some_and(|check| check(k, v).is_err())
            })
        })
    };
    let base = id.clone();
    view! {
        <fieldset class="field rows" id=id.clone() aria-describedby=describedby class:invalid=move || field.error.with(Option::is_some)>
            <legend>{label}</legend>
            <Show when=move || { row_count.get() > 0 }>
                <div class="row-head" aria-hidden="true"><span>"Key"</span><span>"Value"</span></div>
            </Show>
            <For each=move || 0..row_count.get() key=|i| *i let:i>
                {
                    let key_id = format!("{base}-key-{i}");
                    let value_id = format!("{base}-value-{i}");
                    let n = i + 1;
                    view! {
                        <div class="row">
                            <label class="visually-hidden" for=key_id.clone()>{format!("Key, row {n}")}</label>
                            <input
                                id=key_id
                                type="text"
                                spellcheck="false"
                                prop:value=move || field.value.with(|r| r.get(i).map(|(k, _)| k.clone()).unwrap_or_default())
                                on:input=move |ev| { let text = event_target_value(&ev); field.update(|r| if let Some(row) = r.get_mut(i) { row.0 = text }) }
                                on:blur=move |_| field.touch()
                                aria-invalid=move || row_invalid(i).to_string()
                            />
                            <label class="visually-hidden" for=value_id.clone()>{format!("Value, row {n}")}</label>
                            <input
                                id=value_id
                                type="text"
                                prop:value=move || field.value.with(|r| r.get(i).map(|(_, v)| v.clone()).unwrap_or_default())
                                on:input=move |ev| { let text = event_target_value(&ev); field.update(|r| if let Some(row) = r.get_mut(i) { row.1 = text }) }
                                on:blur=move |_| field.touch()
                                aria-invalid=move || row_invalid(i).to_string()
                            />
                            <button type="button" class="remove" aria-label=format!("Remove row {n}")
                                on:click=move |_| field.update(|r| if i < r.len() { r.remove(i); })>
                                "Remove"
                            </button>
                        </div>
                    }
                }
            </For>
            <div class="row-actions-left">
                <button type="button" on:click=move |_| field.update(|r| r.push((String::new(), String::new())))>{add_label}</button>
            </div>
            {hint_view(&id, hint)}
            <FieldError id=id.clone() error=field.error />
        </fieldset>
    }
}

/// How a [`ListEditor`] shows its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListStyle {
    /// One item per line in a text area (allowed hosts, packages): quick to paste into.
    #[default]
    Lines,
    /// One input per item with Remove buttons and an add button.
    Rows,
}

/// A labelled list of short texts (allowed hosts, packages). The field holds the lines as
/// typed, blank ones included, so the text area keeps the cursor where it is; the check drops
/// blank lines (see `hangar_types::validate::allowed_hosts`).
#[component]
pub fn ListEditor(
    /// The field: the items (lines) as typed.
    field: Binding<Vec<String>>,
    /// The text area's id, or the group's (`{id}-N` per row).
    #[prop(into)]
    id: String,
    /// The visible label.
    label: &'static str,
    /// A line of help under it.
    #[prop(optional, into)]
    hint: Option<String>,
    /// Lines or rows.
    #[prop(optional)]
    style: ListStyle,
    /// The add button's text (rows only).
    #[prop(default = "Add")]
    add_label: &'static str,
    /// Visible lines of the text area.
    #[prop(default = 5)]
    rows: u32,
) -> impl IntoView {
    let describedby = described_by(&id, hint.is_some(), field.error);
    let invalid = move || field.error.with(Option::is_some);
    match style {
        ListStyle::Lines => view! {
            <div class="field list" class:invalid=invalid>
                <label for=id.clone()>{label}</label>
                <textarea
                    id=id.clone()
                    class="lines"
                    rows=rows.to_string()
                    spellcheck="false"
                    autocapitalize="off"
                    prop:value=move || field.value.with(|items| lines_text(items))
                    on:input=move |ev| field.set(text_lines(&event_target_value(&ev)))
                    on:blur=move |_| field.touch()
                    aria-invalid=move || invalid().to_string()
                    aria-describedby=describedby
                ></textarea>
                {hint_view(&id, hint)}
                <FieldError id=id.clone() error=field.error />
            </div>
        }
        .into_any(),
        ListStyle::Rows => {
            let count = Memo::new(move |_| field.value.with(Vec::len));
            let base = id.clone();
            view! {
                <fieldset class="field rows" id=id.clone() class:invalid=invalid aria-describedby=describedby>
                    <legend>{label}</legend>
                    <For each=move || 0..count.get() key=|i| *i let:i>
                        {
                            let item_id = format!("{base}-{i}");
                            let n = i + 1;
                            view! {
                                <div class="row">
                                    <label class="visually-hidden" for=item_id.clone()>{format!("{label}, item {n}")}</label>
                                    <input
                                        id=item_id
                                        type="text"
                                        spellcheck="false"
                                        prop:value=move || field.value.with(|items| items.get(i).cloned().unwrap_or_default())
                                        on:input=move |ev| { let text = event_target_value(&ev); field.update(|items| if let Some(item) = items.get_mut(i) { *item = text }) }
                                        on:blur=move |_| field.touch()
                                    />
                                    <button type="button" class="remove" aria-label=format!("Remove item {n}")
                                        on:click=move |_| field.update(|items| if i < items.len() { items.remove(i); })>
                                        "Remove"
                                    </button>
                                </div>
                            }
                        }
                    </For>
                    <div class="row-actions-left">
                        <button type="button" on:click=move |_| field.update(|items| items.push(String::new()))>{add_label}</button>
                    </div>
                    {hint_view(&id, hint)}
                    <FieldError id=id.clone() error=field.error />
                </fieldset>
            }
            .into_any()
        }
    }
}

/// The text area's text for `items` (the inverse of [`text_lines`]).
pub fn lines_text(items: &[String]) -> String {
    items.join("\n")
}

/// The items of a text area's text, one per line, blank lines kept (so that
/// `lines_text(&text_lines(t)) == t` for text without carriage returns).
pub fn text_lines(text: &str) -> Vec<String> {
    if text.is_empty() {
        return Vec::new();
    }
    text.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line).to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_round_trip_while_typing() {
        for text in [
            "",
            "a.example.com",
            "a.example.com\n",
            "a\n\nb",
            "\n",
            "a\nb\n\n",
        ] {
            assert_eq!(lines_text(&text_lines(text)), text, "{text:?}");
        }
        assert_eq!(text_lines("a\r\nb"), ["a", "b"]);
        assert!(text_lines("").is_empty());
    }
}
