"""archml.read_csv: the reader's columns as pandas columns, numbers without a copy."""
import numpy as np
import pandas as pd
import pytest

import archml


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_types_values_and_missing(tmp_path, context):
    path = write(tmp_path, "i,f,b,s,im,bm\n1,1.5,true,x,7,true\n2,,false,y,,\n3,-0,true,,9,false\n")
    frame = archml.read_csv(path, context=context)
    assert list(frame.columns) == ["i", "f", "b", "s", "im", "bm"]
    assert frame["i"].dtype == np.int64 and frame["i"].tolist() == [1, 2, 3]
    assert frame["f"].dtype == np.float64 and np.isnan(frame["f"][1])
    assert np.signbit(frame["f"][2])  # "-0" is -0.0
    assert frame["b"].dtype == bool and frame["b"].tolist() == [True, False, True]
    assert isinstance(frame["s"].dtype, pd.CategoricalDtype)
    assert frame["s"].tolist()[:2] == ["x", "y"] and pd.isna(frame["s"][2])
    assert frame["im"].dtype == np.float64 and np.isnan(frame["im"][1])  # as pandas reads it
    assert str(frame["bm"].dtype) == "boolean" and pd.isna(frame["bm"][1])
    assert frame["bm"][2] == False  # noqa: E712 (a nullable boolean)


def test_numbers_arrive_without_a_copy(tmp_path, context):
    path = write(tmp_path, "a,b\n" + "".join(f"{i},{i / 2}\n" for i in range(1000)))
    frame = archml.read_csv(path, context=context)
    for name in ("a", "b"):
        values = frame[name].to_numpy()
        assert not values.flags.owndata  # the reader's vector, held by a capsule
        assert values.base is not None
    assert frame["b"].sum() == sum(i / 2 for i in range(1000))


def test_matches_pandas_on_paysim(paysim, context):
    ours = archml.read_csv(paysim, context=context)
    theirs = pd.read_csv(paysim)
    assert list(ours.columns) == list(theirs.columns)
    for name in theirs.columns:
        if theirs[name].dtype == object:
            assert ours[name].astype(object).tolist() == theirs[name].tolist(), name
        else:
            np.testing.assert_array_equal(ours[name].to_numpy(), theirs[name].to_numpy(), name)


def test_options(tmp_path, context):
    path = write(tmp_path, "a;b;c\n1;x;2.5\n2;-;3.5\n")
    frame = archml.read_csv(path, sep=";", usecols=["a", "b"], na_values=["-"],
                            dtype={"a": "float64"}, context=context)
    assert list(frame.columns) == ["a", "b"]
    assert frame["a"].dtype == np.float64
    assert pd.isna(frame["b"][1])


def test_missing_file_is_file_not_found(tmp_path, context):
    with pytest.raises(FileNotFoundError) as caught:
        archml.read_csv(str(tmp_path / "absent.csv"), context=context)
    assert isinstance(caught.value, archml.NotFoundError)
    assert "absent.csv" in str(caught.value)


def test_malformed_file_is_value_error(tmp_path, context):
    path = write(tmp_path, 'a,b\n1,2\n3,"unterminated\n')
    with pytest.raises(ValueError) as caught:
        archml.read_csv(path, context=context)
    assert isinstance(caught.value, archml.InvalidInputError)
    with pytest.raises(archml.InvalidInputError):
        archml.read_csv(write(tmp_path, "a\n1\n", "ok.csv"), sep="ab", context=context)
    with pytest.raises(ValueError) as caught:  # a column asked for that the file lacks
        archml.read_csv(write(tmp_path, "a\n1\n", "ok2.csv"), usecols=["zz"], context=context)
    assert "zz" in str(caught.value)


def test_lenient_skips_bad_rows(tmp_path, context):
    path = write(tmp_path, "a,b\n1,2\n3\n4,5\n")
    frame = archml.read_csv(path, lenient=True, context=context)
    assert frame["a"].tolist() == [1, 4]
