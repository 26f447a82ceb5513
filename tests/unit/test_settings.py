from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app import describe_start
from plf_core.errors import ConfigurationError
from settings import DEFAULT_DATABASE_URL, load_settings

GUID = "11111111-2222-3333-4444-555555555555"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        "DATABASE_URL",
        "MICROSOFT_APP_ID",
        "MICROSOFT_APP_PASSWORD",
        "MICROSOFT_APP_TENANT_ID",
        "ALLOWED_TENANT_IDS",
        "HOST",
        "PORT",
        "TIMEZONE",
        "TIMETABLE_FILE",
        "LOG_LEVEL",
        "LOG_FORMAT",
        "PUBLIC_URL",
        "LINK_SECRET",
        "LINK_DAYS",
        "MICROSOFT_APP_CERT_PFX_FILE",
        "PLF_NOW",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults_are_local_mode_on_loopback_with_sqlite() -> None:
    settings = load_settings()
    assert settings.local_mode
    assert (settings.host, settings.port) == ("127.0.0.1", 3978)
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.timezone == "Europe/London"
    assert (settings.log_level, settings.log_format) == ("INFO", "text")


def test_values_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "4000")
    monkeypatch.setenv("ALLOWED_TENANT_IDS", f"{GUID}, {GUID.replace('1', '9')}")
    monkeypatch.setenv("LOG_FORMAT", "JSON")
    monkeypatch.setenv("log_level", "debug")
    settings = load_settings()
    assert settings.port == 4000
    assert settings.allowed_tenant_ids == (GUID, GUID.replace("1", "9"))
    assert (settings.log_level, settings.log_format) == ("DEBUG", "json")


def test_a_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("PORT=3999\n")
    assert load_settings().port == 3999


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("PORT", "abc", "setting PORT: "),
        ("PORT", "70000", "setting PORT: "),
        ("TIMEZONE", "Mars/Olympus", "setting TIMEZONE: 'Mars/Olympus' is not a time zone"),
        ("LOG_FORMAT", "xml", "setting LOG_FORMAT: "),
        ("LOG_LEVEL", "loud", "setting LOG_LEVEL: "),
        (
            "ALLOWED_TENANT_IDS",
            "contoso",
            "setting ALLOWED_TENANT_IDS: 'contoso' is not a tenant id",
        ),
        ("TIMETABLE_FILE", "/nowhere/timetable.yaml", "setting TIMETABLE_FILE: no such file"),
        ("DATABASE_URL", "mysql://x@y/z", "setting DATABASE_URL: unsupported database 'mysql'"),
        ("MICROSOFT_APP_ID", "not-a-guid", "setting MICROSOFT_APP_ID: 'not-a-guid' is not a GUID"),
    ],
)
def test_a_bad_value_names_the_setting_in_one_line(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(expected)
    assert "\n" not in message


def test_local_mode_refuses_a_host_other_than_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOST", "0.0.0.0")
    with pytest.raises(ConfigurationError, match=r"HOST=0\.0\.0\.0 is not allowed in local mode"):
        load_settings()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_local_mode_accepts_loopback_hosts(monkeypatch: pytest.MonkeyPatch, host: str) -> None:
    monkeypatch.setenv("HOST", host)
    assert load_settings().host == host


def test_an_app_id_needs_its_password_and_tenant_and_may_bind_anywhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MICROSOFT_APP_ID", GUID)
    with pytest.raises(
        ConfigurationError, match=r"MICROSOFT_APP_PASSWORD \(a client secret\) or MICROSOFT_APP_CERT_PFX_FILE"
    ):
        load_settings()
    monkeypatch.setenv("MICROSOFT_APP_PASSWORD", "s3cret")
    monkeypatch.setenv("MICROSOFT_APP_TENANT_ID", GUID)
    monkeypatch.setenv("HOST", "0.0.0.0")
    with pytest.raises(ConfigurationError, match="PUBLIC_URL is required"):
        load_settings()
    monkeypatch.setenv("PUBLIC_URL", "https://plf.example.org/")
    with pytest.raises(ConfigurationError, match="LINK_SECRET is required"):
        load_settings()
    monkeypatch.setenv("LINK_SECRET", "too-short")
    with pytest.raises(ConfigurationError, match="LINK_SECRET must be at least 32 characters") as caught:
        load_settings()
    assert "too-short" not in str(caught.value)
    monkeypatch.setenv("LINK_SECRET", "x" * 32)
    settings = load_settings()
    assert not settings.local_mode
    assert settings.host == "0.0.0.0"
    assert settings.base_url == "https://plf.example.org"


@pytest.mark.parametrize(("name", "value"), [("MICROSOFT_APP_TENANT_ID", ""), ("PORT", "x")])
def test_the_password_is_never_echoed_in_an_error(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv("MICROSOFT_APP_ID", GUID)
    monkeypatch.setenv("MICROSOFT_APP_PASSWORD", "s3cret-value")
    monkeypatch.setenv("MICROSOFT_APP_TENANT_ID", GUID)
    monkeypatch.setenv("PUBLIC_URL", "https://plf.example.org")
    monkeypatch.setenv("LINK_SECRET", "y" * 40)
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    assert name in str(caught.value)
    assert "s3cret" not in str(caught.value)


def test_a_certificate_can_stand_in_for_the_client_secret(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from microsoft_agents.hosting.core.authorization import AuthTypes

    from bot.adapter import build_edge

    for name, value in {
        "MICROSOFT_APP_ID": GUID,
        "MICROSOFT_APP_TENANT_ID": GUID,
        "PUBLIC_URL": "https://plf.example.org",
        "LINK_SECRET": "z" * 32,
        "MICROSOFT_APP_CERT_PFX_FILE": str(tmp_path / "missing.pfx"),
    }.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match="setting MICROSOFT_APP_CERT_PFX_FILE: no such file"):
        load_settings()
    certificate = tmp_path / "plf.pfx"
    certificate.write_bytes(b"synthetic, never read in this test")
    monkeypatch.setenv("MICROSOFT_APP_CERT_PFX_FILE", str(certificate))
    settings = load_settings()
    edge = build_edge(GUID, None, GUID, cert_pfx_file=settings.microsoft_app_cert_pfx_file)
    assert edge.auth_configuration is not None
    assert AuthTypes.certificate == edge.auth_configuration.AUTH_TYPE
    assert str(certificate) == edge.auth_configuration.CERT_PFX_FILE
    assert edge.auth_configuration.CLIENT_SECRET is None
    secret = build_edge(GUID, "s3cret", GUID).auth_configuration
    assert secret is not None
    assert AuthTypes.client_secret == secret.AUTH_TYPE


def test_plf_now_starts_the_clock_at_a_chosen_instant_in_local_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLF_NOW", "2026-12-24T09:05")
    settings = load_settings()
    clock = settings.clock()
    assert clock.today() == date(2026, 12, 24)
    assert clock.now() >= datetime(2026, 12, 24, 9, 5, tzinfo=ZoneInfo("Europe/London"))
    assert "the clock started at Thu 24 Dec 2026 09:05 GMT (PLF_NOW)" in describe_start(settings)
    monkeypatch.setenv("PLF_NOW", "Christmas Eve")
    with pytest.raises(ConfigurationError, match=r"setting PLF_NOW: 'Christmas Eve' is not a date and time"):
        load_settings()


def test_plf_now_is_refused_with_an_app_id(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (
        ("MICROSOFT_APP_ID", GUID),
        ("MICROSOFT_APP_PASSWORD", "s3cret"),
        ("MICROSOFT_APP_TENANT_ID", GUID),
        ("PUBLIC_URL", "https://plf.example.org/"),
        ("LINK_SECRET", "x" * 32),
    ):
        monkeypatch.setenv(name, value)
    assert load_settings().clock().now().year >= 2026  # the system's clock
    monkeypatch.setenv("PLF_NOW", "2026-12-24T09:05")
    with pytest.raises(ConfigurationError, match=r"PLF_NOW .* is accepted only in local mode"):
        load_settings()
