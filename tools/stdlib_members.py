"""Prints the public members of Python's standard-library modules as JSON, for the name channel.

Only the standard library: sys.stdlib_module_names, imported by this interpreter (run it with
Python 3.11); a package's submodules that its import binds (`os.path`) are listed under their dotted
name. Modules with a GUI, a demo or a test suite are left out.
"""

import contextlib
import importlib
import io
import json
import sys
import sysconfig
import types
import warnings

SKIPPED = {
    "antigravity",
    "this",
    "idlelib",
    "tkinter",
    "turtle",
    "turtledemo",
    "test",
    "lib2to3",
    "ensurepip",
    "pydoc_data",
}
STDLIB = sysconfig.get_paths()["stdlib"]


def from_stdlib(module: types.ModuleType) -> bool:
    """Built in, or a file of the standard library's folder (not a shim from site-packages)."""
    path = getattr(module, "__file__", None)
    return path is None or (path.startswith(STDLIB) and "-packages" not in path)


def public(module: types.ModuleType) -> list[str]:
    return sorted(name for name in dir(module) if not name.startswith("_"))


def main() -> None:
    warnings.simplefilter("ignore")
    modules: dict[str, str] = {}
    for name in sorted(sys.stdlib_module_names):
        if name.startswith("_") or name in SKIPPED:
            continue
        try:
            with (
                contextlib.redirect_stdout(io.StringIO()),
                contextlib.redirect_stderr(io.StringIO()),
            ):
                module = importlib.import_module(name)
        except BaseException:  # noqa: BLE001, S112 - a module this platform lacks (winreg, ...) is skipped
            continue
        if not from_stdlib(module):
            continue
        modules[name] = " ".join(public(module))
        for member in public(module):
            sub = getattr(module, member, None)
            is_own = isinstance(sub, types.ModuleType) and sub.__name__.split(".")[
                0
            ] in (name, "posixpath")
            if is_own and from_stdlib(sub):
                modules[f"{name}.{member}"] = " ".join(public(sub))
    version = ".".join(map(str, sys.version_info[:3]))
    json.dump(
        {"python": version, "modules": modules}, sys.stdout, separators=(",", ":")
    )


if __name__ == "__main__":
    main()
