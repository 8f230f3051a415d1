fn main() {
    leptos::mount::mount_to_body(hangar_ui::App);
}
