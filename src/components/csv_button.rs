//! A table's "CSV" button: the table's rows as a file, made when clicked
//! (the CSV text itself is built in `cca-core`, tested there).

use leptos::prelude::*;

use crate::components::download::download_text;

/// Offers a CSV file: `file` gives its name and text when the button is
/// pressed. `what` names the table for screen readers ("Download CSV of
/// the terminals table"), since a page may have several such buttons.
#[component]
pub fn CsvButton(
    what: &'static str,
    #[prop(into)] file: Callback<(), (String, String)>,
) -> impl IntoView {
    let download = move |_| {
        let (name, text) = file.run(());
        let _ = download_text(&name, "text/csv;charset=utf-8", &text);
    };
    view! {
        <button
            type="button"
            class="cca-chart__action cca-csv"
            aria-label=format!("Download CSV of the {what} table")
            data-csv=what
            on:click=download
        >
            "CSV"
        </button>
    }
}

/// A table's title with its CSV button beside it.
#[component]
pub fn TableHead(
    title: &'static str,
    what: &'static str,
    #[prop(into)] file: Callback<(), (String, String)>,
) -> impl IntoView {
    view! {
        <div class="cca-table-head">
            <h2 class="cca-section-title">{title}</h2>
            <CsvButton what=what file=file />
        </div>
    }
}
