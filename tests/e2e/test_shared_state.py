"""Team state on an S3-compatible backend (moto's server on loopback): a round trip, and the lock that
refuses a second `up` on a stack that is being updated."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from harness.sandbox_process import SandboxProcess

from .conftest import Stack, plan

BUCKET = "lookout-state"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1"}


@pytest.fixture
def s3() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                 aws_secret_access_key="testing").create_bucket(Bucket=BUCKET)  # fmt: skip
    yield endpoint
    server.stop()


def objects(endpoint: str) -> list[str]:
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **_keys())
    return [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def _keys() -> dict[str, str]:
    return {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def s3_stack(api: SandboxProcess, tmp_path: Path, endpoint: str) -> Stack:
    stack = Stack(api, tmp_path)
    host = endpoint.removeprefix("http://")
    stack.workspace.backend = (
        f"s3://{BUCKET}?endpoint={host}&disableSSL=true&s3ForcePathStyle=true&region=us-east-1"
    )
    stack.workspace.env.update(CREDENTIALS)
    return stack


def test_state_round_trips_through_s3(api: SandboxProcess, tmp_path: Path, s3: str):
    stack = s3_stack(api, tmp_path, s3)
    stack.configure(plan({"name": "site", "url": "https://s3.example.test"}))
    stack.pulumi("up", "--yes")
    assert ".pulumi/stacks/lookout/dev.json" in objects(s3)
    stack.pulumi("preview", "--expect-no-changes")
    exported = json.loads(stack.pulumi("stack", "export").stdout)
    assert any(r["type"].endswith("uptimerobot:Monitor") for r in exported["deployment"]["resources"])


def test_a_second_update_is_refused_while_the_stack_is_locked(api: SandboxProcess, tmp_path: Path, s3: str):
    stack = s3_stack(api, tmp_path, s3)
    stack.configure(plan({"name": "site", "url": "https://s3.example.test"}))
    stack.pulumi("up", "--yes")
    # Another run holds the lock: the object Pulumi's backend writes for the duration of an update.
    lock = {"pid": 4242, "username": "ci", "hostname": "runner-2", "timestamp": "2026-11-28T02:00:00Z"}
    client = boto3.client("s3", endpoint_url=s3, region_name="us-east-1", **_keys())
    client.put_object(
        Bucket=BUCKET, Key=".pulumi/locks/organization/lookout/dev/other-run.json", Body=json.dumps(lock)
    )
    stack.configure(plan({"name": "site", "url": "https://s3.example.test", "interval": 600}))
    refused = stack.pulumi("up", "--yes", check=False)
    assert refused.returncode != 0
    assert "locked" in refused.stdout + refused.stderr and "runner-2" in refused.stdout + refused.stderr
    assert [m["interval"] for m in stack.monitors()] == [300]  # nothing was applied
    client.delete_object(Bucket=BUCKET, Key=".pulumi/locks/organization/lookout/dev/other-run.json")
    stack.pulumi("up", "--yes")
    assert stack.monitors()[0]["interval"] == 600
