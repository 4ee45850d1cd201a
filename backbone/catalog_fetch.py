"""``backbone catalog fetch --cloud aws [--region R] --output CATALOG.yaml``: what ``catalog import --from aws``
reads from a file, asked of EC2 itself (``DescribeInstanceTypes``, every page) with boto3 and your AWS
credentials, then read the same way (the same reader, the same checks, the same summary).

boto3 is an extra (``pip install 'backbone[fetch]'``): without it, or without credentials or a region, or when
EC2 refuses the call, the command is bad input (exit 2) saying which, never a traceback. Only AWS is fetched;
for GCP and Azure, save the CLI's listing and use ``catalog import``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from backbone.catalog_import import Imported, catalog_of
from backbone.core.errors import ConfigError, Problem

__all__ = ["fetch_aws"]

MAX_TYPES = 20_000
"""EC2 lists about 1,000 instance types in a region; far more is not an EC2 answer."""

WHERE = "catalog fetch --cloud aws"
OFFLINE = ("or run `aws ec2 describe-instance-types --output json > types.json` where you can and "
           "`backbone catalog import --from aws types.json`")


def _refused(message: str) -> ConfigError:
    return ConfigError([Problem(WHERE, message)])


def _instance_types(region: str | None) -> tuple[list[dict[str, Any]], str]:
    """Every page of EC2 DescribeInstanceTypes in ``region`` (else the SDK's configured one), and that region."""
    try:
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError
    except ImportError:
        raise _refused("needs boto3, which is not installed: pip install 'backbone[fetch]' (or boto3 itself), "
                       + OFFLINE) from None
    try:
        client = boto3.client("ec2", region_name=region)
        types: list[dict[str, Any]] = []
        for page in client.get_paginator("describe_instance_types").paginate():
            types.extend(page.get("InstanceTypes") or [])
            if len(types) > MAX_TYPES:
                raise _refused(f"EC2 listed more than {MAX_TYPES:,} instance types: not an EC2 answer")
        return types, str(client.meta.region_name)
    except NoCredentialsError:
        raise _refused("no AWS credentials were found (environment, shared credentials or config file, SSO, "
                       "instance role): sign in first, " + OFFLINE) from None
    except NoRegionError:
        raise _refused("no region: pass --region (e.g. us-east-1) or set AWS_REGION") from None
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise _refused(f"EC2 refused DescribeInstanceTypes: {error.get('Code', '?')}: "
                       f"{str(error.get('Message', ''))[:200]} (it needs ec2:DescribeInstanceTypes)") from None
    except BotoCoreError as exc:
        raise _refused(f"could not ask EC2: {str(exc)[:200]}") from None


def fetch_aws(region: str | None, as_of: str | None = None) -> tuple[dict[str, Any], Imported]:
    """The catalog file (as a mapping) of what EC2 lists in ``region`` now, and what was left out."""
    types, asked = _instance_types(region)
    source = {"url": f"https://ec2.{asked}.amazonaws.com/?Action=DescribeInstanceTypes",
              "title": f"EC2 DescribeInstanceTypes in {asked}, every page (backbone catalog fetch)",
              "as_of": as_of or dt.datetime.now(dt.UTC).date().isoformat()}
    return catalog_of("aws", [(f"EC2 DescribeInstanceTypes ({asked})", {"InstanceTypes": types})], source)
