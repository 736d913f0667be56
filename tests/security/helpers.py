"""Small shared checks of the security regressions: what the media store holds, walked file by file."""
from __future__ import annotations

import os


def stored_files(app) -> dict[str, bytes]:
    """Every file in the app's media folder (walked on disk, not found through database rows)."""
    root = app.extensions["hunar"].media_store.root
    out = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, root).replace(os.sep, "/")] = f.read()
    return out
