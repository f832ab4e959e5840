"""The distribution installs every package under the one `ilrkit` namespace and nothing at the top level."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOP_FOLDERS = ("addin", "cli", "converter", "generate", "refdata", "rules", "schemas", "server", "templates")


def _declared() -> tuple[list[str], dict[str, str]]:
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    return conf["packages"], conf["package-dir"]


def test_every_code_folder_is_a_declared_ilrkit_package():
    packages, dirs = _declared()
    found = set()
    for top in TOP_FOLDERS:
        for init in (ROOT / top).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT)
            found.add("ilrkit." + ".".join(rel.parts))
    missing = sorted(found - set(packages))
    assert not missing, f"add these to [tool.setuptools] packages in pyproject.toml: {missing}"
    assert all(p.startswith("ilrkit.") for p in packages)
    assert set(dirs) >= {f"ilrkit.{t}" for t in TOP_FOLDERS}


def test_console_script_points_at_the_cli():
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert conf["project"]["scripts"]["ilr"] == "ilrkit.cli.main:main"
    from ilrkit.cli.main import main

    assert callable(main)


def test_top_level_is_only_the_agreed_folders():
    allowed = {"addin", "cli", "converter", "generate", "refdata", "server", "templates", "schemas", "rules", "tests",
               "pyproject.toml", "README.md",
               ".ci", "benchmarks", "docs", "examples", ".gitignore", ".git"}
    import subprocess

    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    tops = {p.split("/")[0] for p in tracked}
    assert tops <= allowed, f"unexpected top-level entries: {sorted(tops - allowed)}"
