//! The size a canvas should have: its CSS box × devicePixelRatio, followed
//! live (element resizes and DPR changes, e.g. moving to another screen).

use std::cell::RefCell;
use std::rc::Rc;

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

/// Watches `target`'s box and the devicePixelRatio. Both watches end when
/// the calling component is disposed (or `target` changes): a disposed chart
/// gets no callback.
pub fn use_canvas_size(target: NodeRef<Div>) -> ReadSignal<CanvasSize> {
    let (size, set_size) = signal(CanvasSize::default());
    let measure = move || {
        let Some(el) = target.try_get_untracked().flatten() else {
            return;
        };
        let rect = el.get_bounding_client_rect();
        let next = CanvasSize {
            css_width: rect.width(),
            css_height: rect.height(),
            pixel_ratio: device_pixel_ratio(),
        };
        if size.try_get_untracked().is_some_and(|size| size != next) {
            set_size.try_set(next);
        }
    };

    Effect::new(move |_| {
        let Some(el) = target.get() else { return };
        measure();
        let watches = (
            ResizeWatch::new(&el, measure),
            PixelRatioWatch::new(measure),
        );
        let watches = send_wrapper::SendWrapper::new(watches);
        on_cleanup(move || drop(watches));
    });
    size
}

/// A `ResizeObserver` on one element, disconnected when dropped.
struct ResizeWatch {
    observer: web_sys::ResizeObserver,
    /// Called by the observer: kept as long as it observes.
    _callback: Closure<dyn Fn()>,
}

impl ResizeWatch {
    fn new(target: &web_sys::Element, on_resize: impl Fn() + 'static) -> Option<Self> {
        let callback = Closure::<dyn Fn()>::new(on_resize);
        let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
        observer.observe(target);
        Some(ResizeWatch {
            observer,
            _callback: callback,
        })
    }
}

impl Drop for ResizeWatch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// Calls `on_change` whenever devicePixelRatio changes, until dropped. A
/// resolution media query stops matching once the ratio changes, so after
/// each change the listener moves to a query for the new ratio.
struct PixelRatioWatch {
    state: Rc<RatioQuery>,
    /// Called by the media query list: kept as long as it listens.
    _callback: Closure<dyn Fn()>,
}

/// The query list listened to now, and the listener as a JS function.
#[derive(Default)]
struct RatioQuery {
    list: RefCell<Option<web_sys::MediaQueryList>>,
    listener: RefCell<Option<js_sys::Function>>,
}

impl RatioQuery {
    fn stop(&self) {
        let (Some(list), Some(listener)) = (self.list.take(), self.listener.borrow().clone())
        else {
            return;
        };
        let _ = list.remove_event_listener_with_callback("change", &listener);
    }

    fn listen_at_current_ratio(&self) {
        self.stop();
        let Some(listener) = self.listener.borrow().clone() else {
            return;
        };
        let query = resolution_query(device_pixel_ratio());
        let Some(list) = web_sys::window().and_then(|w| w.match_media(&query).ok().flatten())
        else {
            return;
        };
        if list
            .add_event_listener_with_callback("change", &listener)
            .is_ok()
        {
            self.list.replace(Some(list));
        }
    }
}

impl PixelRatioWatch {
    fn new(on_change: impl Fn() + 'static) -> Self {
        let state = Rc::new(RatioQuery::default());
        let callback = Closure::<dyn Fn()>::new({
            let state = Rc::clone(&state);
            move || {
                on_change();
                state.listen_at_current_ratio();
            }
        });
        state.listener.replace(Some(
            callback
                .as_ref()
                .unchecked_ref::<js_sys::Function>()
                .clone(),
        ));
        state.listen_at_current_ratio();
        PixelRatioWatch {
            state,
            _callback: callback,
        }
    }
}

impl Drop for PixelRatioWatch {
    fn drop(&mut self) {
        self.state.stop();
        // The listener refers to the callback, which goes with `self`.
        self.state.listener.take();
    }
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
