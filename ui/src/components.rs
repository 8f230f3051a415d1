//! Pieces of the frame shared by every page.

pub mod sidebar;
pub mod topbar;
