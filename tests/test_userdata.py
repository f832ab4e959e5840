from pathlib import Path

from ilrkit.schemas.userdata import user_data_dir


def test_override_by_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ILRKIT_DATA_DIR", str(tmp_path / "data"))
    assert user_data_dir() == tmp_path / "data"


def test_linux_default_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("ILRKIT_DATA_DIR", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert user_data_dir() == Path(tmp_path) / "ilrkit"
