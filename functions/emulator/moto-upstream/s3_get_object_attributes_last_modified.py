"""moto 5.2: GetObjectAttributes sends Last-Modified in ISO 8601, which the AWS SDK for Java cannot parse.

S3: the Last-Modified header of a GetObjectAttributes response is an HTTP date, as in every S3 response
("Mon, 30 Nov 2026 10:15:00 GMT"); the AWS SDK for Java v2 reads it with its RFC 822 parser.
moto: S3Response.get_object_attributes sets Last-Modified to key.last_modified_ISO8601
("2026-11-30T10:15:00.000Z"), so every GetObjectAttributes call from Java fails with "Unable to unmarshall
response (Text '2026-11-30T10:15:00.000Z' could not be parsed at index 4)". boto3 parses either form.

    moto_server -p 5000 &
    python3 s3_get_object_attributes_last_modified.py http://127.0.0.1:5000

Prints what S3 does and what moto did; exit status 1 when moto shows the bug, 0 when it behaves as S3.
"""
import re
import sys

import boto3

endpoint = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5000"
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                  aws_secret_access_key="test")
s3.create_bucket(Bucket="attributes")
s3.put_object(Bucket="attributes", Key="object", Body=b"some bytes")
headers = {}
s3.meta.events.register("after-call.s3.GetObjectAttributes",
                        lambda http_response, **_: headers.update(http_response.headers))
s3.get_object_attributes(Bucket="attributes", Key="object", ObjectAttributes=["ETag"])

print("GetObjectAttributes: the Last-Modified header")
print("  expected: an HTTP date, like Mon, 30 Nov 2026 10:15:00 GMT")
print(f"  actual:   {headers.get('Last-Modified')}")
if not re.fullmatch(r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT", headers.get("Last-Modified", "")):
    print("BUG: Last-Modified is not an HTTP date")
    sys.exit(1)
