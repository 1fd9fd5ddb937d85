"""Usage: check_versions.py SOURCE_ROOT VERSION

VERSION is meson.build's project version, the one source of libbackoff's
version. Every file that has to state it again, because its tool cannot
read meson.build, must agree: the header's macros (what the library reports
at run time), the Rust workspace's crate version and libbackoff's
requirement on backoff-sys, and debian/changelog's upstream version. The
rest (backoff.pc, the CMake version file, the .so name) is derived by Meson.
"""
import pathlib
import re
import sys
import tomllib

root = pathlib.Path(sys.argv[1])
version = sys.argv[2]
stated = {}

header = (root / "include/backoff/backoff.h").read_text()
parts = [re.search(rf"#define BACKOFF_VERSION_{p} (\d+)", header).group(1)
         for p in ("MAJOR", "MINOR", "PATCH")]
stated["include/backoff/backoff.h BACKOFF_VERSION_MAJOR/MINOR/PATCH"] = ".".join(parts)
stated["include/backoff/backoff.h BACKOFF_VERSION_STRING"] = re.search(
    r'#define BACKOFF_VERSION_STRING "([^"]*)"', header).group(1)

rust = root / "bindings/rust"
workspace = tomllib.loads((rust / "Cargo.toml").read_text())
stated["bindings/rust/Cargo.toml [workspace.package] version"] = workspace["workspace"]["package"]["version"]
safe = tomllib.loads((rust / "libbackoff/Cargo.toml").read_text())
stated["bindings/rust/libbackoff/Cargo.toml backoff-sys requirement"] = (
    safe["dependencies"]["backoff-sys"]["version"].lstrip("=^"))

changelog = (root / "debian/changelog").read_text().splitlines()[0]
debian_version = re.match(r"\S+ \(([^)]+)\)", changelog).group(1)
upstream = debian_version.split(":", 1)[-1].rsplit("-", 1)[0]
stated["debian/changelog (latest entry, upstream part)"] = upstream

wrong = {where: v for where, v in stated.items() if v != version}
for where, v in wrong.items():
    print(f"{where} says {v}, meson.build says {version}")
if wrong:
    sys.exit(1)
print(f"all {len(stated)} version statements say {version}")
