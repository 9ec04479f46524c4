"""Every public callable of vaekit refuses bad input in words a learner understands.

For each case of `api_cases.CASES` (one per public function, class and method), Hypothesis
draws valid arguments (NumPy scalars included), which must be accepted, and then replaces one
argument with a bad value (wrong type, NaN, inf, 0–255 images, empty or mis-shaped arrays,
mismatched lengths, sizes out of range such as 2**63), which must be refused with a ValueError
or TypeError whose message names that argument and shows what was received. A refused call
must leave a model, judge, scorer, sampler or layer giving the same results as before.

HYPOTHESIS_PROFILE=thorough draws many more examples (see conftest.py).
"""

import re

import keras
import matplotlib.pyplot as plt
import numpy as np
import pytest
from api_cases import CASES, EXCLUDED, Together, Use, World, public_callables
from hypothesis import given, settings

BACKEND = keras.config.backend()


def _marks(case) -> list:
    marks = [] if case.uses_backend else [pytest.mark.backend_independent]
    if BACKEND not in case.backends:
        marks.append(pytest.mark.skip(reason=f"{case.name} does not support {BACKEND}"))
    return marks


VALID_CASES = [pytest.param(case, id=case.id, marks=_marks(case))
               for case in CASES if case.valid is not None]
BAD_ARGUMENTS = [pytest.param(case, argument, id=f"{case.id}-{argument}", marks=_marks(case))
                 for case in CASES for argument in case.invalid]


@pytest.fixture(scope="module")
def world(request, tmp_path_factory):
    return World(request, tmp_path_factory.mktemp("public_api"))


def _examples(case) -> int:
    """The profile's number of examples, fewer for a costly call."""
    return max(1, settings.default.max_examples // case.cost)


def _resolved(world, arguments: dict) -> dict:
    return {name: getattr(world, value.attribute) if isinstance(value, Use) else value
            for name, value in arguments.items()}


def _call(case, world, arguments: dict):
    try:
        return case.call(world, **_resolved(world, arguments))
    finally:
        plt.close("all")


def _names(message: str, argument_names) -> bool:
    """Whether `message` names one of `argument_names` in backquotes (or a part of it, as in
    "`x[0] (images)`" or "`quality['coverage']`")."""
    return any(re.search(rf"`{re.escape(name)}(`|\[|\.|\s|\()", message)
               for name in argument_names)


def _assert_same_results(before: list, after: list) -> None:
    assert len(before) == len(after)
    for old, new in zip(before, after, strict=True):
        np.testing.assert_array_equal(new, old, err_msg="a refused call changed the results")


@pytest.mark.parametrize("case", VALID_CASES)
def test_valid_arguments_are_accepted(case, world):
    @settings(max_examples=_examples(case))
    @given(case.valid_arguments())
    def accepts(arguments):
        _call(case, world, arguments)

    accepts()


@pytest.mark.parametrize(("case", "argument"), BAD_ARGUMENTS)
def test_bad_argument_is_refused_by_name(case, argument, world):
    before = case.observe(world) if case.observe else None

    @settings(max_examples=_examples(case))
    @given(case.valid_arguments(), case.invalid[argument])
    def refuses(arguments, bad):
        arguments = {**arguments, **(bad if isinstance(bad, Together) else {argument: bad})}
        try:
            _call(case, world, arguments)
        except (ValueError, TypeError) as error:
            message = str(error)
        else:
            pytest.fail(f"{case.id} accepted {argument}={arguments[argument]!r}")
        if case.observe:
            _assert_same_results(before, case.observe(world))
        assert _names(message, case.names_for(argument)), f"does not name `{argument}`: {message}"
        assert "Received" in message, f"does not show what was received: {message}"

    refuses()


@pytest.mark.backend_independent
def test_every_public_callable_has_a_case():
    covered = {case.name for case in CASES} | {name for case in CASES for name in case.covers}
    public = public_callables()
    without_case = sorted(public - covered - set(EXCLUDED))
    assert not without_case, f"public callables without a case: {without_case}"
    gone = sorted((covered | set(EXCLUDED)) - public)
    assert not gone, f"cases or exclusions of callables that are not public: {gone}"
    assert not covered & set(EXCLUDED), "excluded callables that have a case"
