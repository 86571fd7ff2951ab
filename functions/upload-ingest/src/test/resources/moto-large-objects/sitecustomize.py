"""Benchmark-only: lets moto hold multi-GiB objects the way S3 does, without copying them through memory.

Python imports this file at start-up when its folder is on PYTHONPATH; the upload benchmarks put it there for
the moto they start (nothing else does). moto 5.2 reads the whole source object for every UploadPartCopy and
slices the range out (5 GiB of memory per part in flight for a 5 GiB object, and 80 such reads for one copy
in 64 MiB parts), under a lock that serialises the copies, and assembles a completed multipart upload in
memory more than once, for longer than an SDK waits for an answer (S3 keeps the connection alive meanwhile;
moto sends nothing). S3 does none of this, so a copy benchmark against stock moto would measure moto. The
patches read only the copied range (os.pread, no lock, so copies overlap), assemble a completed upload with
the kernel's copy_file_range into a file the object then keeps, and compute its composite checksum from the
part checksums, as S3 does; what S3 stores and answers is unchanged.
"""
import base64
import codecs
import hashlib
import os
import tempfile

from moto.s3 import models

CHUNK = 16 * 1024 * 1024
_upload_part_copy = models.S3Backend.upload_part_copy
_complete = models.FakeMultipart.complete
_value = models.FakeKey.value


class _Assembled:
    """A completed upload's bytes in a temporary file, which the object's value takes over as it is."""

    def __init__(self, file, length):
        self.file = file
        self.length = length

    def __len__(self):
        return self.length


def _descriptor(key):
    with key.lock:
        return key._value_buffer.fileno()  # rolls a small object over to its file once


def _ranged_upload_part_copy(self, dest_bucket_name, multipart_id, part_id, src_bucket_name, src_key_name,
                             src_version_id, start_byte, end_byte):
    if start_byte is None:
        return _upload_part_copy(self, dest_bucket_name, multipart_id, part_id, src_bucket_name, src_key_name,
                                 src_version_id, start_byte, end_byte)
    descriptor = _descriptor(self.get_object(src_bucket_name, src_key_name, version_id=src_version_id))
    length = end_byte - start_byte + 1
    part = bytearray()
    while len(part) < length:
        block = os.pread(descriptor, min(CHUNK, length - len(part)), start_byte + len(part))
        if not block:
            break
        part.extend(block)
    return self.get_bucket(dest_bucket_name).multiparts[multipart_id].set_part(part_id, bytes(part))


def _composite(multipart, parts):
    """S3's composite checksum, from the checksums of the parts (all must have one of the upload's algorithm)."""
    algorithm = (multipart.metadata.get("x-amz-checksum-algorithm") or "").upper()
    declared_type = (multipart.metadata.get("x-amz-checksum-type") or "COMPOSITE").upper()
    if algorithm != "SHA256" or declared_type != "COMPOSITE" or any(not part.checksum_value for part in parts):
        return None
    digests = b"".join(base64.b64decode(part.checksum_value) for part in parts)
    return "COMPOSITE", base64.b64encode(hashlib.sha256(digests).digest()).decode(), len(parts)


def _complete_through_a_file(self, body):
    named = list(body)
    parts = [self.parts.get(number) for number, _ in named]
    checksum = _composite(self, parts) if parts and all(part is not None for part in parts) else None
    if checksum is None:
        return _complete(self, iter(named))  # moto's own way, and its own errors
    md5s = bytearray()
    last = None
    for (number, etag), part in zip(named, parts):
        if part.etag.replace('"', "") != etag.replace('"', ""):
            raise models.InvalidPart()
        if last is not None and last.contentsize < models.S3_UPLOAD_PART_MIN_SIZE:
            raise models.EntityTooSmall()
        md5s.extend(codecs.decode(part.etag.replace('"', ""), "hex"))
        last = part
    assembled = tempfile.TemporaryFile()
    length = 0
    for part in parts:
        source = _descriptor(part)
        copied = 0
        while copied < part.contentsize:
            copied += os.copy_file_range(source, assembled.fileno(), part.contentsize - copied, copied, length + copied)
        length += part.contentsize
    full_etag = models.md5_hash()
    full_etag.update(bytes(md5s))
    return _Assembled(assembled, length), f"{full_etag.hexdigest()}-{len(named)}", checksum


def _set_value(self, new_value):
    if not isinstance(new_value, _Assembled):
        return _value.fset(self, new_value)
    buffer = tempfile.SpooledTemporaryFile(max_size=self._max_buffer_size)
    buffer._file.close()
    buffer._file, buffer._rolled = new_value.file, True
    self._value_buffer.close()
    self._value_buffer = buffer
    self.contentsize = new_value.length


models.S3Backend.upload_part_copy = _ranged_upload_part_copy
models.FakeMultipart.complete = _complete_through_a_file
models.FakeKey.value = property(_value.fget, _set_value)
