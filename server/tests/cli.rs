//! The binary itself: its help text and the refusals it starts with.

use std::process::Command;

fn server() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cca-server"));
    command.env_remove("ANTHROPIC_ADMIN_KEY");
    command
}

#[test]
fn help_explains_every_option() {
    let output = server().arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for option in [
        "--listen",
        "--upstream",
        "--admin-key-file",
        "--router-base",
        "--api-base",
        "--cache",
        "--dist",
        "--auth",
        "--role",
        "--identity-header",
        "--trusted-proxy",
        "--roles",
        "--recent-ttl",
        "--upstream-concurrency",
        "--upstream-timeout",
        "ANTHROPIC_ADMIN_KEY",
        "demo",
        "127.0.0.1:8080",
        "https://api.anthropic.com",
        "/claude-code",
        "loopback",
    ] {
        assert!(
            help.contains(option),
            "--help does not mention {option}:\n{help}"
        );
    }
}

#[test]
fn local_mode_refuses_to_listen_on_every_address() {
    let output = server()
        .args([
            "--listen",
            "0.0.0.0:0",
            "--cache",
            "/nonexistent/never-created.sqlite3",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--auth local"), "{stderr}");
    assert!(stderr.contains("loopback"), "{stderr}");
    assert!(stderr.contains("0.0.0.0"), "{stderr}");
    assert!(stderr.contains("--auth proxy"), "{stderr}");
}

#[test]
fn an_unknown_role_in_the_roles_file_is_a_startup_error_naming_its_line() {
    let dir = std::env::temp_dir().join(format!("cca-server-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let roles = dir.join("roles.toml");
    std::fs::write(
        &roles,
        "[emails]\n\"a@corp.example\" = \"owner\"\n\n[domains]\n\"corp.example\" = \"viewer\"\n",
    )
    .unwrap();
    let output = server()
        .args([
            "--listen",
            "0.0.0.0:0",
            "--auth",
            "proxy",
            "--trusted-proxy",
            "127.0.0.1",
            "--roles",
        ])
        .arg(&roles)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("line 5") && stderr.contains("“viewer”"),
        "{stderr}"
    );
}

#[test]
fn an_admin_key_given_twice_is_refused_without_echoing_it() {
    let output = server()
        .env("ANTHROPIC_ADMIN_KEY", "sk-ant-admin01-CLI-SECRET")
        .args(["--admin-key-file", "/nonexistent/key"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("one way"), "{stderr}");
    assert!(!stderr.contains("CLI-SECRET"));
}

#[test]
fn a_bad_app_config_is_a_startup_error_naming_the_file_and_the_problem() {
    let help = server().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("--app-config") && help.contains("page_roles"),
        "{help}"
    );
    let dir =
        std::env::temp_dir().join(format!("cca-server-cli-app-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text, problem) in [
        ("not-json.json", "{\"page_roles\": {", "not valid JSON"),
        (
            "wrong-type.json",
            r#"{"page_roles":{"spend":"owner"}}"#,
            "“page_roles” must be",
        ),
    ] {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        let output = server()
            .args([
                "--cache",
                "/nonexistent/never-created.sqlite3",
                "--app-config",
            ])
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(&*file.to_string_lossy()), "{stderr}");
        assert!(stderr.contains("--app-config"), "{stderr}");
        assert!(stderr.contains(problem), "{name}: {stderr}");
    }
    let output = server()
        .args(["--app-config", "/nonexistent/cca-app.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("/nonexistent/cca-app.json") && stderr.contains("cannot read"),
        "{stderr}"
    );
}
