"""A changed stage is a new assessment: it carries its own date and source (the old ones are never kept silently)."""

from ctatracker.store.review import dating, fresh_assessment

BASE = {"stage": "in_policy", "summary": "Approved by the Cabinet", "as_of": "2023-12-10", "source_id": "observer"}


def test_a_changed_stage_with_the_old_date_or_no_source_is_refused() -> None:
    _, problems = fresh_assessment(BASE, {**BASE, "stage": "in_law", "as_of": None, "source_id": None})
    assert set(problems) == {"as_of", "source_id"} and "2023-12-10" in problems["as_of"]
    _, problems = fresh_assessment(BASE, {**BASE, "summary": "Gazetted", "as_of": "2023-12-10"})
    assert set(problems) == {"as_of"}


def test_a_changed_stage_with_its_own_date_and_source_passes() -> None:
    values, problems = fresh_assessment(BASE, {**BASE, "stage": "in_law", "as_of": "2026-03-01", "source_id": "gz"})
    assert not problems and values["as_of"] == "2026-03-01" and values["source_id"] == "gz"


def test_other_edits_keep_the_date_and_source_when_left_empty() -> None:
    values, problems = fresh_assessment(BASE, {**BASE, "evidence_url": "https://x.example", "as_of": None,
                                               "source_id": None})
    assert not problems and values["as_of"] == "2023-12-10" and values["source_id"] == "observer"
    assert fresh_assessment(None, {"stage": "pledged"}) == ({"stage": "pledged"}, {})


def test_review_shows_date_and_source_changed_or_not() -> None:
    assert dating(BASE, {**BASE, "stage": "in_law", "as_of": "2026-03-01"}) == [
        ("as_of", "2023-12-10", "2026-03-01"), ("source_id", "observer", "observer")]
