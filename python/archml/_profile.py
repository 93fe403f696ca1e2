"""archml.profile: the statistics `archml profile` computes, for a file or a DataFrame."""
import json
import os

from . import _archml
from ._context import native
from ._frames import csv_options, framed_html, to_columns


class Profile:
    """A data profile: ``to_dict()`` is profile.json's content, ``html`` the report page
    `archml profile` writes (shown inline in a notebook through ``_repr_html_``)."""

    def __init__(self, json_text, page):
        self._json = json_text
        self.html = page

    def to_dict(self):
        return json.loads(self._json)

    def _repr_html_(self):
        return framed_html(self.html)

    def save(self, directory):
        """Writes profile.json and profile.html into ``directory`` (created if needed)."""
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, "profile.json"), "w", encoding="utf-8") as out:
            out.write(self._json)
        with open(os.path.join(directory, "profile.html"), "w", encoding="utf-8") as out:
            out.write(self.html)


def profile(data, target=None, title=None, context=None, **csv):
    """Profiles ``data`` (a DataFrame, or the path of a CSV file read with ``csv``
    options as in read_csv) against ``target`` (a column, optional)."""
    if isinstance(data, (str, os.PathLike)):
        json_text, page = _archml.profile_file(
            native(context), os.fspath(data), csv_options(**csv), target or "")
    else:
        json_text, page = _archml.profile_columns(
            native(context), to_columns(data), target or "", title or "DataFrame")
    return Profile(json_text, page)
