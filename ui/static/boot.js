// Loads the Leptos app. Kept in a file (not inline) so the CSP needs no inline script.
import init from "./hangar_ui.js";
init({ module_or_path: "./hangar_ui_bg.wasm" }).then((wasm) => {
  // The size of the app's wasm heap, read-only: the memory benchmark tells it apart from
  // WebKit's own memory (a wasm heap grows to its peak and never shrinks).
  Object.defineProperty(window, "hangarWasmBytes", {
    value: () => wasm.memory.buffer.byteLength,
  });
});
