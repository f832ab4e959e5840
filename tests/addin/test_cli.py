import pytest
from typer.testing import CliRunner

from ilrkit.addin import install as inst
from ilrkit.addin.cli import app

runner = CliRunner()


def test_build_command(tmp_path):
    result = runner.invoke(app, ["build", "-o", str(tmp_path)])
    assert result.exit_code == 0 and (tmp_path / "ilrkit.xlam").is_file()
    again = runner.invoke(app, ["build", "-o", str(tmp_path)])
    assert again.exit_code == 2 and "already exists" in again.output and "Traceback" not in again.output


def test_install_on_linux_says_why_not(tmp_path, monkeypatch):
    monkeypatch.setattr(inst.sys, "platform", "linux")
    result = runner.invoke(app, ["install"])
    assert result.exit_code == 2 and "Windows or macOS" in result.output


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_install_steps(tmp_path, monkeypatch, platform):
    monkeypatch.setattr(inst, "excel_startup_dir", lambda: None)
    monkeypatch.setenv("APPDATA", str(tmp_path / "AppData"))
    done = inst.install(platform=platform, home=tmp_path, python="/opt/py/python")
    assert done.addin.is_file() and done.addin.name == "ilrkit.xlam"
    conf = inst.config_path(inst.platform_name(platform), tmp_path)
    key = "INTERPRETER_WIN" if platform == "win32" else "INTERPRETER_MAC"
    assert f'"{key}","/opt/py/python"' in conf.read_text()
    assert any("Restart" in s or "start it again" in s for s in done.steps)
    if platform == "darwin":
        assert list((tmp_path / inst.MAC_SCRIPTS).glob("xlwings-*.applescript"))
    assert "Removed" in inst.uninstall(platform=platform, home=tmp_path)[0]
