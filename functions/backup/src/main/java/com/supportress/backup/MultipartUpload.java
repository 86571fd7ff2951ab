package com.supportress.backup;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * An output stream that becomes one S3 object through a multipart upload: it holds one part in memory
 * at a time, so memory stays flat whatever the file size. Nothing is visible in the bucket until
 * {@link #close()} completes the upload; {@link #abort()} discards the uploaded parts after a failure.
 */
final class MultipartUpload extends OutputStream {

    /** S3's minimum part size is 5 MiB (except the last); 8 MiB keeps requests few and memory small. */
    static final int PART_BYTES = 8 * 1024 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String uploadId;
    private final byte[] buffer = new byte[PART_BYTES];
    private final List<CompletedPart> parts = new ArrayList<>();
    private int filled;
    private boolean finished;

    MultipartUpload(S3Client s3, String bucket, String key) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key).contentType("application/x-ndjson").contentEncoding("gzip"))
                .uploadId();
    }

    @Override
    public void write(int b) {
        if (filled == buffer.length) {
            uploadPart();
        }
        buffer[filled++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        while (length > 0) {
            if (filled == buffer.length) {
                uploadPart();
            }
            int chunk = Math.min(length, buffer.length - filled);
            System.arraycopy(bytes, offset, buffer, filled, chunk);
            filled += chunk;
            offset += chunk;
            length -= chunk;
        }
    }

    private void uploadPart() {
        int partNumber = parts.size() + 1;
        String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber).contentLength((long) filled),
                RequestBody.fromInputStream(new ByteArrayInputStream(buffer, 0, filled), filled)).eTag();
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
        filled = 0;
    }

    @Override
    public void close() {
        if (finished) {
            return;
        }
        if (filled > 0 || parts.isEmpty()) {
            uploadPart();
        }
        s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        finished = true;
    }

    /** Best effort: the run fails anyway, and a bucket lifecycle rule removes parts an abort could not reach. */
    void abort() {
        if (finished) {
            return;
        }
        finished = true;
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
        } catch (RuntimeException ignored) {
            // The emulator or network that broke the upload may be gone; the lifecycle rule cleans up.
        }
    }
}
