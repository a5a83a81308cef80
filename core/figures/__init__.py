"""Plotly figures and tables of a :class:`~core.report.Report`, one module per dashboard page.

``overview``, ``fidelity``, ``utility``, ``privacy`` (with ``evidence``), ``fairness`` and
``compare``. Every builder takes the report first and returns a ``plotly.graph_objects.Figure``
or a ``pandas.DataFrame``; a metric that was not computed gives a figure that says why instead
of an exception. Colours are constants in ``colors``; shared helpers and the privacy note shown
under figures of real data are in ``common``. Nothing here imports streamlit or recomputes a
metric.
"""
