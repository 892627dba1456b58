//! Whether the app is drawn dark: the config's theme, or the system's
//! preference when the theme is `auto` (followed live).

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::config::Theme;

/// `true` when the app is currently dark.
#[derive(Clone, Copy)]
pub struct DarkMode(pub Signal<bool>);

impl DarkMode {
    pub fn expect() -> Self {
        expect_context::<DarkMode>()
    }
}

/// Provides [`DarkMode`] for the configured theme.
pub fn provide_dark_mode(theme: Theme) -> DarkMode {
    let mode = match theme {
        Theme::Light => DarkMode(Signal::stored(false)),
        Theme::Dark => DarkMode(Signal::stored(true)),
        Theme::Auto => DarkMode(prefers_dark().into()),
    };
    provide_context(mode);
    mode
}

fn prefers_dark() -> ReadSignal<bool> {
    let query = web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten());
    let (dark, set_dark) = signal(query.as_ref().map(|q| q.matches()).unwrap_or(false));
    if let Some(query) = query {
        let listener = Closure::<dyn Fn()>::new({
            let query = query.clone();
            move || {
                set_dark.try_set(query.matches());
            }
        });
        let function: &js_sys::Function = listener.as_ref().unchecked_ref();
        if query
            .add_event_listener_with_callback("change", function)
            .is_ok()
        {
            // A host page may unmount the app: the listener goes with it.
            let watch = send_wrapper::SendWrapper::new((query, listener));
            on_cleanup(move || {
                let (query, listener) = watch.take();
                let _ = query.remove_event_listener_with_callback(
                    "change",
                    listener.as_ref().unchecked_ref(),
                );
            });
        }
    }
    dark
}
