"""FIPS 140 endpoints for every AWS SDK call the platform's code makes (SC-13).

The AWS SDKs (boto3 in the containers and the Python functions, the JavaScript SDK v3 in CDK's
own custom-resource functions) read ``AWS_USE_FIPS_ENDPOINT`` and then call
``<service>-fips.<region>.amazonaws.com``, whose TLS is terminated by a FIPS 140-3 validated
module. Containers get the variable from the container contract; every Lambda function of every
stack (CDK's singleton providers included) gets it from :class:`FipsEndpoints`, so a function
added later cannot miss it. The services each caller uses and their FIPS hostnames in both
regions are listed in docs/cryptography.md.
"""

from __future__ import annotations

import jsii
from aws_cdk import CfnResource, IAspect
from constructs import IConstruct

FIPS_ENDPOINT_VARIABLE = "AWS_USE_FIPS_ENDPOINT"
FIPS_ENDPOINT_VALUE = "true"
FIPS_ENDPOINT_ENVIRONMENT = {FIPS_ENDPOINT_VARIABLE: FIPS_ENDPOINT_VALUE}
# The tasks have no internet path, so an AWS API is reachable only through an interface endpoint
# (or S3's gateway), and private DNS answers only the standard hostnames. AWS PrivateLink offers
# no FIPS endpoint service for these (boto3 client name: endpoint prefix), so the tasks pin
# their standard endpoint (AWS_ENDPOINT_URL_<CLIENT>), reached through the interface endpoint
# (docs/decisions/security-fips-endpoints.md).
WITHOUT_FIPS_PRIVATE_ENDPOINT = {
    "cloudwatch": "monitoring",
    "firehose": "firehose",
    "lambda": "lambda",  # the api and worker invoke the pool-admin function
}
# The SDKs' per-client endpoint variable; the evidence's SC-13 rule reads these from the template.
ENDPOINT_URL_PREFIX = "AWS_ENDPOINT_URL_"


@jsii.implements(IAspect)
class FipsEndpoints:
    """Sets ``AWS_USE_FIPS_ENDPOINT=true`` on every ``AWS::Lambda::Function`` resource.

    It works on the CloudFormation resource, not the L2 ``Function``, because CDK's custom
    resource providers (``CustomResourceProvider``) are plain ``CfnResource`` objects.
    """

    def visit(self, node: IConstruct) -> None:
        """Add the variable to a function's environment; leave every other resource alone."""
        if isinstance(node, CfnResource) and node.cfn_resource_type == "AWS::Lambda::Function":
            node.add_property_override(
                f"Environment.Variables.{FIPS_ENDPOINT_VARIABLE}", FIPS_ENDPOINT_VALUE
            )
