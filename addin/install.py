"""Install the desktop add-in for the current user on Windows or macOS, and say exactly what was done.

Three things make the ILR tab work:

1. ``ilrkit.xlam`` in Excel's startup folder (XLSTART), which Excel opens, as an add-in, every time it starts;
2. a settings file telling the add-in which Python has ilrkit (``INTERPRETER_WIN``/``INTERPRETER_MAC``),
   read by xlwings' RunPython code: ``%USERPROFILE%\\.ilrkit\\ilrkit.conf`` or, on a Mac, Excel's sandbox
   folder ``~/Library/Containers/com.microsoft.Excel/Data/ilrkit.conf``, in the encoding xlwings' VBA reads (the
   ANSI code page on Windows), with ``ADD_WORKBOOK_TO_PYTHONPATH`` off;
3. on a Mac only, xlwings' AppleScript file, which lets Excel start Python at all.
"""

from __future__ import annotations

import codecs
import locale
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ilrkit.addin.build import ADDIN_NAME, PROJECT, build_addin
from ilrkit.converter.errors import InputError

MAC_STARTUP = "Library/Group Containers/UBF8T346G9.Office/User Content.localized/Startup.localized/Excel"
MAC_SANDBOX = "Library/Containers/com.microsoft.Excel/Data"
MAC_SCRIPTS = "Library/Application Scripts/com.microsoft.Excel"


@dataclass
class Installed:
    steps: list[str] = field(default_factory=list)
    addin: Path | None = None

    def did(self, text: str) -> None:
        self.steps.append(text)


def platform_name(platform: str | None = None) -> str:
    platform = platform or sys.platform
    if platform.startswith("win"):
        return "windows"
    if platform == "darwin":
        return "mac"
    return "other"


def default_startup_dir(platform: str, home: Path) -> Path:
    if platform == "windows":
        appdata = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
        return appdata / "Microsoft" / "Excel" / "XLSTART"
    return home / MAC_STARTUP


def excel_startup_dir() -> Path | None:
    """The startup folder Excel itself reports, when Excel and xlwings can be reached (else None)."""
    try:
        import xlwings as xw

        if xw.apps:
            return Path(xw.apps.active.startup_path)
    except Exception:  # noqa: BLE001 - no Excel, or no automation allowed: use the usual folder
        return None
    return None


def config_path(platform: str, home: Path) -> Path:
    if platform == "windows":
        return home / f".{PROJECT}" / f"{PROJECT}.conf"
    return home / MAC_SANDBOX / f"{PROJECT}.conf"


def config_encoding(platform: str) -> str:
    """The encoding xlwings' VBA reads its settings file in (``Open ... For Input``): on Windows the ANSI code
    page (cp1252 on an English Windows), which is also what xlwings itself writes (``open(path, "w")``); on a Mac
    UTF-8. ``mbcs`` is Windows' own name for the ANSI code page; elsewhere (tests) the locale's encoding stands in."""
    if platform != "windows":
        return "utf-8"
    try:
        return codecs.lookup("mbcs").name
    except LookupError:
        return locale.getencoding()


def _read_lines(path: Path, encoding: str) -> list[str]:
    if not path.is_file():
        return []
    raw = path.read_bytes()
    # earlier ilrkit versions wrote UTF-8; text in a code page with accents is almost never valid UTF-8
    for candidate in ("utf-8", encoding):
        try:
            return raw.decode(candidate).splitlines()
        except UnicodeDecodeError:
            continue
    return raw.decode(encoding, errors="replace").splitlines()


def write_config(path: Path, platform: str, python: str) -> None:
    """xlwings' settings format: one ``"KEY","VALUE"`` line each, in the encoding its VBA reads. Other lines of
    the file are kept. The workbook's own folder is kept off Python's path, so that a stray ``pandas.py`` next to
    a workbook cannot stand in for the real package."""
    key = "INTERPRETER_WIN" if platform == "windows" else "INTERPRETER_MAC"
    settings = {key: python, "ADD_WORKBOOK_TO_PYTHONPATH": "False"}
    encoding = config_encoding(platform)
    lines = [ln for ln in _read_lines(path, encoding) if not any(ln.startswith(f'"{k}"') for k in settings)]
    lines += [f'"{k}","{v}"' for k, v in settings.items()]
    text = "\n".join(lines) + "\n"
    try:
        content = text.encode(encoding)
    except UnicodeEncodeError:
        raise InputError(f"Excel cannot read the Python location {python} (its name has characters this Windows' "
                         "code page does not have). Install Python in a folder with a plain name, such as "
                         "C:\\Python, then run 'ilr addin install' again.") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.replace(b"\n", b"\r\n") if platform == "windows" else content)


def install(*, platform: str | None = None, home: Path | None = None, startup_dir: Path | None = None,
            python: str | None = None) -> Installed:
    """Build the add-in and install it for this user. Raises ``InputError`` on Linux or when Excel holds
    the file open."""
    platform = platform_name(platform)
    if platform == "other":
        raise InputError("The Excel add-in installs on Windows or macOS, where Excel runs. On this computer use "
                         "'ilr addin build -o FOLDER' and copy ilrkit.xlam to the Windows or Mac computer.")
    home = home or Path.home()
    python = python or sys.executable
    startup = startup_dir or excel_startup_dir() or default_startup_dir(platform, home)
    done = Installed()
    try:
        startup.mkdir(parents=True, exist_ok=True)
        done.addin = build_addin(startup, force=True)
    except PermissionError as exc:
        if platform == "mac":
            raise _mac_refused(exc, startup) from None
        raise InputError(f"Could not write {startup / ADDIN_NAME}: Excel may have it open. Quit Excel, then run "
                         "'ilr addin install' again.") from None
    done.did(f"Copied the add-in to {done.addin} (Excel opens it each time it starts).")
    conf = config_path(platform, home)
    try:
        write_config(conf, platform, python)
    except PermissionError as exc:
        if platform == "mac":
            raise _mac_refused(exc, conf.parent) from None
        raise InputError(f"Could not write {conf}: check that you may write to {conf.parent}, then run "
                         "'ilr addin install' again.") from None
    done.did(f"Told the add-in to use the Python at {python} (setting saved in {conf}).")
    if platform == "mac":
        import xlwings

        script = Path(xlwings.__file__).parent / f"xlwings-{xlwings.__version__}.applescript"
        target = home / MAC_SCRIPTS
        try:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy(script, target / script.name)
        except PermissionError as exc:
            raise _mac_refused(exc, target) from None
        done.did(f"Let Excel start Python: copied {script.name} to {target}.")
    done.did("Quit Excel completely and start it again: the ILR tab appears on the ribbon. If Excel asks, "
             "choose Enable Macros for ilrkit.xlam.")
    return done


def _mac_refused(exc: PermissionError, folder: Path) -> InputError:
    """macOS guards Excel's folders until Excel has made them, and may ask before another app writes there."""
    return InputError(f"macOS did not let ilrkit write to {Path(exc.filename or folder)}. Start Excel once and "
                      "quit it (Excel makes its folders the first time it runs), then run 'ilr addin install' "
                      "again. If macOS asks whether Terminal may access data from other apps, choose Allow.")


def uninstall(*, platform: str | None = None, home: Path | None = None, startup_dir: Path | None = None) -> list[str]:
    platform = platform_name(platform)
    home = home or Path.home()
    startup = startup_dir or excel_startup_dir() or default_startup_dir(platform, home)
    target = startup / ADDIN_NAME
    if target.exists():
        target.unlink()
        return [f"Removed {target}. Restart Excel to remove the ILR tab."]
    return [f"The add-in was not installed at {target}; nothing was removed."]
