"""meson dist script: puts the core into the sdist.

In the repository, subprojects/libbackoff is a symlink to the repository's
root, so the core's sources exist once. An sdist cannot carry that link:
this replaces it, in the dist tree only, with the core's tracked files (the
other language bindings left out)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

LEFT_OUT = ("bindings/python/", "bindings/rust/", "bindings/go/")


def main() -> None:
    dist = Path(os.environ["MESON_PROJECT_DIST_ROOT"])
    source = Path(os.environ["MESON_PROJECT_SOURCE_ROOT"])
    core = (source / "subprojects" / "libbackoff").resolve()
    target = dist / "subprojects" / "libbackoff"
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.exists():
        shutil.rmtree(target)
    listed = subprocess.run(
        ["git", "-C", str(core), "ls-files", "-z"], check=True, capture_output=True
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        if name.startswith(LEFT_OUT):
            continue
        path = core / name
        if path.is_file() and not path.is_symlink():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / name)


if __name__ == "__main__":
    main()
