//! The deployment files agree with each other, with the README and with the
//! configuration the binary really reads: compose.yaml (PostgreSQL, two
//! instances, nginx), deploy/nginx.conf, the Dockerfile, and the README's
//! links (none may leave the repository).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The environment variables the binary reads, from its own `--help`.
fn config_env() -> BTreeSet<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_porte-ouverte"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    help.split("[env: ")
        .skip(1)
        .map(|s| s.split(['=', ']']).next().unwrap().to_owned())
        .collect()
}

/// The variables of the README's configuration table.
fn readme_env() -> BTreeSet<String> {
    read("README.md")
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once("` |").map(|x| x.0.to_owned()))
        .filter(|k| k.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        .collect()
}

/// `KEY: value` lines of the `environment:` block that follows `anchor`.
fn compose_env(compose: &str, anchor: &str) -> Vec<(String, String)> {
    let start = compose.find(anchor).unwrap() + anchor.len();
    compose[start..]
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("      "))
        .map(|l| {
            let (k, v) = l.trim().split_once(": ").unwrap();
            (k.to_owned(), v.to_owned())
        })
        .collect()
}

#[test]
fn every_setting_is_documented_and_real() {
    let (config, readme) = (config_env(), readme_env());
    assert!(config.contains("PUBLIC_URL") && config.contains("PFIF_DOMAIN"));
    let undocumented: Vec<_> = config.difference(&readme).collect();
    assert!(
        undocumented.is_empty(),
        "not in the README: {undocumented:?}"
    );
    let unknown: Vec<_> = readme
        .difference(&config)
        .filter(|k| *k != "RUST_LOG")
        .collect();
    assert!(unknown.is_empty(), "documented but not read: {unknown:?}");
}

#[test]
fn compose_runs_two_instances_behind_the_proxy_on_postgres() {
    let compose = read("compose.yaml");
    let env = compose_env(&compose, "environment: &env");
    let config = config_env();
    for (k, _) in &env {
        assert!(
            config.contains(k),
            "compose sets {k}, which the binary does not read"
        );
    }
    let get = |k: &str| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert!(get("DATABASE_URL").unwrap().starts_with("postgres://"));
    assert!(get("DATABASE_URL").unwrap().contains("@postgres:5432/"));
    // the same secret for every instance, and the PUBLIC_URL rule
    assert!(
        get("SECRET_KEY").unwrap().contains(":?"),
        "SECRET_KEY must be required"
    );
    assert!(
        get("PUBLIC_URL").unwrap().contains(":?"),
        "PUBLIC_URL must be required"
    );
    let bind = get("BIND").unwrap();
    assert!(bind.starts_with("0.0.0.0:"), "{bind}");
    let port = bind.rsplit(':').next().unwrap();
    assert!(
        compose.contains("  app2:\n    <<: *app"),
        "app2 is app1's twin"
    );
    // nginx sends to both instances on the port they bind
    let nginx = read("deploy/nginx.conf");
    for app in ["app1", "app2"] {
        assert!(
            nginx.contains(&format!("server {app}:{port}")),
            "{app}:{port}"
        );
    }
    assert!(nginx.contains("proxy_buffering off"), "live pages need it");
    // the proxy's access log carries no path or query (tokens, names)
    let format = nginx
        .lines()
        .find(|l| l.trim_start().starts_with("log_format porte_ouverte"))
        .expect("a log format of our own");
    for leak in [
        "$request ",
        "$request_uri",
        "$uri",
        "$args",
        "$query_string",
        "$remote_addr",
        "$http_referer",
    ] {
        assert!(!format.contains(leak), "{leak} in the access log: {format}");
    }
    assert!(nginx.contains("access_log /var/log/nginx/access.log porte_ouverte;"));
    assert!(compose.contains("./deploy/nginx.conf:/etc/nginx/conf.d/default.conf"));
    // the instances believe X-Forwarded-For from the proxy's fixed address
    let proxy_ip = compose
        .split("ipv4_address: ")
        .nth(1)
        .unwrap()
        .lines()
        .next()
        .unwrap();
    assert_eq!(get("TRUSTED_PROXIES"), Some(proxy_ip));
    let subnet = compose
        .split("subnet: ")
        .nth(1)
        .unwrap()
        .lines()
        .next()
        .unwrap();
    let prefix = subnet.rsplit_once('.').unwrap().0;
    assert!(proxy_ip.starts_with(prefix), "{proxy_ip} in {subnet}");
    // the README tells how to start it
    let readme = read("README.md");
    assert!(readme.contains("docker compose up") && readme.contains("compose.yaml"));
}

#[test]
fn the_image_copies_what_the_build_needs_and_checks_its_health() {
    let docker = read("Dockerfile");
    let copied: Vec<&str> = docker
        .lines()
        .filter(|l| l.starts_with("COPY ") && !l.contains("--from="))
        .flat_map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            w[1..w.len() - 1].to_vec()
        })
        .collect();
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "src",
        "migrations",
        "assets",
        "benches",
    ] {
        assert!(
            copied.contains(&needed),
            "the Dockerfile must copy {needed}"
        );
    }
    for path in &copied {
        assert!(root().join(path).exists(), "{path}");
    }
    assert!(docker.contains("HEALTHCHECK") && docker.contains("\"healthcheck\"]"));
    let ignore = read(".dockerignore");
    for out in ["target/", "data/"] {
        assert!(
            ignore.lines().any(|l| l == out),
            ".dockerignore must keep {out} out"
        );
    }
    let config = config_env();
    for line in docker.lines().skip_while(|l| !l.starts_with("ENV ")) {
        let kv = line
            .trim_start_matches("ENV ")
            .trim()
            .trim_end_matches('\\')
            .trim();
        let Some((k, _)) = kv.split_once('=') else {
            break;
        };
        assert!(config.contains(k), "ENV {k} is not read by the binary");
    }
}

/// Relative links in the README and docs/ name files of this repository.
#[test]
fn documentation_links_stay_in_the_repository() {
    let mut files = vec![root().join("README.md")];
    for e in std::fs::read_dir(root().join("docs")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            files.push(p);
        }
    }
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let dir = file.parent().unwrap();
        for target in text
            .split("](")
            .skip(1)
            .map(|s| s.split(')').next().unwrap())
        {
            if target.starts_with("http")
                || target.starts_with('#')
                || target.starts_with("mailto:")
            {
                continue;
            }
            let path = target.split('#').next().unwrap();
            let resolved = dir.join(path);
            let inside = resolved
                .canonicalize()
                .is_ok_and(|p| p.starts_with(root().canonicalize().unwrap()));
            assert!(
                inside,
                "{}: broken or outside link {target}",
                file.display()
            );
        }
        assert!(
            !text.contains("shared/"),
            "{} cites a file outside the repository",
            file.display()
        );
    }
}
