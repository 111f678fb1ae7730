//! Server-rendered HTML (maud): layouts, components and pages. Views only
//! render what handlers give them; every string comes from the catalogue.

pub mod assets;
pub mod busy;
pub mod certificate;
pub mod coord;
pub mod coord_console;
pub mod coord_details;
pub mod failure;
pub mod guest;
pub mod host;
pub mod landing;
pub mod layout;
pub mod push;
