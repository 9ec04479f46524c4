"""Sphinx configuration of the course website (`make site`, output in build/site/).

`make site` lays out its sources in build/site-src/ (not committed): this folder's files at
the top, beside the repository's own README.md, INSTRUCTORS.md, DEVICES.md, data/README.md,
benchmarks/RESULTS.md and notebooks/*.ipynb, each at its path in the repository. So the
Markdown files' relative links (`notebooks/...`, `INSTRUCTORS.md#...`) and the launch buttons'
paths (`notebooks/03_variational_autoencoder.ipynb`) are the repository's own. The lessons are
shown with the outputs they are committed with: nothing is executed.
"""

import inspect
import os
import re

from docutils import nodes

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # autodoc imports vaekit, hence Keras

import vaekit  # noqa: E402

project = "vaekit"
author = "the vaekit authors"
copyright = "the vaekit authors; MIT licence (code), MNIST: CC BY-SA 3.0"
version = release = vaekit.__version__

REPOSITORY = "https://github.com/vaekit/vaekit"  # README.md's Colab and Binder links

extensions = [
    "myst_nb",  # Markdown (MyST) and notebooks; it loads myst_parser itself
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
]

root_doc = "index"
templates_path = ["_templates"]
# README.md is the home page's text ({include} in index.md), not a page of its own.
exclude_patterns = ["README.md", "_build", "**.ipynb_checkpoints", "jupyter_execute"]

# Warnings fail the build (sphinx-build -W --keep-going), and every cross-reference must resolve.
nitpicky = True
# Except types of other libraries: the site is built offline, so there is no intersphinx
# inventory for NumPy, Keras, TensorFlow, Matplotlib, scikit-learn, SciPy, JAX, PyTorch, or
# Python's own standard library (pathlib.Path, collections.abc.Sequence in type hints).
_EXTERNAL = ["numpy", "np", "keras", "tf", "tensorflow", "matplotlib", "plt", "sklearn", "scipy"]
_EXTERNAL += ["jax", "torch", "pathlib", "os", "collections", "typing", "numbers"]
nitpick_ignore_regex = [(r"py:.*", rf"({'|'.join(_EXTERNAL)})(\..*)?")]
# A type variable in a signature (`choose(...) -> T`): autodoc has no page to link it to.
nitpick_ignore = [("py:class", "vaekit.runtime.T")]

# The lessons as committed (`make lessons` executes them); the site never runs a kernel.
nb_execution_mode = "off"
nb_merge_streams = True
# Lesson 3's latent explorer is an ipywidget whose state is not saved with the notebook: show
# the figure it was saved with, and load no widget JavaScript from a CDN.
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
nb_ipywidgets_js = {}

myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3  # `INSTRUCTORS.md#what-each-lesson-asserts`, as on GitHub

# The API reference: one page per module of vaekit, generated at build time from docstrings.
autosummary_generate = True
autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_custom_sections = [("Call arguments", "params_style")]
default_role = "code"  # `x` in a docstring is code, as in the rest of the course

html_theme = "sphinx_book_theme"
html_title = "vaekit — from PCA to variational autoencoders"
html_static_path = ["_static"]  # the static latent explorer (explorer.md)
html_copy_source = True  # the download button's .ipynb and .md
html_theme_options = {
    "repository_url": REPOSITORY,
    "repository_branch": "main",
    "path_to_docs": "",
    "use_repository_button": True,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "launch_buttons": {
        "colab_url": "https://colab.research.google.com",
        "binderhub_url": "https://mybinder.org",
        "notebook_interface": "jupyterlab",
    },
    "show_navbar_depth": 1,
    "home_page_in_toc": True,
}
# Light or dark as the reader's system is (unset, the theme logs an error in the console).
html_context = {"default_mode": "auto"}


def _init_signature(app, what, name, obj, options, signature, return_annotation):
    """A Keras class's own `__init__` arguments, not `keras.layers.Layer.__new__`'s
    `(*args, **kwargs)`, which autodoc would show for every layer and model."""
    own = getattr(getattr(obj, "__init__", None), "__module__", None) or ""
    if what != "class" or signature != "(*args, **kwargs)" or not own.startswith("vaekit"):
        return None
    parameters = list(inspect.signature(obj.__init__).parameters.values())[1:]  # not self
    bare = [p.replace(annotation=inspect.Parameter.empty) for p in parameters]
    return str(inspect.Signature(bare)), None


_LINKED_TYPES = {"function", "class", "method", "property", "attribute"}


def _api_names(domain) -> dict[str, set]:
    """Each way a lesson writes a name of vaekit's API — `build_vae`, `VAE.compute_loss`,
    `losses.gaussian_kl`, `vaekit.models.build_vae` — with the entries it can mean."""
    names: dict[str, set] = {}
    for fullname, entry in domain.objects.items():
        if not fullname.startswith("vaekit."):
            continue
        parts = fullname.split(".")
        suffixes = [".".join(parts[-k:]) for k in (1, 2)] if entry.objtype in _LINKED_TYPES else []
        for name in {fullname, *suffixes}:
            names.setdefault(name, set()).add((fullname, entry.docname, entry.node_id))
    return names


def _link_api_names(app, doctree, docname):
    """In a lesson's prose, inline code naming one entry of the API reference links to it:
    `build_vae`, `build_vae(...)`, `vaekit.VAE.compute_loss`. A name several entries share
    (`fit`) stays plain."""
    if not docname.startswith("notebooks/"):
        return
    names = _api_names(app.env.get_domain("py"))
    for literal in list(doctree.findall(nodes.literal)):
        if isinstance(literal.parent, nodes.reference):
            continue
        name = re.sub(r"\(.*\)$", "", literal.astext().strip())
        entries = names.get(name) or names.get(name.removeprefix("vaekit."))
        if not entries or len(entries) != 1:
            continue
        [(fullname, target, anchor)] = entries
        uri = app.builder.get_relative_uri(docname, target) + (f"#{anchor}" if anchor else "")
        link = nodes.reference("", "", internal=True, refuri=uri, reftitle=fullname)
        literal.replace_self(link)
        link.append(literal)


def setup(app):
    app.connect("autodoc-process-signature", _init_signature)
    app.connect("doctree-resolved", _link_api_names)
