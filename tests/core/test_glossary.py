"""The glossary and the cited sources: complete, and readable by the gate and the report."""

from core.gate import load_policies
from core.glossary import cited, help_for, load_glossary, load_sources, term_text
from core.metrics.registry import REGISTRY

REQUIRED = ("KS complement", "TV complement", "Noise floor", "TSTR / TRTR", "DCR", "NNDR", "MIA",
            "k-anonymity", "Pair trends", "Detection AUC")


def test_the_glossary_has_the_terms_readers_ask_about_and_names_only_registered_metrics():
    # Setup
    terms = {t.term: t for t in load_glossary()}
    # Assert
    assert set(REQUIRED) <= set(terms)
    assert all(t.text.strip() for t in terms.values())
    unknown = {k for t in terms.values() for k in t.keys if k not in REGISTRY}
    assert not unknown, unknown


def test_help_for_a_metric_joins_every_term_that_explains_it():
    # Run
    text = help_for("fidelity.column_shapes")
    # Assert
    assert text.startswith("KS complement: ") and "\n\nTV complement: " in text
    assert help_for("no.such_metric") is None
    # for one column's type, the term of that type alone
    assert help_for("fidelity.column_shapes", "categorical").startswith("TV complement: ")
    assert help_for("fidelity.column_shapes", "numerical").startswith("KS complement: ")
    assert "\n\n" not in help_for("fidelity.column_shapes", "boolean")
    assert help_for("privacy.inference", "categorical") == help_for("privacy.inference")
    assert help_for("privacy.inference").startswith("Anonymeter risks: ")
    assert term_text("Noise floor").startswith("The score a second sample")


def test_every_cited_source_is_listed_and_every_listed_source_is_cited():
    # Setup
    sources = load_sources()
    whys = " ".join(c.why for p in load_policies().values() for c in p.checks)
    # Assert
    assert set(cited(whys)) == set(sources) == {str(n) for n in range(1, 14)}
    assert all(s.text for s in sources.values())


def test_the_gate_skips_the_sources_table():
    assert list(load_policies()) == ["internal", "partner", "public"]


def test_cited_lists_numbers_once_in_order():
    assert cited("a [2] b [1][2]") == ["2", "1"]
