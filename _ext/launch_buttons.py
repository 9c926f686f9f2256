"""Sphinx extension: launch buttons (Binder, Colab) and the repository button only once the book has an address.

The book's public repository is set in one place, ``repository.url`` in _config.yml (Jupyter Book passes it
to the theme as ``html_theme_options["repository_url"]``). ``launch_buttons`` there names the services
(``binderhub_url``, ``colab_url``). sphinx-book-theme would build their links from the repository address, so
without one they would point nowhere (and Jupyter Book refuses ``use_repository_button`` with no address).
This extension makes the address the switch:

* address set: every notebook page gets the launch buttons configured in ``launch_buttons``, and every page
  the repository button;
* no address: no launch button and no repository button; the page keeps its ``.ipynb`` download.

The buttons are plain links: a page still requests nothing from another host when it loads.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.config import Config

#: The keys of ``launch_buttons`` that name a remote service (sphinx-book-theme 1.x).
SERVICES = ("binderhub_url", "jupyterhub_url", "colab_url", "deepnote_url", "jupyterlite_url")


def _switch_buttons(app: Sphinx, config: Config) -> None:
    options = dict(config.html_theme_options or {})
    launch = dict(options.get("launch_buttons") or {})
    if (options.get("repository_url") or "").strip():
        options["use_repository_button"] = True
    else:
        options["repository_url"] = ""
        options["use_repository_button"] = False
        launch.update({key: "" for key in SERVICES})
        launch["thebe"] = False
    options["launch_buttons"] = launch
    config.html_theme_options = options


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _switch_buttons)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
