package com.supportress.upload.ingest;

import com.supportress.upload.store.FileTypes;
import com.supportress.upload.store.UploadKeys;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The upload bucket as the ingest function reads and tidies it: an object's metadata with the checksum S3 stored,
 * its first bytes, every version at a live key, and the closing marker (see {@link UploadKeys}). Reading an object's
 * bytes is limited to the first {@link FileTypes#HEAD_BYTES}: S3 verified the rest against the declared checksum.
 */
@Singleton
public class UploadObjects {

    /** One version (or delete marker) at a key; a marker of S3's versioning has no size. */
    public record Version(String versionId, long size, boolean deleteMarker) {
    }

    private final S3Client s3;
    private final IngestConfig config;

    public UploadObjects(S3Client s3, IngestConfig config) {
        this.s3 = s3;
        this.config = config;
    }

    public S3Client s3() {
        return s3;
    }

    public String bucket() {
        return config.uploadBucket();
    }

    /** The current version's metadata with S3's stored SHA-256 (checksum mode), or empty when there is none. */
    public Optional<HeadObjectResponse> head(String key) {
        return S3Objects.head(s3, HeadObjectRequest.builder().bucket(bucket()).key(key)
                .expectedBucketOwner(config.expectedBucketOwner()).checksumMode(ChecksumMode.ENABLED).build());
    }

    /** An empty object at a live key is the closing marker, never an upload (uploads have at least one byte). */
    public static boolean isClosingMarker(HeadObjectResponse head) {
        return head.contentLength() == 0;
    }

    /** The first bytes of one version: what the file type check needs, and the only object bytes ingest reads. */
    public byte[] firstBytes(String key, String versionId) {
        return s3.getObjectAsBytes(r -> r.bucket(bucket()).key(key).versionId(versionId).expectedBucketOwner(config.expectedBucketOwner())
                .range("bytes=0-" + (FileTypes.HEAD_BYTES - 1))).asByteArray();
    }

    /** Every version and delete marker at exactly this key. */
    public List<Version> versions(String key) {
        List<Version> versions = new ArrayList<>();
        s3.listObjectVersionsPaginator(r -> r.bucket(bucket()).prefix(key).expectedBucketOwner(config.expectedBucketOwner()))
                .forEach(page -> {
                    page.versions().stream().filter(v -> v.key().equals(key))
                            .forEach(v -> versions.add(new Version(v.versionId(), v.size(), false)));
                    page.deleteMarkers().stream().filter(m -> m.key().equals(key))
                            .forEach(m -> versions.add(new Version(m.versionId(), 0, true)));
                });
        return versions;
    }

    /** Puts the closing marker at the key unless it is already the current version. */
    public void close(String key, String why) {
        boolean closed = head(key).filter(UploadObjects::isClosingMarker).isPresent();
        if (!closed) {
            s3.putObject(r -> r.bucket(bucket()).key(key).expectedBucketOwner(config.expectedBucketOwner())
                    .contentType("application/octet-stream").metadata(Map.of(UploadKeys.CLOSED_METADATA, why)), RequestBody.empty());
        }
    }

    /** Deletes one version for good (a versioned bucket keeps it otherwise). */
    public void deleteVersion(String key, String versionId) {
        s3.deleteObject(r -> r.bucket(bucket()).key(key).versionId(versionId).expectedBucketOwner(config.expectedBucketOwner()));
    }
}
