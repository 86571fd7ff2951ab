"""Benchmark-only: lets moto hold multi-GiB objects the way S3 does, without copying them through memory.

Python imports this file at start-up when its folder is on PYTHONPATH; the upload benchmarks put it there for
the moto they start (nothing else does). moto 5.2 reads the whole source object for every UploadPartCopy and
slices the range out (5 GiB of memory per part in flight for a 5 GiB object, and 80 such reads for one copy
in 64 MiB parts), under a lock that serialises the copies, and assembles a completed multipart upload in
memory more than once. S3 does none of this, so a copy benchmark against stock moto would measure moto's
memory, not the copy. The patches read only the copied range (os.pread, no lock, so copies overlap) and
assemble a completed upload in a temporary file; what S3 stores and answers is unchanged.
"""
import codecs
import os
import tempfile

from moto.s3 import models

CHUNK = 16 * 1024 * 1024
_upload_part_copy = models.S3Backend.upload_part_copy
_complete = models.FakeMultipart.complete
_value = models.FakeKey.value


class _Assembled:
    """A completed upload's bytes in a temporary file; FakeKey's value setter copies it in chunks."""

    def __init__(self, file, length):
        self.file = file
        self.length = length

    def __len__(self):
        return self.length


def _ranged_upload_part_copy(self, dest_bucket_name, multipart_id, part_id, src_bucket_name, src_key_name,
                             src_version_id, start_byte, end_byte):
    if start_byte is None:
        return _upload_part_copy(self, dest_bucket_name, multipart_id, part_id, src_bucket_name, src_key_name,
                                 src_version_id, start_byte, end_byte)
    source = self.get_object(src_bucket_name, src_key_name, version_id=src_version_id)
    with source.lock:
        descriptor = source._value_buffer.fileno()  # rolls a small object over to its file once
    length = end_byte - start_byte + 1
    part = bytearray()
    while len(part) < length:
        block = os.pread(descriptor, min(CHUNK, length - len(part)), start_byte + len(part))
        if not block:
            break
        part.extend(block)
    return self.get_bucket(dest_bucket_name).multiparts[multipart_id].set_part(part_id, bytes(part))


def _complete_through_a_file(self, body):
    named = list(body)
    if not named or any(self.parts.get(number) is None for number, _ in named):
        return _complete(self, iter(named))  # moto's own errors
    md5s = bytearray()
    checksum = models.MultipartChecksumBuilder(self.metadata.get("x-amz-checksum-algorithm"),
                                               self.metadata.get("x-amz-checksum-type"))
    assembled = tempfile.TemporaryFile()
    length = 0
    last = None
    for number, etag in named:
        part = self.parts[number]
        if part.etag.replace('"', "") != etag.replace('"', ""):
            raise models.InvalidPart()
        if last is not None and last.contentsize < models.S3_UPLOAD_PART_MIN_SIZE:
            raise models.EntityTooSmall()
        md5s.extend(codecs.decode(part.etag.replace('"', ""), "hex"))
        value = part.value  # one part in memory at a time
        checksum.addPart(value)
        assembled.write(value)
        length += len(value)
        last = part
    full_etag = models.md5_hash()
    full_etag.update(bytes(md5s))
    return _Assembled(assembled, length), f"{full_etag.hexdigest()}-{len(named)}", checksum.build()


def _set_value(self, new_value):
    if not isinstance(new_value, _Assembled):
        return _value.fset(self, new_value)
    self._value_buffer.seek(0)
    self._value_buffer.truncate()
    self._value_buffer.rollover()
    new_value.file.seek(0)
    while True:
        block = new_value.file.read(CHUNK)
        if not block:
            break
        self._value_buffer.write(block)
    new_value.file.close()
    self.contentsize = new_value.length


models.S3Backend.upload_part_copy = _ranged_upload_part_copy
models.FakeMultipart.complete = _complete_through_a_file
models.FakeKey.value = property(_value.fget, _set_value)
