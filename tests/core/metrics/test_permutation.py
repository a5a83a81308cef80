"""Permutation importance on encoded rows gives scikit-learn's numbers on the frame."""

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression

from core.metrics import permutation
from core.metrics.permutation import fast_permutation_importance


def untidy(n: int, seed: int) -> pd.DataFrame:
    """Categories between numbers, blanks, codes as integers, a rare category, a constant."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "age": rng.integers(16, 95, n).astype(float),
        "status": pd.Categorical(rng.choice(["A", "B", "N", "(missing)"], n)),
        "county code": rng.choice([1, 3, 5, 7], n).astype(float),
        "name": pd.Categorical(rng.choice(["Ann O'Neil", 'Bo "Bear"', "Cy", "Dee"], n)),
        "income": rng.lognormal(10, 1, n),
        "flag": pd.Categorical(["same"] * n),
    })
    df.loc[rng.random(n) < 0.2, "income"] = np.nan
    df.loc[rng.random(n) < 0.1, "status"] = np.nan
    return df


def target(df: pd.DataFrame, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    signal = (df["status"] == "A").to_numpy() * 1.5 + df["age"].to_numpy() / 40
    return signal + rng.normal(0, 0.5, len(df))


@pytest.mark.parametrize("scoring", [None, "roc_auc"])
def test_a_classifier_gets_scikit_learns_importances(scoring):
    # Setup: the held-out rows hold a category the model never saw
    x, x_test = untidy(600, 1), untidy(300, 2)
    x_test["name"] = x_test["name"].cat.add_categories(["Zed"])
    x_test.loc[:20, "name"] = "Zed"
    y, y_test = target(x, 1) > 2, target(x_test, 2) > 2
    model = HistGradientBoostingClassifier(categorical_features="from_dtype", random_state=0,
                                           max_iter=30).fit(x, y)
    kwargs = {"scoring": scoring, "n_repeats": 3, "random_state": 7}

    # Run
    ours = fast_permutation_importance(model, x_test, y_test, **kwargs)
    theirs = permutation_importance(model, x_test, y_test, **kwargs)

    # Assert: the same numbers, column by column (status matters most, flag not at all)
    np.testing.assert_array_equal(ours.importances, theirs.importances)
    np.testing.assert_array_equal(ours.importances_mean, theirs.importances_mean)
    np.testing.assert_array_equal(ours.importances_std, theirs.importances_std)
    assert int(np.argmax(ours.importances_mean)) == list(x.columns).index("status")
    assert ours.importances_mean[list(x.columns).index("flag")] == 0


def test_a_regressor_gets_scikit_learns_importances():
    # Setup
    x, x_test = untidy(500, 3), untidy(250, 4)
    model = HistGradientBoostingRegressor(categorical_features="from_dtype", random_state=0,
                                          max_iter=30).fit(x, target(x, 3))

    # Run
    ours = fast_permutation_importance(model, x_test, target(x_test, 4), n_repeats=2,
                                       random_state=1)
    theirs = permutation_importance(model, x_test, target(x_test, 4), n_repeats=2,
                                    random_state=1)

    # Assert
    np.testing.assert_array_equal(ours.importances, theirs.importances)


def test_the_rows_are_encoded_once_not_per_prediction(monkeypatch):
    # Setup
    x = untidy(300, 5)
    model = HistGradientBoostingClassifier(categorical_features="from_dtype", max_iter=10,
                                           random_state=0).fit(x, target(x, 5) > 2)
    calls = []
    transform = type(model._preprocessor).transform

    def counting(self, *args, **kwargs):
        calls.append(1)
        return transform(self, *args, **kwargs)

    monkeypatch.setattr(type(model._preprocessor), "transform", counting)

    # Run
    fast_permutation_importance(model, x, target(x, 5) > 2, n_repeats=2, random_state=0)

    # Assert: once, where scikit-learn on the frame encodes 1 + 6 columns x 2 repeats times
    assert len(calls) == 1


def test_other_models_go_to_scikit_learn_as_they_are(monkeypatch):
    # Setup: numbers only (HistGradientBoosting has no encoder) and a linear model
    x = untidy(300, 6)[["age", "county code"]]
    y = target(untidy(300, 6), 6) > 2
    models = [HistGradientBoostingClassifier(max_iter=10, random_state=0).fit(x, y),
              LogisticRegression().fit(x, y)]
    seen = []
    monkeypatch.setattr(permutation, "permutation_importance",
                        lambda model, *a, **k: seen.append(model) or permutation_importance(
                            model, *a, **k))

    # Run
    results = [fast_permutation_importance(m, x, y, n_repeats=2, random_state=0)
               for m in models]

    # Assert: each model itself, not an encoded copy, was handed over
    assert seen == models
    assert all(r.importances.shape == (2, 2) for r in results)
