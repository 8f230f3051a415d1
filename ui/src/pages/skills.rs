//! Skills: the list (cached first, then fresh from the API), uploading a skill folder with
//! progress, a skill's versions (and a new version), delete.

use hangar_types::model::skills::SkillVersion;
use hangar_types::{
    cmd, FreshInput, SkillIdInput, SkillListItem, SkillUploadInput, UploadProgress,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::configure::{is_offline, profile_id, when, ConfirmButton, OfflineNote};
use crate::{ipc, AppContext};

/// An upload's progress bar.
#[component]
pub fn Progress(
    #[prop(into)] progress: Signal<Option<UploadProgress>>,
    id: &'static str,
) -> impl IntoView {
    view! {
        <Show when=move || progress.with(Option::is_some)>
            {move || progress.get().map(|p| {
                let (pct, words) = p.describe();
                view! {
                    <div class="upload-progress" id=id role="status">
                        <progress max="100" value=pct.to_string() aria-label="Upload progress"></progress>
                        <span>{words}</span>
                    </div>
                }
            })}
        </Show>
    }
}

/// The Skills page.
#[component]
pub fn Skills() -> impl IntoView {
    let ctx = expect_context::<AppContext>();
    let items = RwSignal::new(None::<Vec<SkillListItem>>);
    let stale = RwSignal::new(false);
    let load = move || {
        spawn_local(async move {
            if let Ok(cached) = ipc::invoke::<cmd::SkillList>(&FreshInput { fresh: false }).await {
                items.set(Some(cached));
            }
            match ipc::invoke::<cmd::SkillList>(&FreshInput { fresh: true }).await {
                Ok(fresh) => {
                    stale.set(false);
                    items.set(Some(fresh));
                }
                Err(e) => {
                    stale.set(true);
                    if items.with_untracked(Option::is_none) {
                        items.set(Some(Vec::new()));
                    }
                    if !is_offline() {
                        ctx.notices.error("Could not refresh the skills", &e);
                    }
                }
            }
        });
    };
    Effect::new(move |_| {
        profile_id();
        load();
    });
    let progress = RwSignal::new(None::<UploadProgress>);
    let busy = RwSignal::new(false);
    let upload = move |skill_id: Option<hangar_types::SkillId>| {
        busy.set(true);
        spawn_local(async move {
            let input = SkillUploadInput {
                skill_id,
                display_name: None,
            };
            let result =
                ipc::follow::<cmd::SkillUpload>(&input, move |p| progress.set(Some(p))).await;
            busy.set(false);
            match result {
                Ok((out, _subscription)) if out.cancelled => progress.set(None),
                Ok((out, _subscription)) => {
                    ctx.notices.success(
                        "Skill uploaded",
                        &format!("{} is ready to use in agents.", out.created.join(", ")),
                    );
                    load();
                }
                Err(e) => {
                    progress.set(None);
                    ctx.notices.error("Could not upload the skill", &e);
                }
            }
        });
    };
    let upload_new = move |_| upload(None);
    let open = RwSignal::new(None::<hangar_types::SkillId>);
    view! {
        <section class="page" id="page-skills">
            <div class="page-head">
                <h1>"Skills"</h1>
                <button type="button" id="skills-upload" class="primary" disabled=move || busy.get() on:click=upload_new>"Upload a skill folder"</button>
            </div>
            <p class="muted lead">"A skill is a folder with a SKILL.md (its name and what it is for) and the files it uses. Hangar uploads the whole folder; agents pick skills in their form."</p>
            <OfflineNote cached=stale what="your skills" />
            <Progress progress=progress id="skill-progress" />
            {move || match items.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(list) if list.is_empty() => view! {
                    <div class="empty-state"><h2>"No skills yet"</h2><p>"Upload a folder with a SKILL.md to add one."</p></div>
                }.into_any(),
                Some(list) => view! {
                    <table class="list-table" id="skill-list">
                        <thead><tr><th>"Name"</th><th>"Source"</th><th>"Updated"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|s| {
                                let id = s.id.clone();
                                let row = format!("skill-{}", s.id);
                                let custom = s.source == "custom";
                                let versions_id = id.clone();
                                let new_version = id.clone();
                                let delete = Callback::new(move |()| {
                                    let id = id.clone();
                                    spawn_local(async move {
                                        match ipc::invoke::<cmd::SkillDelete>(&SkillIdInput { id }).await {
                                            Ok(()) => { ctx.notices.success("Deleted", "The skill and its versions were deleted."); load(); }
                                            Err(e) => { ctx.notices.error("Could not delete the skill", &e); }
                                        }
                                    });
                                });
                                let shown = versions_id.clone();
                                view! {
                                    <tr id=row.clone() class="skill-row">
                                        <td class="name">{s.display_name.clone()}<div class="muted small"><code>{s.id.to_string()}</code></div></td>
                                        <td>{if custom { "Yours".to_string() } else { s.source.clone() }}</td>
                                        <td>{s.updated_at.as_deref().map(when).unwrap_or_default()}</td>
                                        <td class="row-actions">
                                            <button type="button" id=format!("{row}-versions") on:click=move |_| open.update(|o| *o = if o.as_ref() == Some(&versions_id) { None } else { Some(versions_id.clone()) })>"Versions"</button>
                                            {custom.then(|| view! {
                                                <button type="button" id=format!("{row}-new-version") disabled=move || busy.get() on:click=move |_| upload(Some(new_version.clone()))>"Upload a new version"</button>
                                                <ConfirmButton id=format!("{row}-delete") label="Delete" danger=true on_confirm=delete
                                                    question=Signal::derive(|| "Delete this skill and every version of it? Agents using it will need another.".to_string()) />
                                            })}
                                        </td>
                                    </tr>
                                    <Show when=move || open.with(|o| o.as_ref() == Some(&shown))>
                                        <tr class="skill-versions"><td colspan="4"><SkillVersions id=s.id.clone() /></td></tr>
                                    </Show>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}

/// A skill's versions, newest first.
#[component]
fn SkillVersions(id: hangar_types::SkillId) -> impl IntoView {
    let versions = RwSignal::new(None::<Result<Vec<SkillVersion>, String>>);
    spawn_local(async move {
        versions.set(Some(
            ipc::invoke::<cmd::SkillVersions>(&SkillIdInput { id })
                .await
                .map_err(|e| e.message),
        ));
    });
    view! {
        {move || match versions.get() {
            None => view! { <p class="muted">"Loading the versions…"</p> }.into_any(),
            Some(Err(m)) => view! { <p class="field-error">{m}</p> }.into_any(),
            Some(Ok(list)) => view! {
                <ul class="version-list">
                    {list.into_iter().map(|v| view! {
                        <li><code>{v.id.to_string()}</code>" · "{v.name}" · "{when(&v.created_at)}
                            {(!v.description.is_empty()).then(|| view! { <div class="muted small">{v.description.clone()}</div> })}</li>
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}
