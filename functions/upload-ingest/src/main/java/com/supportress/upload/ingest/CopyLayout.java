package com.supportress.upload.ingest;

import com.supportress.upload.store.UploadMode;
import com.supportress.upload.store.UploadRecord;

/**
 * How an object is copied inside S3: with one CopyObject, or in parts with UploadPartCopy. A multipart upload
 * is copied along its own part boundaries: S3's composite checksum of the copy then equals the source's, so
 * the copy is verified by comparing two checksums S3 computed, without reading a byte. That layout is the one
 * upload-api chose for the object's size within S3's limits (at most 10,000 parts of 5 MiB to 5 GiB).
 */
record CopyLayout(long size, long partSize, int partCount) {

    static final long MIB = 1024L * 1024;
    /** CopyObject copies at most 5 GiB; so does one UploadPartCopy. */
    static final long S3_MAX_COPY = 5 * 1024 * MIB;
    static final int S3_MAX_PARTS = 10_000;
    /** Parts of objects without a layout of their own (strays, or objects not as declared): large enough to be few. */
    static final long DEFAULT_PART_SIZE = 512 * MIB;

    static CopyLayout single(long size) {
        return new CopyLayout(size, size, 0);
    }

    /**
     * The upload's own parts when the object is the declared multipart object; one CopyObject for anything up to
     * 5 GiB otherwise; parts sized for the object above that.
     */
    static CopyLayout of(UploadRecord upload, long actualSize) {
        if (upload.mode() == UploadMode.MULTIPART && actualSize == upload.size()) {
            return new CopyLayout(upload.size(), upload.partSize(), upload.partCount());
        }
        return forSize(actualSize);
    }

    static CopyLayout forSize(long size) {
        if (size <= S3_MAX_COPY) {
            return single(size);
        }
        long needed = (size + S3_MAX_PARTS - 1) / S3_MAX_PARTS;
        long partSize = Math.max(DEFAULT_PART_SIZE, (needed + MIB - 1) / MIB * MIB);
        return new CopyLayout(size, partSize, Math.toIntExact((size + partSize - 1) / partSize));
    }

    boolean multipart() {
        return partCount > 0;
    }

    long start(int partNumber) {
        return (partNumber - 1) * partSize;
    }

    long length(int partNumber) {
        return partNumber < partCount ? partSize : size - partSize * (partCount - 1);
    }

    String range(int partNumber) {
        return "bytes=" + start(partNumber) + "-" + (start(partNumber) + length(partNumber) - 1);
    }
}
