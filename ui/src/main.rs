fn main() {
    hangar_ui::start();
}
