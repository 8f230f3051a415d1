// Loads the Leptos app. Kept in a file (not inline) so the CSP needs no inline script.
import init from "./hangar_ui.js";
init({ module_or_path: "./hangar_ui_bg.wasm" });
