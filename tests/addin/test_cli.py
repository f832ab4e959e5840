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


ZOE_PYTHON = "C:\\Users\\Zoë\\AppData\\Local\\Programs\\Python\\Python312\\python.exe"


def test_windows_settings_are_written_in_the_ansi_code_page(tmp_path, monkeypatch):
    """xlwings' VBA reads the file with Open ... For Input, in Windows' ANSI code page: UTF-8 would turn the ë of
    C:\\Users\\Zoë into two wrong letters and Excel would not find Python."""
    monkeypatch.setattr(inst.locale, "getencoding", lambda: "cp1252")  # what a British Windows reports
    conf = tmp_path / ".ilrkit" / "ilrkit.conf"
    conf.parent.mkdir()
    conf.write_bytes('"INTERPRETER_WIN","C:\\old\\python.exe"\n"LICENSE_KEY","käse"\n'.encode())  # an old UTF-8 file
    inst.write_config(conf, "windows", ZOE_PYTHON)
    raw = conf.read_bytes()
    assert "Zoë".encode("cp1252") in raw and "Zoë".encode("utf-8") not in raw
    lines = raw.decode("cp1252").split("\r\n")
    assert lines == ['"LICENSE_KEY","käse"', f'"INTERPRETER_WIN","{ZOE_PYTHON}"',
                     '"ADD_WORKBOOK_TO_PYTHONPATH","False"', ""]


def test_windows_uses_mbcs_where_python_has_it(monkeypatch):
    import codecs
    from types import SimpleNamespace

    def lookup(name):
        if name != "mbcs":
            raise LookupError(name)
        return SimpleNamespace(name="mbcs")

    monkeypatch.setattr(inst, "codecs", SimpleNamespace(lookup=lookup))
    assert inst.config_encoding("windows") == "mbcs"
    assert inst.config_encoding("mac") == "utf-8"
    assert codecs.lookup("utf-8")  # the real module is untouched


def test_a_python_path_the_code_page_cannot_hold_is_refused_plainly(tmp_path, monkeypatch):
    monkeypatch.setattr(inst.locale, "getencoding", lambda: "cp1252")
    conf = tmp_path / "ilrkit.conf"
    with pytest.raises(inst.InputError, match="plain name"):
        inst.write_config(conf, "windows", "C:\\Users\\Łukasz\\python.exe")
    assert not conf.exists()


def test_mac_settings_are_utf8_and_keep_the_workbook_folder_off_the_path(tmp_path):
    conf = tmp_path / "ilrkit.conf"
    inst.write_config(conf, "mac", "/Users/zoë/.venv/bin/python")
    assert conf.read_text(encoding="utf-8").splitlines() == [
        '"INTERPRETER_MAC","/Users/zoë/.venv/bin/python"', '"ADD_WORKBOOK_TO_PYTHONPATH","False"']


@pytest.mark.parametrize("refused", ["startup", "settings", "scripts"])
def test_mac_refused_folder_asks_to_start_excel_first(tmp_path, monkeypatch, refused):
    monkeypatch.setattr(inst.sys, "platform", "darwin")
    monkeypatch.setattr(inst, "excel_startup_dir", lambda: None)
    monkeypatch.setenv("HOME", str(tmp_path))

    def no(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted", str(tmp_path / "Library" / "Containers"))

    target = {"startup": "build_addin", "settings": "write_config"}.get(refused)
    if target:
        monkeypatch.setattr(inst, target, no)
    else:
        monkeypatch.setattr(inst.shutil, "copy", no)
    result = runner.invoke(app, ["install"])
    assert result.exit_code == 2, result.output
    assert "Start Excel once" in result.output and "Traceback" not in result.output
