"""The studies (bncourse/studies/): every conclusion the notebooks state holds again on other seeds, with
the reduced configuration; the stored full runs are complete, on >= 5 seeds, and support the same
conclusions."""
import pytest

from bncourse import studies

NAMES = list(studies.STUDIES)


@pytest.mark.parametrize("name", NAMES)
def test_the_conclusions_hold_on_other_seeds(name):
    module = studies.study(name)
    assert not set(module.TEST_SEEDS) & (set(module.FULL["seeds"]) | set(module.REDUCED["seeds"]))
    assert not set(module.REDUCED["seeds"]) & set(module.FULL["seeds"])     # a notebook's rerun: other seeds
    assert len(module.TEST_SEEDS) >= 2
    results = module.run(**dict(module.REDUCED, seeds=module.TEST_SEEDS))
    assert module.conclusions(results)


@pytest.mark.parametrize("name", NAMES)
def test_the_stored_run_is_the_full_configuration_and_supports_the_conclusions(name):
    from bncourse.studies.__main__ import to_json
    module, stored = studies.study(name), studies.load(name)
    assert stored["config"] == to_json(module.FULL)
    assert len(module.FULL["seeds"]) >= 5
    assert {"cpu", "numpy", "python", "date"} <= set(stored["machine"])
    assert module.conclusions(stored["results"])
    assert module.table(stored["results"])


def test_an_unknown_study_is_refused():
    with pytest.raises(ValueError, match="no study"):
        studies.study("nothing")
