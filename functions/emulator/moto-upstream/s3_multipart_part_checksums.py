"""moto 5.2: UploadPart neither verifies nor keeps part checksums, so CompleteMultipartUpload cannot check them.

S3 (upload created with ChecksumAlgorithm SHA256): UploadPart with a wrong x-amz-checksum-sha256 fails with 400
BadDigest, and one without it with 400 InvalidRequest ("Checksum Type mismatch occurred, expected checksum
Type: sha256, actual checksum Type: null"); a good part's response carries x-amz-checksum-sha256, ListParts lists
each part's ChecksumSHA256, CompleteMultipartUpload naming a part checksum that is not the part's fails with
400 InvalidPart, and HeadObject in checksum mode shows the composite checksum as "<base64>-<parts>" with
x-amz-checksum-type COMPOSITE.
moto: UploadPart stores the part before looking at its checksum and never compares it; the part keeps no
checksum, so UploadPart returns none, ListParts lists none, and CompleteMultipartUpload matches parts by ETag
alone; HeadObject drops the "-<parts>" suffix and the type that GetObject shows.

    moto_server -p 5000 &
    python3 s3_multipart_part_checksums.py http://127.0.0.1:5000

Prints what S3 does and what moto did; exit status 1 when moto shows the bug, 0 when it behaves as S3.
"""
import base64
import hashlib
import sys

import boto3
import botocore
from botocore.config import Config

endpoint = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5000"
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                  aws_secret_access_key="test", config=Config(request_checksum_calculation="when_required",
                                                              response_checksum_validation="when_required"))
s3.create_bucket(Bucket="parts")
upload = s3.create_multipart_upload(Bucket="parts", Key="object", ChecksumAlgorithm="SHA256")["UploadId"]
first, last = b"a" * (5 * 1024 * 1024), b"the last part"


def digest(data):
    return hashlib.sha256(data).digest()


def sha256(data):
    return base64.b64encode(digest(data)).decode()


def outcome(call):
    try:
        return call()
    except botocore.exceptions.ClientError as e:
        return f"{e.response['ResponseMetadata']['HTTPStatusCode']} {e.response['Error']['Code']}"


bugs = 0


def check(what, expected, actual):
    global bugs
    print(f"{what}\n  expected: {expected}\n  actual:   {actual}")
    bugs += expected != actual


def upload_part(number, body, **checksum):
    return s3.upload_part(Bucket="parts", Key="object", UploadId=upload, PartNumber=number, Body=body, **checksum)


check("UploadPart with a wrong x-amz-checksum-sha256", "400 BadDigest",
      outcome(lambda: upload_part(1, first, ChecksumSHA256=sha256(b"other bytes")) and "200"))
check("UploadPart without a checksum to an upload created with SHA256", "400 InvalidRequest",
      outcome(lambda: upload_part(1, first) and "200"))
etags = [upload_part(1, first, ChecksumSHA256=sha256(first))["ETag"]]
answer = upload_part(2, last, ChecksumSHA256=sha256(last))
etags.append(answer["ETag"])
check("UploadPart response", sha256(last), answer.get("ChecksumSHA256"))
parts = s3.list_parts(Bucket="parts", Key="object", UploadId=upload)
check("ListParts", [sha256(first), sha256(last)], [part.get("ChecksumSHA256") for part in parts["Parts"]])


def complete(checksums):
    return s3.complete_multipart_upload(Bucket="parts", Key="object", UploadId=upload, MultipartUpload={"Parts": [
        {"PartNumber": number, "ETag": etag, "ChecksumSHA256": checksum}
        for number, (etag, checksum) in enumerate(zip(etags, checksums), start=1)]})


check("CompleteMultipartUpload naming a wrong checksum for part 2", "400 InvalidPart",
      outcome(lambda: complete([sha256(first), sha256(b"other bytes")]) and "200"))
outcome(lambda: complete([sha256(first), sha256(last)]))
composite = base64.b64encode(hashlib.sha256(digest(first) + digest(last)).digest()).decode() + "-2"
head = s3.head_object(Bucket="parts", Key="object", ChecksumMode="ENABLED")
check("HeadObject (checksum mode) of the completed object", (composite, "COMPOSITE"),
      (head.get("ChecksumSHA256"), head.get("ChecksumType")))
if bugs:
    print(f"BUG: {bugs} of 6 differ from S3")
    sys.exit(1)
