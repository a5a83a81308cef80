"""The jobs table's signature: what an idle page compares to know whether to redraw."""

from __future__ import annotations

from core.store import jobs as q


def test_the_signature_changes_when_a_job_is_added_starts_or_finishes_not_on_progress(store):
    # Setup
    seen = [q.jobs_signature(store)]
    # Run: every step a page must show, then a progress update it need not
    job = q.create_job(store, "generate", {"dataset_id": "d1"}, "ana")
    seen.append(q.jobs_signature(store))
    q.set_running(store, job, "tcp://127.0.0.1:40001")
    seen.append(q.jobs_signature(store))
    q.finish_job(store, job, q.COMPLETE, result_id="run1")
    seen.append(q.jobs_signature(store))
    q.set_progress(store, job, 0.5, "half")  # as a late event would
    # Assert: four different signatures, and progress alone leaves the last one
    assert len(set(seen)) == 4
    assert q.jobs_signature(store) == seen[-1]
    assert seen[0][:2] == (0, 0) and seen[1][:2] == (1, 1) and seen[3][:2] == (1, 0)
