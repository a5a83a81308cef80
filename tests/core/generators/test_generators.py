import inspect

import pandas as pd
import pytest

import core.generators as gen_pkg
from core.datasets import add_dataset, load_dataset, update_schema
from core.errors import UserInputError
from core.generators.base import MSG_BAD_PARAM, MSG_UNKNOWN_PARAM, Generator
from core.generators.registry import BUILTIN, MSG_UNKNOWN_GENERATOR, REGISTRY, get_generator
from core.generators.uploaded import MSG_IMPORT_ONLY
from core.runs import generate, import_run, list_runs, load_synthetic
from core.schema import TABLE_NAME


@pytest.mark.parametrize("key,params", [
    ("gaussian_copula", {}),
    ("ctgan", {"epochs": 2, "batch_size": 100}),
    ("tvae", {"epochs": 2, "batch_size": 100}),
    ("copulagan", {"epochs": 2, "batch_size": 100}),
])
def test_each_sdv_generator_fits_samples_and_is_stored(store, small_dataset, key, params):
    # Setup
    seen = []
    # Run
    run = generate(store, small_dataset.id, key, n_rows=120, seed=3, params=params,
                   progress=lambda f, m: seen.append((f, m)))
    # Assert
    assert run.status == "complete", run.error
    synth = load_synthetic(store, run.id)
    ds = load_dataset(store, small_dataset.id)
    assert list(synth.columns) == list(ds.schema.synth_columns)
    assert len(synth) == 120 and run.n_rows == 120
    assert run.fit_seconds > 0 and run.sample_seconds >= 0 and run.peak_memory_mb > 0
    assert run.params["enforce_min_max_values"] is True
    assert run.versions["sdv"].startswith("2.")
    assert seen[-1] == (1.0, "done")
    assert all(0.0 <= f <= 1.0 for f, _ in seen)


def test_epoch_progress_is_reported_per_epoch(store, small_dataset):
    seen = []
    generate(store, small_dataset.id, "tvae", n_rows=20, params={"epochs": 3, "batch_size": 50},
             progress=lambda f, m: seen.append(m))
    assert any(m.startswith("epoch ") and m.endswith(" of 3") for m in seen)


def test_same_seed_gives_the_same_rows(store, small_dataset):
    a = generate(store, small_dataset.id, "gaussian_copula", n_rows=50, seed=11)
    b = generate(store, small_dataset.id, "gaussian_copula", n_rows=50, seed=11)
    pd.testing.assert_frame_equal(load_synthetic(store, a.id), load_synthetic(store, b.id))


def test_too_small_for_ctgan_is_stored_as_failed_in_plain_words(store, adult_small):
    # Setup: 20 rows -> 16 training rows, fewer than CTGAN needs
    info, _ = add_dataset(store, adult_small.head(20), {}, name="tiny", source_name="t.csv")
    # Run
    run = generate(store, info.id, "ctgan", params={"epochs": 1})
    # Assert
    assert run.status == "failed"
    assert run.error == (
        "CTGAN needs at least 50 training rows; this dataset has 16. Add rows or use a generator "
        "that needs fewer (GaussianCopula needs 5)."
    )
    assert len(load_dataset(store, info.id).rows) == 20  # nothing else touched


def test_library_failure_is_stored_with_the_reason(store, small_dataset):
    # Setup: tell SDV 'age' is a date in a format its values don't have
    ds = load_dataset(store, small_dataset.id)
    update_schema(store, small_dataset.id, ds.schema.with_sdtype("age", "datetime", "%Y-%m-%d"))
    before = len(list_runs(store))
    # Run
    run = generate(store, small_dataset.id, "gaussian_copula", n_rows=10)
    # Assert
    assert run.status == "failed"
    assert run.error.startswith("GaussianCopula failed: ")
    assert "age" in run.error
    assert len(list_runs(store)) == before + 1


def test_bad_parameters_are_refused_before_anything_is_stored(store, small_dataset):
    with pytest.raises(UserInputError) as err:
        generate(store, small_dataset.id, "ctgan", params={"epoch": 3})
    assert err.value.message == MSG_UNKNOWN_PARAM.format(
        gen="ctgan", name="epoch", valid="epochs, batch_size, enforce_min_max_values")
    with pytest.raises(UserInputError) as err:
        generate(store, small_dataset.id, "ctgan", params={"epochs": 0})
    assert err.value.message == MSG_BAD_PARAM.format(
        name="epochs", gen="ctgan", kind="a whole number", lo=1, hi=2000, value=0)
    with pytest.raises(UserInputError) as err:
        generate(store, small_dataset.id, "nope")
    assert err.value.message == MSG_UNKNOWN_GENERATOR.format(
        key="nope", valid=", ".join(REGISTRY))
    with pytest.raises(UserInputError) as err:
        generate(store, small_dataset.id, "uploaded")
    assert err.value.message == MSG_IMPORT_ONLY
    assert list_runs(store) == []


def test_import_checks_the_schema_and_stores_nothing_on_mismatch(store, small_dataset,
                                                                 adult_small):
    # Setup
    good = adult_small.head(30).to_csv(index=False).encode()
    bad = adult_small.head(30).drop(columns=["sex"]).to_csv(index=False).encode()
    # Run
    with pytest.raises(UserInputError) as err:
        import_run(store, small_dataset.id, bad, "bad.csv")
    run = import_run(store, small_dataset.id, good, "good.csv")
    # Assert
    assert "Column 'sex' is in the dataset but not in the synthetic file. Add it." in \
        err.value.problems
    assert [r.id for r in list_runs(store)] == [run.id]
    assert run.generator == "uploaded" and run.source_name == "good.csv"
    assert len(load_synthetic(store, run.id)) == 30


def test_every_generator_subclass_is_registered():
    # Every concrete Generator class in core.generators must be in BUILTIN (one line to add).
    import importlib
    import pkgutil

    for mod in pkgutil.iter_modules(gen_pkg.__path__):
        importlib.import_module(f"core.generators.{mod.name}")
    registered = {type(g) for g in BUILTIN}

    def concrete(cls):
        for sub in cls.__subclasses__():
            yield from concrete(sub)
            if not inspect.isabstract(sub) and sub.__module__.startswith("core.generators") and \
                    getattr(sub, "key", ""):
                yield sub

    missing = [c for c in concrete(Generator) if c not in registered]
    assert not missing, "Add to BUILTIN in core/generators/registry.py: " + ", ".join(
        f"{c.__name__}()" for c in missing)
    assert get_generator("ctgan").key == "ctgan"
    assert TABLE_NAME == "t"
