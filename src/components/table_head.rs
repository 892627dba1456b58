//! A table's title with its "CSV" button: the table's rows as a file, made
//! when the button is pressed (the CSV text itself is built in `cca-core`,
//! tested there).

use leptos::prelude::*;

use crate::components::download::download_text;
use crate::csv::range_file_name;
use crate::model::aggregate::Aggregates;

/// The title over a table, and the button offering its CSV: `file` gives
/// the file's name and text.
#[component]
pub fn TableHead(
    title: &'static str,
    what: &'static str,
    file: Callback<(), (String, String)>,
) -> impl IntoView {
    view! {
        <div class="cca-table-head">
            <h2 class="cca-section-title">{title}</h2>
            <CsvButton what=what file=file />
        </div>
    }
}

/// The button offering a table's CSV, made when it is pressed. `what` names
/// the table for screen readers ("Download CSV of the terminals table"),
/// since a page may have several such buttons.
#[component]
pub fn CsvButton(what: &'static str, file: Callback<(), (String, String)>) -> impl IntoView {
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

/// The file of a range page's table: `csv` of the figures shown when the
/// button is pressed, named `name` and the range's days
/// (`models-2026-11-04-to-2026-12-03.csv`). A plain function, not a closure
/// per page, so every page shares one copy of this in the wasm.
pub fn range_csv(
    current: Memo<Aggregates>,
    name: &'static str,
    csv: fn(&Aggregates) -> String,
) -> Callback<(), (String, String)> {
    Callback::new(move |()| current.with_untracked(|a| (range_file_name(name, a.range), csv(a))))
}
