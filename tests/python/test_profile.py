"""archml.profile: profile.json as a dict, the HTML report for notebooks."""
import pytest

import archml


def test_profile_of_a_file(paysim, context, tmp_path):
    profile = archml.profile(paysim, target="isFraud", context=context)
    data = profile.to_dict()
    assert data["rows"] == 6000
    names = [column["name"] for column in data["columns"]]
    assert "amount" in names and "isFraud" in names
    assert "<iframe" in profile._repr_html_() and "srcdoc=" in profile._repr_html_()
    assert profile.html.lstrip().lower().startswith("<!doctype html")
    profile.save(tmp_path / "out")
    assert (tmp_path / "out" / "profile.html").read_text() == profile.html


def test_profile_of_a_frame_equals_the_file(paysim, context):
    frame = archml.read_csv(paysim, context=context)
    from_frame = archml.profile(frame, target="isFraud", context=context).to_dict()
    from_file = archml.profile(paysim, target="isFraud", context=context).to_dict()
    assert from_frame == from_file


def test_profile_matches_the_cli(paysim, cli, context, tmp_path):
    cli("profile", paysim, "--target", "isFraud", "--out", str(tmp_path))
    import json
    expected = json.loads((tmp_path / "profile.json").read_text())
    assert archml.profile(paysim, target="isFraud", context=context).to_dict() == expected


def test_unknown_target(paysim, context):
    with pytest.raises(LookupError):
        archml.profile(paysim, target="nope", context=context)
    with pytest.raises(ValueError):
        archml.profile([1, 2, 3], context=context)
