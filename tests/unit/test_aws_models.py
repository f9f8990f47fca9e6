"""The cold-start loader of botocore's models answers as botocore's own does."""

from __future__ import annotations

import copy
import json

import botocore.loaders
import pytest
from botocore.exceptions import UnknownServiceError

from chalicelib.integrations import aws_models
from chalicelib.integrations.aws_models import CHINA_ENDPOINTS, Models, china_endpoints

SERVICES = ("dynamodb", "kms", "stepfunctions", "sqs", "sns", "s3", "secretsmanager")


@pytest.fixture(scope="module")
def loaders() -> tuple[Models, botocore.loaders.Loader]:
    return Models(), botocore.loaders.create_loader()


@pytest.mark.parametrize("service", SERVICES)
def test_each_model_the_service_uses_loads_equal_to_botocores(loaders, service) -> None:
    ours, theirs = loaders
    for type_name in ("service-2", "endpoint-rule-set-1", "paginators-1"):
        assert ours.load_service_model(service, type_name) == theirs.load_service_model(
            service, type_name
        )
    assert ours.load_data("partitions") == theirs.load_data("partitions")


def test_known_services_answer_as_botocores_list(loaders) -> None:
    ours, theirs = loaders
    for type_name in ("service-2", "waiters-2"):
        listed = theirs.list_available_services(type_name)
        known = ours.list_available_services(type_name)
        for service in [*SERVICES, "no-such-service", "", "../dynamodb"]:
            assert (service in known) == (service in listed), (type_name, service)
        assert list(known) == listed  # read in full: the same sorted list
    with pytest.raises(UnknownServiceError):
        ours.load_service_model("no-such-service", "service-2")


def test_a_china_process_reads_the_china_partition_alone_and_resolves_as_botocore(
    monkeypatch,
) -> None:
    from botocore.regions import EndpointResolver

    whole, path = botocore.loaders.create_loader().load_data_with_path("endpoints")
    expected = china_endpoints(copy.deepcopy(whole))  # a resolver may add to what it is given
    for region in ("cn-north-1", "cn-northwest-1"):
        monkeypatch.setenv("AWS_REGION", region)
        fresh = Models()
        cut, cut_path = fresh.load_data_with_path("endpoints")
        assert cut_path == path and [p["partition"] for p in cut["partitions"]] == ["aws-cn"]
        assert cut == expected
        resolved = EndpointResolver(copy.deepcopy(cut), uses_builtin_data=True)
        reference = EndpointResolver(copy.deepcopy(whole), uses_builtin_data=True)
        for service in ("dynamodb", "kms", "states", "sqs", "sns", "s3", "secretsmanager"):
            assert resolved.construct_endpoint(service, region) == reference.construct_endpoint(
                service, region
            )


@pytest.mark.parametrize("region", ["eu-west-1", "us-gov-west-1", ""])
def test_a_process_elsewhere_reads_botocores_whole_file(monkeypatch, region) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.setenv("AWS_REGION", region)
    whole = botocore.loaders.create_loader().load_data("endpoints")
    assert Models().load_data("endpoints") == whole


def test_a_cut_from_another_botocore_is_not_used(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("AWS_REGION", "cn-north-1")
    stale = {**json.loads(CHINA_ENDPOINTS.read_text("utf-8")), "botocore": "0.0.1"}
    moved = tmp_path / "endpoints-aws-cn.json"
    moved.write_text(json.dumps(stale), "utf-8")
    monkeypatch.setattr(aws_models, "CHINA_ENDPOINTS", moved)
    whole = botocore.loaders.create_loader().load_data("endpoints")
    assert len(Models().load_data("endpoints")["partitions"]) == len(whole["partitions"])


def test_the_china_partition_kept_is_the_installed_botocores() -> None:
    whole = botocore.loaders.create_loader().load_data("endpoints")
    assert json.loads(CHINA_ENDPOINTS.read_text("utf-8")) == china_endpoints(whole), (
        f"{CHINA_ENDPOINTS.name} is stale: run `.venv/bin/python -m "
        "chalicelib.integrations.aws_models`"
    )
