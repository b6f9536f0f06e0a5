//! Whether a window can open here, one-line explanations when it cannot, and what a
//! panic in the app means: a window or driver failure, or a bug in firedrill.

use std::path::Path;

const HEADLESS: &str = "Headless, use `firedrill run`, `firedrill autoplay` or `firedrill validate` (see `firedrill --help`).";

/// Fails with a one-line message when there is no X display to open a window on.
pub fn check() -> Result<(), String> {
    let display = std::env::var("DISPLAY").unwrap_or_default();
    if display.trim().is_empty() {
        return Err(format!(
            "firedrill: no display ($DISPLAY is not set), so the war room cannot open a window. {HEADLESS}"
        ));
    }
    if let Some(number) = local_display_number(&display)
        && !Path::new(&format!("/tmp/.X11-unix/X{number}")).exists()
    {
        return Err(format!(
            "firedrill: no X server is listening on display {display}. {HEADLESS}"
        ));
    }
    Ok(())
}

/// `0` for `:0` or `:0.1`; `None` for remote displays (`host:0`), checked by X itself.
fn local_display_number(display: &str) -> Option<&str> {
    let rest = display.strip_prefix(':')?;
    let number = rest.split('.').next()?;
    (!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit())).then_some(number)
}

/// Where a panic came from, as far as the person who saw it should care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanicKind {
    /// The window or the GPU could not be set up: winit, or wgpu finding an adapter,
    /// a device or a surface. A problem of this machine, not of firedrill.
    Display,
    /// Anything else: a bug in firedrill.
    Bug,
}

/// Crates of the window and GPU stack: a panic inside them is a driver or display
/// problem.
const DISPLAY_CRATES: &[&str] = &[
    "winit",
    "bevy_winit",
    "wgpu",
    "wgpu-core",
    "wgpu-hal",
    "naga",
    "ash",
    "x11-dl",
    "x11rb",
];

/// Files of `bevy_render` that create the adapter, the device and window surfaces.
const RENDER_SETUP: &[&str] = &["src/renderer/mod.rs", "src/view/window/"];

/// What Bevy and wgpu say when there is no usable GPU, window or surface.
const DISPLAY_MESSAGES: &[&str] = &[
    "Unable to find a GPU",
    "Failed to create wgpu surface",
    "No supported formats for surface",
    "Failed to build event loop",
    "Couldn't get the window handle",
    "RequestDeviceError",
];

/// Classifies a panic by its message and the source file it was raised in.
pub fn classify(message: &str, file: Option<&str>) -> PanicKind {
    if DISPLAY_MESSAGES.iter().any(|m| message.contains(m)) {
        return PanicKind::Display;
    }
    let file = file.unwrap_or_default().replace('\\', "/");
    let parts: Vec<&str> = file.split('/').collect();
    let in_display_stack = parts
        .iter()
        .enumerate()
        .any(|(i, part)| match dependency_name(part) {
            Some("bevy_render") => {
                let inside = parts[i + 1..].join("/");
                RENDER_SETUP.iter().any(|setup| inside.starts_with(setup))
            }
            Some(name) => DISPLAY_CRATES.contains(&name),
            None => false,
        });
    if in_display_stack {
        PanicKind::Display
    } else {
        PanicKind::Bug
    }
}

/// `wgpu-core` for the folder `wgpu-core-29.0.4` that Cargo unpacks a dependency
/// into; `None` for any other path part (firedrill's own files have no version).
fn dependency_name(part: &str) -> Option<&str> {
    let (name, version) = part.rsplit_once('-')?;
    let numbered = version.contains('.')
        && version
            .split('.')
            .next()
            .is_some_and(|major| !major.is_empty() && major.bytes().all(|b| b.is_ascii_digit()));
    (numbered && !name.is_empty()).then_some(name)
}

/// What to print for a panic: one line with a way out for a display or driver
/// failure; for a bug, what failed and where, and how to report it.
pub fn explanation(kind: PanicKind, message: &str, place: Option<(&str, u32)>) -> String {
    let first_line = message.lines().next().unwrap_or_default();
    let at = place
        .map(|(file, line)| format!(" ({file}:{line})"))
        .unwrap_or_default();
    match kind {
        PanicKind::Display => format!(
            "firedrill: the window or the GPU could not be set up ({first_line}{at}). Without a working display and Vulkan driver (Debian: mesa-vulkan-drivers) the app cannot run here. {HEADLESS}"
        ),
        PanicKind::Bug => format!(
            "firedrill: this is a bug in firedrill, sorry: {message}{at}. Please report it to the firedrill maintainers with this message and what you were doing; run again with RUST_BACKTRACE=1 to add a backtrace."
        ),
    }
}

/// Makes every panic print what it means: a window or driver failure as one line
/// with a way out, anything else as a bug in firedrill with its message and location.
/// With `RUST_BACKTRACE` set, the standard report with its backtrace follows.
pub fn explain_panics() {
    let standard = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown error".into());
        let place = info.location().map(|l| (l.file(), l.line()));
        let kind = classify(&message, place.map(|(file, _)| file));
        eprintln!("{}", explanation(kind, &message, place));
        if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
            standard(info);
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::{PanicKind, classify, explanation, local_display_number};

    const REGISTRY: &str = "/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f";

    #[test]
    fn window_and_gpu_failures_are_display_problems() {
        let cases = [
            // No adapter: bevy_render's own message, wherever it is raised.
            (
                "Unable to find a GPU! Make sure you have installed required drivers!",
                None,
            ),
            (
                "called `Result::unwrap()` on an `Err` value: RequestDeviceError { inner: Core(Device(Lost)) }",
                Some(format!("{REGISTRY}/bevy_render-0.19.1/src/renderer/mod.rs")),
            ),
            (
                "Failed to create wgpu surface: CreateSurfaceError",
                Some(format!(
                    "{REGISTRY}/bevy_render-0.19.1/src/view/window/mod.rs"
                )),
            ),
            (
                "wgpu error: Validation Error",
                Some(format!("{REGISTRY}/wgpu-29.0.4/src/backend/wgpu_core.rs")),
            ),
            (
                "Failed to build event loop: NotSupported",
                Some(format!("{REGISTRY}/bevy_winit-0.19.1/src/lib.rs")),
            ),
            (
                "XOpenDisplay failed",
                Some(r"C:\Users\ana\.cargo\registry\src\index\winit-0.30.13\src\x11.rs".into()),
            ),
        ];
        for (message, file) in cases {
            assert_eq!(
                classify(message, file.as_deref()),
                PanicKind::Display,
                "{message} at {file:?}"
            );
        }
    }

    #[test]
    fn every_other_panic_is_a_bug() {
        let cases = [
            (
                "index out of bounds: the len is 3 but the index is 3",
                Some("src/gui/sim.rs"),
            ),
            // A user or folder that happens to share a name with a GPU crate.
            (
                "attempt to subtract with overflow",
                Some("/home/ash/naga/src/core/engine/mod.rs"),
            ),
            // Bevy itself, outside the window and GPU set-up.
            (
                "The TimeSender channel should always be empty during render.",
                Some(
                    "/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/bevy_render-0.19.1/src/lib.rs",
                ),
            ),
            ("explicit panic", None),
        ];
        for (message, file) in cases {
            assert_eq!(
                classify(message, file),
                PanicKind::Bug,
                "{message} at {file:?}"
            );
        }
    }

    #[test]
    fn a_bug_says_so_with_its_place_and_how_to_report_it() {
        assert_eq!(
            explanation(
                PanicKind::Bug,
                "no run to debrief",
                Some(("src/gui/debrief.rs", 80))
            ),
            "firedrill: this is a bug in firedrill, sorry: no run to debrief (src/gui/debrief.rs:80). \
             Please report it to the firedrill maintainers with this message and what you were doing; \
             run again with RUST_BACKTRACE=1 to add a backtrace."
        );
        assert_eq!(
            explanation(
                PanicKind::Display,
                "Unable to find a GPU!\nSee the docs",
                None
            ),
            "firedrill: the window or the GPU could not be set up (Unable to find a GPU!). \
             Without a working display and Vulkan driver (Debian: mesa-vulkan-drivers) the app cannot run here. \
             Headless, use `firedrill run`, `firedrill autoplay` or `firedrill validate` (see `firedrill --help`)."
        );
    }

    #[test]
    fn local_displays_are_recognised() {
        assert_eq!(local_display_number(":0"), Some("0"));
        assert_eq!(local_display_number(":99.0"), Some("99"));
        assert_eq!(local_display_number("remote:0"), None);
        assert_eq!(local_display_number(":"), None);
    }
}
