"""The environments learners and CI build must agree with each other."""

import re
from pathlib import Path

import pytest
from packaging.version import Version

# These read the project's packaging files: run once, on the default backend.
pytestmark = pytest.mark.backend_independent

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parent.parent


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def constraints(filename: str = "constraints.txt") -> dict[str, str]:
    pins = {}
    for line in (ROOT / filename).read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[normalise(name)] = version
    return pins


def environment_pins() -> dict[str, str]:
    text = (ROOT / "environment.yml").read_text()
    return {normalise(n): v for n, v in re.findall(r"^\s+- ([A-Za-z0-9_.\-]+)==(\S+)$", text, re.M)}


def requirement_name(requirement: str) -> str:
    return normalise(re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0])


def test_environment_yml_pins_match_the_constraints():
    locked, pinned = constraints(), environment_pins()
    assert pinned, "environment.yml lists no pinned pip packages"
    mismatched = {n: (v, locked.get(n)) for n, v in pinned.items() if locked.get(n) != v}
    assert not mismatched, f"environment.yml vs constraints.txt (yml, lock): {mismatched}"


def test_environment_yml_has_every_runtime_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    needed = {requirement_name(r) for r in project["dependencies"]}
    needed |= {requirement_name(r) for r in project["optional-dependencies"]["cpu"]}
    missing = needed - set(environment_pins())
    assert not missing, f"environment.yml lacks {sorted(missing)}"


def test_constraints_pin_every_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + [
        r for extra in ("cpu", "dev") for r in project["optional-dependencies"][extra]
    ]
    missing = {requirement_name(r) for r in requirements} - set(constraints())
    assert not missing, f"constraints.txt lacks {sorted(missing)}"


def test_environment_yml_pins_python():
    assert re.search(r"^\s+- python=3\.\d+$", (ROOT / "environment.yml").read_text(), re.M)


def test_binder_installs_the_package_after_the_environment():
    assert "pip install --no-deps -e ." in (ROOT / "postBuild").read_text()


def lower_bounds(requirements: list[str]) -> dict[str, Version]:
    """{name: version} of each `name>=version` requirement; fails on one without a lower bound."""
    bounds = {}
    for requirement in requirements:
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?>=([0-9][0-9.]*)", requirement)
        assert match, f"{requirement!r} should be `name>=version`, the oldest version tested"
        bounds[normalise(match[1])] = Version(match[2])
    return bounds


def test_the_lower_bounds_are_exactly_what_the_tests_run():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    # Runtime dependencies and TensorFlow: installed at their lower bounds in .venv-floor.
    runtime = lower_bounds(project["dependencies"] + extras["cpu"])
    floor = constraints("constraints-floor.txt")
    assert {name: Version(version) for name, version in floor.items()} == runtime
    assert lower_bounds(extras["tensorflow"]) == {"tensorflow": runtime["tensorflow-cpu"]}
    # JAX and PyTorch run the unit tests in .venv only: their lower bound is the version there.
    backends = lower_bounds(extras["jax"] + extras["torch"])
    assert backends == {name: Version(constraints()[name]) for name in backends}


def test_the_translations_a_lesson_shows_are_installed_with_the_package():
    """`pip install vaekit` (Colab) must bring vaekit/locale/*.json, which is not Python."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = project["tool"]["setuptools"]["package-data"]["vaekit"]
    shipped = {path for pattern in patterns for path in (ROOT / "vaekit").glob(pattern)}
    assert {ROOT / "vaekit" / "locale" / "ko.json"} <= shipped
