"""moto 5.2: copies carry the source's checksum instead of one S3 computes for the bytes copied.

S3: CopyObject gives the copy a full-object checksum computed over the copied bytes (with the algorithm of
x-amz-checksum-algorithm, else the source's), so the copy of a multipart object with a composite SHA-256 has the
plain SHA-256 of its bytes, ChecksumType FULL_OBJECT; UploadPartCopy into an upload created with ChecksumAlgorithm
SHA256 returns the SHA-256 of the copied range in CopyPartResult and lists it in ListParts.
moto: S3Backend.copy_object copies the source's checksum value as it is, so the copy presents the source's
composite digest (without its "-<parts>") as its own checksum; UploadPartCopy computes no part checksum.

    moto_server -p 5000 &
    python3 s3_copy_checksums.py http://127.0.0.1:5000

Prints what S3 does and what moto did; exit status 1 when moto shows the bug, 0 when it behaves as S3.
"""
import base64
import hashlib
import sys

import boto3
from botocore.config import Config

endpoint = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5000"
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                  aws_secret_access_key="test", config=Config(request_checksum_calculation="when_required",
                                                              response_checksum_validation="when_required"))
s3.create_bucket(Bucket="copies")
first, last = b"a" * (5 * 1024 * 1024), b"the last part"


def sha256(data):
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


# A multipart source: S3 gives it a composite checksum (a SHA-256 of the parts' SHA-256s).
upload = s3.create_multipart_upload(Bucket="copies", Key="source", ChecksumAlgorithm="SHA256")["UploadId"]
parts = [{"PartNumber": number, "ChecksumSHA256": sha256(body),
          "ETag": s3.upload_part(Bucket="copies", Key="source", UploadId=upload, PartNumber=number, Body=body,
                                 ChecksumSHA256=sha256(body))["ETag"]}
         for number, body in enumerate((first, last), start=1)]
s3.complete_multipart_upload(Bucket="copies", Key="source", UploadId=upload, MultipartUpload={"Parts": parts})

bugs = 0


def check(what, expected, actual):
    global bugs
    print(f"{what}\n  expected: {expected}\n  actual:   {actual}")
    bugs += expected != actual


copied = s3.copy_object(Bucket="copies", Key="copy", CopySource={"Bucket": "copies", "Key": "source"})
head = s3.head_object(Bucket="copies", Key="copy", ChecksumMode="ENABLED")
check("HeadObject (checksum mode) of a CopyObject of the multipart source", (sha256(first + last), "FULL_OBJECT"),
      (head.get("ChecksumSHA256"), head.get("ChecksumType")))

upload = s3.create_multipart_upload(Bucket="copies", Key="part-copy", ChecksumAlgorithm="SHA256")["UploadId"]
result = s3.upload_part_copy(Bucket="copies", Key="part-copy", UploadId=upload, PartNumber=1,
                             CopySource={"Bucket": "copies", "Key": "source"},
                             CopySourceRange=f"bytes=0-{len(first) - 1}")["CopyPartResult"]
check("UploadPartCopy of the first 5 MiB: CopyPartResult", sha256(first), result.get("ChecksumSHA256"))
listed = s3.list_parts(Bucket="copies", Key="part-copy", UploadId=upload)["Parts"][0]
check("ListParts after UploadPartCopy", sha256(first), listed.get("ChecksumSHA256"))
if bugs:
    print(f"BUG: {bugs} of 3 differ from S3")
    sys.exit(1)
