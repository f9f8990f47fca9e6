"""The cold-start loader of botocore's models answers as botocore's own does."""

from __future__ import annotations

import botocore.loaders
import pytest
from botocore.exceptions import UnknownServiceError

from chalicelib.integrations.aws_models import Models

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
    assert ours.load_data("endpoints") == theirs.load_data("endpoints")
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
