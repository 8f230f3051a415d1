//! Pieces shared by every page: the frame (sidebar, top bar, notices) and form inputs.

pub mod fields;
pub mod notices;
pub mod sidebar;
pub mod topbar;
