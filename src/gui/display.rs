//! Whether a window can open here, and one-line explanations when it cannot.

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

/// Makes a failure to start the window or the GPU print one line with a way out,
/// instead of a panic dump.
pub fn explain_panics() {
    if std::env::var_os("RUST_BACKTRACE").is_some() {
        // Someone is debugging: keep the full report.
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown error".into());
        let place = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "firedrill: the app stopped: {}{place}. Without a working display or Vulkan driver (Debian: mesa-vulkan-drivers), {HEADLESS}",
            message.lines().next().unwrap_or_default()
        );
    }));
}

#[cfg(test)]
mod tests {
    use super::local_display_number;

    #[test]
    fn local_displays_are_recognised() {
        assert_eq!(local_display_number(":0"), Some("0"));
        assert_eq!(local_display_number(":99.0"), Some("99"));
        assert_eq!(local_display_number("remote:0"), None);
        assert_eq!(local_display_number(":"), None);
    }
}
