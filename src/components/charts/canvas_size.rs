//! The size a canvas should have: its CSS box × devicePixelRatio, followed
//! live (element resizes and DPR changes, e.g. moving to another screen).

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// CSS size of an element and the current devicePixelRatio.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CanvasSize {
    pub css_width: f64,
    pub css_height: f64,
    pub pixel_ratio: f64,
}

impl CanvasSize {
    /// Backing-store pixels (at least 1×1).
    pub fn backing(&self) -> (u32, u32) {
        let scale = |css: f64| (css * self.pixel_ratio).round().clamp(1.0, 16_384.0) as u32;
        (scale(self.css_width), scale(self.css_height))
    }

    pub fn is_empty(&self) -> bool {
        self.css_width < 1.0 || self.css_height < 1.0
    }
}

fn device_pixel_ratio() -> f64 {
    web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .filter(|r| r.is_finite() && *r > 0.0)
        .unwrap_or(1.0)
}

/// A media query that matches while devicePixelRatio stays `ratio` (within
/// 0.001: a ratio such as 1.100000023841858 needs no exact printing) and
/// stops matching when it changes.
pub fn resolution_query(ratio: f64) -> String {
    let at = |r: f64| crate::format::decimal(r.max(0.0), 4);
    format!(
        "(min-resolution: {}dppx) and (max-resolution: {}dppx)",
        at(ratio - 0.001),
        at(ratio + 0.001)
    )
}

/// Watches `target`'s box and the devicePixelRatio.
pub fn use_canvas_size(target: NodeRef<Div>) -> ReadSignal<CanvasSize> {
    let (size, set_size) = signal(CanvasSize::default());
    let measure = move || {
        if let Some(el) = target.get_untracked() {
            let rect = el.get_bounding_client_rect();
            let next = CanvasSize {
                css_width: rect.width(),
                css_height: rect.height(),
                pixel_ratio: device_pixel_ratio(),
            };
            if size.get_untracked() != next {
                set_size.set(next);
            }
        }
    };

    Effect::new(move |_| {
        let Some(el) = target.get() else { return };
        measure();
        let on_resize = Closure::<dyn Fn()>::new(measure);
        if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
            observer.observe(&el);
            let observer = send_wrapper::SendWrapper::new(observer);
            on_cleanup(move || observer.disconnect());
        }
        on_resize.forget();
        watch_pixel_ratio(measure);
    });
    size
}

/// Calls `on_change` whenever devicePixelRatio changes. A resolution media
/// query only fires once, so a new one is registered after each change.
fn watch_pixel_ratio(on_change: impl Fn() + Clone + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let query = resolution_query(device_pixel_ratio());
    let Ok(Some(list)) = window.match_media(&query) else {
        return;
    };
    let callback = Closure::once_into_js(move || {
        on_change();
        watch_pixel_ratio(on_change);
    });
    let options = web_sys::AddEventListenerOptions::new();
    options.set_once(true);
    let _ = list.add_event_listener_with_callback_and_add_event_listener_options(
        "change",
        callback.unchecked_ref(),
        &options,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_resolution_query_brackets_the_ratio() {
        assert_eq!(
            resolution_query(2.0),
            "(min-resolution: 1.999dppx) and (max-resolution: 2.001dppx)"
        );
        assert_eq!(
            resolution_query(1.100_000_023_841_858),
            "(min-resolution: 1.099dppx) and (max-resolution: 1.101dppx)"
        );
    }
}
