//! Hangar's installer builder: the `tauri-bundler` crate (the library behind `cargo tauri
//! bundle`) driven from the one `tauri.conf.json` at the repository root.
//!
//! Run by `cargo xtask bundle` after the release binary is built:
//! `hangar-bundler --root <repo> --out <target>/release --bundles deb,rpm`.
//!
//! Where each piece of metadata comes from, so that each is declared once:
//! - name, version, description, license, authors, homepage: the `hangar` package in Cargo
//!   (`cargo metadata`; the version is the workspace's `[workspace.package] version`);
//! - identifier, product name, icons, category, short/long description, Linux package
//!   dependencies, macOS/Windows options: `tauri.conf.json` (which has no `version` of its own).
//!
//! Signing: macOS reads `APPLE_SIGNING_IDENTITY` (and the bundler itself the notarization
//! variables `APPLE_ID`, `APPLE_PASSWORD`, `APPLE_TEAM_ID`); Windows a certificate thumbprint
//! from `WINDOWS_CERTIFICATE_THUMBPRINT`. Without them the bundles are built unsigned.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::str::FromStr;

use tauri_bundler::bundle::{
    AppCategory, BundleBinary, BundleSettings, DebianSettings, MacOsSettings, NsisSettings,
    PackageSettings, PackageType, RpmSettings, SettingsBuilder, UpdaterSettings, WindowsSettings,
    WixSettings,
};
use tauri_utils::config::{Config, Updater};

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
struct Args {
    root: PathBuf,
    out: PathBuf,
    bundles: Vec<String>,
    target: Option<String>,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut root = None;
    let mut out = None;
    let mut bundles = Vec::new();
    let mut target = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--root" => root = Some(PathBuf::from(value()?)),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--bundles" => bundles = value()?.split(',').map(str::to_string).collect(),
            "--target" => target = Some(value()?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(Args {
        root: root.ok_or("--root is required")?,
        out: out.ok_or("--out is required")?,
        bundles,
        target,
    })
}

/// The package types named on the command line (`deb,rpm`, …); none means the OS's defaults.
fn package_types(names: &[String]) -> Result<Vec<PackageType>, String> {
    names
        .iter()
        .filter(|n| !n.is_empty())
        .map(|name| {
            PackageType::from_short_name(name).ok_or(format!(
                "unknown bundle type {name} (deb, rpm, appimage, app, dmg, msi, nsis)"
            ))
        })
        .collect()
}

/// The `hangar` package as Cargo knows it (the workspace's version, description, license).
#[derive(Debug, Default)]
struct Package {
    version: String,
    description: String,
    license: Option<String>,
    authors: Vec<String>,
    homepage: Option<String>,
}

fn package_from_metadata(meta: &serde_json::Value, name: &str) -> Result<Package, String> {
    let packages = meta["packages"]
        .as_array()
        .ok_or("cargo metadata has no packages")?;
    let p = packages
        .iter()
        .find(|p| p["name"] == name)
        .ok_or(format!("no package {name} in the workspace"))?;
    let text = |key: &str| p[key].as_str().map(str::to_string);
    Ok(Package {
        version: text("version").ok_or("the package has no version")?,
        description: text("description").unwrap_or_default(),
        license: text("license"),
        authors: p["authors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        homepage: text("homepage").or_else(|| text("repository")),
    })
}

fn cargo_package(root: &Path) -> Result<Package, String> {
    let out = Command::new("cargo")
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let meta: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("cargo metadata: {e}"))?;
    package_from_metadata(&meta, "hangar")
}

/// The root config, read as Tauri reads it. Paths inside it are relative to the root.
fn read_config(root: &Path) -> Result<Config, String> {
    let path = root.join("tauri.conf.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The bundler's settings from the config and the Cargo package; `root` resolves relative paths.
fn bundle_settings(config: &Config, package: &Package, root: &Path) -> BundleSettings {
    let b = &config.bundle;
    let at_root = |p: &PathBuf| root.join(p);
    let icons = b
        .icon
        .iter()
        .map(|i| root.join(i).to_string_lossy().to_string())
        .collect();
    let deb = &b.linux.deb;
    let rpm = &b.linux.rpm;
    let mac = &b.macos;
    let win = &b.windows;
    let windows = WindowsSettings {
        digest_algorithm: win.digest_algorithm.clone(),
        certificate_thumbprint: std::env::var("WINDOWS_CERTIFICATE_THUMBPRINT")
            .ok()
            .filter(|s| !s.is_empty())
            .or_else(|| win.certificate_thumbprint.clone()),
        timestamp_url: win.timestamp_url.clone(),
        tsp: win.tsp,
        icon_path: root.join("icons/icon.ico"),
        allow_downgrades: win.allow_downgrades,
        webview_install_mode: win.webview_install_mode.clone(),
        wix: Some(WixSettings::default()),
        nsis: Some(NsisSettings {
            install_mode: win
                .nsis
                .as_ref()
                .map(|n| n.install_mode.clone())
                .unwrap_or_default(),
            installer_icon: Some(root.join("icons/icon.ico")),
            ..NsisSettings::default()
        }),
        ..WindowsSettings::default()
    };
    BundleSettings {
        identifier: Some(config.identifier.clone()),
        publisher: b.publisher.clone(),
        homepage: b.homepage.clone().or_else(|| package.homepage.clone()),
        icon: Some(icons),
        copyright: b.copyright.clone(),
        license: b.license.clone().or_else(|| package.license.clone()),
        license_file: b.license_file.as_ref().map(at_root),
        category: b
            .category
            .as_deref()
            .and_then(|c| AppCategory::from_str(c).ok()),
        short_description: b.short_description.clone(),
        long_description: b.long_description.clone(),
        deb: DebianSettings {
            depends: deb.depends.clone(),
            recommends: deb.recommends.clone(),
            section: deb.section.clone(),
            priority: deb.priority.clone(),
            desktop_template: deb.desktop_template.as_ref().map(at_root),
            ..DebianSettings::default()
        },
        rpm: RpmSettings {
            depends: rpm.depends.clone(),
            recommends: rpm.recommends.clone(),
            release: if rpm.release.is_empty() {
                "1".into()
            } else {
                rpm.release.clone()
            },
            epoch: rpm.epoch,
            desktop_template: rpm.desktop_template.as_ref().map(at_root),
            ..RpmSettings::default()
        },
        macos: MacOsSettings {
            minimum_system_version: mac.minimum_system_version.clone(),
            signing_identity: std::env::var("APPLE_SIGNING_IDENTITY")
                .ok()
                .filter(|s| !s.is_empty())
                .or_else(|| mac.signing_identity.clone()),
            hardened_runtime: mac.hardened_runtime,
            ..MacOsSettings::default()
        },
        windows,
        updater: updater_settings(config),
        ..BundleSettings::default()
    }
}

/// Update artifacts (the signed .app.tar.gz on macOS; elsewhere the installers themselves are
/// what the updater installs) when `bundle.createUpdaterArtifacts` asks for them.
fn updater_settings(config: &Config) -> Option<UpdaterSettings> {
    let v1_compatible = match &config.bundle.create_updater_artifacts {
        Updater::Bool(false) => return None,
        Updater::Bool(true) => false,
        Updater::String(_) => true,
    };
    let pubkey = config
        .plugins
        .0
        .get("updater")
        .and_then(|u| u.get("pubkey"))
        .and_then(|k| k.as_str())
        .unwrap_or_default()
        .to_string();
    Some(UpdaterSettings {
        v1_compatible,
        pubkey,
        msiexec_args: &["/passive"],
    })
}

fn bundle(args: Args) -> Result<Vec<PathBuf>, String> {
    let config = read_config(&args.root)?;
    let package = cargo_package(&args.root)?;
    let product_name = config
        .product_name
        .clone()
        .unwrap_or_else(|| "Hangar".into());
    let binary = config
        .main_binary_name
        .clone()
        .unwrap_or_else(|| "hangar".into());
    let mut builder = SettingsBuilder::new()
        .project_out_directory(&args.out)
        .package_settings(PackageSettings {
            product_name,
            version: package.version.clone(),
            description: package.description.clone(),
            homepage: package.homepage.clone(),
            authors: Some(package.authors.clone()),
            default_run: Some(binary.clone()),
        })
        .bundle_settings(bundle_settings(&config, &package, &args.root))
        .binaries(vec![BundleBinary::new(binary, true)])
        .package_types(package_types(&args.bundles)?);
    if let Some(target) = args.target {
        builder = builder.target(target);
    }
    let settings = builder
        .build()
        .map_err(|e| format!("bundle settings: {e}"))?;
    let bundles =
        tauri_bundler::bundle_project(&settings).map_err(|e| format!("bundling failed: {e:#}"))?;
    Ok(bundles.into_iter().flat_map(|b| b.bundle_paths).collect())
}

fn main() -> ExitCode {
    let result = parse_args(std::env::args().skip(1)).and_then(bundle);
    match result {
        Ok(paths) => {
            for path in paths {
                println!("{}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("hangar-bundler: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reads_its_arguments() {
        let args = parse_args(strings(&[
            "--root",
            "/r",
            "--out",
            "/o",
            "--bundles",
            "deb,rpm",
        ]))
        .unwrap();
        assert_eq!(args.root, PathBuf::from("/r"));
        assert_eq!(args.bundles, ["deb", "rpm"]);
        assert!(parse_args(strings(&["--out", "/o"])).is_err());
        assert!(parse_args(strings(&["--bogus"])).is_err());
    }

    #[test]
    fn names_every_bundle_type_or_refuses() {
        assert_eq!(
            package_types(&strings(&["deb", "rpm"])).unwrap(),
            [PackageType::Deb, PackageType::Rpm]
        );
        assert!(package_types(&strings(&["zip"])).is_err());
    }

    /// The real root config and the workspace package give complete metadata.
    #[test]
    fn the_root_config_gives_complete_metadata() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let config = read_config(&root).unwrap();
        let package = Package {
            version: "9.9.9".into(),
            license: Some("MIT".into()),
            ..Package::default()
        };
        let settings = bundle_settings(&config, &package, &root);
        assert_eq!(settings.identifier.as_deref(), Some("dev.hangar.desktop"));
        assert_eq!(settings.license.as_deref(), Some("MIT"));
        assert_eq!(
            settings.category.map(|c| c.freedesktop_categories()),
            Some("Development;")
        );
        assert!(settings.short_description.is_some() && settings.long_description.is_some());
        for icon in settings.icon.unwrap() {
            assert!(Path::new(&icon).is_file(), "{icon}");
        }
        let depends = settings.deb.depends.unwrap_or_default();
        assert!(
            depends.iter().any(|d| d.starts_with("libwebkit2gtk-4.1")),
            "{depends:?}"
        );
        assert!(settings.license_file.is_some_and(|f| f.is_file()));
        let updater = settings.updater.expect("update artifacts are configured");
        assert!(!updater.v1_compatible && !updater.pubkey.is_empty());
    }

    #[test]
    fn the_version_comes_from_cargo() {
        let meta = serde_json::json!({"packages": [
            {"name": "other", "version": "1.0.0"},
            {"name": "hangar", "version": "0.4.2", "description": "d", "license": "MIT",
             "authors": ["A"], "repository": "https://example.invalid/r"}
        ]});
        let p = package_from_metadata(&meta, "hangar").unwrap();
        assert_eq!(p.version, "0.4.2");
        assert_eq!(p.homepage.as_deref(), Some("https://example.invalid/r"));
        assert!(package_from_metadata(&meta, "missing").is_err());
    }
}
