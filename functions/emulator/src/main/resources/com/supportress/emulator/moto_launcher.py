"""moto for the supportress tests and local suite, patched to behave like AWS where the project relies on it.

    python3 moto_launcher.py [--port N] [--unpatched]

Serves moto on 127.0.0.1 (a free port unless --port), prints "MOTO_PORT <port>" once it answers, and exits
when its standard input closes, so it dies with the JVM that started it (MotoServer). --unpatched serves
moto exactly as installed: the tests use it to show each difference the patches make.

Each patch below names what moto 5.2 does, what AWS does instead, and the smallest place it is changed.
GET /supportress-emulator answers {"emulator": "moto", "moto": <version>, "patches": [<names>]}, which is how
tests running against an emulator someone else started find out which semantics they get.
"""

import argparse
import base64
import binascii
import datetime
import email.utils
import importlib.util
import json
import re
import sys
import threading
import traceback

import moto
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server

CAPABILITY_PATH = "/supportress-emulator"
PATCHES = {}


def patch(name):
    """Registers a patch under the name the capability endpoint lists."""
    def register(apply):
        PATCHES[name] = apply
        return apply
    return register


@patch("dynamodb-serializable")
def serialize_dynamodb():
    """DynamoDB isolates transactions: serializable against PutItem, UpdateItem, DeleteItem, GetItem and
    TransactGetItems, read-committed for Query and Scan, and a conditional write is atomic. moto takes no lock:
    nothing keeps a condition check and its write together, and a cancelled TransactWriteItems puts back deep
    copies of its tables taken when it began, undoing every write other requests made meanwhile
    (moto-upstream/dynamodb_transaction_isolation.py). Every DynamoDB action runs under one lock, taken in
    DynamoHandler.call_action, the one method every DynamoDB request passes through. Reads are inside it too:
    outside, they could see a transaction's writes before its rollback, or iterate a table being replaced."""
    from moto.dynamodb.responses import DynamoHandler

    lock = threading.Lock()
    call_action = DynamoHandler.call_action

    def serialized_call_action(self):
        with lock:
            return call_action(self)

    DynamoHandler.call_action = serialized_call_action


@patch("dynamodb-idempotent-transactions")
def idempotent_dynamodb_transactions():
    """DynamoDB makes TransactWriteItems idempotent by its ClientRequestToken: within 10 minutes of a call that
    succeeded, the same token with the same request succeeds again without writing anything, and with another
    request fails with IdempotentParameterMismatchException. The AWS SDKs send a token with every call and keep it
    across retries, so a retry after a timeout whose first attempt did commit succeeds. moto ignores the token: that
    retry runs the transaction again and its own conditions cancel it (moto-upstream/dynamodb_client_request_token.py).
    Runs inside DynamoHandler.call_action, so under the dynamodb-serializable lock when both are applied."""
    import time
    from moto.dynamodb.exceptions import DynamodbException, ERROR_TYPE_PREFIX
    from moto.dynamodb.responses import DynamoHandler

    window_seconds = 600
    succeeded = {}  # token -> (request without the token, when it succeeded, the answer)
    transact_write_items = DynamoHandler.transact_write_items

    class IdempotentParameterMismatch(DynamodbException):
        def __init__(self):
            super().__init__(ERROR_TYPE_PREFIX + "IdempotentParameterMismatchException",
                             message="Request with the same client token was already used with different parameters")

    def idempotent_transact_write_items(self):
        token = self.body.get("ClientRequestToken")
        if token is None:
            return transact_write_items(self)
        request = json.dumps({k: v for k, v in self.body.items() if k != "ClientRequestToken"}, sort_keys=True)
        now = time.monotonic()
        for expired in [t for t, (_, at, _) in succeeded.items() if now - at > window_seconds]:
            del succeeded[expired]
        if token in succeeded:
            earlier, _, answer = succeeded[token]
            if earlier != request:
                raise IdempotentParameterMismatch()
            return answer
        answer = transact_write_items(self)
        succeeded[token] = (request, now, answer)
        return answer

    DynamoHandler.transact_write_items = idempotent_transact_write_items


# The checksum algorithms of S3's flexible checksums, with the size of their digests.
DIGEST_BYTES = {"CRC32": 4, "CRC32C": 4, "CRC64NVME": 8, "SHA1": 20, "SHA256": 32}


@patch("s3-checksums")
def verify_s3_checksums():
    """S3 verifies the checksum a request declares (x-amz-checksum-<algorithm>, as a header or an aws-chunked
    trailer) on PutObject and UploadPart, refuses a mismatch (400 BadDigest) or a malformed value (400
    InvalidRequest) and stores it; an upload created with a checksum algorithm takes parts with that checksum
    only, lists part checksums, and completes only when each named part checksum is the stored one; UploadPartCopy
    and CopyObject compute the checksum of the bytes they copy. moto 5.2 verifies nothing, stores a checksum only
    when x-amz-sdk-checksum-algorithm comes with it, keeps no part checksums, and copies a composite checksum as
    if it were the copy's own (moto-upstream/s3_*.py). The error codes and messages are S3's.
    CRC32C and CRC64NVME are verified only where moto can compute them (python packages crc32c, awscrt);
    without them moto would compute CRC32 in their place, so their declared values are stored unverified.
    GetObjectAttributes, one way to read a checksum, gets S3's HTTP date in Last-Modified (moto's ISO 8601 one
    fails the AWS SDK for Java: moto-upstream/s3_get_object_attributes_last_modified.py)."""
    from moto.s3.exceptions import InvalidPart, S3ClientError
    from moto.s3.models import S3Backend
    from moto.s3.responses import S3Response
    from moto.s3.utils import compute_checksum
    from moto.core.compat import HAS_CRT

    computable = {"CRC32", "SHA1", "SHA256"}
    if importlib.util.find_spec("crc32c"):
        computable.add("CRC32C")
    if HAS_CRT:
        computable.add("CRC64NVME")

    def checksum(data, algorithm):
        return compute_checksum(data or b"", algorithm).decode()

    def invalid_request(message):
        return S3ClientError("InvalidRequest", message)

    def declared_checksum(request):
        """(algorithm, value) of the one checksum a request declares, or (None, None)."""
        headers = request.headers
        found = {algorithm: headers[f"x-amz-checksum-{algorithm.lower()}"]
                 for algorithm in DIGEST_BYTES if f"x-amz-checksum-{algorithm.lower()}" in headers}
        trailers = {name.strip().lower() for name in headers.get("x-amz-trailer", "").split(",")}
        for algorithm in DIGEST_BYTES:
            name = f"x-amz-checksum-{algorithm.lower()}"
            if name in trailers:
                # The trailer follows the last chunk, at the very end of the body.
                value = re.search(name.encode() + rb":\s*([^\r\n]*)", request.raw_body[-1024:] if request.raw_body else b"")
                found.setdefault(algorithm, value.group(1).decode().strip() if value else "")
        if len(found) > 1:
            raise invalid_request("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
        sdk_algorithm = headers.get("x-amz-sdk-checksum-algorithm")
        if not found:
            if sdk_algorithm:
                raise invalid_request("x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* "
                                      "or x-amz-trailer headers were found.")
            return None, None
        [(algorithm, value)] = found.items()
        if sdk_algorithm and sdk_algorithm.upper() != algorithm:
            raise invalid_request("Value for x-amz-sdk-checksum-algorithm header is invalid.")
        return algorithm, value

    def verified_checksum(request):
        """The declared checksum, checked against the (decoded) body once per request."""
        if not hasattr(request, "verified_checksum"):
            algorithm, value = declared_checksum(request)
            if algorithm is not None:
                try:
                    well_formed = len(base64.b64decode(value, validate=True)) == DIGEST_BYTES[algorithm]
                except binascii.Error:
                    well_formed = False
                if not well_formed:
                    raise invalid_request(f"Value for x-amz-checksum-{algorithm.lower()} header is invalid.")
                if algorithm in computable and checksum(request.body, algorithm) != value:
                    raise S3ClientError("BadDigest", f"The {algorithm} you specified did not match the calculated checksum.")
            request.verified_checksum = (algorithm, value)
        return request.verified_checksum

    def get_checksum(self, response_headers):
        # moto's PutObject, UploadPart and the other writes with a body read the request's checksum here.
        algorithm, value = verified_checksum(self)
        if algorithm is None:
            return "", None
        response_headers[f"x-amz-checksum-{algorithm.lower()}"] = value
        return algorithm, value

    S3Response._get_checksum = get_checksum

    def upload_algorithm(multipart):
        algorithm = multipart.metadata.get("x-amz-checksum-algorithm") if multipart else None
        return algorithm.upper() if algorithm else None

    def upload_checksum_type(multipart):
        declared = multipart.metadata.get("x-amz-checksum-type")
        return declared.upper() if declared else "FULL_OBJECT" if upload_algorithm(multipart) == "CRC64NVME" else "COMPOSITE"

    def multipart_of(response):
        return response.backend.get_bucket(response.bucket_name).multiparts.get(response._get_param("uploadId"))

    def presented_checksum(key):
        """A composite checksum is shown with the number of its parts, as S3 shows it."""
        if key.checksum_type == "COMPOSITE":
            return f"{key.checksum_value}-{key.checksum_parts}"
        return key.checksum_value

    def with_result(response, handler, add_fields):
        """Runs a moto handler with add_fields applied to the result it serializes (moto builds results field by
        field and leaves out the checksum fields)."""
        def serialized(action_result):
            if isinstance(action_result.result, dict):
                add_fields(action_result.result)
            return S3Response.serialized(response, action_result)
        response.serialized = serialized
        try:
            return handler()
        finally:
            del response.serialized

    upload_part = S3Response.upload_part

    def verified_upload_part(self):
        # moto stores the part before it reads the checksum: check first, keep the part's checksum after.
        multipart = multipart_of(self)
        if multipart is None:
            return upload_part(self)
        algorithm, value = verified_checksum(self)
        expected = upload_algorithm(multipart)
        if expected and algorithm != expected:
            raise invalid_request(f"Checksum Type mismatch occurred, expected checksum Type: {expected.lower()}, "
                                  f"actual checksum Type: {(algorithm or 'null').lower()}")
        response = upload_part(self)
        if algorithm:
            part = multipart.parts[self._get_int_param("partNumber")]
            part.checksum_algorithm, part.checksum_value = algorithm, value
        return response

    S3Response.upload_part = verified_upload_part

    backend_upload_part_copy = S3Backend.upload_part_copy

    def checksummed_upload_part_copy(self, dest_bucket_name, multipart_id, *args, **kwargs):
        part = backend_upload_part_copy(self, dest_bucket_name, multipart_id, *args, **kwargs)
        algorithm = upload_algorithm(self.get_bucket(dest_bucket_name).multiparts.get(multipart_id))
        if algorithm in computable:
            part.checksum_algorithm, part.checksum_value = algorithm, checksum(part.value, algorithm)
        return part

    S3Backend.upload_part_copy = checksummed_upload_part_copy

    response_upload_part_copy = S3Response.upload_part_copy

    def upload_part_copy_with_checksum(self):
        multipart = multipart_of(self)
        if multipart is None:
            return response_upload_part_copy(self)

        def add_part_checksum(result):
            part = multipart.parts.get(self._get_int_param("partNumber"))
            if part is not None and part.checksum_value:
                result["CopyPartResult"][f"Checksum{part.checksum_algorithm}"] = part.checksum_value
        return with_result(self, lambda: response_upload_part_copy(self), add_part_checksum)

    S3Response.upload_part_copy = upload_part_copy_with_checksum

    list_parts = S3Response.list_parts

    def list_parts_with_checksums(self):
        multipart = multipart_of(self)
        algorithm = upload_algorithm(multipart)

        def add_part_checksums(result):
            if algorithm:
                result["ChecksumAlgorithm"], result["ChecksumType"] = algorithm, upload_checksum_type(multipart)
                for part in result.get("Parts", []):
                    stored = multipart.parts[part["PartNumber"]]
                    if stored.checksum_value:
                        part[f"Checksum{algorithm}"] = stored.checksum_value
        return with_result(self, lambda: list_parts(self), add_part_checksums)

    S3Response.list_parts = list_parts_with_checksums

    complete_multipart_body = S3Response._complete_multipart_body

    def checked_complete_multipart_body(self, body):
        # moto matches parts by ETag alone; S3 also holds each named part checksum against the stored one.
        multipart = multipart_of(self)
        algorithm = upload_algorithm(multipart)
        for part in re.findall(rb"<Part>(.*?)</Part>", body, re.S):
            number = int(re.search(rb"<PartNumber>\s*(\d+)\s*</PartNumber>", part).group(1))
            named = {name.decode(): value.decode().strip()
                     for name, value in re.findall(rb"<Checksum([A-Z0-9]+)>([^<]*)</Checksum\1>", part)}
            stored = multipart.parts.get(number) if multipart else None
            if algorithm and algorithm not in named:
                if named:
                    raise S3ClientError("BadDigest", f"The {next(iter(named)).lower()} you specified for part {number} "
                                                     "did not match what we received.")
                raise invalid_request(f"The upload was created using a {algorithm.lower()} checksum. The complete request "
                                      f"must include the checksum for each part. It was missing for part {number} in the request.")
            if stored is not None and named and (not algorithm or named[algorithm] != stored.checksum_value):
                raise InvalidPart()
        yield from complete_multipart_body(self, body)

    S3Response._complete_multipart_body = checked_complete_multipart_body

    key_response_post = S3Response._key_response_post

    def post_with_checksum_fields(self, request, body, bucket_name, query, key_name):
        if "uploadId" not in query:
            return key_response_post(self, request, body, bucket_name, query, key_name)

        def add_object_checksum(result):
            key = self.backend.get_object(bucket_name, key_name)
            if key is not None and key.checksum_algorithm:
                result[f"Checksum{key.checksum_algorithm}"] = presented_checksum(key)
                result["ChecksumType"] = key.checksum_type
        return with_result(self, lambda: key_response_post(self, request, body, bucket_name, query, key_name),
                           add_object_checksum)

    S3Response._key_response_post = post_with_checksum_fields

    backend_put_object = S3Backend.put_object

    def put_object_with_checksum_type(self, *args, **kwargs):
        # Only a PutObject passes a checksum here, and its checksum is of the whole object.
        key = backend_put_object(self, *args, **kwargs)
        if kwargs.get("checksum_value"):
            key.checksum_type = "FULL_OBJECT"
        return key

    S3Backend.put_object = put_object_with_checksum_type

    backend_copy_object = S3Backend.copy_object

    def copy_object_with_own_checksum(self, src_key, dest_bucket_name, dest_key_name, *args, **kwargs):
        # moto gives the copy the source's checksum; S3 computes a full-object checksum of the copy with the
        # source's algorithm (a composite checksum of a multipart source says nothing about the copy's bytes).
        backend_copy_object(self, src_key, dest_bucket_name, dest_key_name, *args, **kwargs)
        copy = self.get_object(dest_bucket_name, dest_key_name)
        if copy.checksum_algorithm in computable:
            copy.checksum_value = checksum(copy.value, copy.checksum_algorithm)
            copy.checksum_type, copy.checksum_parts = "FULL_OBJECT", None

    S3Backend.copy_object = copy_object_with_own_checksum

    copy_object = S3Response.copy_object

    def copy_object_with_checksum_type(self):
        def add_checksum_type(result):
            copied = result.get("CopyObjectResult", {})
            if any(field.startswith("Checksum") for field in copied):
                copied["ChecksumType"] = "FULL_OBJECT"
        return with_result(self, lambda: copy_object(self), add_checksum_type)

    S3Response.copy_object = copy_object_with_checksum_type

    head_object = S3Response.head_object

    def head_object_with_checksum(self, bucket_name, query, key_name, headers):
        # moto's HEAD shows a composite checksum without its part count and no checksum type; its GET shows both.
        status, response_headers, body = head_object(self, bucket_name, query, key_name, headers)
        if status == 200 and headers.get("x-amz-checksum-mode") == "ENABLED":
            key = self.backend.head_object(bucket_name, key_name, version_id=query.get("versionId", [None])[0])
            if key is not None and key.checksum_algorithm:
                response_headers[f"x-amz-checksum-{key.checksum_algorithm.lower()}"] = presented_checksum(key)
                response_headers["x-amz-checksum-type"] = key.checksum_type or "FULL_OBJECT"
        return status, response_headers, body

    S3Response.head_object = head_object_with_checksum

    get_object_attributes = S3Response.get_object_attributes

    def get_object_attributes_with_http_date(self):
        # GetObjectAttributes is one way to read a checksum, but moto sends its Last-Modified header in ISO 8601,
        # which the AWS SDK for Java cannot parse; S3 sends an HTTP date there, as in every other response.
        status, headers, body = get_object_attributes(self)
        if "Last-Modified" in headers:
            modified = datetime.datetime.strptime(headers["Last-Modified"], "%Y-%m-%dT%H:%M:%S.%fZ")
            headers["Last-Modified"] = email.utils.format_datetime(modified.replace(tzinfo=datetime.timezone.utc), usegmt=True)
        return status, headers, body

    S3Response.get_object_attributes = get_object_attributes_with_http_date


class CapabilityEndpoint:
    """Answers GET /supportress-emulator with what this server is; everything else goes to moto."""

    def __init__(self, moto_app, patches):
        self.moto_app = moto_app
        self.body = json.dumps({"emulator": "moto", "moto": moto.__version__, "patches": patches}).encode()

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == CAPABILITY_PATH and environ.get("REQUEST_METHOD") == "GET":
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(self.body)))])
            return [self.body]
        return self.moto_app(environ, start_response)


def main():
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    arguments.add_argument("--unpatched", action="store_true", help="serve moto as installed, without the patches")
    options = arguments.parse_args()

    applied = [] if options.unpatched else list(PATCHES)
    try:
        for name in applied:
            PATCHES[name]()
    except Exception:
        # A moto whose internals moved: say so on standard output, which MotoServer shows.
        print(f"cannot apply the patches to moto {moto.__version__}:", flush=True)
        traceback.print_exc(file=sys.stdout)
        sys.exit(1)
    app = DomainDispatcherApplication(create_backend_app)
    server = make_server("127.0.0.1", options.port, CapabilityEndpoint(app, applied) if applied else app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("MOTO_PORT", server.server_port, flush=True)
    try:
        sys.stdin.read()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
