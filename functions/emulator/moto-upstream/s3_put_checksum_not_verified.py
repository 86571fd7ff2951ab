"""moto 5.2: PutObject never verifies a declared x-amz-checksum-sha256.

S3: a PutObject whose x-amz-checksum-sha256 does not match the body fails with 400 BadDigest ("The SHA256 you
specified did not match the calculated checksum."), a value that is not a base64 SHA-256 with 400 InvalidRequest
("Value for x-amz-checksum-sha256 header is invalid."), and a matching value is stored and returned by HeadObject
in checksum mode with x-amz-checksum-type FULL_OBJECT.
moto: S3Response._get_checksum reads the checksum only when x-amz-sdk-checksum-algorithm is also sent, and then
stores the declared value without comparing it with the body ("TODO: AWS computes the provided value and
verifies it's the same"); sent alone, the header is ignored.

    moto_server -p 5000 &
    python3 s3_put_checksum_not_verified.py http://127.0.0.1:5000

Prints what S3 does and what moto did; exit status 1 when moto shows the bug, 0 when it behaves as S3.
"""
import base64
import hashlib
import sys

import boto3
import botocore
from botocore.config import Config

endpoint = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5000"
# when_required: boto3 sends exactly the checksum given, and nothing it computed itself.
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                  aws_secret_access_key="test", config=Config(request_checksum_calculation="when_required",
                                                              response_checksum_validation="when_required"))
s3.create_bucket(Bucket="checksums")
body = b"the bytes that were sent"


def sha256(data):
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def put(key, **checksum):
    try:
        s3.put_object(Bucket="checksums", Key=key, Body=body, **checksum)
        return "200"
    except botocore.exceptions.ClientError as e:
        return f"{e.response['ResponseMetadata']['HTTPStatusCode']} {e.response['Error']['Code']}"


def stored_checksum(key):
    head = s3.head_object(Bucket="checksums", Key=key, ChecksumMode="ENABLED")
    return head.get("ChecksumSHA256"), head.get("ChecksumType")


bugs = 0


def check(what, expected, actual):
    global bugs
    print(f"{what}\n  expected: {expected}\n  actual:   {actual}")
    bugs += expected != actual


check("PutObject with a wrong x-amz-checksum-sha256", "400 BadDigest", put("wrong", ChecksumSHA256=sha256(b"other bytes")))
check("PutObject with a wrong x-amz-checksum-sha256 and x-amz-sdk-checksum-algorithm: SHA256", "400 BadDigest",
      put("wrong-with-algorithm", ChecksumSHA256=sha256(b"other bytes"), ChecksumAlgorithm="SHA256"))
check("PutObject with x-amz-checksum-sha256: not-base64", "400 InvalidRequest", put("malformed", ChecksumSHA256="not-base64"))
put("right", ChecksumSHA256=sha256(body))
check("HeadObject (checksum mode) after PutObject with the right x-amz-checksum-sha256",
      (sha256(body), "FULL_OBJECT"), stored_checksum("right"))
if bugs:
    print(f"BUG: {bugs} of 4 differ from S3")
    sys.exit(1)
