"""Fidelity figures read the column-shape, correlation, pair-trend, detection, coverage details."""

from __future__ import annotations

import pytest

from core.figures import colors, fidelity
from tests.core.figures.helpers import annotation_text


def _row(report, key, column):
    return next(r for r in report.results if r.key == key and r.columns == (column,))


def test_column_scores_worst_first_with_noise_floor(report):
    # Setup
    n_columns = len(report.schema.synth_columns)

    # Run
    df = fidelity.column_scores(report)

    # Assert
    assert list(df.columns) == ["column", "type", "statistic", "score", "noise floor",
                                "missing real %", "missing synthetic %"]
    assert len(df) == n_columns
    assert df["score"].is_monotonic_increasing
    age = df[df["column"] == "age"].iloc[0]
    shapes = _row(report, "fidelity.column_shapes", "age")
    assert (age["type"], age["statistic"]) == ("numerical", "KS complement")
    assert (age["score"], age["noise floor"]) == (shapes.value, shapes.baseline)
    assert df[df["column"] == "sex"].iloc[0]["statistic"] == "TV complement"
    assert df["missing real %"].between(0, 100).all()


def test_column_plot_numeric_overlays_real_and_synthetic(report):
    # Setup
    plot = _row(report, "fidelity.column_shapes", "age").details["plot"]

    # Run
    d = fidelity.column_plot(report, "age").to_dict()

    # Assert
    real, synth = d["data"]
    assert real["type"] == synth["type"] == "bar"
    assert (real["marker"]["color"], synth["marker"]["color"]) == (colors.REAL,
                                                                   colors.SYNTHETIC)
    assert len(real["x"]) == len(real["y"]) == len(plot["edges"]) - 1
    assert list(real["y"]) == plot["real"] and list(synth["y"]) == plot["synthetic"]
    assert real["name"] == "Real (0.0% missing)"
    assert d["layout"]["barmode"] == "overlay"
    assert d["layout"]["title"]["text"].startswith("age: KS complement ")
    assert d["layout"]["xaxis"]["title"]["text"] == "Value"
    assert real["customdata"][0].startswith("≤ ") and real["customdata"][-1].startswith("≥ ")


def test_column_plot_categories_grouped_with_other(report):
    # Setup
    plot = _row(report, "fidelity.column_shapes", "native-country").details["plot"]

    # Run
    d = fidelity.column_plot(report, "native-country").to_dict()

    # Assert
    real, synth = d["data"]
    assert list(real["x"]) == plot["categories"]
    assert real["x"][-1] == "other"  # rare countries never appear by name
    assert d["layout"]["barmode"] == "group"
    assert (real["marker"]["color"], synth["marker"]["color"]) == (colors.REAL,
                                                                   colors.SYNTHETIC)
    assert "fewer than 5 real rows" in d["layout"]["title"]["subtitle"]["text"]


def test_column_plot_unknown_column_says_why(report):
    # Setup / Run
    fig = fidelity.column_plot(report, "<b>nope</b>")

    # Assert
    assert fig.to_dict()["data"] == []
    assert annotation_text(fig) == (
        "Not computed: column '&lt;b&gt;nope&lt;/b&gt;' is not in this report"
    )


@pytest.mark.parametrize("method", ["pearson", "spearman"])
def test_correlation_heatmaps_share_one_scale(report, method):
    # Setup
    details = report.top(f"fidelity.correlation_{method}").details
    k = len(details["columns"])

    # Run
    d = fidelity.correlation_heatmaps(report, method).to_dict()

    # Assert
    real, synth, diff = d["data"]
    assert [t["type"] for t in d["data"]] == ["heatmap"] * 3
    assert real["coloraxis"] == synth["coloraxis"] == "coloraxis"
    assert diff["coloraxis"] == "coloraxis2"
    assert (real["zmin"], real["zmax"]) == (-1, 1)
    layout = d["layout"]
    assert (layout["coloraxis"]["cmin"], layout["coloraxis"]["cmax"]) == (-1, 1)
    assert layout["coloraxis2"]["cmin"] == -layout["coloraxis2"]["cmax"]
    assert layout["coloraxis2"]["colorscale"] != layout["coloraxis"]["colorscale"]
    assert [a["text"] for a in layout["annotations"]] == ["Real", "Synthetic", "Synthetic − real"]
    assert len(real["z"]) == len(real["z"][0]) == k
    assert real["z"] == details["real_matrix"]
    i, j = 0, 1
    assert diff["z"][i][j] == pytest.approx(
        details["synthetic_matrix"][i][j] - details["real_matrix"][i][j])


def test_correlation_heatmaps_refuse_unknown_method(report):
    # Setup / Run / Assert
    with pytest.raises(ValueError, match="Unknown correlation method 'kendall'"):
        fidelity.correlation_heatmaps(report, "kendall")


def test_pair_trend_heatmap_scores_on_zero_one(report):
    # Setup
    details = report.top("fidelity.pair_trends").details

    # Run
    (heat,) = fidelity.pair_trend_heatmap(report).to_dict()["data"]

    # Assert
    assert heat["type"] == "heatmap"
    assert (heat["zmin"], heat["zmax"]) == (0, 1)
    assert list(heat["x"]) == details["columns"]
    assert heat["z"] == details["matrix"]


def test_detection_features_two_rankings(report):
    # Setup
    details = report.top("fidelity.detection").details

    # Run
    d = fidelity.detection_features(report).to_dict()

    # Assert
    drop, alone = d["data"]
    assert drop["type"] == alone["type"] == "bar"
    assert list(drop["y"]) == [f["column"] for f in details["top_features"]]
    assert list(alone["x"]) == [f["auc"] for f in details["column_auc"]]
    assert d["layout"]["xaxis2"]["title"]["text"] == "AUC (0.5 = indistinguishable)"
    assert any(s.get("x0") == 0.5 for s in d["layout"]["shapes"])


def test_projection_scatter_real_and_synthetic_points(report):
    # Setup
    pca = report.top("fidelity.detection").details["pca"]

    # Run
    d = fidelity.projection_scatter(report).to_dict()

    # Assert
    real, synth = d["data"]
    assert real["type"] == synth["type"] == "scatter"
    assert (real["marker"]["color"], synth["marker"]["color"]) == (colors.REAL,
                                                                   colors.SYNTHETIC)
    assert len(real["x"]) == len(pca["real"]) and len(synth["y"]) == len(pca["synthetic"])
    assert d["layout"]["xaxis"]["title"]["text"].startswith("PC1 (")


def test_coverage_table_one_row_per_column(report):
    # Setup
    cov = _row(report, "fidelity.category_coverage", "native-country")

    # Run
    df = fidelity.coverage_table(report)

    # Assert
    assert list(df.columns) == ["column", "type", "coverage", "noise floor", "not produced",
                                "invalid share", "invalid values"]
    assert len(df) == len(report.schema.synth_columns)
    row = df[df["column"] == "native-country"].iloc[0]
    assert row["coverage"] == cov.value
    rare = cov.details["missing_rare_categories"]
    assert (f"{rare} rare categories" in row["not produced"]) == (rare > 0)
    assert df["invalid share"].between(0, 1).all()


@pytest.mark.parametrize("build", [
    fidelity.correlation_heatmaps, fidelity.pair_trend_heatmap, fidelity.detection_features,
    fidelity.projection_scatter, lambda r: fidelity.column_plot(r, "age"),
])
def test_figures_without_fidelity_say_not_computed(bare_report, build):
    # Setup / Run
    fig = build(bare_report)

    # Assert
    assert fig.to_dict()["data"] == []
    assert annotation_text(fig).startswith("Not computed: ")


def test_tables_without_fidelity_are_empty(bare_report):
    # Setup / Run / Assert
    assert fidelity.column_scores(bare_report).empty
    assert fidelity.coverage_table(bare_report).empty


def test_column_plot_dates_on_a_date_axis():
    # Setup: the stored details of a date column (ISO edges), as numeric_plot makes them.
    from core.metrics.value import MetricValue
    from tests.core.figures.helpers import make_report

    plot = {"kind": "datetime", "edges": ["2020-01-01T00:00:00", "2020-01-03T00:00:00",
                                          "2020-01-05T00:00:00"],
            "real": [0.5, 0.5], "synthetic": [0.25, 0.75], "top_coded": True,
            "real_missing": 0.1, "synthetic_missing": 0.0}
    row = MetricValue("fidelity.column_shapes", "fidelity", ("day",), value=0.75, score=0.75,
                      details={"statistic": "KS", "plot": plot})
    report = make_report([row])

    # Run
    real, synth = fidelity.column_plot(report, "day").to_dict()["data"]

    # Assert
    assert [str(x)[:10] for x in real["x"]] == ["2020-01-02", "2020-01-04"]
    assert list(real["width"]) == [2 * 86_400_000] * 2  # two days in milliseconds
    assert list(real["customdata"]) == ["≤ 2020-01-03", "≥ 2020-01-03"]
    assert real["name"] == "Real (10.0% missing)"
    assert list(synth["y"]) == [0.25, 0.75]
