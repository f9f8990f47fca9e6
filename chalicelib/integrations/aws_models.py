"""botocore's model files, read the way a cold process can afford.

Every Lambda process builds its AWS clients on its first invocation, and botocore reads its
models then: its 1.2 MB endpoints file, each client's service model and endpoint rules. Two
of its habits cost a cold start most and buy nothing here (``python -m bench --only
coldreq`` profiles the first request):

- it parses every file into OrderedDicts, through a Python hook per JSON object (2.7x slower
  than plain dicts on the endpoints file; dicts keep their order anyway);
- before loading any model it lists every service it has, opening each of ~420 directories to
  check that it holds a model of that type (about 15 ms per type, twice per process).

``Models`` answers the same: the same files, in the same order of extensions, give equal data,
and "is this a known service?" is answered for that one service, the full list being made only
if someone reads it (tests/unit/test_aws_models.py compares both with botocore's own loader)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from typing import Any

import botocore.loaders


class ModelFiles(botocore.loaders.JSONFileLoader):  # type: ignore[misc]  # botocore: untyped
    """botocore's JSON (or gzipped JSON) model files, as plain dicts."""

    def load_file(self, file_path: str) -> Any:
        for extension, opener in botocore.loaders._JSON_OPEN_METHODS.items():
            path = file_path + extension
            if os.path.isfile(path):
                with opener(path, "rb") as fp:
                    return json.loads(fp.read().decode("utf-8"))
        return None


class _KnownServices(Sequence[str]):
    """The services that have a model of one type: membership checks only the service asked
    about; the sorted list is made (as botocore makes it) the first time it is read."""

    def __init__(self, loader: Models, type_name: str) -> None:
        self._loader = loader
        self._type_name = type_name
        self._listed: list[str] | None = None

    def __contains__(self, service: object) -> bool:
        if not isinstance(service, str) or not service or os.sep in service:
            return False
        return self._loader.has_model(service, self._type_name)

    def _all(self) -> list[str]:
        if self._listed is None:
            self._listed = self._loader.list_every_service(self._type_name)
        return self._listed

    def __getitem__(self, index: Any) -> Any:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())


class Models(botocore.loaders.Loader):  # type: ignore[misc]  # botocore: untyped
    FILE_LOADER_CLASS = ModelFiles

    def list_available_services(self, type_name: str) -> Sequence[str]:
        known: dict[str, _KnownServices] = self.__dict__.setdefault("_known", {})
        return known.setdefault(type_name, _KnownServices(self, type_name))

    def list_every_service(self, type_name: str) -> list[str]:
        """botocore's own listing (cached by botocore, under its own key)."""
        return list(super().list_available_services(type_name))

    def has_model(self, service: str, type_name: str) -> bool:
        """Whether some API version of ``service`` has a ``type_name`` model, in any search
        path (botocore's test for one directory of its listing)."""
        for location in self._potential_locations():
            directory = os.path.join(location, service)
            if not os.path.isdir(directory):
                continue
            for version in os.listdir(directory):
                if self.file_loader.exists(os.path.join(directory, version, type_name)):
                    return True
        return False
