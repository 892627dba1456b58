//! The date range shared by every page. It lives in the URL query
//! (`?range=30d` or `?from=…&to=…`), so it survives reload and back/forward
//! and every view is a shareable link.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::format::{self, RangeInput};
use crate::hooks::range_load::Progress;
use crate::hooks::set_query::{use_set_query, Entry};
use crate::model::dates::{DateRange, RangePreset, RangeSelection};
use crate::model::grouping::{range_query, Grouping, PARAM};

/// The selection in the URL and the days it means today.
#[derive(Clone, Copy)]
pub struct RangeState {
    pub selection: Memo<RangeSelection>,
    pub range: Memo<DateRange>,
    /// Set when the URL held a range that could not be used (the default is shown).
    pub problem: Memo<Option<String>>,
}

/// Reads the range from the URL query.
pub fn use_range(today: chrono::NaiveDate) -> RangeState {
    let query = use_query_map();
    let parsed = Memo::new(move |_| {
        query.with(|q| {
            RangeSelection::from_query(q.get_str("range"), q.get_str("from"), q.get_str("to"))
                .and_then(|selection| selection.usable_on(today))
                .map_err(|e| format::range_problem(&e, RangeInput::Link))
        })
    });
    let selection = Memo::new(move |_| parsed.get().unwrap_or_default());
    let range = Memo::new(move |_| selection.get().resolve(today));
    let problem = Memo::new(move |_| parsed.get().err());
    RangeState {
        selection,
        range,
        problem,
    }
}

#[component]
pub fn RangeControl(state: RangeState, today: chrono::NaiveDate) -> impl IntoView {
    let set_query = use_set_query();
    let params = use_query_map();
    let go = move |selection: RangeSelection| {
        // The charts' grouping, when chosen, stays with the new range (which
        // shows its default instead if it does not offer it).
        let group = params.with_untracked(|q| q.get_str(PARAM).and_then(Grouping::from_key));
        set_query(&range_query(&selection, group), Entry::Page);
    };
    let presets = RangePreset::ALL
        .iter()
        .map(|&preset| {
            let go = go.clone();
            let pressed =
                move || (state.selection.get() == RangeSelection::Preset(preset)).to_string();
            view! {
                <button
                    type="button"
                    class="cca-range__preset"
                    aria-pressed=pressed
                    on:click=move |_| go(RangeSelection::Preset(preset))
                >
                    {preset.label()}
                </button>
            }
        })
        .collect_view();
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    // The custom fields are a draft: a new range resets them.
    Effect::watch(
        move || state.range.get(),
        move |range, _, _| {
            from.set(format::iso_date(range.start()));
            to.set(format::iso_date(range.end()));
        },
        true,
    );
    // The custom range's date fields are shown on demand, and for a custom
    // range. Two native date inputs, even hidden, cost the page megabytes of
    // renderer memory (Chromium's date-field code and ICU's calendar data;
    // docs/benchmarks.md), which most visits, on a preset, never use.
    let is_custom = move || matches!(state.selection.get(), RangeSelection::Custom(_));
    let open = RwSignal::new(untrack(is_custom));
    // Opened and closed by hand; a new selection opens or closes it again.
    Effect::watch(is_custom, move |custom, _, _| open.set(*custom), false);
    let toggle = NodeRef::<leptos::html::Button>::new();
    let first_field = NodeRef::<leptos::html::Input>::new();
    let focus_first_field = StoredValue::new(false);
    Effect::new(move |_| {
        if let Some(input) = first_field.get() {
            if focus_first_field.get_value() {
                focus_first_field.set_value(false);
                let _ = input.focus();
            }
        }
    });
    let on_toggle = move |_| {
        let opening = !open.get_untracked();
        focus_first_field.set_value(opening);
        open.set(opening);
    };
    let close_on_escape = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            open.set(false);
            if let Some(button) = toggle.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    let (custom_error, set_custom_error) = signal(None::<String>);
    let apply = {
        let go = go.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            match RangeSelection::from_query(
                None,
                Some(&from.get_untracked()),
                Some(&to.get_untracked()),
            )
            .and_then(|selection| selection.usable_on(today))
            {
                Ok(selection) => {
                    set_custom_error.set(None);
                    go(selection);
                }
                Err(error) => {
                    set_custom_error.set(Some(format::range_problem(&error, RangeInput::Form)))
                }
            }
        }
    };
    let max = format::iso_date(today);
    let form = move || {
        open.get().then(|| {
            let max = max.clone();
            view! {
                <form id="cca-range-custom" class="cca-range__custom" on:submit=apply.clone() on:keydown=close_on_escape>
                    <label>
                        <span class="cca-sr-only">"From"</span>
                        <input class="cca-input" type="date" max=max.clone() bind:value=from node_ref=first_field />
                    </label>
                    <span aria-hidden="true">"–"</span>
                    <label>
                        <span class="cca-sr-only">"To"</span>
                        <input class="cca-input" type="date" max=max bind:value=to />
                    </label>
                    <button type="submit" class="cca-button cca-button--quiet">"Apply"</button>
                </form>
            }
        })
    };
    view! {
        <div class="cca-range" role="group" aria-label="Date range">
            <div class="cca-range__presets">{presets}</div>
            <button
                type="button"
                class="cca-range__toggle"
                aria-controls=move || open.get().then_some("cca-range-custom")
                aria-expanded=move || open.get().to_string()
                node_ref=toggle
                on:click=on_toggle
            >
                "Custom…"
            </button>
            {form}
            {move || custom_error.get().map(|e| view! { <p class="cca-range__error" role="alert">{e}</p> })}
            {move || state.problem.get().map(|e| view! {
                <p class="cca-range__error" role="status">
                    {format!("This link's date range could not be used. {e} Showing the last 30 days instead.")}
                </p>
            })}
        </div>
    }
}

/// The loader's progress while days load.
#[component]
pub fn LoadProgress(progress: ReadSignal<Progress>) -> impl IntoView {
    move || {
        let p = progress.get();
        p.is_loading().then(|| {
            let done = p.done + p.failed;
            view! {
                <div class="cca-progress" role="progressbar" aria-valuemin="0" aria-valuemax=p.total aria-valuenow=done aria-label="Loading days">
                    <div class="cca-progress__bar">
                        <div class="cca-progress__fill" style:width=format::fixed(p.fraction() * 100.0, 0) + "%"></div>
                    </div>
                    <span>{format!("Loading {done} of {}…", format::days(p.total))}</span>
                </div>
            }
        })
    }
}
