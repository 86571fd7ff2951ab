package com.supportress.incident;

import com.supportress.shared.aws.AwsSettings;
import com.supportress.shared.config.FunctionEnvironment;
import com.supportress.upload.store.UploadKeys;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

import java.util.ArrayList;
import java.util.List;

/**
 * Deletes every byte of a report's attachments when its reporter's data is removed: every version and delete marker
 * under the report's prefixes (live and quarantined) in the upload bucket, and under its live prefix in the replica
 * bucket of the second region, so nothing waits for the noncurrent-version lifecycle. Every call names the stack's
 * account as the bucket owner. Repeating it deletes nothing more, so an interrupted run is finished by the next.
 */
@Singleton
public class AttachmentRemoval {

    /** Where a report's attachments live: the upload bucket and its replica, each with a client of its region. */
    public record Buckets(S3Client primary, String primaryBucket, S3Client replica, String replicaBucket, String owner) {
    }

    private final Buckets buckets;

    public AttachmentRemoval(Buckets buckets) {
        this.buckets = buckets;
    }

    /** Removes the report's objects; the number of versions and delete markers deleted. */
    public int remove(String reportId) {
        List<String> prefixes = UploadKeys.reportPrefixes(reportId);
        int deleted = 0;
        for (String prefix : prefixes) {
            deleted += removeAll(buckets.primary(), buckets.primaryBucket(), prefix);
        }
        // Only live objects are replicated; quarantined ones never leave the primary bucket.
        deleted += removeAll(buckets.replica(), buckets.replicaBucket(), prefixes.get(0));
        return deleted;
    }

    private int removeAll(S3Client s3, String bucket, String prefix) {
        List<ObjectIdentifier> versions = new ArrayList<>();
        s3.listObjectVersionsPaginator(r -> r.bucket(bucket).prefix(prefix).expectedBucketOwner(buckets.owner())).forEach(page -> {
            page.versions().forEach(v -> versions.add(ObjectIdentifier.builder().key(v.key()).versionId(v.versionId()).build()));
            page.deleteMarkers().forEach(m -> versions.add(ObjectIdentifier.builder().key(m.key()).versionId(m.versionId()).build()));
        });
        // DeleteObjects takes at most 1,000 keys; a report has at most 5 attachments, each a few versions.
        for (int i = 0; i < versions.size(); i += 1000) {
            List<ObjectIdentifier> batch = versions.subList(i, Math.min(versions.size(), i + 1000));
            s3.deleteObjects(r -> r.bucket(bucket).expectedBucketOwner(buckets.owner()).delete(d -> d.objects(batch).quiet(true)));
        }
        return versions.size();
    }

    @Factory
    static class Beans {
        @Singleton
        Buckets attachmentBuckets(FunctionEnvironment env, AwsSettings settings, SdkHttpClient httpClient, S3Client primary) {
            S3Client replica = settings.build(S3Client.builder().forcePathStyle(settings.usesEmulator()), httpClient,
                    Region.of(env.require("REPLICA_REGION")));
            return new Buckets(primary, env.require("UPLOAD_BUCKET"), replica, env.require("REPLICA_BUCKET"), env.require("EXPECTED_BUCKET_OWNER"));
        }
    }
}
